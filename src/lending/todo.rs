//! Each user's lending to-do list: the loans waiting for *this* user, in five sections, and the
//! count shown as a badge in the staff menu.
//!
//! Which section a loan falls in is one pure function ([`section_of`]) over the workflow's own
//! permission check ([`workflow::next`]), so the list, the badge, the dashboard and the buttons on
//! the loan page always agree on who may act.

use chrono::NaiveDate;
use sqlx::Row;

use super::delegation::Authority;
use super::loans::Loan;
use super::workflow::{self, Action, Actor, Damage, LoanFacts, LoanStatus, Settlement};
use super::{date_of, day_of};
use crate::auth::users::User;
use crate::db::Db;
use crate::db::code::decode;
use crate::orgs::OrgId;

/// A section of the to-do list. The ids are stable: pages, tests and the browser test find the
/// sections by them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// Requests this user may approve now (escalated ones included).
    Approve,
    /// Approved loans the supplies staff must hand over.
    HandOver,
    /// Loans out that are due back today.
    DueToday,
    /// Loans out past their due date.
    Overdue,
    /// Returned damaged or lost, not settled yet.
    Settlement,
}

impl Section {
    pub const ALL: [Section; 5] =
        [Section::Approve, Section::HandOver, Section::DueToday, Section::Overdue, Section::Settlement];

    /// The `id` of the section's element on the to-do page.
    pub fn html_id(self) -> &'static str {
        match self {
            Section::Approve => "todo-approve",
            Section::HandOver => "todo-hand-over",
            Section::DueToday => "todo-due-today",
            Section::Overdue => "todo-overdue",
            Section::Settlement => "todo-settlement",
        }
    }

    pub fn heading_th(self) -> &'static str {
        match self {
            Section::Approve => "รอท่านอนุมัติ",
            Section::HandOver => "อนุมัติแล้ว รอส่งมอบพัสดุ",
            Section::DueToday => "ครบกำหนดส่งคืนวันนี้",
            Section::Overdue => "เกินกำหนดส่งคืน",
            Section::Settlement => "รอการชดใช้ความชำรุดเสียหาย/สูญหาย",
        }
    }

    pub fn empty_th(self) -> &'static str {
        match self {
            Section::Approve => "ไม่มีคำขอที่รอท่านอนุมัติ",
            Section::HandOver => "ไม่มีรายการที่รอส่งมอบ",
            Section::DueToday => "ไม่มีรายการที่ครบกำหนดวันนี้",
            Section::Overdue => "ไม่มีรายการที่เกินกำหนด",
            Section::Settlement => "ไม่มีรายการที่รอการชดใช้",
        }
    }
}

/// The user whose list it is: their duties (store steps), their authority to decide (duties, the
/// units they head, delegation orders to them) and whether they may run the store's records at
/// all (executives decide, but do not hand items over).
#[derive(Clone, Debug)]
pub struct Me {
    pub actor: Actor,
    pub authority: Authority,
    pub can_edit: bool,
}

impl Me {
    pub fn new(user_id: i64, can_edit: bool, authority: Authority) -> Me {
        Me { actor: Actor { user_id, duties: authority.me.duties.clone() }, authority, can_edit }
    }

    /// The user as of `today`, from the database.
    pub async fn load(db: &Db, org: OrgId, user: &User, today: NaiveDate) -> Result<Me, sqlx::Error> {
        let authority = super::delegation::authority(db, org, user.id, today).await?;
        Ok(Me::new(user.id, user.role.can_edit(), authority))
    }

    /// May approve (or reject) the request, by duty, as head of the holding unit, or by an order.
    pub fn may_decide(&self, status: LoanStatus, loan: &LoanFacts, unit: Option<i64>) -> bool {
        let (duties, _) = self.authority.deciding(loan, unit);
        let actor = Actor { user_id: self.actor.user_id, duties };
        workflow::next(status, &Action::Approve, &actor, loan).is_ok()
    }

    fn may(&self, status: LoanStatus, action: Action, loan: &LoanFacts) -> bool {
        workflow::next(status, &action, &self.actor, loan).is_ok()
    }

    /// May record this store step (hand-over, return, settlement) on the loan.
    fn runs_store_for(&self, status: LoanStatus, action: Action, loan: &LoanFacts) -> bool {
        self.can_edit && self.may(status, action, loan)
    }

    /// Requested or borrows it: told to bring it back or to settle.
    fn involved_in(&self, loan: &LoanFacts) -> bool {
        loan.requested_by == self.actor.user_id || loan.borrower_user_id == Some(self.actor.user_id)
    }
}

/// The section a loan (its item held by `unit`) is in for `me` today, if any. A loan is in at
/// most one section.
pub fn section_of(
    status: LoanStatus,
    loan: &LoanFacts,
    unit: Option<i64>,
    due: NaiveDate,
    me: &Me,
    today: NaiveDate,
) -> Option<Section> {
    let returns = |s: Section| {
        (me.runs_store_for(status, Action::Return { damage: Damage::None }, loan) || me.involved_in(loan)).then_some(s)
    };
    match status {
        LoanStatus::Requested => me.may_decide(status, loan, unit).then_some(Section::Approve),
        LoanStatus::Approved => me.runs_store_for(status, Action::HandOver, loan).then_some(Section::HandOver),
        LoanStatus::HandedOver if due == today => returns(Section::DueToday),
        LoanStatus::HandedOver if due < today => returns(Section::Overdue),
        LoanStatus::AwaitingSettlement => (me.runs_store_for(status, Action::Settle { how: Settlement::Repair }, loan)
            || me.involved_in(loan))
        .then_some(Section::Settlement),
        _ => None,
    }
}

/// The active users of `org` for whom `loan` is in `section` of their to-do list today: (id, name).
pub async fn readers(
    db: &Db,
    org: OrgId,
    loan: &Loan,
    section: Section,
    today: NaiveDate,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, role, display_name FROM users WHERE org_id = $1 AND active = 1 ORDER BY id")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        let role: crate::auth::Role = decode("users", "role", id, &r.try_get::<String, _>(1)?)?;
        let authority = super::delegation::authority(db, org, id, today).await?;
        let me = Me::new(id, role.can_edit(), authority);
        if section_of(loan.status, &loan.facts(), loan.holding_unit, loan.due, &me, today) == Some(section) {
            out.push((id, r.try_get(2)?));
        }
    }
    Ok(out)
}

/// The statuses that can put a loan on someone's list.
pub const OPEN: [LoanStatus; 4] =
    [LoanStatus::Requested, LoanStatus::Approved, LoanStatus::HandedOver, LoanStatus::AwaitingSettlement];

/// The badge's query: the open loans of the organization with just what [`section_of`] reads. It
/// reads the organization's open loans through the index `loans_by_org_status (org_id, status,
/// due_day)`, never other organizations' rows; loans out and due later than today are skipped
/// there too. The user's authority ([`Me::load`]) is a few lookups by user and organization.
pub const BADGE_SQL: &str = "SELECT l.id, l.status, l.requested_by, l.borrower_user_id, l.use_type, l.required_duty,
        l.due_day, i.division_id
    FROM loans l JOIN items i ON i.id = l.item_id
    WHERE l.org_id = $1 AND (l.status IN ('requested', 'approved', 'awaiting_settlement')
        OR (l.status = 'handed_over' AND l.due_day <= $2))";

/// How many loans wait for this user today: the sum of their to-do sections.
pub async fn badge(db: &Db, org: OrgId, user: &User, today: NaiveDate) -> Result<u32, sqlx::Error> {
    let rows = sqlx::query(BADGE_SQL).bind(org.0).bind(day_of(today)).fetch_all(&db.pool).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let me = Me::load(db, org, user, today).await?;
    let mut count = 0;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let code = |c: &'static str| -> Result<String, sqlx::Error> { r.try_get(c) };
        let status: LoanStatus = decode("loans", "status", id, &code("status")?)?;
        let facts = LoanFacts {
            requested_by: r.try_get("requested_by")?,
            borrower_user_id: r.try_get("borrower_user_id")?,
            use_type: decode("loans", "use_type", id, &code("use_type")?)?,
            required: decode("loans", "required_duty", id, &code("required_duty")?)?,
        };
        let due = date_of(r.try_get("due_day")?);
        if section_of(status, &facts, r.try_get("division_id")?, due, &me, today).is_some() {
            count += 1;
        }
    }
    Ok(count)
}

/// The to-do list: every section with its loans, in the order of `loans`.
pub fn sections<'a>(loans: &'a [Loan], me: &Me, today: NaiveDate) -> Vec<(Section, Vec<&'a Loan>)> {
    let mut out: Vec<(Section, Vec<&Loan>)> = Section::ALL.iter().map(|s| (*s, Vec::new())).collect();
    for loan in loans {
        if let Some(section) = section_of(loan.status, &loan.facts(), loan.holding_unit, loan.due, me, today) {
            out.iter_mut().find(|(s, _)| *s == section).expect("every section listed").1.push(loan);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lending::delegation::Holder;
    use crate::lending::rules::{Duty, UseType};

    const HEAD: i64 = 1;
    const MAYOR: i64 = 2;
    const CLERK: i64 = 3;
    const ADMIN: i64 = 4;

    fn me(user_id: i64, duties: &[Duty], can_edit: bool) -> Me {
        let authority =
            Authority { me: Holder { user_id, duties: duties.to_vec(), heads: vec![] }, ..Default::default() };
        Me::new(user_id, can_edit, authority)
    }

    fn facts(requested_by: i64, borrower: Option<i64>, required: Duty) -> LoanFacts {
        LoanFacts { requested_by, borrower_user_id: borrower, use_type: UseType::Inside, required }
    }

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, n).unwrap()
    }

    #[test]
    fn a_request_is_on_the_list_of_who_may_approve_it_only() {
        let loan = facts(ADMIN, None, Duty::SuppliesHead);
        let head = me(HEAD, &[Duty::SuppliesHead], true);
        let mayor = me(MAYOR, &[Duty::OrgHead], false);
        let s = |m: &Me| section_of(LoanStatus::Requested, &loan, None, day(10), m, day(1));
        assert_eq!(s(&head), Some(Section::Approve));
        assert_eq!(s(&mayor), None);
        assert_eq!(s(&me(ADMIN, &[], true)), None, "the requester does not decide");
        // Escalated to the head of the agency: on the mayor's list, not on the requesting head's.
        let escalated = facts(HEAD, None, Duty::OrgHead);
        assert_eq!(
            section_of(LoanStatus::Requested, &escalated, None, day(10), &mayor, day(1)),
            Some(Section::Approve)
        );
        assert_eq!(section_of(LoanStatus::Requested, &escalated, None, day(10), &head, day(1)), None);
    }

    #[test]
    fn store_steps_are_on_supplies_staff_lists_never_the_borrowers_own() {
        let officer = me(CLERK, &[Duty::SuppliesOfficer], true);
        let loan = facts(ADMIN, None, Duty::SuppliesHead);
        assert_eq!(section_of(LoanStatus::Approved, &loan, None, day(5), &officer, day(1)), Some(Section::HandOver));
        assert_eq!(section_of(LoanStatus::HandedOver, &loan, None, day(1), &officer, day(1)), Some(Section::DueToday));
        assert_eq!(section_of(LoanStatus::HandedOver, &loan, None, day(1), &officer, day(3)), Some(Section::Overdue));
        assert_eq!(section_of(LoanStatus::HandedOver, &loan, None, day(9), &officer, day(3)), None, "not due yet");
        assert_eq!(
            section_of(LoanStatus::AwaitingSettlement, &loan, None, day(1), &officer, day(3)),
            Some(Section::Settlement)
        );
        // An executive holding a supplies duty still does not run the store's records.
        let exec = me(MAYOR, &[Duty::SuppliesOfficer], false);
        assert_eq!(section_of(LoanStatus::Approved, &loan, None, day(5), &exec, day(1)), None);
        // The officer's own loan is not theirs to hand over, but theirs to bring back.
        let own = facts(ADMIN, Some(CLERK), Duty::SuppliesHead);
        assert_eq!(section_of(LoanStatus::Approved, &own, None, day(5), &officer, day(1)), None);
        assert_eq!(section_of(LoanStatus::HandedOver, &own, None, day(1), &officer, day(3)), Some(Section::Overdue));
    }

    #[test]
    fn a_requester_without_duties_sees_their_loans_due_and_to_settle_only() {
        let admin = me(ADMIN, &[], true);
        let loan = facts(ADMIN, None, Duty::OrgHead);
        assert_eq!(section_of(LoanStatus::Approved, &loan, None, day(5), &admin, day(1)), None);
        assert_eq!(section_of(LoanStatus::HandedOver, &loan, None, day(1), &admin, day(1)), Some(Section::DueToday));
        assert_eq!(
            section_of(LoanStatus::AwaitingSettlement, &loan, None, day(1), &admin, day(3)),
            Some(Section::Settlement)
        );
        let others = facts(CLERK, None, Duty::OrgHead);
        assert_eq!(section_of(LoanStatus::HandedOver, &others, None, day(1), &admin, day(3)), None);
        for status in [LoanStatus::Returned, LoanStatus::Closed, LoanStatus::Rejected, LoanStatus::Cancelled] {
            assert_eq!(section_of(status, &loan, None, day(1), &admin, day(3)), None);
        }
    }

    #[test]
    fn section_ids_are_distinct_and_prefixed() {
        let ids: std::collections::HashSet<_> = Section::ALL.iter().map(|s| s.html_id()).collect();
        assert_eq!(ids.len(), 5);
        assert!(ids.iter().all(|i| i.starts_with("todo-")));
    }
}
