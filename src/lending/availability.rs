//! Whether an item is free: the one answer the booking check, the hand-over, the staff pages and
//! the public QR page all read, so that they can never disagree.
//!
//! An item is unavailable while it is physically out (handed over and not yet back, whatever its
//! booked dates), while it waits for a settlement (broken or lost), when it is no longer lendable
//! (written off, or withdrawn for repair), and on the days of every approved or pending booking.

use chrono::NaiveDate;
use sqlx::Row;

use super::workflow::{LoanStatus, hold};
use super::{ItemId, LoanId, date_of};
use crate::db::code::decode;
use crate::orgs::OrgId;

/// One loan of the item, as far as availability cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booking {
    pub loan: LoanId,
    pub status: LoanStatus,
    pub start: NaiveDate,
    pub due: NaiveDate,
}

/// The answer for one item and one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Free,
    /// Written off or withdrawn from lending.
    NotLendable,
    /// Out of the store now (handed over, or back broken and awaiting settlement).
    Out {
        loan: LoanId,
        until: Option<NaiveDate>,
    },
    /// Booked (requested or approved) on some of the days asked about.
    Booked {
        loan: LoanId,
        from: NaiveDate,
        until: NaiveDate,
    },
}

impl Availability {
    pub fn is_free(self) -> bool {
        self == Availability::Free
    }

    /// For the public page and the staff pages.
    pub fn label_th(self) -> &'static str {
        match self {
            Availability::Free => "อยู่ในที่เก็บ พร้อมให้ยืม",
            Availability::NotLendable => "ไม่เปิดให้ยืม",
            Availability::Out { .. } => "ไม่อยู่ในที่เก็บ (ถูกยืมออกไปหรือรอชดใช้)",
            Availability::Booked { .. } => "ถูกจองไว้",
        }
    }
}

/// Whether an item is free on every day of `start..=due`, as seen on `today`; `except` is the
/// loan asking (it does not clash with itself).
///
/// A loan that is out holds the item from today (or its start, if earlier) whatever its booked
/// dates: an item handed over early is out now, and a second loan must not be lent over it.
pub fn decide(
    lendable: bool,
    bookings: &[Booking],
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
    except: Option<LoanId>,
) -> Availability {
    if !lendable {
        return Availability::NotLendable;
    }
    let others = bookings.iter().filter(|b| Some(b.loan) != except);
    // Physically out first: it is the strongest reason and the one a person at the shelf sees.
    for b in others.clone() {
        let out = matches!(b.status, LoanStatus::HandedOver | LoanStatus::AwaitingSettlement);
        if let Some(h) = hold(b.status, b.start, b.due, today).filter(|h| out && h.clashes_with(start, due)) {
            return Availability::Out { loan: b.loan, until: h.until };
        }
    }
    for b in others {
        if let Some(h) = hold(b.status, b.start, b.due, today).filter(|h| h.clashes_with(start, due)) {
            return Availability::Booked { loan: b.loan, from: h.from, until: h.until.unwrap_or(b.due) };
        }
    }
    Availability::Free
}

/// The item's lendability and loans, read in `conn` (a write transaction or a pool connection).
async fn load(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    item: ItemId,
) -> Result<Option<(bool, Vec<Booking>)>, sqlx::Error> {
    let row = sqlx::query("SELECT lendable FROM items WHERE id = $1 AND org_id = $2")
        .bind(item.0)
        .bind(org.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let lendable = row.try_get::<i64, _>(0)? != 0;
    let rows = sqlx::query(
        "SELECT id, status, start_day, due_day FROM loans WHERE item_id = $1 AND org_id = $2 ORDER BY start_day, id",
    )
    .bind(item.0)
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut bookings = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        bookings.push(Booking {
            loan: LoanId(id),
            status: decode("loans", "status", id, &r.try_get::<String, _>(1)?)?,
            start: date_of(r.try_get(2)?),
            due: date_of(r.try_get(3)?),
        });
    }
    Ok(Some((lendable, bookings)))
}

/// Whether `item` is free on `start..=due` (`except`: the loan asking). `None`: no such item.
pub async fn check(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    item: ItemId,
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
    except: Option<LoanId>,
) -> Result<Option<Availability>, sqlx::Error> {
    Ok(load(conn, org, item).await?.map(|(lendable, b)| decide(lendable, &b, start, due, today, except)))
}

/// Whether `item` is on the shelf and free to lend today: what the QR page and the staff pages
/// show. `None`: no such item.
pub async fn today(db: &crate::db::Db, org: OrgId, item: ItemId) -> Result<Option<Availability>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let day = super::today();
    check(&mut conn, org, item, day, day, day, None).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lending::rules::{Duty, UseType};
    use crate::lending::workflow::{Action, Actor, Damage, LoanFacts, check_hand_over_date, check_return_date, next};
    use proptest::prelude::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() + chrono::Duration::days(n)
    }

    #[test]
    fn an_item_handed_over_before_its_booked_start_is_out_now() {
        let early = Booking { loan: LoanId(1), status: LoanStatus::HandedOver, start: day(10), due: day(12) };
        assert_eq!(
            decide(true, &[early], day(1), day(3), day(0), None),
            Availability::Out { loan: LoanId(1), until: Some(day(12)) }
        );
        assert_eq!(decide(true, &[early], day(0), day(0), day(0), None).label_th(), "ไม่อยู่ในที่เก็บ (ถูกยืมออกไปหรือรอชดใช้)");
        assert!(decide(true, &[early], day(13), day(14), day(0), None).is_free());
        assert_eq!(decide(false, &[], day(0), day(0), day(0), None), Availability::NotLendable);
    }

    /// One step someone may try; loan numbers pick among the loans filed so far.
    #[derive(Clone, Debug)]
    enum Op {
        Request { item: usize, from: i64, len: i64 },
        Approve(usize),
        Reject(usize),
        Cancel(usize),
        HandOver(usize),
        Return(usize, bool),
        NextDay(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0..2usize, 0..8i64, 0..4i64).prop_map(|(item, from, len)| Op::Request { item, from, len }),
            3 => any::<usize>().prop_map(Op::Approve),
            1 => any::<usize>().prop_map(Op::Reject),
            1 => any::<usize>().prop_map(Op::Cancel),
            4 => any::<usize>().prop_map(Op::HandOver),
            2 => (any::<usize>(), any::<bool>()).prop_map(|(i, d)| Op::Return(i, d)),
            2 => (1..4i64).prop_map(Op::NextDay),
        ]
    }

    struct Model {
        today: NaiveDate,
        loans: Vec<(usize, Booking, Option<NaiveDate>)>,
    }

    impl Model {
        fn bookings(&self, item: usize) -> Vec<Booking> {
            self.loans.iter().filter(|l| l.0 == item).map(|l| l.1).collect()
        }

        /// Takes one step the way `loans::act` does: the workflow, the dates, then availability.
        fn step(&mut self, i: usize, action: Action) {
            if self.loans.is_empty() {
                return;
            }
            let i = i % self.loans.len();
            let (item, b, handed) = self.loans[i];
            let anyone = Actor { user_id: 9, duties: vec![Duty::SuppliesHead, Duty::OrgHead] };
            let facts = LoanFacts {
                requested_by: 1,
                borrower_user_id: Some(1),
                use_type: UseType::Inside,
                required: Duty::SuppliesHead,
            };
            let Ok(to) = next(b.status, &action, &anyone, &facts) else { return };
            let today = self.today;
            let dated = match action {
                Action::HandOver => check_hand_over_date(b.start, b.due, today, today),
                Action::Return { .. } => check_return_date(handed.unwrap_or(b.start), today, today),
                _ => Ok(()),
            };
            if dated.is_err() {
                return;
            }
            if matches!(action, Action::Approve | Action::HandOver)
                && !decide(true, &self.bookings(item), b.start, b.due, today, Some(b.loan)).is_free()
            {
                return;
            }
            self.loans[i].1.status = to;
            if action == Action::HandOver {
                self.loans[i].2 = Some(today);
            }
        }

        fn apply(&mut self, op: &Op) {
            match *op {
                Op::Request { item, from, len } => {
                    let (start, due) =
                        (self.today + chrono::Duration::days(from), self.today + chrono::Duration::days(from + len));
                    if decide(true, &self.bookings(item), start, due, self.today, None).is_free() {
                        let loan = LoanId(self.loans.len() as i64 + 1);
                        self.loans.push((item, Booking { loan, status: LoanStatus::Requested, start, due }, None));
                    }
                }
                Op::Approve(i) => self.step(i, Action::Approve),
                Op::Reject(i) => self.step(i, Action::Reject),
                Op::Cancel(i) => self.step(i, Action::Cancel),
                Op::HandOver(i) => self.step(i, Action::HandOver),
                Op::Return(i, damaged) => {
                    self.step(i, Action::Return { damage: if damaged { Damage::Damaged } else { Damage::None } })
                }
                Op::NextDay(n) => self.today += chrono::Duration::days(n),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// After every step: never two loans out on one item, and what the QR page would show
        /// (availability today) is what is physically true of the item.
        #[test]
        fn an_item_is_never_out_twice_and_its_public_status_is_the_truth(ops in proptest::collection::vec(op(), 1..40)) {
            let mut m = Model { today: day(0), loans: Vec::new() };
            for op in &ops {
                m.apply(op);
                for item in 0..2 {
                    let mine: Vec<_> = m.loans.iter().filter(|l| l.0 == item).map(|l| l.1).collect();
                    let out: Vec<_> = mine
                        .iter()
                        .filter(|b| matches!(b.status, LoanStatus::HandedOver | LoanStatus::AwaitingSettlement))
                        .collect();
                    prop_assert!(out.len() <= 1, "item {item} out twice after {op:?}: {out:?}");
                    let booked_today = mine.iter().any(|b| {
                        matches!(b.status, LoanStatus::Requested | LoanStatus::Approved) && b.start <= m.today && m.today <= b.due
                    });
                    let shown = decide(true, &mine, m.today, m.today, m.today, None);
                    match out.first() {
                        Some(b) => prop_assert!(matches!(shown, Availability::Out { loan, .. } if loan == b.loan), "{shown:?} after {op:?}"),
                        None if booked_today => prop_assert!(matches!(shown, Availability::Booked { .. }), "{shown:?} after {op:?}"),
                        None => prop_assert_eq!(shown, Availability::Free, "after {:?}", op),
                    }
                }
            }
        }
    }
}
