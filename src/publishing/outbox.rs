//! The outbox in SQL: rows written in the publication's own transaction (one per channel, unique
//! per organization, channel, source and revision, so a double click or a second publish of the
//! same thing writes nothing more), the staff's list, retry and cancel. The worker's side (leases
//! and outcomes) is in lease.rs.

use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Channel, Status, channels, new_uuid};
use crate::db::{Db, Tx, now};
use crate::http::paging::PageRequest;
use crate::orgs::OrgId;

/// Who the audit log names for the worker's marks.
pub const WORKER_ACTOR: &str = "ระบบเผยแพร่ (publishing worker)";

#[derive(Clone, Debug)]
pub struct Row {
    pub id: i64,
    pub channel: Channel,
    pub source: String,
    pub title: String,
    pub message: String,
    /// The public page's path under the site (may be empty).
    pub link: String,
    pub recipient: String,
    pub retry_key: String,
    pub status: Status,
    pub attempts: i64,
    pub due_at: Option<i64>,
    pub uncertain: bool,
    pub last_error: String,
    pub remote_id: String,
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

pub(super) const COLUMNS: &str =
    "id, channel, source, title, message, link, recipient, retry_key, status, attempts, due_at,
    uncertain, last_error, remote_id, sent_at, created_at";

pub(super) fn row(r: &AnyRow) -> Result<Row, sqlx::Error> {
    let channel: String = r.try_get("channel")?;
    Ok(Row {
        id: r.try_get("id")?,
        channel: Channel::from_code(&channel).unwrap_or(Channel::Web),
        source: r.try_get("source")?,
        title: r.try_get("title")?,
        message: r.try_get("message")?,
        link: r.try_get("link")?,
        recipient: r.try_get("recipient")?,
        retry_key: r.try_get("retry_key")?,
        status: Status::from_code(&r.try_get::<String, _>("status")?),
        attempts: r.try_get("attempts")?,
        due_at: r.try_get("due_at")?,
        uncertain: r.try_get::<i64, _>("uncertain")? != 0,
        last_error: r.try_get("last_error")?,
        remote_id: r.try_get("remote_id")?,
        sent_at: r.try_get("sent_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Something published, as the outbox sends it.
pub struct Publication {
    /// What it is and which one, e.g. `news_post:12`.
    pub source: String,
    /// Which publication of it: a re-publish after a withdrawal is a new one.
    pub revision: i64,
    /// What, in Thai, for the staff's list (e.g. "ข่าว: …").
    pub title: String,
    /// The text LINE and Facebook get (the page's address is added when sent).
    pub message: String,
    /// The public page within the organization's site, e.g. `news/12` (for /o/SLUG/news/12).
    pub page: String,
}

struct NewRow<'a> {
    channel: Channel,
    source: &'a str,
    revision: i64,
    title: &'a str,
    message: &'a str,
    link: &'a str,
    recipient: &'a str,
    status: Status,
}

/// Inserts a row unless its (organization, channel, source, revision) is there; true when new.
async fn insert(tx: &mut Tx, org: OrgId, new: &NewRow<'_>, actor: &str) -> Result<bool, sqlx::Error> {
    let at = now();
    let sent = new.status == Status::Sent;
    let inserted = sqlx::query(
        "INSERT INTO publishing_outbox (org_id, channel, source, revision, title, message, link, recipient, retry_key,
             status, due_at, sent_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
         ON CONFLICT (org_id, channel, source, revision) DO NOTHING",
    )
    .bind(org.0)
    .bind(new.channel.code())
    .bind(new.source)
    .bind(new.revision)
    .bind(new.title)
    .bind(new.message)
    .bind(new.link)
    .bind(new.recipient)
    .bind(new_uuid())
    .bind(new.status.code())
    .bind((!sent).then_some(at))
    .bind(sent.then_some(at))
    .bind(actor)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Enqueues a publication in the caller's transaction (the one that publishes it): the web
/// channel's row, already sent, and a waiting row for each channel the organization has on.
/// The worker of this process is woken once the transaction commits.
pub async fn enqueue_publication(tx: &mut Tx, org: OrgId, p: &Publication, actor: &str) -> anyhow::Result<()> {
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM orgs WHERE id = $1").bind(org.0).fetch_one(&mut **tx).await?;
    let link = format!("/o/{slug}/{}", p.page);
    let mut channels = vec![Channel::Web];
    channels.extend(channels::active_in(tx, org).await?);
    let mut waiting = false;
    for channel in channels {
        let status = if channel == Channel::Web { Status::Sent } else { Status::Waiting };
        let new = NewRow {
            channel,
            source: &p.source,
            revision: p.revision,
            title: &p.title,
            message: &p.message,
            link: &link,
            recipient: "",
            status,
        };
        waiting |= insert(tx, org, &new, actor).await? && status == Status::Waiting;
    }
    if waiting {
        tx.after_commit(super::wake);
    }
    Ok(())
}

/// A message to one LINE user (e.g. a complainant told of a status change).
pub struct LinePush<'a> {
    pub to_user_id: &'a str,
    /// What, in Thai, for the staff's list: nothing every editor may not see (no tracking code).
    pub title: &'a str,
    pub text: &'a str,
    /// The site's path the message links to, e.g. `/o/SLUG/complaints/CODE` (the worker adds the
    /// public address when it sends); may be empty.
    pub link: &'a str,
    /// Names the message: one message per source.
    pub source: &'a str,
}

/// Enqueues a LINE message to one user in the caller's transaction. False when the organization
/// has no LINE channel on, or the source was sent already.
pub async fn enqueue_line_push(tx: &mut Tx, org: OrgId, push: &LinePush<'_>) -> anyhow::Result<bool> {
    if !channels::active_in(tx, org).await?.contains(&Channel::Line) {
        return Ok(false);
    }
    let title = format!("ข้อความถึงผู้ใช้ LINE: {}", push.title);
    let new = NewRow {
        channel: Channel::LinePush,
        source: push.source,
        revision: 0,
        title: &title,
        message: push.text,
        link: push.link,
        recipient: push.to_user_id,
        status: Status::Waiting,
    };
    let inserted = insert(tx, org, &new, WORKER_ACTOR).await?;
    if inserted {
        tx.after_commit(super::wake);
    }
    Ok(inserted)
}

/// Cancels the rows of `source` that have not been sent (a news post withdrawn before its turn);
/// how many. A row being sent at this moment is left to finish.
pub async fn cancel_waiting(tx: &mut Tx, org: OrgId, source: &str, actor: &str) -> anyhow::Result<u64> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE publishing_outbox SET status = 'cancelled', due_at = NULL, updated_at = $1
         WHERE org_id = $2 AND source = $3 AND status = 'waiting' RETURNING id",
    )
    .bind(now())
    .bind(org.0)
    .bind(source)
    .fetch_all(&mut **tx)
    .await?;
    for id in &ids {
        crate::audit::record(tx, org, actor, "cancel", "publishing_outbox", &id.to_string(), None, None).await?;
    }
    Ok(ids.len() as u64)
}

/// One page of the organization's rows, newest first; and how many there are.
pub async fn page(db: &Db, org: OrgId, request: &PageRequest) -> Result<(Vec<Row>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM publishing_outbox WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(&db.pool)
        .await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM publishing_outbox WHERE org_id = $1 ORDER BY id DESC LIMIT {} OFFSET {}",
        request.limit(),
        request.offset()
    )))
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows.iter().map(row).collect::<Result<_, _>>()?, total))
}

/// Every row of the organization, oldest first (the command line's list).
pub async fn all(db: &Db, org: OrgId) -> Result<Vec<Row>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM publishing_outbox WHERE org_id = $1 ORDER BY id"
    )))
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(row).collect()
}

/// The staff's "send again now": a waiting or cancelled row becomes due now. False when `id` is
/// no row of `org`, or one that is sent or being sent.
pub async fn retry_now(tx: &mut Tx, org: OrgId, id: i64, actor: &str) -> anyhow::Result<bool> {
    let at = now();
    let done = sqlx::query(
        "UPDATE publishing_outbox SET status = 'waiting', due_at = $1, updated_at = $1
         WHERE org_id = $2 AND id = $3 AND status IN ('waiting', 'cancelled')",
    )
    .bind(at)
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    crate::audit::record(tx, org, actor, "retry", "publishing_outbox", &id.to_string(), None, None).await?;
    tx.after_commit(super::wake);
    Ok(true)
}

/// The staff's "cancel": a waiting row is not sent. False when `id` is no waiting row of `org`.
pub async fn cancel(tx: &mut Tx, org: OrgId, id: i64, actor: &str) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE publishing_outbox SET status = 'cancelled', due_at = NULL, updated_at = $1
         WHERE org_id = $2 AND id = $3 AND status = 'waiting'",
    )
    .bind(now())
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    crate::audit::record(tx, org, actor, "cancel", "publishing_outbox", &id.to_string(), None, None).await?;
    Ok(true)
}

/// Whether `id` is a row of `org` (the pages' 404).
pub async fn exists(db: &Db, org: OrgId, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM publishing_outbox WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}
