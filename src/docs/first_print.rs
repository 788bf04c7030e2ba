//! Documents recorded without their file (a demo seeded without a renderer) are printed on their
//! first request and kept. Two first requests may both print; only the first stored copy is ever
//! served, so a published document never changes once a citizen has seen it.

use sqlx::AssertSqlSafe;

use crate::db::Db;
use crate::orgs::OrgId;

/// Where a document's file lives: its table, its row, and the columns of the bytes and their
/// SHA-256; `entity` names it in the audit log.
pub struct FileSlot {
    pub table: &'static str,
    pub id: i64,
    pub bytes_column: &'static str,
    pub sha_column: &'static str,
    pub entity: &'static str,
}

/// Stores `printed` in the slot if it is still empty (audited as the system's update), and returns
/// the copy that is kept, with its SHA-256: `printed`, or the one another request stored first.
pub async fn keep_first(db: &Db, org: OrgId, slot: &FileSlot, printed: Vec<u8>) -> anyhow::Result<(Vec<u8>, String)> {
    let FileSlot { table, id, bytes_column: bytes, sha_column: sha, entity } = slot;
    let digest = crate::measures::evidence::sha256_hex(&printed);
    let mut tx = db.write(org).await?;
    let stored = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {table} SET {bytes} = $1, {sha} = $2 WHERE id = $3 AND org_id = $4 AND {bytes} IS NULL"
    )))
    .bind(&printed)
    .bind(&digest)
    .bind(id)
    .bind(org.0)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !stored {
        tx.rollback().await?;
        let kept: (Vec<u8>, String) =
            sqlx::query_as(AssertSqlSafe(format!("SELECT {bytes}, {sha} FROM {table} WHERE id = $1 AND org_id = $2")))
                .bind(id)
                .bind(org.0)
                .fetch_one(&db.pool)
                .await?;
        return Ok(kept);
    }
    crate::audit::record(
        &mut tx,
        org,
        "system",
        "update",
        entity,
        &id.to_string(),
        None,
        Some(&serde_json::json!({ *sha: digest })),
    )
    .await?;
    tx.commit().await?;
    Ok((printed, digest))
}
