//! SQL of settlements and write-offs. Each runs in `Db::write(org)` and is audited in the same
//! transaction; a payment for damaged or lost units writes them off the register at once.

use chrono::NaiveDate;
use sqlx::Row;

use super::availability::{self, Availability, Stock};
use super::loans::{self, StepRefusal};
use super::rules::Duty;
use super::settlement::{self, Problem, SettlementForm, WriteOffRecord};
use super::workflow::{self, Action, Actor, LoanStatus, Settlement};
use super::{ItemId, LoanId, date_of, day_of, returns};
use crate::auth::users::User;
use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;
use crate::thai::{Digits, format_int};

/// Records the settlement of a loan awaiting one and closes it. `Ok(None)`: no such loan here.
pub async fn settle(
    db: &Db,
    org: OrgId,
    id: LoanId,
    form: &SettlementForm,
    user: &User,
    duties: &[Duty],
) -> anyhow::Result<Option<Result<(), StepRefusal>>> {
    let mut tx = db.write(org).await?;
    let Some(loan) = loans::find_in(&mut tx, org, id).await? else { return Ok(None) };
    // Who may settle, and whether the loan awaits it, do not depend on the way chosen.
    let how = Settlement::parse(&form.how).unwrap_or(Settlement::Replace);
    let actor = Actor { user_id: user.id, duties: duties.to_vec() };
    if let Err(e) = workflow::next(loan.status, &Action::Settle { how }, &actor, &loan.facts()) {
        return Ok(Some(Err(StepRefusal::Workflow(e))));
    }
    let today = super::today();
    let returned_on = loan.returned_at.map(loans::thai_day);
    let record = match settlement::check(form, loan.damage, returned_on, today) {
        Ok(r) => r,
        Err(problems) => return Ok(Some(Err(StepRefusal::Settlement(problems)))),
    };
    sqlx::query(
        "UPDATE loans SET status = $1, settlement = $2, settlement_amount = $3, settlement_receipt = $4,
            settlement_day = $5, settlement_note = $6, settled_by = $7, settled_at = $8
         WHERE id = $9 AND org_id = $10",
    )
    .bind(LoanStatus::Closed.code())
    .bind(record.how.code())
    .bind(record.amount)
    .bind(&record.receipt)
    .bind(day_of(record.on))
    .bind(&record.note)
    .bind(user.id)
    // The history shows when it was settled: a settlement recorded for an earlier day is dated then.
    .bind(if record.on == today { now() } else { loans::stamp_of(record.on) })
    .bind(id.0)
    .bind(org.0)
    .execute(&mut *tx)
    .await?;
    let after = loans::find_in(&mut tx, org, id).await?.expect("still there");
    crate::audit::record(
        &mut tx,
        org,
        &loans::actor_name(user),
        Action::Settle { how: record.how }.code(),
        "loan",
        &id.0.to_string(),
        Some(&loan.snapshot()),
        Some(&after.snapshot()),
    )
    .await?;
    // Units paid for leave the stock: they are lost, or broken and now the borrower's debt paid.
    if record.how == Settlement::Pay {
        let tally = returns::tally(loan.quantity, &returns::list_in(&mut tx, org, id).await?);
        let units = loan.quantity - tally.usable;
        let paid = WriteOffRecord {
            units,
            on: record.on,
            reason: settlement::paid_reason_th(&loan, Digits::Thai),
            reference: format!("ใบเสร็จรับเงินเลขที่ {}", record.receipt),
        };
        write_off_in(&mut tx, org, loan.item_id, Some(id), &paid, user).await?;
    }
    tx.commit().await?;
    Ok(Some(Ok(())))
}

/// Writes units off the register: they are gone (lost, beyond repair). Only units not out, not
/// booked and not awaiting a settlement may go. `Ok(None)`: no such item here.
pub async fn write_off(
    db: &Db,
    org: OrgId,
    item: ItemId,
    record: &WriteOffRecord,
    user: &User,
) -> anyhow::Result<Option<Result<(), Vec<Problem>>>> {
    let mut tx = db.write(org).await?;
    let today = super::today();
    // Writing units off is taking them for good from today: they must be free on every day ahead.
    let far = today + chrono::Duration::days(365 * 20);
    let Some((stock, bookings)) = availability::load(&mut tx, org, item, today, far).await? else { return Ok(None) };
    let forever = Stock { reserve: 0, lendable: true, ..stock.clone() };
    let unit = &stock.count_unit;
    let refused = match availability::decide(&forever, &bookings, record.units, today, far, today, None) {
        Availability::Free { .. } => None,
        Availability::WrittenOff => Some("พัสดุนี้จำหน่ายออกจากบัญชีครบทุกหน่วยแล้ว".to_string()),
        Availability::Short { free, .. } | Availability::Reserved { free, .. } => Some(format!(
            "จำหน่ายได้ไม่เกิน {} {unit} จากที่มีในทะเบียน {} {unit} ส่วนที่เหลือถูกยืมออกไป จองไว้ หรือรอชดใช้",
            format_int(free, Digits::Thai),
            format_int(stock.on_hand, Digits::Thai)
        )),
        Availability::NotLendable => None,
    };
    if let Some(message) = refused {
        return Ok(Some(Err(vec![Problem { field: "units", message }])));
    }
    write_off_in(&mut tx, org, item, None, record, user).await?;
    tx.commit().await?;
    Ok(Some(Ok(())))
}

/// Sets the units the office keeps for its own needs and does not lend (consumables: ข้อ 210);
/// at least one unit must stay lendable. Bookings made before stand. `Ok(None)`: no such item here.
pub async fn set_reserve(
    db: &Db,
    org: OrgId,
    item: ItemId,
    reserve: i64,
    user: &User,
) -> anyhow::Result<Option<Result<(), Problem>>> {
    let mut tx = db.write(org).await?;
    let row = sqlx::query("SELECT quantity, reserve FROM items WHERE id = $1 AND org_id = $2")
        .bind(item.0)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let (on_hand, before): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    if reserve < 0 || reserve >= on_hand {
        let message =
            format!("จำนวนที่เก็บไว้ใช้ในราชการต้องไม่ติดลบ และน้อยกว่าจำนวนที่มีในทะเบียน ({})", format_int(on_hand, Digits::Thai));
        return Ok(Some(Err(Problem { field: "reserve", message })));
    }
    sqlx::query("UPDATE items SET reserve = $1, updated_at = $2 WHERE id = $3 AND org_id = $4")
        .bind(reserve)
        .bind(now())
        .bind(item.0)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        org,
        &loans::actor_name(user),
        "update",
        "item",
        &item.0.to_string(),
        Some(&serde_json::json!({ "reserve": before })),
        Some(&serde_json::json!({ "reserve": reserve })),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(())))
}

/// Records a write-off and lowers the units on hand, inside the caller's transaction; audited.
async fn write_off_in(
    tx: &mut Tx,
    org: OrgId,
    item: ItemId,
    loan: Option<LoanId>,
    record: &WriteOffRecord,
    user: &User,
) -> anyhow::Result<()> {
    let lowered = sqlx::query(
        "UPDATE items SET quantity = quantity - $1, updated_at = $2 WHERE id = $3 AND org_id = $4 AND quantity >= $1",
    )
    .bind(record.units)
    .bind(now())
    .bind(item.0)
    .bind(org.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    anyhow::ensure!(lowered == 1, "write-off of {} units of item {} exceeds its units on hand", record.units, item.0);
    let row = sqlx::query(
        "INSERT INTO item_write_offs (org_id, item_id, loan_id, quantity, day, reason, reference, by_user, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org.0)
    .bind(item.0)
    .bind(loan.map(|l| l.0))
    .bind(record.units)
    .bind(day_of(record.on))
    .bind(&record.reason)
    .bind(&record.reference)
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let write_off: i64 = row.try_get(0)?;
    let after = serde_json::json!({
        "write_off": write_off, "loan": loan.map(|l| l.0), "units": record.units, "day": record.on.to_string(),
        "reason": record.reason, "reference": record.reference,
    });
    crate::audit::record(
        tx,
        org,
        &loans::actor_name(user),
        "write_off",
        "item",
        &item.0.to_string(),
        None,
        Some(&after),
    )
    .await?;
    Ok(())
}

/// One write-off, as the item page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOff {
    pub day: NaiveDate,
    pub units: i64,
    pub reason: String,
    pub reference: String,
    pub by: String,
    pub loan: Option<LoanId>,
}

/// The write-offs of an item, oldest first.
pub async fn write_offs(db: &Db, org: OrgId, item: ItemId) -> Result<Vec<WriteOff>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT w.day, w.quantity, w.reason, w.reference, COALESCE(u.display_name, ''), w.loan_id
         FROM item_write_offs w LEFT JOIN users u ON u.id = w.by_user
         WHERE w.item_id = $1 AND w.org_id = $2 ORDER BY w.day, w.id",
    )
    .bind(item.0)
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(WriteOff {
                day: date_of(r.try_get(0)?),
                units: r.try_get(1)?,
                reason: r.try_get(2)?,
                reference: r.try_get(3)?,
                by: r.try_get(4)?,
                loan: r.try_get::<Option<i64>, _>(5)?.map(LoanId),
            })
        })
        .collect()
}
