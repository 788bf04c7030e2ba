//! Seats for the public at a council meeting: a registration by name and phone number (a seat,
//! or the waiting list once the seats are taken), its cancellation (which gives the seat to the
//! first on the waiting list), and check-in at the door. Each runs in the organization's write,
//! so two citizens cannot take the last seat twice. The audit records codes and states, never a
//! name or phone number (an append-only log cannot forget personal data).

use sqlx::Row;

use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

/// The most live registrations of one meeting from one address: a family, not a script.
pub const PER_ADDRESS: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Waitlisted => "waitlisted",
            Status::Cancelled => "cancelled",
        }
    }

    fn from_code(code: &str) -> Status {
        match code {
            "confirmed" => Status::Confirmed,
            "waitlisted" => Status::Waitlisted,
            _ => Status::Cancelled,
        }
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Status::Confirmed => "ได้ที่นั่งแล้ว",
            Status::Waitlisted => "อยู่ในรายชื่อสำรอง (จะได้ที่นั่งเมื่อมีผู้ยกเลิก)",
            Status::Cancelled => "ยกเลิกแล้ว",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Registration {
    pub id: i64,
    pub meeting_id: i64,
    pub code: String,
    pub name: String,
    pub phone: String,
    pub status: Status,
    pub created_at: i64,
    pub checked_in_at: Option<i64>,
}

/// Why a registration was not taken (in Thai, for the form).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The meeting is not open for registration: cancelled, started, or no public seats.
    Closed(String),
    /// This phone number already holds a registration for this meeting.
    AlreadyRegistered,
    TooManyFromAddress,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Closed(why) => f.write_str(why),
            Refusal::AlreadyRegistered => {
                f.write_str("หมายเลขโทรศัพท์นี้ลงทะเบียนการประชุมครั้งนี้ไว้แล้ว หากไม่พบรหัสยืนยัน กรุณาติดต่อเจ้าหน้าที่")
            }
            Refusal::TooManyFromAddress => f.write_str(&format!(
                "ลงทะเบียนจากเครื่องนี้ครบ {} คนแล้ว กรุณาติดต่อเจ้าหน้าที่หากต้องการลงทะเบียนเพิ่ม",
                crate::thai::format_int(PER_ADDRESS, crate::thai::Digits::Thai)
            )),
        }
    }
}

const COLUMNS: &str = "id, meeting_id, code, name, phone, status, created_at, checked_in_at";

fn registration(r: &sqlx::any::AnyRow) -> Result<Registration, sqlx::Error> {
    Ok(Registration {
        id: r.try_get("id")?,
        meeting_id: r.try_get("meeting_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        status: Status::from_code(&r.try_get::<String, _>("status")?),
        created_at: r.try_get("created_at")?,
        checked_in_at: r.try_get("checked_in_at")?,
    })
}

/// Registers `name` and `phone` (normalized) for a meeting: a seat while there are any, else the
/// waiting list. Err(NotFound-like None) when the meeting is not the organization's.
pub async fn register(
    db: &Db,
    org: OrgId,
    meeting: i64,
    name: &str,
    phone: &str,
    client_key: &str,
) -> anyhow::Result<Option<Result<Registration, Refusal>>> {
    let mut tx = db.write(org).await?;
    let Some(m) = super::store::find_in(&mut tx, org, meeting).await? else { return Ok(None) };
    if let Some(why) = closed_because(&m.details, now()) {
        return Ok(Some(Err(Refusal::Closed(why.into()))));
    }
    let live: Vec<(String, String)> = sqlx::query_as(
        "SELECT phone, client_key FROM council_registrations WHERE org_id = $1 AND meeting_id = $2 AND status <> 'cancelled'",
    )
    .bind(org.0)
    .bind(meeting)
    .fetch_all(&mut *tx)
    .await?;
    if live.iter().any(|(p, _)| p == phone) {
        return Ok(Some(Err(Refusal::AlreadyRegistered)));
    }
    if live.iter().filter(|(_, k)| k == client_key).count() as i64 >= PER_ADDRESS {
        return Ok(Some(Err(Refusal::TooManyFromAddress)));
    }
    let confirmed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM council_registrations WHERE org_id = $1 AND meeting_id = $2 AND status = 'confirmed'",
    )
    .bind(org.0)
    .bind(meeting)
    .fetch_one(&mut *tx)
    .await?;
    let status = if confirmed < m.details.seats { Status::Confirmed } else { Status::Waitlisted };
    let code = super::new_code();
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO council_registrations (org_id, meeting_id, code, name, phone, client_key, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(meeting)
    .bind(&code)
    .bind(name)
    .bind(phone)
    .bind(client_key)
    .bind(status.code())
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({ "meeting_id": meeting, "code": code, "status": status.code() });
    crate::audit::record(
        &mut tx,
        org,
        "citizen",
        "register",
        "council_registration",
        &id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(Registration {
        id,
        meeting_id: meeting,
        code,
        name: name.into(),
        phone: phone.into(),
        status,
        created_at: at,
        checked_in_at: None,
    })))
}

/// Why a meeting takes no registration at `now`, or None when it does.
pub fn closed_because(m: &super::store::MeetingDetails, now: i64) -> Option<&'static str> {
    if m.cancelled {
        Some("การประชุมครั้งนี้ยกเลิกแล้ว")
    } else if m.seats <= 0 {
        Some("การประชุมครั้งนี้ไม่ได้เปิดให้ลงทะเบียนเข้าฟังล่วงหน้า")
    } else if m.starts_at <= now {
        Some("ปิดรับลงทะเบียนแล้ว: การประชุมเริ่มแล้วหรือผ่านไปแล้ว")
    } else {
        None
    }
}

pub async fn by_code(db: &Db, org: OrgId, code: &str) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM council_registrations WHERE org_id = $1 AND code = $2"
    )))
    .bind(org.0)
    .bind(code)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(registration)
    .transpose()
}

async fn by_code_in(tx: &mut Tx, org: OrgId, code: &str) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM council_registrations WHERE org_id = $1 AND code = $2"
    )))
    .bind(org.0)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(registration)
    .transpose()
}

/// The registrations of a meeting, in the order they came (staff).
pub async fn of_meeting(db: &Db, org: OrgId, meeting: i64) -> Result<Vec<Registration>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM council_registrations WHERE org_id = $1 AND meeting_id = $2 ORDER BY id"
    )))
    .bind(org.0)
    .bind(meeting)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(registration).collect()
}

/// Gives free seats to the waiting list, first come first served.
pub async fn fill_seats(tx: &mut Tx, org: OrgId, meeting: i64, seats: i64, actor: &str) -> anyhow::Result<()> {
    let confirmed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM council_registrations WHERE org_id = $1 AND meeting_id = $2 AND status = 'confirmed'",
    )
    .bind(org.0)
    .bind(meeting)
    .fetch_one(&mut **tx)
    .await?;
    let free = seats - confirmed;
    if free <= 0 {
        return Ok(());
    }
    let waiting: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, code FROM council_registrations WHERE org_id = $1 AND meeting_id = $2 AND status = 'waitlisted'
         ORDER BY id LIMIT $3",
    )
    .bind(org.0)
    .bind(meeting)
    .bind(free)
    .fetch_all(&mut **tx)
    .await?;
    for (id, code) in waiting {
        sqlx::query("UPDATE council_registrations SET status = 'confirmed' WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let after =
            serde_json::json!({ "meeting_id": meeting, "code": code, "status": "confirmed", "from": "waitlisted" });
        crate::audit::record(tx, org, actor, "update", "council_registration", &id.to_string(), None, Some(&after))
            .await?;
    }
    Ok(())
}

/// Cancels a registration by its code (its holder): false when there is none to cancel. A seat
/// given back goes to the first on the waiting list, in the same transaction.
pub async fn cancel(db: &Db, org: OrgId, code: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let Some(r) = by_code_in(&mut tx, org, code).await? else { return Ok(false) };
    if r.status == Status::Cancelled || r.checked_in_at.is_some() {
        return Ok(false);
    }
    let at = now();
    sqlx::query(
        "UPDATE council_registrations SET status = 'cancelled', cancelled_at = $1 WHERE org_id = $2 AND id = $3",
    )
    .bind(at)
    .bind(org.0)
    .bind(r.id)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "meeting_id": r.meeting_id, "code": r.code, "status": "cancelled" });
    crate::audit::record(
        &mut tx,
        org,
        "holder",
        "cancel",
        "council_registration",
        &r.id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    if r.status == Status::Confirmed {
        let seats: i64 = sqlx::query_scalar("SELECT seats FROM council_meetings WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(r.meeting_id)
            .fetch_one(&mut *tx)
            .await?;
        fill_seats(&mut tx, org, r.meeting_id, seats, "system").await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// What a check-in at the door found.
#[derive(Debug, PartialEq, Eq)]
pub enum CheckIn {
    /// Checked in now.
    Done,
    /// Already checked in at this time (epoch seconds): shown, not counted twice.
    Already(i64),
    /// Not a seat holder: waitlisted or cancelled.
    NoSeat(Status),
}

/// Checks the holder of `code` in (staff at the door); None when the code is not the organization's.
pub async fn check_in(db: &Db, org: OrgId, code: &str, actor: &str) -> anyhow::Result<Option<CheckIn>> {
    let mut tx = db.write(org).await?;
    let Some(r) = by_code_in(&mut tx, org, code).await? else { return Ok(None) };
    if let Some(at) = r.checked_in_at {
        return Ok(Some(CheckIn::Already(at)));
    }
    if r.status != Status::Confirmed {
        return Ok(Some(CheckIn::NoSeat(r.status)));
    }
    sqlx::query(
        "UPDATE council_registrations SET checked_in_at = $1, checked_in_by = $2 WHERE org_id = $3 AND id = $4",
    )
    .bind(now())
    .bind(actor)
    .bind(org.0)
    .bind(r.id)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "meeting_id": r.meeting_id, "code": r.code });
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "check_in",
        "council_registration",
        &r.id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(CheckIn::Done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_takes_registrations_only_before_it_starts_with_seats_and_not_cancelled() {
        let m = super::super::store::MeetingDetails {
            title: "ประชุมสภา".into(),
            starts_at: 1_000,
            place: "ห้องประชุม".into(),
            agenda: String::new(),
            seats: 10,
            cancelled: false,
            minutes_document_id: None,
        };
        assert_eq!(closed_because(&m, 999), None);
        assert!(closed_because(&m, 1_000).unwrap().contains("ปิดรับ"));
        assert!(closed_because(&super::super::store::MeetingDetails { seats: 0, ..m.clone() }, 0).is_some());
        assert!(
            closed_because(&super::super::store::MeetingDetails { cancelled: true, ..m }, 0).unwrap().contains("ยกเลิก")
        );
    }
}
