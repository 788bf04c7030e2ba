//! Reading complaints, their steps and photos. Staff reads take the [`Viewer`] and apply the
//! visibility rule of `access.rs` in SQL; the public reads go by tracking code.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::access::{self, Viewer};
use super::{Category, Status};
use crate::db::Db;
use crate::http::paging::PageRequest;
use crate::orgs::OrgId;

#[derive(Clone, Debug)]
pub struct Complaint {
    pub id: i64,
    pub code: String,
    pub category: Category,
    pub subject: String,
    pub body: String,
    pub accused_division_id: Option<i64>,
    pub anonymous: bool,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub line_id: String,
    pub line_consent: bool,
    pub status: Status,
    pub division_id: Option<i64>,
    pub officer_id: Option<i64>,
    pub reply_days: i64,
    pub clock_from: i64,
    pub due_on: i64,
    pub due_note: String,
    pub filed_at: i64,
    pub closed_at: Option<i64>,
    pub resolved: Option<bool>,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "c.id, c.code, c.category, c.subject, c.body, c.accused_division_id, c.anonymous, c.name, c.phone,
    c.email, c.line_id, c.line_consent, c.status, c.division_id, c.officer_id, c.reply_days, c.clock_from, c.due_on,
    c.due_note, c.filed_at, c.closed_at, c.resolved, c.updated_at";

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("complaints.{what}: unknown value {value:?}").into())
}

fn complaint(r: &AnyRow) -> Result<Complaint, sqlx::Error> {
    let category: String = r.try_get("category")?;
    let status: String = r.try_get("status")?;
    Ok(Complaint {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        category: Category::parse(&category).ok_or_else(|| decode_err("category", &category))?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        accused_division_id: r.try_get("accused_division_id")?,
        anonymous: r.try_get::<i64, _>("anonymous")? != 0,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        line_id: r.try_get("line_id")?,
        line_consent: r.try_get::<i64, _>("line_consent")? != 0,
        status: Status::parse(&status).ok_or_else(|| decode_err("status", &status))?,
        division_id: r.try_get("division_id")?,
        officer_id: r.try_get("officer_id")?,
        reply_days: r.try_get("reply_days")?,
        clock_from: r.try_get("clock_from")?,
        due_on: r.try_get("due_on")?,
        due_note: r.try_get("due_note")?,
        filed_at: r.try_get("filed_at")?,
        closed_at: r.try_get("closed_at")?,
        resolved: r.try_get::<Option<i64>, _>("resolved")?.map(|v| v != 0),
        updated_at: r.try_get("updated_at")?,
    })
}

/// The complaint with this tracking code (already normalized), for its citizen.
pub async fn find_by_code(db: &Db, org: OrgId, code: &str) -> Result<Option<Complaint>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM complaints c WHERE c.org_id = $1 AND c.code = $2")))
        .bind(org.0)
        .bind(code)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(complaint)
        .transpose()
}

/// The complaint when it is the organization's and the viewer may see it (else None: a 404).
pub async fn find_for(db: &Db, org: OrgId, viewer: &Viewer, id: i64) -> Result<Option<Complaint>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM complaints c WHERE c.org_id = $1 AND c.id = $4 AND {}",
        access::SQL
    )))
    .bind(org.0)
    .bind(viewer.user_id)
    .bind(access::division_param(viewer))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(complaint)
    .transpose()
}

/// Which complaints the staff list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    Open,
    Overdue,
    Status(Status),
}

impl Filter {
    pub fn parse(code: &str) -> Filter {
        match code {
            "open" => Filter::Open,
            "overdue" => Filter::Overdue,
            other => Status::parse(other).map_or(Filter::All, Filter::Status),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Filter::All => "",
            Filter::Open => "open",
            Filter::Overdue => "overdue",
            Filter::Status(s) => s.code(),
        }
    }
}

/// One page of the complaints the viewer may see, overdue ones first, then the newest; with the
/// total. `today`: yyyymmdd.
pub async fn page(
    db: &Db,
    org: OrgId,
    viewer: &Viewer,
    filter: Filter,
    request: &PageRequest,
    today: i64,
) -> Result<(Vec<Complaint>, i64), sqlx::Error> {
    let condition = match filter {
        Filter::All => "1 = 1",
        Filter::Open => "c.status <> 'closed'",
        Filter::Overdue => "c.status <> 'closed' AND c.due_on < $4",
        Filter::Status(_) => "c.status = $5",
    };
    let search = if request.search.is_empty() {
        "1 = 1"
    } else {
        "(c.code LIKE $6 ESCAPE '\\' OR c.subject LIKE $7 ESCAPE '\\')"
    };
    // Codes are stored in capitals without dashes; a clerk may type part of one in any case.
    let typed_code = request.search.to_ascii_uppercase().replace(['-', ' '], "");
    let code_search = match super::code::normalize(&request.search) {
        Some(code) => format!("%{code}%"),
        None => format!("%{}%", typed_code.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")),
    };
    let status = match filter {
        Filter::Status(s) => s.code(),
        _ => "",
    };
    let from = format!("FROM complaints c WHERE c.org_id = $1 AND {} AND {condition} AND {search}", access::SQL);
    // Every statement binds all seven, so the numbering stays the same whichever are used.
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) {from} AND $4 = $4 AND $5 = $5 AND $6 = $6 AND $7 = $7"
    )))
    .bind(org.0)
    .bind(viewer.user_id)
    .bind(access::division_param(viewer))
    .bind(today)
    .bind(status)
    .bind(&code_search)
    .bind(request.like_pattern())
    .fetch_one(&db.pool)
    .await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} {from} AND $5 = $5 AND $6 = $6 AND $7 = $7
         ORDER BY CASE WHEN c.status <> 'closed' AND c.due_on < $4 THEN 0 ELSE 1 END, c.id DESC LIMIT $8 OFFSET $9"
    )))
    .bind(org.0)
    .bind(viewer.user_id)
    .bind(access::division_param(viewer))
    .bind(today)
    .bind(status)
    .bind(&code_search)
    .bind(request.like_pattern())
    .bind(request.limit())
    .bind(request.offset())
    .fetch_all(&db.pool)
    .await?;
    let complaints = rows.iter().map(complaint).collect::<Result<_, _>>()?;
    Ok((complaints, total))
}

/// How many complaints past their deadline the viewer may see (the menu's badge).
pub async fn overdue_count(db: &Db, org: OrgId, viewer: &Viewer, today: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM complaints c WHERE c.org_id = $1 AND c.status IN ('new', 'received', 'assigned', 'replied', 'reopened')
           AND c.due_on < $4 AND {}",
        access::SQL
    )))
    .bind(org.0)
    .bind(viewer.user_id)
    .bind(access::division_param(viewer))
    .bind(today)
    .fetch_one(&db.pool)
    .await
}

/// A step of a complaint.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub body: String,
    pub public: bool,
    pub at: i64,
}

/// The complaint's steps in order (the public ones only when `public_only`).
pub async fn events(db: &Db, org: OrgId, complaint: i64, public_only: bool) -> Result<Vec<Event>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, actor, body, public, at FROM complaint_events
         WHERE org_id = $1 AND complaint_id = $2 AND public >= $3 ORDER BY id",
    )
    .bind(org.0)
    .bind(complaint)
    .bind(i64::from(public_only))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                actor: r.try_get("actor")?,
                body: r.try_get("body")?,
                public: r.try_get::<i64, _>("public")? != 0,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// A photo's facts without its bytes.
#[derive(Clone, Debug)]
pub struct Photo {
    pub id: i64,
    pub event_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

pub async fn photos(db: &Db, org: OrgId, complaint: i64) -> Result<Vec<Photo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, event_id, file_name, size_bytes FROM complaint_photos WHERE org_id = $1 AND complaint_id = $2 ORDER BY id",
    )
    .bind(org.0)
    .bind(complaint)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Photo {
                id: r.try_get("id")?,
                event_id: r.try_get("event_id")?,
                file_name: r.try_get("file_name")?,
                size_bytes: r.try_get("size_bytes")?,
            })
        })
        .collect()
}

/// A photo's type and bytes, when it belongs to the complaint.
pub async fn photo(db: &Db, org: OrgId, complaint: i64, id: i64) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT content_type, bytes FROM complaint_photos WHERE org_id = $1 AND complaint_id = $2 AND id = $3",
    )
    .bind(org.0)
    .bind(complaint)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((r.try_get("content_type")?, r.try_get("bytes")?))).transpose()
}
