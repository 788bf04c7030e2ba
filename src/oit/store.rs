//! The links that answer OIT items, in SQL. Adding and removing are audited.

use sqlx::Row;

use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

/// What a link points to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Document(i64),
    /// A path of this site ("/o/SLUG/…") or an https address.
    Url(String),
}

#[derive(Clone, Debug)]
pub struct Link {
    pub id: i64,
    pub item_code: String,
    pub target: Target,
    pub label: String,
    /// When the linked document's latest file was added; None for a page.
    pub changed_at: Option<i64>,
}

/// Every link of a year, by item (in the order they were added).
pub async fn links(db: &Db, org: OrgId, year: i64) -> Result<Vec<Link>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.id, l.item_code, l.document_id, l.url, l.label, v.created_at AS changed_at
         FROM oit_links l
         LEFT JOIN documents d ON d.id = l.document_id AND d.org_id = l.org_id
         LEFT JOIN document_versions v ON v.document_id = d.id AND v.version = d.latest_version
         WHERE l.org_id = $1 AND l.fiscal_year = $2
         ORDER BY l.item_code, l.id",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let document: Option<i64> = r.try_get("document_id")?;
            let url: Option<String> = r.try_get("url")?;
            Ok(Link {
                id: r.try_get("id")?,
                item_code: r.try_get("item_code")?,
                target: match document {
                    Some(id) => Target::Document(id),
                    None => Target::Url(url.unwrap_or_default()),
                },
                label: r.try_get("label")?,
                changed_at: r.try_get("changed_at")?,
            })
        })
        .collect()
}

/// Links `target` to an item; None when a linked document is not the organization's.
pub async fn add(
    tx: &mut Tx,
    org: OrgId,
    year: i64,
    item_code: &str,
    target: &Target,
    actor: &str,
) -> anyhow::Result<Option<i64>> {
    let (document, url, label) = match target {
        Target::Document(id) => {
            let title: Option<String> = sqlx::query_scalar("SELECT title FROM documents WHERE org_id = $1 AND id = $2")
                .bind(org.0)
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
            let Some(title) = title else { return Ok(None) };
            (Some(*id), None, title)
        }
        Target::Url(url) => (None, Some(url.clone()), url.clone()),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO oit_links (org_id, fiscal_year, item_code, document_id, url, label, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(year)
    .bind(item_code)
    .bind(document)
    .bind(url.as_deref())
    .bind(&label)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let after = serde_json::json!({ "fiscal_year": year, "item": item_code, "document_id": document, "url": url });
    crate::audit::record(tx, org, actor, "create", "oit_link", &id.to_string(), None, Some(&after)).await?;
    Ok(Some(id))
}

/// The fiscal year and item a link answers; None when it is not the organization's.
pub async fn item_of(db: &Db, org: OrgId, id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT fiscal_year, item_code FROM oit_links WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Removes a link; false when it is not the organization's.
pub async fn remove(tx: &mut Tx, org: OrgId, id: i64, actor: &str) -> anyhow::Result<bool> {
    let row =
        sqlx::query("DELETE FROM oit_links WHERE org_id = $1 AND id = $2 RETURNING fiscal_year, item_code, label")
            .bind(org.0)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(r) = row else { return Ok(false) };
    let before = serde_json::json!({
        "fiscal_year": r.try_get::<i64, _>("fiscal_year")?, "item": r.try_get::<String, _>("item_code")?,
        "label": r.try_get::<String, _>("label")?,
    });
    crate::audit::record(tx, org, actor, "delete", "oit_link", &id.to_string(), Some(&before), None).await?;
    Ok(true)
}
