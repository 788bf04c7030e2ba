//! Lending of government property by the SOP (ยืม-คืนพัสดุ), under the MoF regulation B.E. 2560:
//! the inventory, the request → approval → hand-over → return → settlement workflow, follow-ups
//! of overdue loans, reminders, and the documents (labels, form, SOP manual, loans report).

pub mod approvers;
pub mod asset_number;
pub mod availability;
pub mod calendar;
pub mod delegation;
mod delegation_routes;
pub mod demo;
pub mod documents;
pub mod floor;
pub mod history;
pub mod items;
pub mod loans;
pub mod manual_routes;
pub mod manuals;
pub mod notices;
pub mod refusals;
pub mod reminders;
pub mod returns;
pub mod routes;
mod routes_settlement;
pub mod rules;
pub mod settlement;
pub mod stats;
pub mod store_rules;
pub mod store_settlement;
pub mod store_signers;
pub mod todo;
mod todo_routes;
pub mod workflow;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::db::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ItemId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct LoanId(pub i64);

/// Calendar days are stored as days since 1970-01-01, so both engines compare them as integers.
pub fn day_of(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days()
}

pub fn date_of(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid") + chrono::Duration::days(day)
}

/// Today in Thailand: loans are due on Thai calendar days.
pub fn today() -> NaiveDate {
    crate::thai::today_in_thailand()
}

/// The lending duties a user holds (who may approve what).
pub async fn duties_of(db: &Db, user_id: i64) -> Result<Vec<rules::Duty>, sqlx::Error> {
    let row = sqlx::query("SELECT duties FROM users WHERE id = $1").bind(user_id).fetch_optional(&db.pool).await?;
    let text: String = match row {
        Some(r) => r.try_get(0)?,
        None => String::new(),
    };
    Ok(text.split(',').filter_map(|d| rules::Duty::parse(d.trim())).collect())
}

/// Gives a user lending duties (operators do this with `prongsai user duties`).
pub async fn set_duties(
    db: &Db,
    org: crate::orgs::OrgId,
    user_id: i64,
    duties: &[rules::Duty],
    actor: &str,
) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let codes: Vec<&str> = duties.iter().map(|d| d.code()).collect();
    let done = sqlx::query("UPDATE users SET duties = $1 WHERE id = $2 AND org_id = $3")
        .bind(codes.join(","))
        .bind(user_id)
        .bind(org.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if done {
        crate::audit::record(
            &mut tx,
            org,
            actor,
            "update",
            "user_duties",
            &user_id.to_string(),
            None,
            Some(&serde_json::json!({ "duties": codes })),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_round_trip() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
        assert_eq!(super::date_of(super::day_of(d)), d);
    }
}
