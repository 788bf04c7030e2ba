//! Uploaded report files waiting between their preview and the confirmation (migration 0012).
//! A staged file is not a record of the register: it is kept for an hour, for its uploader in
//! their organization only, and is not audited; applying it is. Its writes still wait their turn
//! in the write queue ([`Db::begin_write`]), like every write of the product.

use sqlx::Row;

use crate::db::{Db, now};
use crate::orgs::OrgId;

/// How long a preview can be confirmed.
pub const LIFETIME_SECS: i64 = 3600;

/// A staged upload.
pub struct Staged {
    pub id: i64,
    pub fiscal_year: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    pub register_sha256: String,
}

/// Keeps an uploaded file for its confirmation; drops the organization's expired ones.
pub async fn stage(
    db: &Db,
    org: OrgId,
    user: i64,
    year: i64,
    file_name: &str,
    content: &[u8],
    register_sha256: &str,
) -> Result<i64, sqlx::Error> {
    let at = now();
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM measure_import_previews WHERE org_id = $1 AND created_at < $2")
        .bind(org.0)
        .bind(at - LIFETIME_SECS)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "INSERT INTO measure_import_previews (org_id, user_id, fiscal_year, file_name, sha256, content, register_sha256, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(user)
    .bind(year)
    .bind(file_name)
    .bind(crate::measures::evidence::sha256_hex(content))
    .bind(content)
    .bind(register_sha256)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    row.try_get(0)
}

/// The staged file, if it is this user's in this organization and has not expired (and its
/// bytes still hash to what was stored).
pub async fn find(db: &Db, org: OrgId, user: i64, id: i64) -> Result<Option<Staged>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, fiscal_year, file_name, sha256, content, register_sha256 FROM measure_import_previews
         WHERE id = $1 AND org_id = $2 AND user_id = $3 AND created_at >= $4",
    )
    .bind(id)
    .bind(org.0)
    .bind(user)
    .bind(now() - LIFETIME_SECS)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let content: Vec<u8> = row.try_get("content")?;
    if crate::measures::evidence::sha256_hex(&content) != row.try_get::<String, _>("sha256")? {
        return Ok(None);
    }
    Ok(Some(Staged {
        id: row.try_get("id")?,
        fiscal_year: row.try_get("fiscal_year")?,
        file_name: row.try_get("file_name")?,
        content,
        register_sha256: row.try_get("register_sha256")?,
    }))
}

/// Records the register a staged file was previewed against again (the preview shown anew).
pub async fn refresh(db: &Db, org: OrgId, id: i64, register_sha256: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE measure_import_previews SET register_sha256 = $1, created_at = $2 WHERE id = $3 AND org_id = $4",
    )
    .bind(register_sha256)
    .bind(now())
    .bind(id)
    .bind(org.0)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Forgets a staged file once applied.
pub async fn remove(db: &Db, org: OrgId, id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM measure_import_previews WHERE id = $1 AND org_id = $2")
        .bind(id)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}
