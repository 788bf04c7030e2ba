//! Per-visit links: each allows one answer, and carries the service point, service and counter of
//! the visit, so the citizen answers nothing about where they were served.
//!
//! - **A queue ticket** is its own link: once served, its page (the QR printed on the ticket)
//!   offers the survey at `/o/SLUG/survey/ticket/CODE`. The ticket's code is already unguessable.
//! - **A token** is made by staff for a visit without a ticket (a receipt, a loan's return) and
//!   printed as a QR: `/o/SLUG/survey/v/TOKEN`. [`TOKEN_BYTES`] random bytes as lowercase hex; only
//!   its SHA-256 is stored, so the database alone cannot answer for anyone.
//!
//! A link expires [`VISIT_DAYS`] days after the visit.

use super::ingest::Channel;
use super::store::SurveyId;
use crate::auth::sessions::{random_hex, token_hash};
use crate::db::{Db, now};
use crate::orgs::OrgId;
use crate::queue::rules::Status;
use crate::queue::tickets::Ticket;

/// Random bytes of a token (128 bits; 32 hex characters in the URL).
pub const TOKEN_BYTES: usize = 16;
/// A visit's link answers for this many days after the visit.
pub const VISIT_DAYS: i64 = 14;

/// Where the token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Receipt,
    Loan,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Receipt => "receipt",
            Source::Loan => "loan",
        }
    }
}

/// A visit an answer may be given for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub survey: SurveyId,
    pub channel: Channel,
    /// The answer's unique visit key: `ticket:ID`, `loan:ID`, `receipt:NUMBER` or `token:ID`.
    pub key: String,
    pub point: Option<i64>,
    pub service: Option<i64>,
    pub counter: Option<i64>,
    /// Seconds since the epoch after which the link no longer answers.
    pub expires_at: i64,
}

impl Visit {
    pub fn expired(&self, at: i64) -> bool {
        at > self.expires_at
    }
}

/// Where a token's visit happened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub point: Option<i64>,
    pub service: Option<i64>,
    pub counter: Option<i64>,
}

/// Makes a token for one visit; returns it (kept nowhere else). `source_ref` names the receipt or
/// loan (never shown to the public); tokens made again for the same one share its one answer.
pub async fn create_token(
    db: &Db,
    org: OrgId,
    survey: SurveyId,
    source: Source,
    source_ref: &str,
    place: Place,
    actor: &str,
) -> anyhow::Result<Option<String>> {
    let token = random_hex::<TOKEN_BYTES>();
    let mut tx = db.write(org).await?;
    if !super::store::exists_in(&mut tx, org, survey).await? {
        return Ok(None);
    }
    let created_at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_tokens (org_id, survey_id, token_hash, source, source_ref, point_id, service_id, counter_id,
             created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(org.0)
    .bind(survey.0)
    .bind(token_hash(&token))
    .bind(source.code())
    .bind(source_ref)
    .bind(place.point)
    .bind(place.service)
    .bind(place.counter)
    .bind(actor)
    .bind(created_at)
    .bind(created_at + VISIT_DAYS * 86_400)
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({
        "survey_id": survey.0, "source": source.code(), "source_ref": source_ref,
        "point_id": place.point, "service_id": place.service, "counter_id": place.counter,
    });
    crate::audit::record(&mut tx, org, actor, "create", "survey_token", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// id, survey, source, source_ref, point, service, counter, expiry.
type TokenRow = (i64, i64, String, String, Option<i64>, Option<i64>, Option<i64>, i64);

/// The visit of a token, in this organization (None: no such token, or another organization's).
pub async fn by_token(db: &Db, org: OrgId, token: &str) -> Result<Option<Visit>, sqlx::Error> {
    if !token_shaped(token) {
        return Ok(None);
    }
    let row: Option<TokenRow> = sqlx::query_as(
        "SELECT id, survey_id, source, source_ref, point_id, service_id, counter_id, expires_at FROM survey_tokens
         WHERE token_hash = $1 AND org_id = $2",
    )
    .bind(token_hash(&token.to_ascii_lowercase()))
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(visit_of_row))
}

/// The organization and visit of a token under the organization's address, in one read (the
/// answer's path: the organization itself is read only for a page).
pub async fn by_slug_and_token(db: &Db, slug: &str, token: &str) -> Result<Option<(OrgId, Visit)>, sqlx::Error> {
    if !token_shaped(token) {
        return Ok(None);
    }
    type Row = (i64, i64, i64, String, String, Option<i64>, Option<i64>, Option<i64>, i64);
    let row: Option<Row> = sqlx::query_as(
        "SELECT t.org_id, t.id, t.survey_id, t.source, t.source_ref, t.point_id, t.service_id, t.counter_id, t.expires_at
         FROM survey_tokens t JOIN orgs o ON o.id = t.org_id WHERE t.token_hash = $1 AND o.slug = $2",
    )
    .bind(token_hash(&token.to_ascii_lowercase()))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(org, id, survey, source, source_ref, point, service, counter, expires_at)| {
        (OrgId(org), visit_of_row((id, survey, source, source_ref, point, service, counter, expires_at)))
    }))
}

fn token_shaped(token: &str) -> bool {
    token.len() == TOKEN_BYTES * 2 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn visit_of_row((id, survey, source, source_ref, point, service, counter, expires_at): TokenRow) -> Visit {
    Visit {
        survey: SurveyId(survey),
        channel: Channel::Token,
        key: token_visit_key(id, &source, &source_ref),
        point,
        service,
        counter,
        expires_at,
    }
}

/// A token's visit: its receipt or loan when staff named one, so that two links printed for one
/// visit still take one answer; else the token itself.
fn token_visit_key(id: i64, source: &str, source_ref: &str) -> String {
    let reference = source_ref.trim();
    if reference.is_empty() { format!("token:{id}") } else { format!("{source}:{reference}") }
}

/// Why a ticket cannot be answered for yet, in Thai; None when it can.
pub fn ticket_not_ready(t: &Ticket) -> Option<&'static str> {
    match t.status {
        Status::Done => None,
        Status::Cancelled => Some("บัตรคิวนี้ถูกยกเลิก จึงไม่มีการรับบริการให้ประเมิน"),
        Status::Skipped => Some("บัตรคิวนี้ยังไม่ได้รับบริการ จึงยังประเมินไม่ได้"),
        _ => Some("ประเมินความพึงพอใจได้เมื่อรับบริการเสร็จแล้ว กรุณากลับมาที่ลิงก์นี้อีกครั้งหลังรับบริการ"),
    }
}

/// The visit of a served ticket, answered in the organization's main survey.
pub fn of_ticket(t: &Ticket, survey: SurveyId) -> Visit {
    let finished = t.finished_at.unwrap_or(t.issued_at).div_euclid(1000);
    Visit {
        survey,
        channel: Channel::Ticket,
        key: format!("ticket:{}", t.id.0),
        point: Some(t.point_id.0),
        service: Some(t.service_id.0),
        counter: t.counter_id.map(|c| c.0),
        expires_at: finished + VISIT_DAYS * 86_400,
    }
}

/// Whether the visit was answered already.
pub async fn answered(db: &Db, org: OrgId, key: &str) -> Result<bool, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM survey_answers WHERE org_id = $1 AND visit = $2")
        .bind(org.0)
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    Ok(id.is_some())
}
