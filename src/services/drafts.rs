//! SQL of the drafts: the manual each service is being edited into. Saving a draft also renames
//! the service and sets its division (the catalogue's row); a draft is never public.

use super::manual::Manual;
use super::store::{self, NewService, ServiceProblem};
use super::{Service, ServiceId};
use crate::db::{Db, Tx, is_unique_violation, now};
use crate::orgs::OrgId;

/// A service with its draft manual.
#[derive(Clone, Debug)]
pub struct Draft {
    pub service: Service,
    pub manual: Manual,
    /// When and by whom the draft was last saved (`None`: never written, e.g. a service made by
    /// the queue's tests or an older version of the program).
    pub saved: Option<(i64, String)>,
}

/// The draft of one service of the organization (`None` for another organization's id).
pub async fn load(db: &Db, org: OrgId, id: ServiceId) -> anyhow::Result<Option<Draft>> {
    let Some(service) = store::find(db, org, id).await? else { return Ok(None) };
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT manual, updated_at, updated_by FROM service_drafts WHERE org_id = $1 AND service_id = $2",
    )
    .bind(org.0)
    .bind(id.0)
    .fetch_optional(&db.pool)
    .await?;
    let (manual, saved) = match row {
        Some((json, at, by)) => (serde_json::from_str(&json)?, Some((at, by))),
        None => (Manual { name: service.name.clone(), ..Manual::default() }, None),
    };
    Ok(Some(Draft { service, manual, saved }))
}

/// The draft's manual as stored, read inside a write transaction (to compare before publishing).
pub async fn manual_in(tx: &mut Tx, org: OrgId, id: ServiceId) -> anyhow::Result<Option<Manual>> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT manual FROM service_drafts WHERE org_id = $1 AND service_id = $2")
            .bind(org.0)
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

/// The division whose name the manual gives, if the organization has one by that name.
pub async fn division_id(db: &Db, org: OrgId, manual: &Manual) -> anyhow::Result<Option<i64>> {
    let divisions = crate::orgs::store::divisions(db, org).await?;
    Ok(divisions.iter().find(|d| d.name == manual.division.trim()).map(|d| d.id))
}

/// Creates a service with `manual` as its draft, audited in the caller's transaction.
pub async fn create(
    tx: &mut Tx,
    org: OrgId,
    manual: &Manual,
    division_id: Option<i64>,
    actor: &str,
) -> anyhow::Result<Result<ServiceId, ServiceProblem>> {
    let new = NewService { name: &manual.name, division_id, standard_minutes: None };
    let id = match store::create(tx, org, &new, actor).await? {
        Ok(id) => id,
        Err(problem) => return Ok(Err(problem)),
    };
    write_draft(tx, org, id, manual, actor).await?;
    Ok(Ok(id))
}

/// Saves `manual` as the service's draft and renames the service to its name, audited in the
/// caller's transaction. `Ok(Err(_))`: another service of the organization has that name, or the
/// service is not the organization's.
pub async fn save(
    tx: &mut Tx,
    org: OrgId,
    id: ServiceId,
    manual: &Manual,
    division_id: Option<i64>,
    actor: &str,
) -> anyhow::Result<Result<(), ServiceProblem>> {
    let name = manual.name.trim();
    sqlx::query("SAVEPOINT service_rename").execute(&mut **tx).await?;
    let renamed =
        sqlx::query("UPDATE services SET name = $1, division_id = $2, updated_at = $3 WHERE org_id = $4 AND id = $5")
            .bind(name)
            .bind(division_id)
            .bind(now())
            .bind(org.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await;
    match renamed {
        Ok(done) if done.rows_affected() == 1 => {}
        Ok(_) => {
            sqlx::query("ROLLBACK TO SAVEPOINT service_rename").execute(&mut **tx).await?;
            return Ok(Err(ServiceProblem::NotFound));
        }
        Err(e) if is_unique_violation(&e) => {
            sqlx::query("ROLLBACK TO SAVEPOINT service_rename").execute(&mut **tx).await?;
            return Ok(Err(ServiceProblem::NameTaken(name.to_string())));
        }
        Err(e) => return Err(e.into()),
    }
    sqlx::query("RELEASE SAVEPOINT service_rename").execute(&mut **tx).await?;
    write_draft(tx, org, id, manual, actor).await?;
    Ok(Ok(()))
}

/// Inserts or replaces the draft row and audits it with the manual as it now stands.
async fn write_draft(tx: &mut Tx, org: OrgId, id: ServiceId, manual: &Manual, actor: &str) -> anyhow::Result<()> {
    let json = serde_json::to_string(manual)?;
    sqlx::query(
        "INSERT INTO service_drafts (service_id, org_id, manual, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (service_id) DO UPDATE SET manual = excluded.manual, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at",
    )
    .bind(id.0)
    .bind(org.0)
    .bind(&json)
    .bind(actor)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let after = serde_json::to_value(manual)?;
    crate::audit::record(tx, org, actor, "update", "service_draft", &id.0.to_string(), None, Some(&after)).await?;
    Ok(())
}
