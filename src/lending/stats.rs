//! Figures of lending for a period: what a measure of the register cites as its evidence
//! ("loans by the SOP in the period, % returned on time"), and the loans report.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use super::workflow::{Damage, LoanStatus};
use super::{date_of, day_of};
use crate::db::Db;
use crate::db::code::decode;
use crate::orgs::OrgId;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LendingStats {
    /// Loans handed over in the period (the SOP was followed: requested, approved, handed over).
    pub loans: i64,
    /// Of those, returned (or settled).
    pub returned: i64,
    /// Returned on or before the due date.
    pub returned_on_time: i64,
    /// Still out and past due today.
    pub overdue_now: i64,
    /// Returns that found damage or loss.
    pub damage_cases: i64,
    /// Requests refused by the approver.
    pub rejected: i64,
}

impl LendingStats {
    /// Percent of returned loans that came back on time (None when nothing was returned).
    pub fn on_time_percent(&self) -> Option<f64> {
        (self.returned > 0).then(|| self.returned_on_time as f64 * 100.0 / self.returned as f64)
    }
}

/// Figures of loans whose borrow date falls in `from..=to`.
pub async fn stats_for(
    db: &Db,
    org: OrgId,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<LendingStats, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, due_day, returned_at, damage, id FROM loans WHERE org_id = $1 AND start_day >= $2 AND start_day <= $3",
    )
    .bind(org.0)
    .bind(day_of(from))
    .bind(day_of(to))
    .fetch_all(&db.pool)
    .await?;
    let mut s = LendingStats::default();
    for r in &rows {
        let id: i64 = r.try_get(4)?;
        let status: LoanStatus = decode("loans", "status", id, &r.try_get::<String, _>(0)?)?;
        let due = date_of(r.try_get(1)?);
        let returned_at: Option<i64> = r.try_get(2)?;
        let damage: Damage = decode("loans", "damage", id, &r.try_get::<String, _>(3)?)?;
        match status {
            LoanStatus::Rejected => s.rejected += 1,
            LoanStatus::Requested | LoanStatus::Approved | LoanStatus::Cancelled => {}
            LoanStatus::HandedOver => {
                s.loans += 1;
                if today > due {
                    s.overdue_now += 1;
                }
            }
            LoanStatus::Returned | LoanStatus::AwaitingSettlement | LoanStatus::Closed => {
                s.loans += 1;
                s.returned += 1;
                // Thai calendar day of the return (UTC+7).
                let back = returned_at.map(|t| date_of((t + 7 * 3600).div_euclid(86_400)));
                if back.is_some_and(|d| d <= due) {
                    s.returned_on_time += 1;
                }
                if damage != Damage::None {
                    s.damage_cases += 1;
                }
            }
        }
    }
    Ok(s)
}

/// One line of Thai for a measure's results: "ยืม-คืนพัสดุตามคู่มือ ๑๒ ครั้ง คืนตรงกำหนด ๙๑.๗%".
pub fn summary_line(stats: &LendingStats, digits: crate::thai::Digits) -> String {
    let n = |v: i64| crate::thai::format_grouped(v, digits);
    let mut line = format!("ยืม-คืนพัสดุตามคู่มือในปีงบประมาณ {} ครั้ง", n(stats.loans));
    if let Some(p) = stats.on_time_percent() {
        line.push_str(&format!(" ส่งคืนตรงกำหนด {}%", digits.apply(&format!("{p:.1}"))));
    }
    if stats.overdue_now > 0 {
        line.push_str(&format!(" ค้างส่งคืน {} รายการ", n(stats.overdue_now)));
    }
    if stats.damage_cases > 0 {
        line.push_str(&format!(" ชำรุด/สูญหาย {} กรณี", n(stats.damage_cases)));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_gives_counts_and_the_on_time_share_in_thai_digits() {
        let s = LendingStats {
            loans: 12,
            returned: 12,
            returned_on_time: 11,
            overdue_now: 0,
            damage_cases: 1,
            rejected: 0,
        };
        assert_eq!(
            summary_line(&s, crate::thai::Digits::Thai),
            "ยืม-คืนพัสดุตามคู่มือในปีงบประมาณ ๑๒ ครั้ง ส่งคืนตรงกำหนด ๙๑.๗% ชำรุด/สูญหาย ๑ กรณี"
        );
    }
}
