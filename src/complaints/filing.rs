//! The citizen's writes: filing a complaint (with photos), adding information, and answering
//! "was it resolved?" after closing. Each is one transaction in the organization's write, with
//! the limit per address decided inside it, and audited without the complainant's identity (a
//! SHA-256 of it, so the log proves what was recorded without saying who).

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::deadline::{Holiday, due_after};
use super::events::{self, Change, NewDeadline};
use super::workflow::Step;
use super::{Category, day_of};
use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;
use crate::thai::Digits;

/// Filings an address may make in an hour, per organization.
pub const FILINGS_PER_HOUR: i64 = 5;
/// Additions of information an address may make in an hour.
pub const ADDITIONS_PER_HOUR: i64 = 10;
/// The largest photo taken.
pub const PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Photos at most with one filing or addition.
pub const PHOTOS_MAX: usize = 5;
/// The longest text of a complaint or an addition.
pub const BODY_MAX_CHARS: usize = 5_000;
pub const SUBJECT_MAX_CHARS: usize = 200;

/// The history's name for the citizen.
pub const CITIZEN: &str = "ผู้ร้องเรียน";

/// A photo that passed the content check.
#[derive(Clone, Debug)]
pub struct Photo {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Who the complainant is, when they said.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub line_id: String,
    pub line_consent: bool,
}

impl Identity {
    /// SHA-256 (hex) of the identity as stored: what the audit log keeps instead of it.
    pub fn sha256(&self) -> String {
        let text = format!("{}\n{}\n{}\n{}", self.name, self.phone, self.email, self.line_id);
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// A complaint as checked from the form.
#[derive(Clone, Debug)]
pub struct NewComplaint {
    pub category: Category,
    pub subject: String,
    pub body: String,
    pub accused_division_id: Option<i64>,
    /// None: anonymous.
    pub identity: Option<Identity>,
}

/// Why a citizen's write was refused before anything was stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Too many from this address: try again after this many seconds.
    TooMany { retry_after: i64 },
    /// The step may not follow now (the reason in Thai).
    OutOfOrder(&'static str),
}

async fn store_photos(tx: &mut Tx, org: OrgId, complaint: i64, event: i64, photos: &[Photo]) -> anyhow::Result<()> {
    for p in photos {
        sqlx::query(
            "INSERT INTO complaint_photos (org_id, complaint_id, event_id, file_name, content_type, size_bytes, sha256, bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(org.0)
        .bind(complaint)
        .bind(event)
        .bind(&p.file_name)
        .bind(p.content_type)
        .bind(p.bytes.len() as i64)
        .bind(hex::encode(Sha256::digest(&p.bytes)))
        .bind(&p.bytes)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The seconds until the oldest of `times` leaves the hour, when `limit` of them are in it.
fn retry_after(times: &[i64], limit: i64, at: i64) -> Option<i64> {
    (times.len() as i64 >= limit).then(|| times.iter().min().map_or(3600, |oldest| (oldest + 3600 - at).max(1)))
}

/// Where and when a complaint is filed.
pub struct Filing<'a> {
    /// The keyed hash of the sender's address.
    pub client_key: &'a str,
    /// The office's holidays from the filing day on.
    pub holidays: &'a [Holiday],
    /// How the deadline's explanation writes its numbers.
    pub digits: Digits,
    pub at: i64,
}

/// Files a complaint; its id and tracking code.
pub async fn file(
    db: &Db,
    org: OrgId,
    new: &NewComplaint,
    photos: &[Photo],
    filing: &Filing<'_>,
) -> anyhow::Result<Result<(i64, String), Refusal>> {
    let Filing { client_key, holidays, digits, at } = *filing;
    let mut tx = db.write(org).await?;
    let recent: Vec<i64> = sqlx::query_scalar(
        "SELECT filed_at FROM complaints WHERE org_id = $1 AND client_key = $2 AND filed_at > $3 ORDER BY filed_at",
    )
    .bind(org.0)
    .bind(client_key)
    .bind(at - 3600)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(retry_after) = retry_after(&recent, FILINGS_PER_HOUR, at) {
        return Ok(Err(Refusal::TooMany { retry_after }));
    }
    let reply_days = super::settings::reply_days_in(&mut tx, org, new.category).await?;
    let from = crate::documents::date_of(day_of(at)).unwrap_or(NaiveDate::MIN);
    let deadline = due_after(from, reply_days.clamp(0, 365) as u32, holidays);
    let note = deadline.explain_th("ยื่นเรื่อง", digits);
    let identity = new.identity.clone().unwrap_or_default();
    let mut inserted = None;
    for _ in 0..5 {
        let code = super::code::new_code();
        // 60 random bits: a clash is next to impossible, but the unique index has the last word.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO complaints (org_id, code, category, subject, body, accused_division_id, anonymous, name, phone,
                 email, line_id, line_consent, status, reply_days, clock_from, due_on, due_note, filed_at, client_key, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'new', $13, $14, $15, $16, $17, $18, $17)
             ON CONFLICT (org_id, code) DO NOTHING RETURNING id",
        )
        .bind(org.0)
        .bind(&code)
        .bind(new.category.code())
        .bind(&new.subject)
        .bind(&new.body)
        .bind(new.accused_division_id)
        .bind(i64::from(new.identity.is_none()))
        .bind(&identity.name)
        .bind(&identity.phone)
        .bind(&identity.email)
        .bind(&identity.line_id)
        .bind(i64::from(identity.line_consent))
        .bind(reply_days)
        .bind(crate::documents::day_number(from))
        .bind(crate::documents::day_number(deadline.due))
        .bind(&note)
        .bind(at)
        .bind(client_key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = id {
            inserted = Some((id, code));
            break;
        }
    }
    let (id, code) = inserted.ok_or_else(|| anyhow::anyhow!("no free tracking code after five tries"))?;
    let event = events::filed(&mut tx, org, id, client_key, at).await?;
    store_photos(&mut tx, org, id, event, photos).await?;
    let after = serde_json::json!({
        "category": new.category.code(),
        "anonymous": new.identity.is_none(),
        "identity_sha256": new.identity.as_ref().map(Identity::sha256),
        "line_consent": identity.line_consent,
        "characters": new.body.chars().count(),
        "photos": photos.len(),
        "due_on": crate::documents::day_number(deadline.due),
    });
    crate::audit::record(&mut tx, org, "citizen", "create", "complaint", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok((id, code)))
}

/// Adds the citizen's text and photos to an open complaint.
pub async fn add_info(
    db: &Db,
    org: OrgId,
    id: i64,
    body: &str,
    photos: &[Photo],
    client_key: &str,
) -> anyhow::Result<Result<(), Refusal>> {
    let at = now();
    let mut tx = db.write(org).await?;
    let recent: Vec<i64> = sqlx::query_scalar(
        "SELECT at FROM complaint_events WHERE org_id = $1 AND complaint_id = $2 AND client_key = $3 AND kind = 'info' AND at > $4",
    )
    .bind(org.0)
    .bind(id)
    .bind(client_key)
    .bind(at - 3600)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(retry_after) = retry_after(&recent, ADDITIONS_PER_HOUR, at) {
        return Ok(Err(Refusal::TooMany { retry_after }));
    }
    let change = Change {
        step: Step::AddInfo,
        actor: CITIZEN,
        audit_actor: "citizen",
        body,
        public: true,
        client_key,
        at,
        assign: None,
        deadline: None,
    };
    let event = match events::record(&mut tx, org, id, &change).await? {
        None => anyhow::bail!("complaint {id} vanished"),
        Some(Err(why)) => return Ok(Err(Refusal::OutOfOrder(why))),
        Some(Ok(event)) => event,
    };
    store_photos(&mut tx, org, id, event, photos).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The citizen's answer after closing: resolved (final), or not, with the reason, which reopens
/// the complaint with a deadline counted from today.
pub async fn answer(
    db: &Db,
    org: OrgId,
    id: i64,
    resolved: bool,
    reason: &str,
    holidays: &[Holiday],
    digits: Digits,
) -> anyhow::Result<Result<(), Refusal>> {
    let at = now();
    let reply_days: Option<i64> = sqlx::query_scalar("SELECT reply_days FROM complaints WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let reply_days = reply_days.unwrap_or(super::DEFAULT_REPLY_DAYS);
    let from = crate::documents::date_of(day_of(at)).unwrap_or(NaiveDate::MIN);
    let deadline = (!resolved).then(|| {
        let d = due_after(from, reply_days.clamp(0, 365) as u32, holidays);
        NewDeadline {
            clock_from: crate::documents::day_number(from),
            due_on: crate::documents::day_number(d.due),
            note: d.explain_th("เปิดเรื่องอีกครั้ง", digits),
        }
    });
    let change = Change {
        step: if resolved { Step::Resolved } else { Step::Reopen },
        actor: CITIZEN,
        audit_actor: "citizen",
        body: reason,
        public: true,
        client_key: "",
        at,
        assign: None,
        deadline,
    };
    let mut tx = db.write(org).await?;
    match events::record(&mut tx, org, id, &change).await? {
        None => anyhow::bail!("complaint {id} vanished"),
        Some(Err(why)) => return Ok(Err(Refusal::OutOfOrder(why))),
        Some(Ok(_)) => {}
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// A staff step (receive, assign, reply, close) on a complaint the route found visible.
pub async fn staff_step(db: &Db, org: OrgId, id: i64, change: &Change<'_>) -> anyhow::Result<Result<(), &'static str>> {
    let mut tx = db.write(org).await?;
    match events::record(&mut tx, org, id, change).await? {
        None => anyhow::bail!("complaint {id} vanished"),
        Some(Err(why)) => return Ok(Err(why)),
        Some(Ok(_)) => {}
    }
    tx.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_per_hour_says_when_the_oldest_filing_leaves_the_hour() {
        assert_eq!(retry_after(&[100, 200], 5, 1000), None);
        assert_eq!(retry_after(&[100, 200, 300, 400, 500], 5, 1000), Some(2700));
    }

    #[test]
    fn the_identity_is_kept_in_the_audit_as_a_hash_only() {
        let who = Identity {
            name: "นางสาวผู้ร้อง".into(), phone: "0812345678".into(), ..Identity::default()
        };
        let hash = who.sha256();
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("0812345678"));
    }
}
