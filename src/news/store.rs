//! News posts in SQL. Every change is audited in the same transaction.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Kind;
use crate::db::{Db, Tx, now};
use crate::http::paging::PageRequest;
use crate::orgs::OrgId;

#[derive(Clone, Debug)]
pub struct Post {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    /// When it became public (epoch seconds); None: a draft.
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

/// What a staff member writes.
pub struct Draft<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub body: &'a str,
}

const COLUMNS: &str = "id, kind, title, body, published_at, updated_at";

fn post(r: &AnyRow) -> Result<Post, sqlx::Error> {
    Ok(Post {
        id: r.try_get("id")?,
        kind: Kind::from_code(&r.try_get::<String, _>("kind")?),
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        published_at: r.try_get("published_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn audit_value(d: &Draft<'_>) -> serde_json::Value {
    serde_json::json!({ "kind": d.kind.code(), "title": d.title, "body": d.body })
}

/// Adds a post (a draft, or public at once when `publish`).
pub async fn create(tx: &mut Tx, org: OrgId, draft: &Draft<'_>, publish: bool, actor: &str) -> anyhow::Result<i64> {
    let at = now();
    let words = crate::portal::search::index_words(&[draft.title, draft.body]);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO news_posts (org_id, kind, title, body, search_words, published_at, created_by, created_at,
             updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(draft.kind.code())
    .bind(draft.title)
    .bind(draft.body)
    .bind(&words)
    .bind(publish.then_some(at))
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    let mut after = audit_value(draft);
    after["published"] = publish.into();
    crate::audit::record(tx, org, actor, "create", "news_post", &id.to_string(), None, Some(&after)).await?;
    if publish {
        announce(tx, org, id, draft, at, actor).await?;
    }
    Ok(id)
}

/// Saves a post's text; false when `id` is no post of `org`.
pub async fn update(tx: &mut Tx, org: OrgId, id: i64, draft: &Draft<'_>, actor: &str) -> anyhow::Result<bool> {
    let Some(before) = find_in(tx, org, id).await? else { return Ok(false) };
    let words = crate::portal::search::index_words(&[draft.title, draft.body]);
    sqlx::query(
        "UPDATE news_posts SET kind = $1, title = $2, body = $3, search_words = $4, updated_by = $5, updated_at = $6
         WHERE org_id = $7 AND id = $8",
    )
    .bind(draft.kind.code())
    .bind(draft.title)
    .bind(draft.body)
    .bind(&words)
    .bind(actor)
    .bind(now())
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let before = audit_value(&Draft { kind: before.kind, title: &before.title, body: &before.body });
    crate::audit::record(
        tx,
        org,
        actor,
        "update",
        "news_post",
        &id.to_string(),
        Some(&before),
        Some(&audit_value(draft)),
    )
    .await?;
    Ok(true)
}

/// Makes a post public now, or takes it back to a draft; false when `id` is no post of `org`.
/// Publishing a public post again keeps its first date.
pub async fn set_published(tx: &mut Tx, org: OrgId, id: i64, publish: bool, actor: &str) -> anyhow::Result<bool> {
    let Some(before) = find_in(tx, org, id).await? else { return Ok(false) };
    if before.published_at.is_some() == publish {
        return Ok(true);
    }
    let at = now();
    sqlx::query(
        "UPDATE news_posts SET published_at = $1, updated_by = $2, updated_at = $3 WHERE org_id = $4 AND id = $5",
    )
    .bind(publish.then_some(at))
    .bind(actor)
    .bind(at)
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let action = if publish { "publish" } else { "unpublish" };
    crate::audit::record(
        tx,
        org,
        actor,
        action,
        "news_post",
        &id.to_string(),
        None,
        Some(&serde_json::json!({ "title": before.title })),
    )
    .await?;
    if publish {
        let draft = Draft { kind: before.kind, title: &before.title, body: &before.body };
        announce(tx, org, id, &draft, at, actor).await?;
    } else {
        // Withdrawn before LINE or Facebook got it: it is not sent.
        crate::publishing::cancel_waiting(tx, org, &source(id), actor).await?;
    }
    Ok(true)
}

/// The outbox's name for a post.
fn source(id: i64) -> String {
    format!("news_post:{id}")
}

/// Puts a post just published in the outbox (the site shows it already; LINE and Facebook get
/// it when set up). Its publication time tells this publication from a later re-publication.
async fn announce(
    tx: &mut Tx,
    org: OrgId,
    id: i64,
    post: &Draft<'_>,
    published_at: i64,
    actor: &str,
) -> anyhow::Result<()> {
    let excerpt: String = post.body.chars().take(500).collect();
    let more = if post.body.chars().count() > 500 { "…" } else { "" };
    let publication = crate::publishing::Publication {
        source: source(id),
        revision: published_at,
        title: format!("{}: {}", post.kind.label_th(), post.title),
        message: format!("{}: {}\n\n{excerpt}{more}", post.kind.label_th(), post.title),
        page: format!("news/{id}"),
    };
    crate::publishing::enqueue_publication(tx, org, &publication, actor).await
}

/// One post of the organization, on `conn` (a pool's connection or a write transaction's).
async fn find_on(conn: &mut sqlx::AnyConnection, org: OrgId, id: i64) -> Result<Option<Post>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM news_posts WHERE org_id = $1 AND id = $2")))
        .bind(org.0)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(post)
        .transpose()
}

async fn find_in(tx: &mut Tx, org: OrgId, id: i64) -> Result<Option<Post>, sqlx::Error> {
    find_on(tx, org, id).await
}

pub async fn find(db: &Db, org: OrgId, id: i64) -> Result<Option<Post>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    find_on(&mut conn, org, id).await
}

/// A public post (a draft is not found).
pub async fn find_public(db: &Db, org: OrgId, id: i64) -> Result<Option<Post>, sqlx::Error> {
    Ok(find(db, org, id).await?.filter(|p| p.published_at.is_some()))
}

/// One page of posts, newest first (drafts first for the staff, then by date); and how many.
pub async fn page(
    db: &Db,
    org: OrgId,
    request: &PageRequest,
    public_only: bool,
) -> Result<(Vec<Post>, i64), sqlx::Error> {
    let filter = if public_only { " AND published_at IS NOT NULL" } else { "" };
    let search = if request.search.is_empty() { "" } else { " AND title LIKE $2 ESCAPE '\\'" };
    let pattern = request.like_pattern();
    let total: i64 = {
        let sql = format!("SELECT COUNT(*) FROM news_posts WHERE org_id = $1{filter}{search}");
        let q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org.0);
        let q = if search.is_empty() { q } else { q.bind(&pattern) };
        q.fetch_one(&db.pool).await?
    };
    // Drafts (NULL) first for the staff: they are what is being worked on.
    let sql = format!(
        "SELECT {COLUMNS} FROM news_posts WHERE org_id = $1{filter}{search}
         ORDER BY CASE WHEN published_at IS NULL THEN 0 ELSE 1 END, published_at DESC, id DESC
         LIMIT {} OFFSET {}",
        request.limit(),
        request.offset()
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0);
    let q = if search.is_empty() { q } else { q.bind(&pattern) };
    let rows = q.fetch_all(&db.pool).await?;
    Ok((rows.iter().map(post).collect::<Result<_, _>>()?, total))
}

/// The newest public posts (the home page and the feed).
pub async fn latest_public(db: &Db, org: OrgId, limit: i64) -> Result<Vec<Post>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM news_posts WHERE org_id = $1 AND published_at IS NOT NULL
         ORDER BY published_at DESC, id DESC LIMIT $2"
    )))
    .bind(org.0)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(post).collect()
}
