//! The organization's complaint settings: working days to finish each category, and the officers
//! designated for corruption and misconduct complaints. Changes are audited.

use std::collections::HashMap;

use super::Category;
use crate::db::{Db, Tx};
use crate::orgs::OrgId;

/// Working days per category (the default where the office set none).
pub async fn reply_days(db: &Db, org: OrgId) -> Result<HashMap<Category, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT category, days FROM complaint_reply_days WHERE org_id = $1")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await?;
    let mut days: HashMap<Category, i64> = Category::ALL.iter().map(|c| (*c, super::DEFAULT_REPLY_DAYS)).collect();
    for (code, n) in rows {
        if let Some(c) = Category::parse(&code) {
            days.insert(c, n);
        }
    }
    Ok(days)
}

/// The working days of one category, read in the filing's transaction.
pub async fn reply_days_in(tx: &mut Tx, org: OrgId, category: Category) -> Result<i64, sqlx::Error> {
    let days: Option<i64> =
        sqlx::query_scalar("SELECT days FROM complaint_reply_days WHERE org_id = $1 AND category = $2")
            .bind(org.0)
            .bind(category.code())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(days.unwrap_or(super::DEFAULT_REPLY_DAYS))
}

pub async fn set_reply_days(db: &Db, org: OrgId, days: &[(Category, i64)], actor: &str) -> anyhow::Result<()> {
    let mut tx = db.write(org).await?;
    for (category, n) in days {
        sqlx::query(
            "INSERT INTO complaint_reply_days (org_id, category, days) VALUES ($1, $2, $3)
             ON CONFLICT (org_id, category) DO UPDATE SET days = $3",
        )
        .bind(org.0)
        .bind(category.code())
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    let after: serde_json::Map<String, serde_json::Value> =
        days.iter().map(|(c, n)| (c.code().to_string(), serde_json::json!(n))).collect();
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "update",
        "complaint_reply_days",
        &org.0.to_string(),
        None,
        Some(&after.into()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the user is designated for corruption complaints.
pub async fn is_designated(db: &Db, org: OrgId, user: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM complaint_officers WHERE org_id = $1 AND user_id = $2")
            .bind(org.0)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.is_some())
}

/// The designated users' ids.
pub async fn designated(db: &Db, org: OrgId) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM complaint_officers WHERE org_id = $1 ORDER BY user_id")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await
}

/// Designates a user or ends the designation; false when the user is not the organization's.
pub async fn designate(db: &Db, org: OrgId, user: i64, on: bool, actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let own: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    if own.is_none() {
        return Ok(false);
    }
    sqlx::query("DELETE FROM complaint_officers WHERE org_id = $1 AND user_id = $2")
        .bind(org.0)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    if on {
        sqlx::query("INSERT INTO complaint_officers (org_id, user_id) VALUES ($1, $2)")
            .bind(org.0)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({ "user_id": user, "designated": on });
    crate::audit::record(&mut tx, org, actor, "update", "complaint_officer", &user.to_string(), None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok(true)
}
