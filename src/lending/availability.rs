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
