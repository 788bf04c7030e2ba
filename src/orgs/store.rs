//! SQL of organizations and divisions.

use sqlx::{AssertSqlSafe, Row};

use super::{Division, Org, OrgId};
use crate::db::{Db, is_unique_violation, now};
use crate::thai::Digits;

/// What `prongsai org add` and the demo loader create.
pub struct NewOrg<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub province: &'a str,
    pub district: &'a str,
    pub divisions: &'a [&'a str],
}

#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    #[error("{0}")]
    InvalidSlug(String),
    #[error("มีหน่วยงาน slug \"{0}\" อยู่แล้ว (organization \"{0}\" already exists)")]
    SlugTaken(String),
    #[error("ไม่พบหน่วยงาน \"{0}\" (no organization \"{0}\")")]
    NotFound(String),
    #[error("กรุณาระบุชื่อเต็มของหน่วยงาน เช่น องค์การบริหารส่วนตำบลแม่คะตวน (an organization needs a name)")]
    MissingName,
    #[error("กรุณาระบุประเภทของหน่วยงาน เช่น อบต. หรือ เทศบาลตำบล (an organization needs a kind)")]
    MissingKind,
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for OrgError {
    fn from(e: sqlx::Error) -> Self {
        OrgError::Db(e.into())
    }
}

/// Creates an organization, its divisions and its audit chain, and audits the creation.
pub async fn create(db: &Db, new: &NewOrg<'_>, actor: &str) -> Result<Org, OrgError> {
    super::validate_slug(new.slug).map_err(OrgError::InvalidSlug)?;
    if new.name.trim().is_empty() {
        return Err(OrgError::MissingName);
    }
    if new.kind.trim().is_empty() {
        return Err(OrgError::MissingKind);
    }
    let mut tx = db.begin_write().await?;
    tx.changes_directory();
    let short = super::short_name_of(new.name);
    let inserted = sqlx::query(
        "INSERT INTO orgs (slug, name, short_name, kind, province, district, digits, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'thai', $7) RETURNING id",
    )
    .bind(new.slug)
    .bind(new.name)
    .bind(&short)
    .bind(new.kind)
    .bind(new.province)
    .bind(new.district)
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get(0)?,
        Err(e) if is_unique_violation(&e) => return Err(OrgError::SlugTaken(new.slug.to_string())),
        Err(e) => return Err(e.into()),
    };
    let org = OrgId(id);
    crate::audit::start_chain(&mut tx, org).await?;
    for (i, name) in new.divisions.iter().enumerate() {
        sqlx::query("INSERT INTO divisions (org_id, name, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(*name)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
    }
    let created = Org {
        id: org,
        slug: new.slug.to_string(),
        name: new.name.to_string(),
        short_name: short,
        kind: new.kind.to_string(),
        province: new.province.to_string(),
        district: new.district.to_string(),
        digits: Digits::Thai,
    };
    let after = serde_json::json!({ "org": &created, "divisions": new.divisions });
    crate::audit::record(&mut tx, org, actor, "create", "org", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(created)
}

fn org_from_row(row: &sqlx::any::AnyRow) -> Result<Org, sqlx::Error> {
    let digits: String = row.try_get("digits")?;
    let id: i64 = row.try_get("id")?;
    Ok(Org {
        id: OrgId(id),
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        short_name: row.try_get("short_name")?,
        kind: row.try_get("kind")?,
        province: row.try_get("province")?,
        district: row.try_get("district")?,
        digits: match digits.as_str() {
            "thai" => Digits::Thai,
            "arabic" => Digits::Arabic,
            other => return Err(crate::db::code::unknown("orgs", "digits", id, other)),
        },
    })
}

const ORG_COLUMNS: &str = "id, slug, name, short_name, kind, province, district, digits";

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Org>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM orgs WHERE slug = $1")))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(org_from_row).transpose()
}

/// Like [`find_by_slug`], for the command line: a missing org is an error that names it.
pub async fn require_by_slug(db: &Db, slug: &str) -> Result<Org, OrgError> {
    find_by_slug(db, slug).await?.ok_or_else(|| OrgError::NotFound(slug.to_string()))
}

pub async fn find_by_id(db: &Db, id: OrgId) -> Result<Option<Org>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM orgs WHERE id = $1")))
        .bind(id.0)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(org_from_row).transpose()
}

/// Every organization, in Thai dictionary order of their names (sorted here, not by the
/// database, whose collation may differ between engines).
pub async fn list(db: &Db) -> Result<Vec<Org>, sqlx::Error> {
    let rows =
        sqlx::query(AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM orgs ORDER BY id"))).fetch_all(&db.pool).await?;
    let mut orgs = rows.iter().map(org_from_row).collect::<Result<Vec<_>, _>>()?;
    crate::thai::collate::sort_by_dictionary(&mut orgs, |o| &o.name);
    Ok(orgs)
}

pub async fn divisions(db: &Db, org: OrgId) -> Result<Vec<Division>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM divisions WHERE org_id = $1 ORDER BY position, id")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok(Division { id: r.try_get(0)?, name: r.try_get(1)? })).collect()
}

/// Switches the organization's documents and pages between Thai and Arabic digits.
pub async fn set_digits(db: &Db, org: OrgId, digits: Digits, actor: &str) -> anyhow::Result<()> {
    let code = if digits == Digits::Arabic { "arabic" } else { "thai" };
    let mut tx = db.write(org).await?;
    let before: (String,) =
        sqlx::query_as("SELECT digits FROM orgs WHERE id = $1").bind(org.0).fetch_one(&mut *tx).await?;
    sqlx::query("UPDATE orgs SET digits = $1 WHERE id = $2").bind(code).bind(org.0).execute(&mut *tx).await?;
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "update",
        "org",
        &org.0.to_string(),
        Some(&serde_json::json!({ "digits": before.0 })),
        Some(&serde_json::json!({ "digits": code })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
