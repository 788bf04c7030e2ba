//! SQL of loans: requests, the workflow's steps, follow-ups, and the lists officers work from.
//!
//! Every write runs in `Db::write(org)`, which serializes the organization's writers: the check
//! "is the item free for these days?" and the insert of the new request cannot interleave with
//! another request's, on PostgreSQL or SQLite.

use chrono::NaiveDate;
use sqlx::{AssertSqlSafe, Row};

use super::approvers::{self, Escalation};
use super::availability::{self, Availability};
use super::calendar::{FollowUpState, follow_up_state};
pub use super::refusals::{RequestRefusal, Short, StepRefusal};
use super::rules::{Duty, ItemClass, LendingRules, RequestFacts, UseType, check_request};
use super::workflow::{self, Action, Actor, Damage, LoanFacts, LoanStatus};
use super::{ItemId, LoanId, date_of, day_of, returns, store_rules};
use crate::auth::users::User;
use crate::db::code::decode;
use crate::db::{Db, Tx, now};
use crate::http::paging::PageRequest;
use crate::orgs::OrgId;

/// A request as the form (or an officer for an outside borrower) states it.
#[derive(Clone, Debug)]
pub struct LoanRequest {
    pub item_id: ItemId,
    /// The borrower's account when the borrower is a user (staff borrowing for themselves).
    pub borrower_user_id: Option<i64>,
    pub borrower_name: String,
    pub borrower_position: String,
    pub borrower_unit: String,
    pub borrower_is_agency: bool,
    pub urgent_need: bool,
    pub use_type: UseType,
    pub purpose: String,
    pub place_of_use: String,
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// Units asked for (at least 1).
    pub quantity: i64,
}

#[derive(Clone, Debug)]
pub struct Loan {
    pub id: LoanId,
    pub item_id: ItemId,
    pub asset_number: String,
    pub item_name: String,
    pub borrower_user_id: Option<i64>,
    pub borrower_name: String,
    pub borrower_position: String,
    pub borrower_unit: String,
    pub borrower_is_agency: bool,
    pub use_type: UseType,
    pub purpose: String,
    pub place_of_use: String,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub status: LoanStatus,
    pub required_duty: Duty,
    /// Why the request went to the head of the agency instead of the regular approver.
    pub escalation: Option<Escalation>,
    pub requested_by: i64,
    pub requested_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_note: String,
    pub handed_over_at: Option<i64>,
    pub handover_condition: String,
    pub returned_at: Option<i64>,
    pub return_condition: String,
    pub damage: Damage,
    pub settlement: Option<String>,
    pub settlement_note: String,
    pub settled_at: Option<i64>,
    pub last_follow_up: Option<NaiveDate>,
    /// Units lent, and how they are counted.
    pub quantity: i64,
    pub count_unit: String,
    /// Units back (in good order or not) or reported lost.
    pub units_back: i64,
    /// The settlement on record (ข้อ 209): amount in satang, receipt, day and the officer's name.
    pub settlement_amount: Option<i64>,
    pub settlement_receipt: String,
    pub settlement_day: Option<NaiveDate>,
    pub settled_by_name: Option<String>,
    /// The unit (division) that holds the item: its head approves use inside (ข้อ 208).
    pub holding_unit: Option<i64>,
    /// The delegation order the decision relied on, when the approver acted in someone's stead.
    pub delegation_id: Option<i64>,
}

impl Loan {
    pub fn facts(&self) -> LoanFacts {
        LoanFacts {
            requested_by: self.requested_by,
            borrower_user_id: self.borrower_user_id,
            use_type: self.use_type,
            required: self.required_duty,
        }
    }

    /// Where the loan stands against its due date (only for loans still out).
    pub fn follow_up(&self, today: NaiveDate, rules: &LendingRules) -> Option<FollowUpState> {
        (self.status == LoanStatus::HandedOver).then(|| follow_up_state(self.due, today, self.last_follow_up, rules))
    }

    pub(crate) fn snapshot(&self) -> serde_json::Value {
        serde_json::json!({
            "item": self.asset_number, "borrower": self.borrower_name, "use_type": self.use_type.code(),
            "purpose": self.purpose, "place_of_use": self.place_of_use,
            "start": self.start.to_string(), "due": self.due.to_string(), "status": self.status.code(),
            "decision_note": self.decision_note, "handover_condition": self.handover_condition,
            "return_condition": self.return_condition, "damage": self.damage.code(),
            "settlement": self.settlement, "settlement_note": self.settlement_note,
            "settlement_amount_satang": self.settlement_amount, "settlement_receipt": self.settlement_receipt,
            "settlement_day": self.settlement_day.map(|d| d.to_string()),
            "approver": self.required_duty.code(), "quantity": self.quantity, "units_back": self.units_back,
            "escalation": self.escalation.map(Escalation::code),
            "delegation": self.delegation_id,
        })
    }
}

const SELECT: &str = "SELECT l.id, l.item_id, i.asset_number, i.name AS item_name, l.borrower_user_id, l.borrower_name,
    l.borrower_position, l.borrower_unit, l.borrower_is_agency, l.use_type, l.purpose, l.place_of_use, l.start_day,
    l.due_day, l.status, l.required_duty, l.escalation, l.requested_by, l.requested_at, l.decided_by, l.decided_at, l.decision_note,
    l.handed_over_at, l.handover_condition, l.returned_at, l.return_condition, l.damage, l.settlement,
    l.settlement_note, l.settled_at,
    (SELECT MAX(f.day) FROM loan_follow_ups f WHERE f.loan_id = l.id) AS last_follow_up,
    l.quantity, i.count_unit,
    CAST(COALESCE((SELECT SUM(r.quantity) FROM loan_returns r WHERE r.loan_id = l.id), 0) AS BIGINT) AS units_back,
    l.settlement_amount, l.settlement_receipt, l.settlement_day,
    (SELECT u.display_name FROM users u WHERE u.id = l.settled_by) AS settled_by_name,
    i.division_id AS holding_unit, l.delegation_id
    FROM loans l JOIN items i ON i.id = l.item_id AND i.org_id = l.org_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Loan, sqlx::Error> {
    let text = |c: &str| -> Result<String, sqlx::Error> { r.try_get(c) };
    let id: i64 = r.try_get("id")?;
    let code = |c: &'static str| -> Result<String, sqlx::Error> { r.try_get(c) };
    Ok(Loan {
        id: LoanId(id),
        item_id: ItemId(r.try_get("item_id")?),
        asset_number: text("asset_number")?,
        item_name: text("item_name")?,
        borrower_user_id: r.try_get("borrower_user_id")?,
        borrower_name: text("borrower_name")?,
        borrower_position: text("borrower_position")?,
        borrower_unit: text("borrower_unit")?,
        borrower_is_agency: r.try_get::<i64, _>("borrower_is_agency")? != 0,
        use_type: decode("loans", "use_type", id, &code("use_type")?)?,
        purpose: text("purpose")?,
        place_of_use: text("place_of_use")?,
        start: date_of(r.try_get("start_day")?),
        due: date_of(r.try_get("due_day")?),
        status: decode("loans", "status", id, &code("status")?)?,
        required_duty: decode("loans", "required_duty", id, &code("required_duty")?)?,
        escalation: Escalation::parse(&text("escalation")?),
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision_note: text("decision_note")?,
        handed_over_at: r.try_get("handed_over_at")?,
        handover_condition: text("handover_condition")?,
        returned_at: r.try_get("returned_at")?,
        return_condition: text("return_condition")?,
        damage: decode("loans", "damage", id, &code("damage")?)?,
        settlement: r.try_get("settlement")?,
        settlement_note: text("settlement_note")?,
        settled_at: r.try_get("settled_at")?,
        last_follow_up: r.try_get::<Option<i64>, _>("last_follow_up")?.map(date_of),
        quantity: r.try_get("quantity")?,
        count_unit: text("count_unit")?,
        units_back: r.try_get("units_back")?,
        settlement_amount: r.try_get("settlement_amount")?,
        settlement_receipt: text("settlement_receipt")?,
        settlement_day: r.try_get::<Option<i64>, _>("settlement_day")?.map(date_of),
        settled_by_name: r.try_get("settled_by_name")?,
        holding_unit: r.try_get("holding_unit")?,
        delegation_id: r.try_get("delegation_id")?,
    })
}

/// Files a request, or says why not. The item must be the org's, lendable, and free on those days.
pub async fn request(
    db: &Db,
    org: OrgId,
    req: &LoanRequest,
    requester: &User,
    today: NaiveDate,
) -> anyhow::Result<Result<LoanId, RequestRefusal>> {
    let rules = store_rules::load(db, org).await?;
    let mut tx = db.write(org).await?;
    let item = sqlx::query("SELECT class, lendable, division_id FROM items WHERE id = $1 AND org_id = $2")
        .bind(req.item_id.0)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(item) = item else { return Ok(Err(RequestRefusal::NoSuchItem)) };
    let class: ItemClass = decode("items", "class", req.item_id.0, &item.try_get::<String, _>(0)?)?;
    let facts = RequestFacts {
        item_class: class,
        use_type: req.use_type,
        borrower_is_agency: req.borrower_is_agency,
        urgent_need: req.urgent_need,
        purpose: &req.purpose,
        place_of_use: &req.place_of_use,
        borrower_name: &req.borrower_name,
        start: req.start,
        due: req.due,
        today,
    };
    if let Err(errors) = check_request(&rules, &facts) {
        return Ok(Err(RequestRefusal::Rules(errors)));
    }
    if req.quantity < 1 {
        return Ok(Err(RequestRefusal::NoUnits));
    }
    let asked = Asked { units: req.quantity, start: req.start, due: req.due };
    if let Some(taken) = clash(&mut tx, org, req.item_id, None, asked, today).await? {
        return Ok(Err(taken));
    }
    let regular = rules.approver_for(req.use_type);
    let holding_unit: Option<i64> = item.try_get(2)?;
    let holders = super::delegation::regular_approvers(db, org, regular, holding_unit).await?;
    let route = approvers::route(regular, &holders, requester.id, req.borrower_user_id);
    let row = sqlx::query(
        "INSERT INTO loans (org_id, item_id, borrower_user_id, borrower_name, borrower_position, borrower_unit,
            borrower_is_agency, urgent_need, use_type, purpose, place_of_use, quantity, start_day, due_day, status,
            required_duty, escalation, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
    )
    .bind(org.0)
    .bind(req.item_id.0)
    .bind(req.borrower_user_id)
    .bind(req.borrower_name.trim())
    .bind(req.borrower_position.trim())
    .bind(req.borrower_unit.trim())
    .bind(req.borrower_is_agency as i64)
    .bind(req.urgent_need as i64)
    .bind(req.use_type.code())
    .bind(req.purpose.trim())
    .bind(req.place_of_use.trim())
    .bind(req.quantity)
    .bind(day_of(req.start))
    .bind(day_of(req.due))
    .bind(LoanStatus::Requested.code())
    .bind(route.duty.code())
    .bind(route.escalation.map_or("", Escalation::code))
    .bind(requester.id)
    // A request entered for an earlier day (the paper form came first; the demo) is stamped then.
    .bind(if today == super::today() { now() } else { stamp_of(today) })
    .fetch_one(&mut *tx)
    .await?;
    let id = LoanId(row.try_get(0)?);
    let loan = find_in(&mut tx, org, id).await?.expect("just inserted");
    crate::audit::record(
        &mut tx,
        org,
        &actor_name(requester),
        "create",
        "loan",
        &id.0.to_string(),
        None,
        Some(&loan.snapshot()),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Units of an item over some days.
#[derive(Clone, Copy, Debug)]
struct Asked {
    units: i64,
    start: NaiveDate,
    due: NaiveDate,
}

/// Why the units are not free for `start..=due` (other than for `except`), from [`availability`].
async fn clash(
    tx: &mut Tx,
    org: OrgId,
    item: ItemId,
    except: Option<LoanId>,
    asked: Asked,
    today: NaiveDate,
) -> Result<Option<RequestRefusal>, sqlx::Error> {
    let Some((stock, bookings)) = availability::load(tx, org, item, asked.start, asked.due).await? else {
        return Ok(Some(RequestRefusal::NoSuchItem));
    };
    let consumable = sqlx::query("SELECT class FROM items WHERE id = $1 AND org_id = $2")
        .bind(item.0)
        .bind(org.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get::<String, _>(0)?
        == ItemClass::Consumable.code();
    let unit = stock.count_unit.clone();
    Ok(match availability::decide(&stock, &bookings, asked.units, asked.start, asked.due, today, except) {
        Availability::Free { .. } => None,
        Availability::NotLendable => Some(RequestRefusal::NotLendable),
        Availability::WrittenOff => Some(RequestRefusal::WrittenOff),
        Availability::Short { on, wanted, free, on_hand, by } => {
            Some(RequestRefusal::Short { short: Short { on, wanted, free, on_hand, by }, unit })
        }
        Availability::Reserved { on, wanted, free, reserve } => {
            Some(RequestRefusal::Reserved { on, wanted, free, reserve, unit, consumable })
        }
    })
}

pub(crate) async fn find_in(tx: &mut Tx, org: OrgId, id: LoanId) -> Result<Option<Loan>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("{SELECT} WHERE l.id = $1 AND l.org_id = $2")))
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find(db: &Db, org: OrgId, id: LoanId) -> Result<Option<Loan>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("{SELECT} WHERE l.id = $1 AND l.org_id = $2")))
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Loans of the organization, newest first; `statuses` empty = all.
pub async fn list(db: &Db, org: OrgId, statuses: &[LoanStatus]) -> Result<Vec<Loan>, sqlx::Error> {
    let filter = if statuses.is_empty() {
        String::new()
    } else {
        let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
        format!(" AND l.status IN ({})", codes.join(", "))
    };
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{SELECT} WHERE l.org_id = $1{filter} ORDER BY l.start_day DESC, l.id DESC"
    )))
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One page of the organization's loans, newest first, with how many match in all. The search
/// matches the borrower's or the item's name anywhere, or the asset number in either digits.
pub async fn page(db: &Db, org: OrgId, request: &PageRequest) -> Result<(Vec<Loan>, i64), sqlx::Error> {
    // `i.org_id` too: the search's OR spans both tables, and without it PostgreSQL may walk every
    // organization's items to join them (tests/http/query_plans.rs found it).
    const MATCHES: &str = "l.org_id = $1 AND i.org_id = $1 AND ($2 = '' OR l.borrower_name LIKE $3 ESCAPE '\\' \
                           OR i.name LIKE $3 ESCAPE '\\' OR i.asset_number_key LIKE $4 ESCAPE '\\')";
    let name = request.like_pattern();
    let number = PageRequest { search: super::asset_number::key(&request.search), ..request.clone() }.like_pattern();
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{SELECT} WHERE {MATCHES} ORDER BY l.start_day DESC, l.id DESC LIMIT $5 OFFSET $6"
    )))
    .bind(org.0)
    .bind(&request.search)
    .bind(&name)
    .bind(&number)
    .bind(request.limit())
    .bind(request.offset())
    .fetch_all(&db.pool)
    .await?;
    let loans = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let (total,): (i64,) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id AND i.org_id = l.org_id WHERE {MATCHES}"
    )))
    .bind(org.0)
    .bind(&request.search)
    .bind(&name)
    .bind(&number)
    .fetch_one(&db.pool)
    .await?;
    Ok((loans, total))
}

/// Loans of one item, newest first.
pub async fn list_for_item(db: &Db, org: OrgId, item: ItemId) -> Result<Vec<Loan>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{SELECT} WHERE l.org_id = $1 AND l.item_id = $2 ORDER BY l.start_day DESC"
    )))
    .bind(org.0)
    .bind(item.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// What the person taking a step writes down with it.
#[derive(Clone, Debug, Default)]
pub struct StepNote {
    /// Decision note, condition at hand-over, or condition on return.
    pub note: String,
    /// The day the hand-over or return happened; `None` = today.
    pub on: Option<NaiveDate>,
    /// Units coming back with a return; `None` = all still out.
    pub units: Option<i64>,
}

/// Takes one step of the workflow. `Ok(None)`: no such loan in this organization.
///
/// A return brings back `note.units` (default: all still out); the loan stays handed over until
/// every unit is accounted for (see [`returns::Tally`]).
pub async fn act(
    db: &Db,
    org: OrgId,
    id: LoanId,
    action: Action,
    user: &User,
    duties: &[Duty],
    note: &StepNote,
) -> anyhow::Result<Option<Result<LoanStatus, StepRefusal>>> {
    // A settlement has its own record (amount, receipt, day): one path for it.
    if let Action::Settle { how } = action {
        let form = super::settlement::SettlementForm {
            how: how.code().into(),
            on: note.on,
            note: note.note.clone(),
            ..Default::default()
        };
        let settled = super::store_settlement::settle(db, org, id, &form, user, duties).await?;
        return Ok(settled.map(|r| r.map(|()| LoanStatus::Closed)));
    }
    let mut tx = db.write(org).await?;
    let Some(loan) = find_in(&mut tx, org, id).await? else { return Ok(None) };
    // Approving, rejecting, cancelling: the duties this user may use on this loan (as the head of
    // the holding unit, or under a delegation order, which the decision then records).
    let (actor, delegation) = if matches!(action, Action::Approve | Action::Reject | Action::Cancel) {
        let authority = super::delegation::authority(db, org, user.id, super::today()).await?;
        let (deciding, order) = authority.deciding(&loan.facts(), loan.holding_unit);
        (Actor { user_id: user.id, duties: deciding }, order)
    } else {
        (Actor { user_id: user.id, duties: duties.to_vec() }, None)
    };
    let mut next = match workflow::next(loan.status, &action, &actor, &loan.facts()) {
        Ok(next) => next,
        Err(e) => return Ok(Some(Err(StepRefusal::Workflow(e)))),
    };
    let today = super::today();
    let on = note.on.unwrap_or(today);
    let returned = returns::list_in(&mut tx, org, id).await?;
    let tally = returns::tally(loan.quantity, &returned);
    let dated = match action {
        Action::HandOver => workflow::check_hand_over_date(loan.start, loan.due, on, today),
        Action::Return { .. } => {
            // Not before the hand-over, nor before the return of earlier units.
            let handed_over = loan.handed_over_at.map(thai_day).unwrap_or(loan.start);
            workflow::check_return_date(handed_over.max(tally.last_day.unwrap_or(handed_over)), on, today)
        }
        _ => Ok(()),
    };
    if let Err(e) = dated {
        return Ok(Some(Err(StepRefusal::Date(e))));
    }
    // Since the request, units may have been written off or another loan may be out: approving
    // or handing over must see the item as it is now.
    let asked = Asked { units: loan.quantity, start: loan.start, due: loan.due };
    if matches!(action, Action::Approve | Action::HandOver)
        && let Some(taken) = clash(&mut tx, org, loan.item_id, Some(loan.id), asked, today).await?
    {
        return Ok(Some(Err(StepRefusal::Item(taken))));
    }
    let text = note.note.trim();
    // The return of some units: recorded on its own; the loan ends when all are back.
    let mut complete = true;
    if let Action::Return { damage } = action {
        let units = note.units.unwrap_or(tally.outstanding());
        if let Err(error) = tally.check(units) {
            return Ok(Some(Err(StepRefusal::Units { error, unit: loan.count_unit.clone() })));
        }
        let back = returns::Return { day: on, quantity: units, damage, condition: text.to_string(), received_by: None };
        returns::record_in(&mut tx, org, id, &back, user.id).await?;
        let after = tally.after(units, damage, on);
        next = after.status();
        complete = after.outstanding() == 0;
        sqlx::query("UPDATE loans SET status = $1, damage = $2 WHERE id = $3 AND org_id = $4")
            .bind(next.code())
            .bind(after.worst.code())
            .bind(id.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
    }
    // A step recorded for an earlier day is stamped at noon, Thai time, of that day.
    let at = if on == today { now() } else { stamp_of(on) };
    let condition = match action {
        Action::Return { .. } if complete => {
            returns::summary_th(&returns::list_in(&mut tx, org, id).await?, &loan.count_unit, crate::thai::Digits::Thai)
        }
        _ => text.to_string(),
    };
    let sql = match action {
        Action::Approve | Action::Reject | Action::Cancel => {
            "UPDATE loans SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5 AND org_id = $6"
        }
        Action::HandOver => {
            "UPDATE loans SET status = $1, handed_over_by = $2, handed_over_at = $3, handover_condition = $4 WHERE id = $5 AND org_id = $6"
        }
        Action::Return { .. } => {
            "UPDATE loans SET status = $1, return_received_by = $2, returned_at = $3, return_condition = $4 WHERE id = $5 AND org_id = $6"
        }
        Action::Settle { .. } => unreachable!("settlements are recorded by store_settlement::settle"),
    };
    if complete {
        sqlx::query(sql)
            .bind(next.code())
            .bind(user.id)
            .bind(at)
            .bind(condition)
            .bind(id.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
    }
    if matches!(action, Action::Approve | Action::Reject) {
        sqlx::query("UPDATE loans SET delegation_id = $1 WHERE id = $2 AND org_id = $3")
            .bind(delegation)
            .bind(id.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
    }
    let after = find_in(&mut tx, org, id).await?.expect("still there");
    crate::audit::record(
        &mut tx,
        org,
        &actor_name(user),
        action.code(),
        "loan",
        &id.0.to_string(),
        Some(&loan.snapshot()),
        Some(&after.snapshot()),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(next)))
}

/// Records a follow-up of an overdue loan (ข้อ 211). Ok(false): no such loan still out.
pub async fn follow_up(
    db: &Db,
    org: OrgId,
    id: LoanId,
    user: &User,
    note: &str,
    today: NaiveDate,
) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let Some(loan) = find_in(&mut tx, org, id).await? else { return Ok(false) };
    if loan.status != LoanStatus::HandedOver {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO loan_follow_ups (org_id, loan_id, day, by_user, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org.0)
    .bind(id.0)
    .bind(day_of(today))
    .bind(user.id)
    .bind(note.trim())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "loan": id.0, "day": today.to_string(), "note": note.trim() });
    crate::audit::record(&mut tx, org, &actor_name(user), "follow_up", "loan", &id.0.to_string(), None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The follow-ups of a loan: (day, note, by user id).
pub async fn follow_ups(db: &Db, org: OrgId, id: LoanId) -> Result<Vec<(NaiveDate, String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT day, note, by_user FROM loan_follow_ups WHERE loan_id = $1 AND org_id = $2 ORDER BY day, id",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((date_of(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?))).collect()
}

/// The instant a step recorded for an earlier day is stamped with: noon of that day, Thai time.
pub(crate) fn stamp_of(day: NaiveDate) -> i64 {
    day.and_hms_opt(5, 0, 0).expect("valid").and_utc().timestamp()
}

/// The Thai calendar day of an instant (epoch seconds).
pub(crate) fn thai_day(epoch_seconds: i64) -> NaiveDate {
    (chrono::DateTime::from_timestamp(epoch_seconds, 0).unwrap_or_default() + chrono::Duration::hours(7)).date_naive()
}

pub(crate) fn actor_name(user: &User) -> String {
    format!("{} ({})", user.username, user.display_name)
}
