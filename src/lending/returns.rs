//! Returns of some or all units of a loan. Consumables come back in kind (the same type, kind and
//! quantity), partly or at once; a durable loan of several units may come back in parts too.
//! Each return is recorded (units, day, officer, condition, damage found) and the loan ends when
//! every unit is accounted for: returned, or awaiting a settlement if any came back damaged or lost.

use chrono::NaiveDate;
use sqlx::Row;

use super::workflow::{Damage, LoanStatus};
use super::{LoanId, date_of, day_of};
use crate::db::code::decode;
use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;
use crate::thai::{Digits, format_date_medium, format_int};

/// The worse of two findings: lost over damaged over none.
pub fn worse(a: Damage, b: Damage) -> Damage {
    let rank = |d: Damage| match d {
        Damage::None => 0,
        Damage::Damaged => 1,
        Damage::Lost => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Where the units of a loan stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Units lent.
    pub lent: i64,
    /// Units back in good order.
    pub usable: i64,
    /// Units back damaged, or reported lost.
    pub unusable: i64,
    /// The worst found so far.
    pub worst: Damage,
    /// The day of the latest return.
    pub last_day: Option<NaiveDate>,
}

impl Tally {
    pub fn new(lent: i64) -> Tally {
        Tally { lent, usable: 0, unusable: 0, worst: Damage::None, last_day: None }
    }

    /// Units not accounted for yet.
    pub fn outstanding(&self) -> i64 {
        self.lent - self.usable - self.unusable
    }

    /// The tally after `units` more came back on `day` in the state `damage`.
    pub fn after(self, units: i64, damage: Damage, day: NaiveDate) -> Tally {
        let (usable, unusable) = if damage == Damage::None {
            (self.usable + units, self.unusable)
        } else {
            (self.usable, self.unusable + units)
        };
        Tally { usable, unusable, worst: worse(self.worst, damage), last_day: Some(day), ..self }
    }

    /// The loan's status with this tally: out until every unit is back, then returned, or
    /// awaiting a settlement when any unit came back damaged or was lost (ข้อ 209).
    pub fn status(&self) -> LoanStatus {
        if self.outstanding() > 0 {
            LoanStatus::HandedOver
        } else if self.worst == Damage::None {
            LoanStatus::Returned
        } else {
            LoanStatus::AwaitingSettlement
        }
    }

    /// Whether `units` may come back now: at least one, at most those still out.
    pub fn check(&self, units: i64) -> Result<(), ReturnError> {
        if units < 1 {
            Err(ReturnError::NoUnits)
        } else if units > self.outstanding() {
            Err(ReturnError::MoreThanOut { units, outstanding: self.outstanding() })
        } else {
            Ok(())
        }
    }
}

/// Why the units given for a return are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnError {
    NoUnits,
    MoreThanOut { units: i64, outstanding: i64 },
}

impl ReturnError {
    pub fn message_th(&self, unit: &str) -> String {
        match self {
            ReturnError::NoUnits => "จำนวนที่รับคืนต้องไม่น้อยกว่า ๑".into(),
            ReturnError::MoreThanOut { units, outstanding } => format!(
                "รับคืน {} {unit} ไม่ได้ ยังค้างส่งคืนอยู่เพียง {} {unit}",
                format_int(*units, Digits::Thai),
                format_int(*outstanding, Digits::Thai)
            ),
        }
    }
}

/// One recorded return.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Return {
    pub day: NaiveDate,
    pub quantity: i64,
    pub damage: Damage,
    pub condition: String,
    /// The officer who received it (display name), when known.
    pub received_by: Option<String>,
}

impl Return {
    /// e.g. "๓ ธ.ค. ๒๕๖๙ คืน ๒๐ ถุง สภาพเรียบร้อย (ครบถ้วน)".
    pub fn line_th(&self, unit: &str, digits: Digits) -> String {
        let note = if self.condition.is_empty() { String::new() } else { format!(" ({})", self.condition) };
        format!(
            "{} คืน {} {unit} {}{note}",
            format_date_medium(self.day, digits),
            format_int(self.quantity, digits),
            self.damage.label_th()
        )
    }
}

const SELECT: &str = "SELECT r.day, r.quantity, r.damage, r.condition, u.display_name, r.id
    FROM loan_returns r LEFT JOIN users u ON u.id = r.received_by";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Return, sqlx::Error> {
    let id: i64 = r.try_get(5)?;
    Ok(Return {
        day: date_of(r.try_get(0)?),
        quantity: r.try_get(1)?,
        damage: decode("loan_returns", "damage", id, &r.try_get::<String, _>(2)?)?,
        condition: r.try_get(3)?,
        received_by: r.try_get(4)?,
    })
}

/// The returns of a loan, oldest first.
pub async fn list(db: &Db, org: OrgId, loan: LoanId) -> Result<Vec<Return>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    list_in(&mut conn, org, loan).await
}

pub(crate) async fn list_in(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    loan: LoanId,
) -> Result<Vec<Return>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.loan_id = $1 AND r.org_id = $2 ORDER BY r.day, r.id"
    )))
    .bind(loan.0)
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The tally of a loan of `lent` units from its recorded returns.
pub fn tally(lent: i64, returns: &[Return]) -> Tally {
    returns.iter().fold(Tally::new(lent), |t, r| t.after(r.quantity, r.damage, r.day))
}

/// Records one return, received by the user `received_by`, inside the caller's write
/// transaction (the caller audits the loan).
pub(crate) async fn record_in(
    tx: &mut Tx,
    org: OrgId,
    loan: LoanId,
    back: &Return,
    received_by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO loan_returns (org_id, loan_id, quantity, day, received_by, condition, damage, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org.0)
    .bind(loan.0)
    .bind(back.quantity)
    .bind(day_of(back.day))
    .bind(received_by)
    .bind(&back.condition)
    .bind(back.damage.code())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The return condition the loan keeps once every unit is back: the one note of a single return,
/// else every return on its own line.
pub fn summary_th(returns: &[Return], unit: &str, digits: Digits) -> String {
    match returns {
        [one] => one.condition.clone(),
        many => many.iter().map(|r| r.line_th(unit, digits)).collect::<Vec<_>>().join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, n).unwrap()
    }

    #[test]
    fn a_loan_stays_out_until_every_unit_is_back() {
        let t = Tally::new(50).after(20, Damage::None, day(1));
        assert_eq!((t.outstanding(), t.status()), (30, LoanStatus::HandedOver));
        assert_eq!(t.check(31), Err(ReturnError::MoreThanOut { units: 31, outstanding: 30 }));
        assert!(t.check(31).unwrap_err().message_th("ถุง").contains("ยังค้างส่งคืนอยู่เพียง ๓๐ ถุง"));
        assert_eq!(t.check(0), Err(ReturnError::NoUnits));
        let t = t.after(30, Damage::None, day(2));
        assert_eq!((t.outstanding(), t.status()), (0, LoanStatus::Returned));
    }

    #[test]
    fn one_unit_back_damaged_sends_the_whole_loan_to_settlement_once_all_are_accounted_for() {
        let t = Tally::new(3).after(1, Damage::Damaged, day(1));
        assert_eq!(t.status(), LoanStatus::HandedOver);
        let t = t.after(1, Damage::Lost, day(2)).after(1, Damage::None, day(3));
        assert_eq!((t.status(), t.worst, t.usable, t.unusable), (LoanStatus::AwaitingSettlement, Damage::Lost, 1, 2));
        assert_eq!(worse(Damage::Lost, Damage::Damaged), Damage::Lost);
    }

    #[test]
    fn the_summary_lists_each_return_of_a_loan_returned_in_parts() {
        let r = |d, q, c: &str| Return {
            day: day(d),
            quantity: q,
            damage: Damage::None,
            condition: c.into(),
            received_by: None,
        };
        assert_eq!(summary_th(&[r(1, 2, "ครบ")], "ตัว", Digits::Thai), "ครบ");
        let s = summary_th(&[r(1, 2, "ครบ"), r(3, 1, "")], "ตัว", Digits::Thai);
        assert_eq!(s, "๑ ธ.ค. ๒๕๖๙ คืน ๒ ตัว สภาพเรียบร้อย (ครบ); ๓ ธ.ค. ๒๕๖๙ คืน ๑ ตัว สภาพเรียบร้อย");
    }
}
