//! Whether units of an item are free: the one answer the booking check, the approval, the
//! hand-over, the staff pages and the public QR page all read, so that they can never disagree.
//!
//! An item has units on hand (50 folding chairs may be one asset record). On every day, the units
//! held by loans must fit in them: units physically out (handed over and not yet back, whatever
//! their booked dates), units back damaged or lost (until the settlement), and the units of every
//! approved or pending booking. A request also leaves the reserve the lender keeps for its own
//! needs (consumables: ข้อ 210). An item no longer lendable, or with every unit written off, is
//! not free at all.

use chrono::NaiveDate;
use sqlx::Row;

use super::workflow::{Hold, LoanStatus, hold};
use super::{ItemId, LoanId, date_of};
use crate::db::code::decode;
use crate::orgs::OrgId;
use crate::thai::{Digits, format_int};

/// What the register says of the item's units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stock {
    /// Units on hand in the register (written-off units are gone from it).
    pub on_hand: i64,
    /// Units the lender keeps for its own needs and does not lend.
    pub reserve: i64,
    pub lendable: bool,
    /// How units are counted (ตัว, ชุด, ถุง).
    pub count_unit: String,
}

/// One loan of the item, as far as availability cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booking {
    pub loan: LoanId,
    pub status: LoanStatus,
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// Units the loan asks for or took.
    pub quantity: i64,
    /// Units returned in good order: on the shelf again.
    pub back_usable: i64,
    /// Units returned damaged or reported lost: unusable until settled.
    pub back_unusable: i64,
}

/// Why a loan holds units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeldAs {
    /// Requested or approved for those days.
    Booked,
    /// Handed over and not back.
    Out,
    /// Back damaged or reported lost: in no state to lend until the settlement.
    Unusable,
}

/// Units a loan holds over some days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub loan: LoanId,
    pub hold: Hold,
    pub units: i64,
    pub kind: HeldAs,
}

impl Booking {
    /// What the loan holds on `today`: its booking, or its units out and its unusable units.
    pub fn held(&self, today: NaiveDate) -> Vec<Held> {
        let Some(h) = hold(self.status, self.start, self.due, today) else { return Vec::new() };
        let mut held = Vec::with_capacity(2);
        let mut push = |hold: Hold, units: i64, kind: HeldAs| {
            if units > 0 {
                held.push(Held { loan: self.loan, hold, units, kind });
            }
        };
        match self.status {
            LoanStatus::Requested | LoanStatus::Approved => push(h, self.quantity, HeldAs::Booked),
            LoanStatus::HandedOver => {
                push(h, self.quantity - self.back_usable - self.back_unusable, HeldAs::Out);
                // Units back broken are in the store but cannot be lent until the settlement.
                push(Hold { from: h.from, until: None }, self.back_unusable, HeldAs::Unusable);
            }
            // Everything not back in good order waits for the settlement.
            _ => push(h, self.quantity - self.back_usable, HeldAs::Unusable),
        }
        held
    }
}

/// A loan holding units on the day a request falls short, to name in the refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holder {
    pub loan: LoanId,
    pub out: bool,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// The answer for some units of one item over one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    /// At least the units asked for are free on every day; `free`: the fewest free on any day.
    Free { free: i64 },
    /// Withdrawn from lending.
    NotLendable,
    /// Every unit has been written off (จำหน่ายออกจากบัญชี).
    WrittenOff,
    /// On `on`, only `free` units are free (not counting the reserve), fewer than `wanted`.
    Short { on: NaiveDate, wanted: i64, free: i64, on_hand: i64, by: Option<Holder> },
    /// Enough units, but lending them on `on` would eat into the `reserve` the lender keeps.
    Reserved { on: NaiveDate, wanted: i64, free: i64, reserve: i64 },
}

impl Availability {
    pub fn is_free(self) -> bool {
        matches!(self, Availability::Free { .. })
    }
}

/// Whether `wanted` units are free on every day of `start..=due`, as seen on `today`; `except` is
/// the loan asking (it does not clash with itself).
///
/// A loan that is out holds its units from today (or its start, if earlier) whatever its booked
/// dates: an item handed over early is out now, and a second loan must not be lent over it.
pub fn decide(
    stock: &Stock,
    bookings: &[Booking],
    wanted: i64,
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
    except: Option<LoanId>,
) -> Availability {
    if stock.on_hand <= 0 {
        return Availability::WrittenOff;
    }
    if !stock.lendable {
        return Availability::NotLendable;
    }
    let held: Vec<Held> = bookings.iter().filter(|b| Some(b.loan) != except).flat_map(|b| b.held(today)).collect();
    // The units held only rise where a hold begins: the busiest day is the start or one of those.
    let mut busiest = (start, used_on(&held, start));
    for h in &held {
        if h.hold.from > start && h.hold.from <= due {
            let used = used_on(&held, h.hold.from);
            if used > busiest.1 {
                busiest = (h.hold.from, used);
            }
        }
    }
    let (on, used) = busiest;
    let free_of_all = stock.on_hand - used;
    let free = free_of_all - stock.reserve;
    if wanted <= free {
        Availability::Free { free }
    } else if wanted <= free_of_all {
        Availability::Reserved { on, wanted, free: free.max(0), reserve: stock.reserve }
    } else {
        // Name the loan a person at the shelf would see first: one that is out, else a booking.
        let mut covering: Vec<&Held> = held.iter().filter(|h| h.hold.clashes_with(on, on)).collect();
        covering.sort_by_key(|h| (h.kind == HeldAs::Booked, h.hold.from));
        let by = covering.first().map(|h| Holder {
            loan: h.loan,
            out: h.kind != HeldAs::Booked,
            from: h.hold.from,
            until: h.hold.until,
        });
        Availability::Short { on, wanted, free: free_of_all.max(0), on_hand: stock.on_hand, by }
    }
}

fn used_on(held: &[Held], day: NaiveDate) -> i64 {
    held.iter().filter(|h| h.hold.clashes_with(day, day)).map(|h| h.units).sum()
}

/// The item on `today`, unit by unit: what the QR page and the staff pages show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shelf {
    pub stock: Stock,
    /// Units handed over and not back.
    pub out: i64,
    /// Units back damaged or lost, waiting for a settlement.
    pub unusable: i64,
    /// Units booked (requested or approved) for today.
    pub booked: i64,
}

impl Shelf {
    pub fn of(stock: Stock, bookings: &[Booking], today: NaiveDate) -> Shelf {
        let (mut out, mut unusable, mut booked) = (0, 0, 0);
        for h in bookings.iter().flat_map(|b| b.held(today)).filter(|h| h.hold.clashes_with(today, today)) {
            match h.kind {
                HeldAs::Booked => booked += h.units,
                HeldAs::Out => out += h.units,
                HeldAs::Unusable => unusable += h.units,
            }
        }
        Shelf { stock, out, unusable, booked }
    }

    /// Units that may be lent today.
    pub fn free(&self) -> i64 {
        if self.stock.on_hand <= 0 || !self.stock.lendable {
            return 0;
        }
        (self.stock.on_hand - self.stock.reserve - self.out - self.unusable - self.booked).max(0)
    }

    /// In Thai, for the public page and the staff pages.
    pub fn label_th(&self, digits: Digits) -> String {
        let n = |v: i64| format_int(v, digits);
        let s = &self.stock;
        if s.on_hand <= 0 {
            return "จำหน่ายออกจากบัญชีแล้ว ไม่มีให้ยืม".into();
        }
        if !s.lendable {
            return "ไม่เปิดให้ยืม".into();
        }
        let free = self.free();
        let away = self.out + self.unusable;
        if s.on_hand == 1 {
            return match () {
                _ if free > 0 => "อยู่ในที่เก็บ พร้อมให้ยืม".into(),
                _ if away > 0 => "ไม่อยู่ในที่เก็บ (ถูกยืมออกไปหรือรอชดใช้)".into(),
                _ if self.booked > 0 => "ถูกจองไว้".into(),
                _ => "เก็บไว้ใช้ในราชการ ไม่มีเหลือให้ยืม".into(),
            };
        }
        let mut parts = Vec::new();
        for (units, what) in [
            (self.out, "ถูกยืมออกไป"),
            (self.unusable, "รอชดใช้"),
            (self.booked, "จองไว้วันนี้"),
            (s.reserve, "เก็บไว้ใช้ในราชการ"),
        ] {
            if units > 0 {
                parts.push(format!("{what} {}", n(units)));
            }
        }
        let of = format!("จาก {} {}", n(s.on_hand), s.count_unit);
        let detail = if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        if free > 0 {
            format!("อยู่ในที่เก็บ พร้อมให้ยืม {} {of}{detail}", n(free))
        } else if away >= s.on_hand {
            format!("ไม่อยู่ในที่เก็บ (ถูกยืมออกไปหรือรอชดใช้ทั้ง {} {})", n(s.on_hand), s.count_unit)
        } else {
            format!("ไม่มีเหลือให้ยืมวันนี้ ว่าง ๐ {of}{detail}")
        }
    }
}

/// A holding loan's row: its booking and the units back in good order and not.
const LOAN_COLUMNS: &str = "l.id, l.status, l.start_day, l.due_day, l.quantity,
    CAST(COALESCE((SELECT SUM(r.quantity) FROM loan_returns r WHERE r.loan_id = l.id AND r.damage = 'none'), 0) AS BIGINT),
    CAST(COALESCE((SELECT SUM(r.quantity) FROM loan_returns r WHERE r.loan_id = l.id AND r.damage <> 'none'), 0) AS BIGINT)";

/// The loans of an item that may hold units on some day of `$3..=$4`: every loan out or awaiting
/// its settlement (they hold from today whatever their booked days), and the requested or approved
/// ones whose booked days overlap. Loans that ended hold nothing. Two halves, so that each is
/// served by the index `loans_by_item_status` (item, status, start day; migration 0015): the item's
/// ended loans, which grow without end, and bookings that begin after the days asked are not read.
/// (No ORDER BY: SQLite would rather walk the index that gives the order; [`load`] sorts.)
/// `+l.org_id`: the organization is checked on each row but not used to choose an index, since
/// SQLite would otherwise take an organization's index (all its loans) over the item's.
pub fn holding_loans_sql() -> String {
    format!(
        "SELECT {LOAN_COLUMNS} FROM loans l
         WHERE l.item_id = $1 AND +l.org_id = $2 AND l.status IN ('handed_over', 'awaiting_settlement')
         UNION ALL
         SELECT {LOAN_COLUMNS} FROM loans l
         WHERE l.item_id = $1 AND +l.org_id = $2 AND l.status IN ('requested', 'approved')
            AND l.due_day >= $3 AND l.start_day <= $4"
    )
}

/// The item's units and the loans that may hold some of them on `first..=last`, read in `conn`
/// (a write transaction or a pool connection). Loans outside those days are not read: they
/// cannot change an answer about them.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    item: ItemId,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Option<(Stock, Vec<Booking>)>, sqlx::Error> {
    let row = sqlx::query("SELECT lendable, quantity, reserve, count_unit FROM items WHERE id = $1 AND org_id = $2")
        .bind(item.0)
        .bind(org.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stock = Stock {
        lendable: row.try_get::<i64, _>(0)? != 0,
        on_hand: row.try_get(1)?,
        reserve: row.try_get(2)?,
        count_unit: row.try_get(3)?,
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(holding_loans_sql()))
        .bind(item.0)
        .bind(org.0)
        .bind(super::day_of(first))
        .bind(super::day_of(last))
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
            quantity: r.try_get(4)?,
            back_usable: r.try_get(5)?,
            back_unusable: r.try_get(6)?,
        });
    }
    // In booked order: a refusal names the first loan holding the day.
    bookings.sort_by_key(|b| (b.start, b.loan.0));
    Ok(Some((stock, bookings)))
}

/// Whether `wanted` units of `item` are free on `start..=due` (`except`: the loan asking).
/// `None`: no such item.
#[allow(clippy::too_many_arguments)]
pub async fn check(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    item: ItemId,
    wanted: i64,
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
    except: Option<LoanId>,
) -> Result<Option<Availability>, sqlx::Error> {
    Ok(load(conn, org, item, start, due).await?.map(|(stock, b)| decide(&stock, &b, wanted, start, due, today, except)))
}

/// The item on the shelf today: what the QR page and the staff pages show. `None`: no such item.
pub async fn today(db: &crate::db::Db, org: OrgId, item: ItemId) -> Result<Option<Shelf>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let day = super::today();
    Ok(load(&mut conn, org, item, day, day).await?.map(|(stock, b)| Shelf::of(stock, &b, day)))
}

#[cfg(test)]
#[path = "availability_tests.rs"]
mod tests;
