//! SQL of the `services` rows: what the catalogue and the queue both read.

use sqlx::Row;

use super::{Service, ServiceId};
use crate::db::{Db, Tx, is_unique_violation, now};
use crate::orgs::OrgId;

/// What a new service needs before its manual is written.
pub struct NewService<'a> {
    pub name: &'a str,
    pub division_id: Option<i64>,
    pub standard_minutes: Option<i64>,
}

/// Why a service was not created, in Thai for the form or the import line that asked.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServiceProblem {
    #[error("กรุณาระบุชื่องานบริการ")]
    MissingName,
    #[error("มีงานบริการชื่อ \"{0}\" อยู่แล้ว")]
    NameTaken(String),
    #[error("ไม่พบงานบริการนี้")]
    NotFound,
}

/// Creates a service at the end of the catalogue, audited in the caller's transaction.
pub async fn create(
    tx: &mut Tx,
    org: OrgId,
    new: &NewService<'_>,
    actor: &str,
) -> anyhow::Result<Result<ServiceId, ServiceProblem>> {
    let name = new.name.trim();
    if name.is_empty() {
        return Ok(Err(ServiceProblem::MissingName));
    }
    let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM services WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("SAVEPOINT service_insert").execute(&mut **tx).await?;
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO services (org_id, name, division_id, position, standard_minutes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(new.division_id)
    .bind(position)
    .bind(new.standard_minutes)
    .bind(at)
    .fetch_one(&mut **tx)
    .await;
    let id = match inserted {
        Ok(row) => ServiceId(row.try_get(0)?),
        Err(e) if is_unique_violation(&e) => {
            sqlx::query("ROLLBACK TO SAVEPOINT service_insert").execute(&mut **tx).await?;
            return Ok(Err(ServiceProblem::NameTaken(name.to_string())));
        }
        Err(e) => return Err(e.into()),
    };
    sqlx::query("RELEASE SAVEPOINT service_insert").execute(&mut **tx).await?;
    let after = serde_json::json!({
        "name": name, "division_id": new.division_id, "position": position, "standard_minutes": new.standard_minutes,
    });
    crate::audit::record(tx, org, actor, "create", "service", &id.0.to_string(), None, Some(&after)).await?;
    Ok(Ok(id))
}

/// The organization's services in catalogue order, archived ones included when asked.
pub async fn list(db: &Db, org: OrgId, with_archived: bool) -> anyhow::Result<Vec<Service>> {
    let rows = sqlx::query(
        "SELECT id, name, division_id, position, standard_minutes, archived FROM services
         WHERE org_id = $1 AND (archived = 0 OR $2 = 1) ORDER BY position, id",
    )
    .bind(org.0)
    .bind(i64::from(with_archived))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(service_from_row).collect()
}

/// One service of the organization (`None` for another organization's id).
pub async fn find(db: &Db, org: OrgId, id: ServiceId) -> anyhow::Result<Option<Service>> {
    let row = sqlx::query(
        "SELECT id, name, division_id, position, standard_minutes, archived FROM services
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(id.0)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(service_from_row).transpose()
}

fn service_from_row(r: &sqlx::any::AnyRow) -> anyhow::Result<Service> {
    Ok(Service {
        id: ServiceId(r.try_get("id")?),
        name: r.try_get("name")?,
        division_id: r.try_get("division_id")?,
        position: r.try_get("position")?,
        standard_minutes: r.try_get("standard_minutes")?,
        archived: r.try_get::<i64, _>("archived")? != 0,
    })
}
