//! Council meetings in SQL. Every change is audited in the same transaction.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

/// What the staff write about a meeting.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MeetingDetails {
    pub title: String,
    /// Epoch seconds.
    pub starts_at: i64,
    pub place: String,
    pub agenda: String,
    /// Seats for the public; 0: no registration.
    pub seats: i64,
    pub cancelled: bool,
    /// The minutes, a document of the library.
    pub minutes_document_id: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Meeting {
    pub id: i64,
    pub details: MeetingDetails,
    pub updated_at: i64,
}

/// Registrations of a meeting by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub confirmed: i64,
    pub waitlisted: i64,
    pub checked_in: i64,
}

const COLUMNS: &str = "id, title, starts_at, place, agenda, seats, cancelled, minutes_document_id, updated_at";

fn meeting(r: &AnyRow) -> Result<Meeting, sqlx::Error> {
    Ok(Meeting {
        id: r.try_get("id")?,
        details: MeetingDetails {
            title: r.try_get("title")?,
            starts_at: r.try_get("starts_at")?,
            place: r.try_get("place")?,
            agenda: r.try_get("agenda")?,
            seats: r.try_get("seats")?,
            cancelled: r.try_get::<i64, _>("cancelled")? != 0,
            minutes_document_id: r.try_get("minutes_document_id")?,
        },
        updated_at: r.try_get("updated_at")?,
    })
}

/// Whether `document` is one of the organization's (a meeting's minutes must be).
async fn own_document(tx: &mut Tx, org: OrgId, document: Option<i64>) -> Result<bool, sqlx::Error> {
    let Some(id) = document else { return Ok(true) };
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// Adds a meeting; None when its minutes are not a document of `org`.
pub async fn create(tx: &mut Tx, org: OrgId, d: &MeetingDetails, actor: &str) -> anyhow::Result<Option<i64>> {
    if !own_document(tx, org, d.minutes_document_id).await? {
        return Ok(None);
    }
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO council_meetings (org_id, title, starts_at, place, agenda, seats, cancelled, minutes_document_id,
             created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(&d.title)
    .bind(d.starts_at)
    .bind(&d.place)
    .bind(&d.agenda)
    .bind(d.seats)
    .bind(i64::from(d.cancelled))
    .bind(d.minutes_document_id)
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "create",
        "council_meeting",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(d)?),
    )
    .await?;
    // A meeting is public from its creation: its notice goes out with it.
    let when = crate::thai::format_instant_th(d.starts_at, crate::thai::Digits::Thai);
    let publication = crate::publishing::Publication {
        source: format!("council_meeting:{id}"),
        revision: 0,
        title: format!("ประกาศการประชุมสภา: {}", d.title),
        message: format!("ประกาศการประชุมสภา: {}\nวันเวลา {when}\nสถานที่ {}", d.title, d.place),
        page: format!("council/{id}"),
    };
    crate::publishing::enqueue_publication(tx, org, &publication, actor).await?;
    Ok(Some(id))
}

/// Saves a meeting; false when `id` is no meeting of `org` or its minutes no document of `org`.
/// Seats added give waiting citizens a seat at once (registrations::fill_seats).
pub async fn update(tx: &mut Tx, org: OrgId, id: i64, d: &MeetingDetails, actor: &str) -> anyhow::Result<bool> {
    let Some(before) = find_in(tx, org, id).await? else { return Ok(false) };
    if !own_document(tx, org, d.minutes_document_id).await? {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE council_meetings SET title = $1, starts_at = $2, place = $3, agenda = $4, seats = $5, cancelled = $6,
             minutes_document_id = $7, updated_by = $8, updated_at = $9
         WHERE org_id = $10 AND id = $11",
    )
    .bind(&d.title)
    .bind(d.starts_at)
    .bind(&d.place)
    .bind(&d.agenda)
    .bind(d.seats)
    .bind(i64::from(d.cancelled))
    .bind(d.minutes_document_id)
    .bind(actor)
    .bind(now())
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "update",
        "council_meeting",
        &id.to_string(),
        Some(&serde_json::to_value(&before.details)?),
        Some(&serde_json::to_value(d)?),
    )
    .await?;
    super::registrations::fill_seats(tx, org, id, d.seats, actor).await?;
    Ok(true)
}

/// One meeting of the organization, on `conn` (a pool's connection or a write transaction's).
async fn find_on(conn: &mut sqlx::AnyConnection, org: OrgId, id: i64) -> Result<Option<Meeting>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM council_meetings WHERE org_id = $1 AND id = $2")))
        .bind(org.0)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(meeting)
        .transpose()
}

pub async fn find_in(tx: &mut Tx, org: OrgId, id: i64) -> Result<Option<Meeting>, sqlx::Error> {
    find_on(tx, org, id).await
}

pub async fn find(db: &Db, org: OrgId, id: i64) -> Result<Option<Meeting>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    find_on(&mut conn, org, id).await
}

/// Meetings from `from` on (soonest first) or before it (latest first), at most `limit`.
pub async fn list(db: &Db, org: OrgId, from: i64, upcoming: bool, limit: i64) -> Result<Vec<Meeting>, sqlx::Error> {
    let sql = if upcoming {
        format!(
            "SELECT {COLUMNS} FROM council_meetings WHERE org_id = $1 AND starts_at >= $2 ORDER BY starts_at, id LIMIT $3"
        )
    } else {
        format!(
            "SELECT {COLUMNS} FROM council_meetings WHERE org_id = $1 AND starts_at < $2 ORDER BY starts_at DESC, id DESC LIMIT $3"
        )
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(from).bind(limit).fetch_all(&db.pool).await?;
    rows.iter().map(meeting).collect()
}

/// The registrations of a meeting by state.
pub async fn counts(db: &Db, org: OrgId, meeting: i64) -> Result<Counts, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n, COUNT(checked_in_at) AS arrived FROM council_registrations
         WHERE org_id = $1 AND meeting_id = $2 GROUP BY status",
    )
    .bind(org.0)
    .bind(meeting)
    .fetch_all(&db.pool)
    .await?;
    let mut counts = Counts::default();
    for r in rows {
        let n: i64 = r.try_get("n")?;
        match r.try_get::<String, _>("status")?.as_str() {
            "confirmed" => {
                counts.confirmed = n;
                counts.checked_in = r.try_get("arrived")?;
            }
            "waitlisted" => counts.waitlisted = n,
            _ => {}
        }
    }
    Ok(counts)
}

/// Citizens who attended the meetings held in [from, to): (meetings held, people checked in).
pub async fn attendance(db: &Db, org: OrgId, from: i64, to: i64) -> Result<(i64, i64), sqlx::Error> {
    let meetings: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM council_meetings WHERE org_id = $1 AND starts_at >= $2 AND starts_at < $3 AND cancelled = 0",
    )
    .bind(org.0)
    .bind(from)
    .bind(to)
    .fetch_one(&db.pool)
    .await?;
    let people: i64 = sqlx::query_scalar(
        "SELECT COUNT(r.checked_in_at) FROM council_registrations r
         JOIN council_meetings m ON m.id = r.meeting_id AND m.org_id = r.org_id
         WHERE m.org_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3 AND m.cancelled = 0",
    )
    .bind(org.0)
    .bind(from)
    .bind(to)
    .fetch_one(&db.pool)
    .await?;
    Ok((meetings, people))
}
