//! Staff acknowledge the documents meant for them ("อ่านและเข้าใจแล้ว"), dated, per person and per
//! version: the seed's measures 1 and 2 tell staff to follow the conflict-of-interest manual and
//! the SOP manuals, and a measure can cite how many have ("28 of 30 staff").

use sqlx::Row;

use crate::db::{Db, now};
use crate::orgs::OrgId;

/// Acknowledgments of a document's latest version by the organization's active staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub version: i64,
    pub acknowledged: i64,
    pub staff: i64,
}

/// Records that `user` read and understood the latest version; None when the document is not
/// the organization's or not meant for staff, Some(false) when already recorded.
pub async fn acknowledge(db: &Db, org: OrgId, document: i64, user: i64, actor: &str) -> anyhow::Result<Option<bool>> {
    let mut tx = db.write(org).await?;
    let version: Option<i64> =
        sqlx::query_scalar("SELECT latest_version FROM documents WHERE org_id = $1 AND id = $2 AND for_staff = 1")
            .bind(org.0)
            .bind(document)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(version) = version else { return Ok(None) };
    let inserted = sqlx::query(
        "INSERT INTO document_acks (org_id, document_id, version, user_id, acknowledged_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_id, user_id, document_id, version) DO NOTHING",
    )
    .bind(org.0)
    .bind(document)
    .bind(version)
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(Some(false));
    }
    let after = serde_json::json!({ "document_id": document, "version": version, "user_id": user });
    crate::audit::record(&mut tx, org, actor, "acknowledge", "document", &document.to_string(), None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok(Some(true))
}

/// How many active staff acknowledged the latest version.
pub async fn tally(db: &Db, org: OrgId, document: i64) -> Result<Option<Tally>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT d.latest_version,
                (SELECT COUNT(*) FROM document_acks a JOIN users u ON u.id = a.user_id AND u.org_id = a.org_id
                  WHERE a.org_id = d.org_id AND a.document_id = d.id AND a.version = d.latest_version AND u.active = 1) AS acknowledged,
                (SELECT COUNT(*) FROM users u WHERE u.org_id = d.org_id AND u.active = 1) AS staff
         FROM documents d WHERE d.org_id = $1 AND d.id = $2 AND d.for_staff = 1",
    )
    .bind(org.0)
    .bind(document)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok(Tally { version: r.try_get(0)?, acknowledged: r.try_get(1)?, staff: r.try_get(2)? })).transpose()
}

/// Who acknowledged the latest version, and when: (display name, epoch seconds), in order.
pub async fn who(db: &Db, org: OrgId, document: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.display_name, a.acknowledged_at FROM document_acks a
         JOIN documents d ON d.id = a.document_id AND d.org_id = a.org_id AND a.version = d.latest_version
         JOIN users u ON u.id = a.user_id AND u.org_id = a.org_id
         WHERE a.org_id = $1 AND a.document_id = $2 ORDER BY a.acknowledged_at",
    )
    .bind(org.0)
    .bind(document)
    .fetch_all(&db.pool)
    .await
}

/// Whether `user` acknowledged the latest version (when it was).
pub async fn mine(db: &Db, org: OrgId, document: i64, user: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.acknowledged_at FROM document_acks a
         JOIN documents d ON d.id = a.document_id AND d.org_id = a.org_id AND a.version = d.latest_version
         WHERE a.org_id = $1 AND a.document_id = $2 AND a.user_id = $3",
    )
    .bind(org.0)
    .bind(document)
    .bind(user)
    .fetch_optional(&db.pool)
    .await
}

/// The documents meant for staff whose latest version `user` has not acknowledged: (id, title).
/// Two reads, each entered by the organization, joined here: a planner's anti-join over a small
/// table may walk it whole.
pub async fn pending(db: &Db, org: OrgId, user: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let meant: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, title, latest_version FROM documents WHERE org_id = $1 AND for_staff = 1
         ORDER BY issued_on DESC, id DESC",
    )
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    if meant.is_empty() {
        return Ok(Vec::new());
    }
    let done: Vec<(i64, i64)> =
        sqlx::query_as("SELECT document_id, version FROM document_acks WHERE org_id = $1 AND user_id = $2")
            .bind(org.0)
            .bind(user)
            .fetch_all(&db.pool)
            .await?;
    Ok(meant.into_iter().filter(|(id, _, v)| !done.contains(&(*id, *v))).map(|(id, title, _)| (id, title)).collect())
}

/// The line the figure `documents.acknowledged` prints: each document meant for staff with its
/// tally ("คู่มือ… ฉบับที่ ๑: ๒๘ จาก ๓๐ คน").
pub async fn summary_line(db: &Db, org: &crate::orgs::Org) -> anyhow::Result<String> {
    let ids: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, title FROM documents WHERE org_id = $1 AND for_staff = 1 ORDER BY issued_on, id")
            .bind(org.id.0)
            .fetch_all(&db.pool)
            .await?;
    let n = |v: i64| crate::thai::format_int(v, org.digits);
    let mut parts = Vec::new();
    for (id, title) in ids {
        if let Some(t) = tally(db, org.id, id).await? {
            parts.push(format!("{title} ฉบับที่ {}: {} จาก {} คน", n(t.version), n(t.acknowledged), n(t.staff)));
        }
    }
    Ok(if parts.is_empty() {
        format!("{SUMMARY_PREFIX}ยังไม่มีเอกสารที่กำหนดให้เจ้าหน้าที่รับทราบ")
    } else {
        format!("{SUMMARY_PREFIX}{}", parts.join("; "))
    })
}

/// The start of [`summary_line`], so a re-import knows the line for what it is.
pub const SUMMARY_PREFIX: &str = "เจ้าหน้าที่รับทราบคู่มือแล้ว (อ่านและเข้าใจ): ";
