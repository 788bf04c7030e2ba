//! All SQL of the measures register. Every function takes the organization: a measure id alone
//! never reaches a row of another organization.

use serde_json::Value;
use sqlx::{AssertSqlSafe, Row};

use super::store_children::write_children;
use super::{Item, Measure, MeasureId, MeasureInput};
use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;
use crate::thai::period::{day_key, day_of_key};
use crate::thai::{Period, PeriodKind};

/// A measure row's own fields as stored: title, responsible lines, period (kind, first, last,
/// words), status, progress.
type MeasureFields = (String, String, Option<String>, Option<i64>, Option<i64>, Option<String>, String, i64);

/// The stored columns of a period: kind, first and last day (yyyymmdd), the words as written.
type StoredPeriod = (Option<&'static str>, Option<i64>, Option<i64>, Option<String>);

fn encode_period(period: Option<&Period>) -> StoredPeriod {
    match period {
        Some(p) => (
            Some(p.kind().code()),
            Some(day_key(p.first_day())),
            Some(day_key(p.last_day())),
            Some(p.written().to_string()),
        ),
        None => (None, None, None, None),
    }
}

fn decode_period(row: &sqlx::any::AnyRow, id: i64) -> Result<Option<Period>, sqlx::Error> {
    let kind: Option<String> = row.try_get("period_kind")?;
    let Some(kind) = kind else { return Ok(None) };
    let first: Option<i64> = row.try_get("period_first")?;
    let last: Option<i64> = row.try_get("period_last")?;
    let text: Option<String> = row.try_get("period_text")?;
    let kind: PeriodKind = crate::db::code::decode("measures", "period_kind", id, &kind)?;
    let period = first
        .and_then(day_of_key)
        .zip(last.and_then(day_of_key))
        .and_then(|(first, last)| Period::from_stored(kind, first, last, text.as_deref().unwrap_or_default()));
    let shown = format!("{kind:?} {first:?}–{last:?}");
    period.map(Some).ok_or_else(|| crate::db::code::unknown("measures", "period_first/period_last", id, &shown))
}

const MEASURE_COLUMNS: &str = "id, fiscal_year, position, title, responsible, period_kind, period_first, period_last, period_text, status, progress";

/// The measures of one organization and fiscal year, in order, with their items.
pub async fn list(db: &Db, org: OrgId, year: i64) -> Result<Vec<Measure>, sqlx::Error> {
    // One snapshot for the four reads, so a concurrent edit cannot mix old rows with new items.
    let mut conn = db.snapshot().await?;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {MEASURE_COLUMNS} FROM measures WHERE org_id = $1 AND fiscal_year = $2 ORDER BY position, id"
    )))
    .bind(org.0)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    let mut measures = Vec::with_capacity(rows.len());
    for row in &rows {
        measures.push(measure_from_row(row, org)?);
    }
    // Children in three queries for the whole year, not three per measure.
    let items = sqlx::query(
        "SELECT i.measure_id, i.kind, i.text, i.numbered FROM measure_items i
         JOIN measures m ON m.id = i.measure_id
         WHERE m.org_id = $1 AND m.fiscal_year = $2 AND i.org_id = $1 ORDER BY i.measure_id, i.kind, i.position",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    let indicators = sqlx::query(
        "SELECT x.measure_id, x.indicator_number FROM measure_indicators x
         JOIN measures m ON m.id = x.measure_id
         WHERE m.org_id = $1 AND m.fiscal_year = $2 ORDER BY x.indicator_number",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    let divisions = sqlx::query(
        "SELECT d.measure_id, d.division_id FROM measure_divisions d
         JOIN measures m ON m.id = d.measure_id
         WHERE m.org_id = $1 AND m.fiscal_year = $2 ORDER BY d.division_id",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    let index: std::collections::HashMap<i64, usize> = measures.iter().enumerate().map(|(i, m)| (m.id.0, i)).collect();
    for r in &items {
        if let Some(&i) = index.get(&r.try_get::<i64, _>(0)?) {
            push_item(&mut measures[i], &r.try_get::<String, _>(1)?, r.try_get(2)?, r.try_get::<i64, _>(3)? != 0);
        }
    }
    for r in &indicators {
        if let Some(&i) = index.get(&r.try_get::<i64, _>(0)?) {
            measures[i].input.indicators.push(r.try_get(1)?);
        }
    }
    for r in &divisions {
        if let Some(&i) = index.get(&r.try_get::<i64, _>(0)?) {
            measures[i].division_ids.push(r.try_get(1)?);
        }
    }
    conn.rollback().await?;
    Ok(measures)
}

fn push_item(m: &mut Measure, kind: &str, text: String, numbered: bool) {
    let list = match kind {
        "method" => &mut m.input.methods,
        "result" => &mut m.input.results,
        _ => &mut m.input.outcomes,
    };
    list.push(Item { text, numbered });
}

fn measure_from_row(row: &sqlx::any::AnyRow, org: OrgId) -> Result<Measure, sqlx::Error> {
    let responsible: String = row.try_get("responsible")?;
    let status: String = row.try_get("status")?;
    let id: i64 = row.try_get("id")?;
    Ok(Measure {
        id: MeasureId(id),
        org_id: org,
        fiscal_year: row.try_get("fiscal_year")?,
        position: row.try_get("position")?,
        input: MeasureInput {
            title: row.try_get("title")?,
            indicators: Vec::new(),
            responsible: responsible.lines().map(str::to_string).filter(|l| !l.is_empty()).collect(),
            period: decode_period(row, id)?,
            status: crate::db::code::decode("measures", "status", id, &status)?,
            progress: row.try_get("progress")?,
            methods: Vec::new(),
            results: Vec::new(),
            outcomes: Vec::new(),
        },
        division_ids: Vec::new(),
    })
}

/// One measure of the organization, or None (also for another organization's id).
pub async fn find(db: &Db, org: OrgId, id: MeasureId) -> Result<Option<Measure>, sqlx::Error> {
    let year: Option<(i64,)> = sqlx::query_as("SELECT fiscal_year FROM measures WHERE id = $1 AND org_id = $2")
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    let Some((year,)) = year else { return Ok(None) };
    Ok(list(db, org, year).await?.into_iter().find(|m| m.id == id))
}

/// Same as [`find`] inside a write transaction (for the audit's "before").
async fn find_in(tx: &mut Tx, org: OrgId, id: MeasureId) -> Result<Option<Value>, sqlx::Error> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT {MEASURE_COLUMNS} FROM measures WHERE id = $1 AND org_id = $2")))
            .bind(id.0)
            .bind(org.0)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let mut m = measure_from_row(&row, org)?;
    let items =
        sqlx::query("SELECT kind, text, numbered FROM measure_items WHERE measure_id = $1 ORDER BY kind, position")
            .bind(id.0)
            .fetch_all(&mut **tx)
            .await?;
    for r in &items {
        push_item(&mut m, &r.try_get::<String, _>(0)?, r.try_get(1)?, r.try_get::<i64, _>(2)? != 0);
    }
    let inds =
        sqlx::query("SELECT indicator_number FROM measure_indicators WHERE measure_id = $1 ORDER BY indicator_number")
            .bind(id.0)
            .fetch_all(&mut **tx)
            .await?;
    for r in &inds {
        m.input.indicators.push(r.try_get(0)?);
    }
    Ok(Some(snapshot(&m)))
}

/// The audited form of a measure.
pub fn snapshot(m: &Measure) -> Value {
    serde_json::json!({
        "fiscal_year": m.fiscal_year,
        "position": m.position,
        "title": m.input.title,
        "indicators": m.input.indicators,
        "responsible": m.input.responsible,
        "period": m.input.period.as_ref().map(|p| p.written()),
        "status": m.input.status.code(),
        "progress": m.input.progress,
        "methods": m.input.methods,
        "results": m.input.results,
        "outcomes": m.input.outcomes,
    })
}

/// Inserts a measure at the end of its year's list, inside the caller's transaction.
pub async fn insert_in(
    tx: &mut Tx,
    org: OrgId,
    year: i64,
    input: &MeasureInput,
    actor: &str,
) -> Result<MeasureId, sqlx::Error> {
    let (next,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM measures WHERE org_id = $1 AND fiscal_year = $2")
            .bind(org.0)
            .bind(year)
            .fetch_one(&mut **tx)
            .await?;
    let at = now();
    let (kind, first, last, text) = encode_period(input.period.as_ref());
    let row = sqlx::query(
        "INSERT INTO measures (org_id, fiscal_year, position, title, responsible, period_kind, period_first, period_last, period_text, status, progress, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(org.0)
    .bind(year)
    .bind(next)
    .bind(&input.title)
    .bind(input.responsible.join("\n"))
    .bind(kind)
    .bind(first)
    .bind(last)
    .bind(text)
    .bind(input.status.code())
    .bind(input.progress)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    let id = MeasureId(row.try_get(0)?);
    write_children(tx, org, id, input).await?;
    let after = find_in(tx, org, id).await?;
    crate::audit::record(tx, org, actor, "create", "measure", &id.0.to_string(), None, after.as_ref()).await?;
    Ok(id)
}

pub async fn create(db: &Db, org: OrgId, year: i64, input: &MeasureInput, actor: &str) -> anyhow::Result<MeasureId> {
    let mut tx = db.write(org).await?;
    let id = insert_in(&mut tx, org, year, input, actor).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a measure's fields and lists. Returns false when the measure is not the org's.
pub async fn update(db: &Db, org: OrgId, id: MeasureId, input: &MeasureInput, actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    if !update_in(&mut tx, org, id, input, actor).await? {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// [`update`] inside the caller's transaction (an import updates measures in place, keeping
/// their evidence).
pub async fn update_in(
    tx: &mut Tx,
    org: OrgId,
    id: MeasureId,
    input: &MeasureInput,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let Some(before) = find_in(tx, org, id).await? else { return Ok(false) };
    let (kind, first, last, text) = encode_period(input.period.as_ref());
    let responsible = input.responsible.join("\n");
    // The row is rewritten (and its updated_at moved) only when one of its fields changes.
    let stored: MeasureFields = sqlx::query_as(
        "SELECT title, responsible, period_kind, period_first, period_last, period_text, status, progress
         FROM measures WHERE id = $1 AND org_id = $2",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_one(&mut **tx)
    .await?;
    let fields = (
        input.title.clone(),
        responsible,
        kind.map(str::to_string),
        first,
        last,
        text,
        input.status.code().to_string(),
        input.progress,
    );
    if stored != fields {
        sqlx::query(
            "UPDATE measures SET title = $1, responsible = $2, period_kind = $3, period_first = $4, period_last = $5, period_text = $6,
             status = $7, progress = $8, updated_at = $9 WHERE id = $10 AND org_id = $11",
        )
        .bind(fields.0)
        .bind(fields.1)
        .bind(fields.2)
        .bind(fields.3)
        .bind(fields.4)
        .bind(fields.5)
        .bind(fields.6)
        .bind(fields.7)
        .bind(now())
        .bind(id.0)
        .bind(org.0)
        .execute(&mut **tx)
        .await?;
    }
    write_children(tx, org, id, input).await?;
    let after = find_in(tx, org, id).await?;
    if after.as_ref() != Some(&before) {
        crate::audit::record(tx, org, actor, "update", "measure", &id.0.to_string(), Some(&before), after.as_ref())
            .await?;
    }
    Ok(true)
}

/// Deletes a measure with its items and evidence. Returns false when it is not the org's.
pub async fn delete(db: &Db, org: OrgId, id: MeasureId, actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let deleted = delete_in(&mut tx, org, id, actor).await?;
    tx.commit().await?;
    Ok(deleted)
}

/// [`delete`] inside the caller's transaction.
pub async fn delete_in(tx: &mut Tx, org: OrgId, id: MeasureId, actor: &str) -> Result<bool, sqlx::Error> {
    let Some(before) = find_in(tx, org, id).await? else { return Ok(false) };
    // Children first: we do not rely on ON DELETE CASCADE, which SQLite honours only with foreign keys on.
    for table in ["evidence", "measure_figures", "measure_items", "measure_indicators", "measure_divisions"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE measure_id = $1 AND org_id = $2")))
            .bind(id.0)
            .bind(org.0)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM measures WHERE id = $1 AND org_id = $2").bind(id.0).bind(org.0).execute(&mut **tx).await?;
    crate::audit::record(tx, org, actor, "delete", "measure", &id.0.to_string(), Some(&before), None).await?;
    Ok(true)
}

/// Moves a measure one place up (-1) or down (+1) in its year's order.
pub async fn move_by(db: &Db, org: OrgId, id: MeasureId, step: i64, actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let row: Option<(i64,)> = sqlx::query_as("SELECT fiscal_year FROM measures WHERE id = $1 AND org_id = $2")
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((year,)) = row else { return Ok(false) };
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM measures WHERE org_id = $1 AND fiscal_year = $2 ORDER BY position, id")
            .bind(org.0)
            .bind(year)
            .fetch_all(&mut *tx)
            .await?;
    let mut order: Vec<i64> = ids.into_iter().map(|(i,)| i).collect();
    let Some(at) = order.iter().position(|&i| i == id.0) else { return Ok(false) };
    let target = at as i64 + step;
    if target < 0 || target >= order.len() as i64 {
        return Ok(true);
    }
    order.swap(at, target as usize);
    let order: Vec<MeasureId> = order.into_iter().map(MeasureId).collect();
    reorder_in(&mut tx, org, year, &order, actor).await?;
    tx.commit().await?;
    Ok(true)
}

/// Puts the year's measures in the given order (positions 1, 2, …), audited once when the order
/// changed. `order` holds every measure of the year.
pub async fn reorder_in(
    tx: &mut Tx,
    org: OrgId,
    year: i64,
    order: &[MeasureId],
    actor: &str,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, position FROM measures WHERE org_id = $1 AND fiscal_year = $2 ORDER BY position, id",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&mut **tx)
    .await?;
    let before: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let after: Vec<i64> = order.iter().map(|m| m.0).collect();
    let positions: std::collections::HashMap<i64, i64> = rows.iter().copied().collect();
    if after.iter().zip(1..).all(|(id, want)| positions.get(id) == Some(&want)) {
        return Ok(());
    }
    for (pos, mid) in after.iter().enumerate() {
        sqlx::query("UPDATE measures SET position = $1 WHERE id = $2 AND org_id = $3")
            .bind(pos as i64 + 1)
            .bind(mid)
            .bind(org.0)
            .execute(&mut **tx)
            .await?;
    }
    if before != after {
        crate::audit::record(
            tx,
            org,
            actor,
            "reorder",
            "measures",
            &year.to_string(),
            Some(&serde_json::json!({ "order": before })),
            Some(&serde_json::json!({ "order": after })),
        )
        .await?;
    }
    Ok(())
}

/// The report's introduction paragraph for a year, if set.
pub async fn intro(db: &Db, org: OrgId, year: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT intro FROM measure_reports WHERE org_id = $1 AND fiscal_year = $2")
            .bind(org.0)
            .bind(year)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(s,)| s))
}

/// Sets the introduction paragraph inside the caller's transaction.
pub async fn set_intro_in(tx: &mut Tx, org: OrgId, year: i64, intro: &str, actor: &str) -> Result<(), sqlx::Error> {
    let before: Option<(String,)> =
        sqlx::query_as("SELECT intro FROM measure_reports WHERE org_id = $1 AND fiscal_year = $2")
            .bind(org.0)
            .bind(year)
            .fetch_optional(&mut **tx)
            .await?;
    if before.as_ref().map(|(s,)| s.as_str()) == Some(intro) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO measure_reports (org_id, fiscal_year, intro) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, fiscal_year) DO UPDATE SET intro = excluded.intro",
    )
    .bind(org.0)
    .bind(year)
    .bind(intro)
    .execute(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        if before.is_some() { "update" } else { "create" },
        "measure_report",
        &year.to_string(),
        before.map(|(s,)| serde_json::json!({ "intro": s })).as_ref(),
        Some(&serde_json::json!({ "intro": intro })),
    )
    .await?;
    Ok(())
}

/// Fiscal years that have measures, newest first.
pub async fn years(db: &Db, org: OrgId) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT DISTINCT fiscal_year FROM measures WHERE org_id = $1 ORDER BY fiscal_year DESC")
            .bind(org.0)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(y,)| y).collect())
}

/// The ids of a year's measures, inside a transaction.
pub async fn list_ids_in(tx: &mut Tx, org: OrgId, year: i64) -> Result<Vec<MeasureId>, sqlx::Error> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM measures WHERE org_id = $1 AND fiscal_year = $2")
        .bind(org.0)
        .bind(year)
        .fetch_all(&mut **tx)
        .await?;
    Ok(ids.into_iter().map(|(i,)| MeasureId(i)).collect())
}

/// How many evidence items and cited figures the year's measures carry.
pub async fn attachments_in(tx: &mut Tx, org: OrgId, year: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM evidence e JOIN measures m ON m.id = e.measure_id WHERE m.org_id = $1 AND m.fiscal_year = $2)
              + (SELECT COUNT(*) FROM measure_figures f JOIN measures m ON m.id = f.measure_id WHERE m.org_id = $1 AND m.fiscal_year = $2)",
    )
    .bind(org.0)
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

/// Deletes every measure of a year inside the caller's transaction (import with --replace).
pub async fn delete_year_in(tx: &mut Tx, org: OrgId, year: i64, actor: &str) -> Result<u64, sqlx::Error> {
    let ids = list_ids_in(tx, org, year).await?;
    for id in &ids {
        delete_in(tx, org, *id, actor).await?;
    }
    Ok(ids.len() as u64)
}
