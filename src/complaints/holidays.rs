//! The office's holiday calendar (table org_holidays), read by the complaints' deadlines. Each
//! change is audited in the organization's write. A deadline already counted keeps its day: a
//! holiday added later counts for complaints filed (or reopened) after it.

use chrono::NaiveDate;
use sqlx::Row;

use super::deadline::Holiday;
use crate::db::Db;
use crate::orgs::OrgId;

/// The organization's holidays from `from` (yyyymmdd) on, in date order.
pub async fn from_day(db: &Db, org: OrgId, from: i64) -> Result<Vec<Holiday>, sqlx::Error> {
    let rows = sqlx::query("SELECT day, name FROM org_holidays WHERE org_id = $1 AND day >= $2 ORDER BY day")
        .bind(org.0)
        .bind(from)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .filter_map(|r| {
            let day: i64 = match r.try_get("day") {
                Ok(d) => d,
                Err(e) => return Some(Err(e)),
            };
            let name: String = match r.try_get("name") {
                Ok(n) => n,
                Err(e) => return Some(Err(e)),
            };
            crate::documents::date_of(day).map(|day| Ok(Holiday { day, name }))
        })
        .collect()
}

/// Adds a holiday (or renames the one on that day).
pub async fn add(db: &Db, org: OrgId, day: NaiveDate, name: &str, actor: &str) -> anyhow::Result<()> {
    let number = crate::documents::day_number(day);
    let mut tx = db.write(org).await?;
    sqlx::query(
        "INSERT INTO org_holidays (org_id, day, name) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, day) DO UPDATE SET name = $3",
    )
    .bind(org.0)
    .bind(number)
    .bind(name)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "day": number, "name": name });
    crate::audit::record(&mut tx, org, actor, "update", "holiday", &number.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a holiday; false when there was none that day.
pub async fn remove(db: &Db, org: OrgId, day: i64, actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let name: Option<String> =
        sqlx::query_scalar("DELETE FROM org_holidays WHERE org_id = $1 AND day = $2 RETURNING name")
            .bind(org.0)
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(name) = name else { return Ok(false) };
    let before = serde_json::json!({ "day": day, "name": name });
    crate::audit::record(&mut tx, org, actor, "delete", "holiday", &day.to_string(), Some(&before), None).await?;
    tx.commit().await?;
    Ok(true)
}
