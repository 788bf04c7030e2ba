//! Consultations and opinions in SQL. A consultation's changes are audited; an opinion's arrival
//! is audited by its id and length only (the log is append-only: it keeps no one's words or name).

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

/// The most opinions on one consultation from one address.
pub const PER_ADDRESS: i64 = 10;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Details {
    pub title: String,
    pub description: String,
    /// yyyymmdd
    pub opens_on: i64,
    pub closes_on: i64,
    pub summary: String,
    pub publish_summary: bool,
}

#[derive(Clone, Debug)]
pub struct Consultation {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub opens_on: i64,
    pub closes_on: i64,
    pub summary: String,
    pub summary_published_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct Opinion {
    pub id: i64,
    pub name: String,
    pub contact: String,
    pub body: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, title, description, opens_on, closes_on, summary, summary_published_at, updated_at";

fn consultation(r: &AnyRow) -> Result<Consultation, sqlx::Error> {
    Ok(Consultation {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        opens_on: r.try_get("opens_on")?,
        closes_on: r.try_get("closes_on")?,
        summary: r.try_get("summary")?,
        summary_published_at: r.try_get("summary_published_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn create(tx: &mut Tx, org: OrgId, d: &Details, actor: &str) -> anyhow::Result<i64> {
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consultations (org_id, title, description, opens_on, closes_on, summary, summary_published_at,
             created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9) RETURNING id",
    )
    .bind(org.0)
    .bind(&d.title)
    .bind(&d.description)
    .bind(d.opens_on)
    .bind(d.closes_on)
    .bind(&d.summary)
    .bind(d.publish_summary.then_some(at))
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "create",
        "consultation",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(d)?),
    )
    .await?;
    Ok(id)
}

/// Saves a consultation; false when it is not the organization's. The summary's publication
/// date is kept while it stays published.
pub async fn update(tx: &mut Tx, org: OrgId, id: i64, d: &Details, actor: &str) -> anyhow::Result<bool> {
    let before: Option<Option<i64>> =
        sqlx::query_scalar("SELECT summary_published_at FROM consultations WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(published) = before else { return Ok(false) };
    let at = now();
    let published = if d.publish_summary { Some(published.unwrap_or(at)) } else { None };
    sqlx::query(
        "UPDATE consultations SET title = $1, description = $2, opens_on = $3, closes_on = $4, summary = $5,
             summary_published_at = $6, updated_by = $7, updated_at = $8
         WHERE org_id = $9 AND id = $10",
    )
    .bind(&d.title)
    .bind(&d.description)
    .bind(d.opens_on)
    .bind(d.closes_on)
    .bind(&d.summary)
    .bind(published)
    .bind(actor)
    .bind(at)
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "update",
        "consultation",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(d)?),
    )
    .await?;
    Ok(true)
}

pub async fn find(db: &Db, org: OrgId, id: i64) -> Result<Option<Consultation>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM consultations WHERE org_id = $1 AND id = $2")))
        .bind(org.0)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .as_ref()
        .map(consultation)
        .transpose()
}

/// The newest consultations (by last day), at most `limit`.
pub async fn list(db: &Db, org: OrgId, limit: i64) -> Result<Vec<Consultation>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM consultations WHERE org_id = $1 ORDER BY closes_on DESC, id DESC LIMIT $2"
    )))
    .bind(org.0)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(consultation).collect()
}

/// Why an opinion was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NotOpen(super::Phase),
    TooManyFromAddress,
}

/// An opinion as sent (name and contact may be empty).
pub struct NewOpinion<'a> {
    pub name: &'a str,
    pub contact: &'a str,
    pub body: &'a str,
    pub client_key: &'a str,
}

/// Stores an opinion while the consultation is open on `today` (yyyymmdd); None when the
/// consultation is not the organization's.
pub async fn add_opinion(
    db: &Db,
    org: OrgId,
    consultation: i64,
    opinion: &NewOpinion<'_>,
    today: i64,
) -> anyhow::Result<Option<Result<i64, Refusal>>> {
    let NewOpinion { name, contact, body, client_key } = *opinion;
    let mut tx = db.write(org).await?;
    let period: Option<(i64, i64)> =
        sqlx::query_as("SELECT opens_on, closes_on FROM consultations WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(consultation)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((opens, closes)) = period else { return Ok(None) };
    let phase = super::phase(opens, closes, today);
    if phase != super::Phase::Open {
        return Ok(Some(Err(Refusal::NotOpen(phase))));
    }
    let mine: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM opinions WHERE org_id = $1 AND consultation_id = $2 AND client_key = $3",
    )
    .bind(org.0)
    .bind(consultation)
    .bind(client_key)
    .fetch_one(&mut *tx)
    .await?;
    if mine >= PER_ADDRESS {
        return Ok(Some(Err(Refusal::TooManyFromAddress)));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO opinions (org_id, consultation_id, name, contact, body, client_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(consultation)
    .bind(name)
    .bind(contact)
    .bind(body)
    .bind(client_key)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({ "consultation_id": consultation, "characters": body.chars().count() });
    crate::audit::record(&mut tx, org, "citizen", "create", "opinion", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Some(Ok(id)))
}

pub async fn opinions(db: &Db, org: OrgId, consultation: i64) -> Result<Vec<Opinion>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, contact, body, created_at FROM opinions WHERE org_id = $1 AND consultation_id = $2 ORDER BY id",
    )
    .bind(org.0)
    .bind(consultation)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Opinion {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                contact: r.try_get("contact")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn opinion_count(db: &Db, org: OrgId, consultation: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM opinions WHERE org_id = $1 AND consultation_id = $2")
        .bind(org.0)
        .bind(consultation)
        .fetch_one(&db.pool)
        .await
}
