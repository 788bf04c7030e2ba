//! The life of a loan: request → approval → hand-over → return and inspection → settlement.
//!
//! ```text
//! Requested ──Approve──▶ Approved ──HandOver──▶ HandedOver ──Return{None}──▶ Returned (final)
//!    │  └──Reject──▶ Rejected (final)                  └──Return{Damaged|Lost}──▶ AwaitingSettlement
//!    └──Cancel (also from Approved)──▶ Cancelled (final)                  ──Settle──▶ Closed (final)
//! ```
//! `Returned` is final: the item came back as lent and was inspected then, so there is nothing
//! left to do. `Closed` is reached only through a settlement of damage or loss (ข้อ 209), so the
//! two final states also tell which loans ended in a settlement.

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use super::rules::{Duty, UseType};

/// Where a loan stands. The codes are stored in the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    Requested,
    Approved,
    Rejected,
    HandedOver,
    Returned,
    AwaitingSettlement,
    Closed,
    Cancelled,
}

crate::from_str_by_parse!(LoanStatus);

impl LoanStatus {
    pub const ALL: [LoanStatus; 8] = [
        LoanStatus::Requested,
        LoanStatus::Approved,
        LoanStatus::Rejected,
        LoanStatus::HandedOver,
        LoanStatus::Returned,
        LoanStatus::AwaitingSettlement,
        LoanStatus::Closed,
        LoanStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LoanStatus::Requested => "requested",
            LoanStatus::Approved => "approved",
            LoanStatus::Rejected => "rejected",
            LoanStatus::HandedOver => "handed_over",
            LoanStatus::Returned => "returned",
            LoanStatus::AwaitingSettlement => "awaiting_settlement",
            LoanStatus::Closed => "closed",
            LoanStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<LoanStatus> {
        LoanStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            LoanStatus::Requested => "รออนุมัติ",
            LoanStatus::Approved => "อนุมัติแล้ว รอส่งมอบ",
            LoanStatus::Rejected => "ไม่อนุมัติ",
            LoanStatus::HandedOver => "ส่งมอบแล้ว อยู่ระหว่างยืม",
            LoanStatus::Returned => "ส่งคืนเรียบร้อย",
            LoanStatus::AwaitingSettlement => "รอชดใช้ความชำรุดเสียหาย/สูญหาย",
            LoanStatus::Closed => "ชดใช้แล้ว ปิดรายการ",
            LoanStatus::Cancelled => "ยกเลิก",
        }
    }

    /// No action applies any more.
    pub fn is_final(self) -> bool {
        matches!(self, LoanStatus::Rejected | LoanStatus::Returned | LoanStatus::Closed | LoanStatus::Cancelled)
    }
}

/// The state of the item found at return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Damage {
    None,
    Damaged,
    Lost,
}

crate::from_str_by_parse!(Damage);

impl Damage {
    pub const ALL: [Damage; 3] = [Damage::None, Damage::Damaged, Damage::Lost];

    pub fn code(self) -> &'static str {
        match self {
            Damage::None => "none",
            Damage::Damaged => "damaged",
            Damage::Lost => "lost",
        }
    }

    pub fn parse(code: &str) -> Option<Damage> {
        Damage::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Damage::None => "สภาพเรียบร้อย",
            Damage::Damaged => "ชำรุดเสียหายหรือใช้การไม่ได้",
            Damage::Lost => "สูญหาย",
        }
    }

    /// The ways the borrower may settle this damage (ข้อ 209); a lost item cannot be repaired.
    pub fn settlements(self) -> &'static [Settlement] {
        match self {
            Damage::None => &[],
            Damage::Damaged => &Settlement::ALL,
            Damage::Lost => &[Settlement::Replace, Settlement::Pay],
        }
    }
}

/// How the borrower makes good a damaged or lost item (ข้อ 209).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Repair,
    Replace,
    Pay,
}

impl Settlement {
    pub const ALL: [Settlement; 3] = [Settlement::Repair, Settlement::Replace, Settlement::Pay];

    pub fn code(self) -> &'static str {
        match self {
            Settlement::Repair => "repair",
            Settlement::Replace => "replace",
            Settlement::Pay => "pay",
        }
    }

    pub fn parse(code: &str) -> Option<Settlement> {
        Settlement::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Settlement::Repair => "ซ่อมแซมให้คงสภาพเดิม",
            Settlement::Replace => "ชดใช้เป็นพัสดุประเภท ชนิด ขนาด ลักษณะและคุณภาพอย่างเดียวกัน",
            Settlement::Pay => "ชดใช้เป็นเงินตามราคาที่เป็นอยู่ในขณะยืม",
        }
    }
}

/// A step someone takes on a loan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    HandOver,
    Return { damage: Damage },
    Settle { how: Settlement },
    Cancel,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::HandOver => "hand_over",
            Action::Return { .. } => "return",
            Action::Settle { .. } => "settle",
            Action::Cancel => "cancel",
        }
    }

    /// The verb, as it reads after "ไม่สามารถ…ได้".
    pub fn label_th(self) -> &'static str {
        match self {
            Action::Approve => "อนุมัติ",
            Action::Reject => "ไม่อนุมัติ",
            Action::HandOver => "ส่งมอบพัสดุ",
            Action::Return { .. } => "รับคืนพัสดุ",
            Action::Settle { .. } => "บันทึกการชดใช้",
            Action::Cancel => "ยกเลิกคำขอ",
        }
    }
}

/// The user taking the action, with the duties they hold in the organization.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: i64,
    pub duties: Vec<Duty>,
}

/// What the workflow needs to know about the loan.
#[derive(Clone, Debug)]
pub struct LoanFacts {
    /// Who entered the request (the borrower, or an officer entering it for an outside person).
    pub requested_by: i64,
    /// The borrower's account, when the borrower is a user of the system.
    pub borrower_user_id: Option<i64>,
    pub use_type: UseType,
    /// The approver's duty, fixed when the request was made (so a later rule change does not move
    /// a pending request to someone else).
    pub required: Duty,
}

impl LoanFacts {
    fn involves(&self, user_id: i64) -> bool {
        self.requested_by == user_id || self.borrower_user_id == Some(user_id)
    }
}

/// Why a step is refused.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum WorkflowError {
    #[error("cannot {} a loan whose status is {}", .action.code(), .status.code())]
    NotAllowedInStatus { action: Action, status: LoanStatus },
    #[error("only the {} may approve or reject this loan", .required.code())]
    WrongApprover { required: Duty },
    #[error("nobody may approve or reject a loan they requested or borrow")]
    OwnRequest,
    #[error("the borrower cannot record the hand-over, return or settlement of their own loan")]
    BorrowerRecordsOwnLoan { action: Action },
    #[error("only the requester, the borrower or the approver may cancel a loan")]
    CancelByStranger,
    #[error(
        "only supplies staff (supplies_officer or supplies_head) hand items over, receive them and record settlements"
    )]
    NotSuppliesStaff { action: Action },
    #[error("{} cannot settle an item that was {}", .how.code(), .damage.code())]
    SettlementNotPossible { damage: Damage, how: Settlement },
}

impl WorkflowError {
    /// True when the refusal is about who acts (a permission, 403), not about the loan's state
    /// (409) or what was entered (422).
    pub fn is_permission(&self) -> bool {
        matches!(
            self,
            WorkflowError::WrongApprover { .. }
                | WorkflowError::OwnRequest
                | WorkflowError::BorrowerRecordsOwnLoan { .. }
                | WorkflowError::CancelByStranger
                | WorkflowError::NotSuppliesStaff { .. }
        )
    }

    pub fn message_th(&self) -> String {
        match self {
            WorkflowError::NotAllowedInStatus { action, status } => {
                format!("ไม่สามารถ{}ได้ เนื่องจากรายการยืมอยู่ในสถานะ “{}”", action.label_th(), status.label_th())
            }
            WorkflowError::WrongApprover { required } => {
                format!("ผู้มีอำนาจอนุมัติการยืมรายการนี้คือ{}", required.label_th())
            }
            WorkflowError::OwnRequest => "ผู้ขอยืมหรือผู้ยืมไม่สามารถอนุมัติคำขอยืมของตนเองได้".into(),
            WorkflowError::BorrowerRecordsOwnLoan { action } => {
                format!("ผู้ยืมไม่สามารถ{}ในรายการยืมของตนเองได้ ต้องเป็นเจ้าหน้าที่พัสดุ", action.label_th())
            }
            WorkflowError::CancelByStranger => "ยกเลิกคำขอได้เฉพาะผู้ขอยืม ผู้ยืม หรือผู้มีอำนาจอนุมัติ".into(),
            WorkflowError::NotSuppliesStaff { action } => {
                format!("การ{}ต้องทำโดยเจ้าหน้าที่พัสดุหรือหัวหน้าหน่วยพัสดุ", action.label_th())
            }
            WorkflowError::SettlementNotPossible { damage, how } => {
                format!("พัสดุที่{}ไม่อาจชดใช้โดย{}", damage.label_th(), how.label_th())
            }
        }
    }
}

/// The status after `action`, or why the action is refused.
///
/// Checks, in order: the action fits the status; then who acts. Approval and rejection need the
/// required duty and someone other than the requester and the borrower. Hand-over, return and
/// settlement are recorded by an officer, never by the borrower (the officer inspects the item).
/// [`Action::Settle`] is not checked against the damage found, which the status does not hold:
/// the caller checks it with [`check_settlement`].
pub fn next(status: LoanStatus, action: &Action, actor: &Actor, loan: &LoanFacts) -> Result<LoanStatus, WorkflowError> {
    use LoanStatus as S;
    let to = match (status, action) {
        (S::Requested, Action::Approve) => S::Approved,
        (S::Requested, Action::Reject) => S::Rejected,
        (S::Approved, Action::HandOver) => S::HandedOver,
        (S::HandedOver, Action::Return { damage: Damage::None }) => S::Returned,
        (S::HandedOver, Action::Return { damage: Damage::Damaged | Damage::Lost }) => S::AwaitingSettlement,
        (S::AwaitingSettlement, Action::Settle { .. }) => S::Closed,
        (S::Requested | S::Approved, Action::Cancel) => S::Cancelled,
        _ => return Err(WorkflowError::NotAllowedInStatus { action: *action, status }),
    };
    match action {
        Action::Approve | Action::Reject => {
            if loan.involves(actor.user_id) {
                return Err(WorkflowError::OwnRequest);
            }
            if !actor.duties.contains(&loan.required) {
                return Err(WorkflowError::WrongApprover { required: loan.required });
            }
        }
        Action::HandOver | Action::Return { .. } | Action::Settle { .. } => {
            if loan.borrower_user_id == Some(actor.user_id) {
                return Err(WorkflowError::BorrowerRecordsOwnLoan { action: *action });
            }
            // The officer who inspects the item records these steps (the SOP manual says so too).
            if !actor.duties.iter().any(|d| d.runs_the_store()) {
                return Err(WorkflowError::NotSuppliesStaff { action: *action });
            }
        }
        Action::Cancel => {
            if !loan.involves(actor.user_id) && !actor.duties.contains(&loan.required) {
                return Err(WorkflowError::CancelByStranger);
            }
        }
    }
    Ok(to)
}

/// Whether `how` settles the `damage` found at return.
pub fn check_settlement(damage: Damage, how: Settlement) -> Result<(), WorkflowError> {
    if damage.settlements().contains(&how) { Ok(()) } else { Err(WorkflowError::SettlementNotPossible { damage, how }) }
}

/// Whether a loan in this status keeps the item from being lent to someone else.
///
/// A request blocks too, so that two overlapping requests cannot both be approved. A loan awaiting
/// settlement blocks because the item is broken or gone until the settlement; how long each status
/// holds the item is [`hold`].
pub fn blocks_item(status: LoanStatus) -> bool {
    matches!(
        status,
        LoanStatus::Requested | LoanStatus::Approved | LoanStatus::HandedOver | LoanStatus::AwaitingSettlement
    )
}

/// The days a loan holds its item: from `from`, up to and including `until`; `None` = until
/// further notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hold {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Hold {
    /// Whether a new loan from `start` to `due` (inclusive) would clash with this hold.
    pub fn clashes_with(&self, start: NaiveDate, due: NaiveDate) -> bool {
        overlaps(self.from, self.until.unwrap_or(NaiveDate::MAX), start, due)
    }
}

/// How long a loan in `status`, booked from `start` to `due`, holds its item on `today`.
///
/// Requested and approved loans hold their booked dates. A handed-over loan is out now, so it
/// holds from today (or its start, if earlier) whatever its booked dates, until its due date while
/// on time; once overdue, nobody knows when the item comes back, so it holds until returned. A
/// loan awaiting settlement holds until settled: a damaged item is being repaired, a lost one is
/// gone (after a settlement by payment, the inventory, not the loan, marks it as no longer
/// lendable).
pub fn hold(status: LoanStatus, start: NaiveDate, due: NaiveDate, today: NaiveDate) -> Option<Hold> {
    let out_from = start.min(today);
    match status {
        LoanStatus::Requested | LoanStatus::Approved => Some(Hold { from: start, until: Some(due) }),
        LoanStatus::HandedOver if today <= due => Some(Hold { from: out_from, until: Some(due) }),
        LoanStatus::HandedOver | LoanStatus::AwaitingSettlement => Some(Hold { from: out_from, until: None }),
        LoanStatus::Rejected | LoanStatus::Returned | LoanStatus::Closed | LoanStatus::Cancelled => None,
    }
}

/// Why the date given for a hand-over or a return is refused.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum DateError {
    #[error("hand-over on {on} is before the booked start {start}")]
    HandOverBeforeStart { on: NaiveDate, start: NaiveDate },
    #[error("hand-over on {on} is after the booked due date {due}")]
    HandOverAfterDue { on: NaiveDate, due: NaiveDate },
    #[error("return on {on} is before the hand-over on {handed_over}")]
    ReturnBeforeHandOver { on: NaiveDate, handed_over: NaiveDate },
    #[error("{on} is in the future")]
    InFuture { on: NaiveDate },
}

impl DateError {
    pub fn message_th(&self) -> String {
        let d = |x: &NaiveDate| crate::thai::format_date_medium(*x, crate::thai::Digits::Thai);
        match self {
            DateError::HandOverBeforeStart { on, start } => format!(
                "ส่งมอบพัสดุวันที่ {} ไม่ได้ เพราะก่อนวันเริ่มยืมที่ขอไว้ ({}) หากต้องการรับพัสดุก่อน ให้ยกเลิกคำขอนี้แล้วยื่นคำขอใหม่ตามวันที่ต้องการ เพื่อตรวจสอบว่าไม่ทับกับการจองอื่น",
                d(on),
                d(start)
            ),
            DateError::HandOverAfterDue { on, due } => {
                format!("ส่งมอบพัสดุวันที่ {} ไม่ได้ เพราะเลยวันกำหนดส่งคืนที่ขอไว้ ({}) แล้ว ให้ยื่นคำขอใหม่ตามวันที่ต้องการ", d(on), d(due))
            }
            DateError::ReturnBeforeHandOver { on, handed_over } => {
                format!("วันที่รับคืน ({}) ต้องไม่ก่อนวันที่ส่งมอบ ({})", d(on), d(handed_over))
            }
            DateError::InFuture { on } => format!("วันที่ {} ยังมาไม่ถึง บันทึกล่วงหน้าไม่ได้", d(on)),
        }
    }
}

/// A hand-over happens inside the booked period, and not in the future. Handing over before the
/// start would change the booking, which then needs its own check for clashes: it is a new request.
pub fn check_hand_over_date(
    start: NaiveDate,
    due: NaiveDate,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DateError> {
    if on > today {
        Err(DateError::InFuture { on })
    } else if on < start {
        Err(DateError::HandOverBeforeStart { on, start })
    } else if on > due {
        Err(DateError::HandOverAfterDue { on, due })
    } else {
        Ok(())
    }
}

/// A return happens not before the hand-over, and not in the future.
pub fn check_return_date(handed_over: NaiveDate, on: NaiveDate, today: NaiveDate) -> Result<(), DateError> {
    if on > today {
        Err(DateError::InFuture { on })
    } else if on < handed_over {
        Err(DateError::ReturnBeforeHandOver { on, handed_over })
    } else {
        Ok(())
    }
}

/// Whether two periods share at least one day; both ends are included. An empty period (due
/// before start) overlaps nothing.
pub fn overlaps(a_start: NaiveDate, a_due: NaiveDate, b_start: NaiveDate, b_due: NaiveDate) -> bool {
    a_start <= a_due && b_start <= b_due && a_start <= b_due && b_start <= a_due
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REQUESTER: i64 = 1;
    const SUPPLIES_HEAD: i64 = 2;
    const MAYOR: i64 = 3;
    const OFFICER: i64 = 4;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn actor(user_id: i64, duties: &[Duty]) -> Actor {
        Actor { user_id, duties: duties.to_vec() }
    }

    fn supplies_head() -> Actor {
        actor(SUPPLIES_HEAD, &[Duty::SuppliesHead])
    }

    fn mayor() -> Actor {
        actor(MAYOR, &[Duty::OrgHead])
    }

    fn officer() -> Actor {
        actor(OFFICER, &[Duty::SuppliesOfficer])
    }

    #[test]
    fn staff_without_a_supplies_duty_cannot_hand_over_or_receive_an_item() {
        let clerk = actor(OFFICER, &[]);
        let loan = own_loan_inside();
        assert_eq!(
            next(LoanStatus::Approved, &Action::HandOver, &clerk, &loan),
            Err(WorkflowError::NotSuppliesStaff { action: Action::HandOver })
        );
        let back = Action::Return { damage: Damage::None };
        assert!(next(LoanStatus::HandedOver, &back, &clerk, &loan).is_err());
        assert_eq!(next(LoanStatus::HandedOver, &back, &officer(), &loan), Ok(LoanStatus::Returned));
    }

    fn own_loan_inside() -> LoanFacts {
        LoanFacts {
            requested_by: REQUESTER,
            borrower_user_id: Some(REQUESTER),
            use_type: UseType::Inside,
            required: Duty::SuppliesHead,
        }
    }

    fn outside_loan() -> LoanFacts {
        LoanFacts { use_type: UseType::Outside, required: Duty::OrgHead, ..own_loan_inside() }
    }

    #[test]
    fn a_loan_walks_from_request_to_return() {
        let loan = own_loan_inside();
        let s = next(LoanStatus::Requested, &Action::Approve, &supplies_head(), &loan).unwrap();
        assert_eq!(s, LoanStatus::Approved);
        let s = next(s, &Action::HandOver, &officer(), &loan).unwrap();
        assert_eq!(s, LoanStatus::HandedOver);
        let s = next(s, &Action::Return { damage: Damage::None }, &officer(), &loan).unwrap();
        assert_eq!(s, LoanStatus::Returned);
        assert!(s.is_final());
    }

    #[test]
    fn a_damaged_or_lost_item_closes_only_when_settled() {
        let loan = own_loan_inside();
        for damage in [Damage::Damaged, Damage::Lost] {
            let s = next(LoanStatus::HandedOver, &Action::Return { damage }, &officer(), &loan).unwrap();
            assert_eq!(s, LoanStatus::AwaitingSettlement);
            assert!(!s.is_final());
            let s = next(s, &Action::Settle { how: Settlement::Pay }, &officer(), &loan).unwrap();
            assert_eq!(s, LoanStatus::Closed);
        }
    }

    #[test]
    fn a_lost_item_cannot_be_settled_by_repair() {
        let err = check_settlement(Damage::Lost, Settlement::Repair).unwrap_err();
        assert!(err.message_th().contains("สูญหาย"));
        assert_eq!(check_settlement(Damage::Lost, Settlement::Replace), Ok(()));
        for how in Settlement::ALL {
            assert_eq!(check_settlement(Damage::Damaged, how), Ok(()));
            assert!(check_settlement(Damage::None, how).is_err());
        }
    }

    #[test]
    fn only_the_required_duty_approves_or_rejects() {
        for action in [Action::Approve, Action::Reject] {
            let err = next(LoanStatus::Requested, &action, &supplies_head(), &outside_loan()).unwrap_err();
            assert_eq!(err, WorkflowError::WrongApprover { required: Duty::OrgHead });
            assert_eq!(err.message_th(), "ผู้มีอำนาจอนุมัติการยืมรายการนี้คือหัวหน้าหน่วยงาน (นายก/ปลัด)");
            assert!(next(LoanStatus::Requested, &action, &mayor(), &outside_loan()).is_ok());
            assert!(next(LoanStatus::Requested, &action, &officer(), &own_loan_inside()).is_err());
        }
        assert_eq!(next(LoanStatus::Requested, &Action::Reject, &mayor(), &outside_loan()), Ok(LoanStatus::Rejected));
    }

    #[test]
    fn a_borrower_cannot_approve_their_own_request() {
        // The borrower holds the right duty, yet may not approve a loan to themselves.
        let head_borrowing = actor(REQUESTER, &[Duty::SuppliesHead, Duty::OrgHead]);
        let err = next(LoanStatus::Requested, &Action::Approve, &head_borrowing, &own_loan_inside()).unwrap_err();
        assert_eq!(err, WorkflowError::OwnRequest);
        assert_eq!(err.message_th(), "ผู้ขอยืมหรือผู้ยืมไม่สามารถอนุมัติคำขอยืมของตนเองได้");
    }

    #[test]
    fn an_officer_who_entered_a_request_for_someone_else_cannot_approve_it() {
        let entered_by_head =
            LoanFacts { requested_by: SUPPLIES_HEAD, borrower_user_id: Some(REQUESTER), ..own_loan_inside() };
        let err = next(LoanStatus::Requested, &Action::Approve, &supplies_head(), &entered_by_head).unwrap_err();
        assert_eq!(err, WorkflowError::OwnRequest);
        let for_outsider = LoanFacts { requested_by: SUPPLIES_HEAD, borrower_user_id: None, ..own_loan_inside() };
        assert!(next(LoanStatus::Requested, &Action::Approve, &supplies_head(), &for_outsider).is_err());
    }

    #[test]
    fn the_borrower_cannot_record_the_hand_over_or_return_of_their_own_loan() {
        let borrower = actor(REQUESTER, &[Duty::SuppliesHead]);
        let loan = own_loan_inside();
        assert!(matches!(
            next(LoanStatus::Approved, &Action::HandOver, &borrower, &loan),
            Err(WorkflowError::BorrowerRecordsOwnLoan { .. })
        ));
        assert!(next(LoanStatus::HandedOver, &Action::Return { damage: Damage::None }, &borrower, &loan).is_err());
        assert!(
            next(LoanStatus::AwaitingSettlement, &Action::Settle { how: Settlement::Pay }, &borrower, &loan).is_err()
        );
    }

    #[test]
    fn a_loan_can_be_cancelled_only_before_hand_over() {
        let requester = actor(REQUESTER, &[]);
        let loan = own_loan_inside();
        assert_eq!(next(LoanStatus::Requested, &Action::Cancel, &requester, &loan), Ok(LoanStatus::Cancelled));
        assert_eq!(next(LoanStatus::Approved, &Action::Cancel, &supplies_head(), &loan), Ok(LoanStatus::Cancelled));
        let err = next(LoanStatus::HandedOver, &Action::Cancel, &requester, &loan).unwrap_err();
        assert_eq!(err.message_th(), "ไม่สามารถยกเลิกคำขอได้ เนื่องจากรายการยืมอยู่ในสถานะ “ส่งมอบแล้ว อยู่ระหว่างยืม”");
        assert_eq!(
            next(LoanStatus::Requested, &Action::Cancel, &officer(), &loan),
            Err(WorkflowError::CancelByStranger)
        );
    }

    #[test]
    fn every_step_out_of_order_is_refused_naming_the_current_status() {
        let actions = [
            Action::Approve,
            Action::Reject,
            Action::HandOver,
            Action::Return { damage: Damage::None },
            Action::Return { damage: Damage::Lost },
            Action::Settle { how: Settlement::Repair },
            Action::Cancel,
        ];
        let mut allowed = 0;
        for status in LoanStatus::ALL {
            for action in actions {
                // A mayor who is neither requester nor borrower passes every "who" check here.
                let anyone = actor(MAYOR, &[Duty::SuppliesHead, Duty::OrgHead]);
                match next(status, &action, &anyone, &own_loan_inside()) {
                    Ok(_) => allowed += 1,
                    Err(err) => {
                        assert_eq!(err, WorkflowError::NotAllowedInStatus { action, status });
                        assert!(err.message_th().contains(status.label_th()));
                    }
                }
            }
            if status.is_final() {
                for action in actions {
                    assert!(next(status, &action, &mayor(), &own_loan_inside()).is_err());
                }
            }
        }
        // approve, reject, cancel ×2, hand over, return ×2, settle.
        assert_eq!(allowed, 8);
    }

    #[test]
    fn codes_parse_back_to_the_same_value() {
        for s in LoanStatus::ALL {
            assert_eq!(LoanStatus::parse(s.code()), Some(s));
        }
        for d in Damage::ALL {
            assert_eq!(Damage::parse(d.code()), Some(d));
        }
        for s in Settlement::ALL {
            assert_eq!(Settlement::parse(s.code()), Some(s));
        }
        assert_eq!(LoanStatus::parse("lent"), None);
        assert_eq!(Settlement::Pay.label_th(), "ชดใช้เป็นเงินตามราคาที่เป็นอยู่ในขณะยืม");
    }

    #[test]
    fn requests_and_unsettled_loans_block_the_item_and_finished_ones_do_not() {
        let blocking: Vec<_> = LoanStatus::ALL.into_iter().filter(|s| blocks_item(*s)).collect();
        assert_eq!(
            blocking,
            [LoanStatus::Requested, LoanStatus::Approved, LoanStatus::HandedOver, LoanStatus::AwaitingSettlement]
        );
        for s in LoanStatus::ALL {
            let h = hold(s, date(2024, 10, 1), date(2024, 10, 3), date(2024, 10, 1));
            assert_eq!(h.is_some(), blocks_item(s), "{s:?}");
        }
    }

    #[test]
    fn a_second_loan_of_the_same_item_for_overlapping_days_is_refused() {
        let held = hold(LoanStatus::Requested, date(2024, 10, 1), date(2024, 10, 3), date(2024, 9, 30)).unwrap();
        assert!(held.clashes_with(date(2024, 10, 3), date(2024, 10, 5)));
        assert!(!held.clashes_with(date(2024, 10, 4), date(2024, 10, 5)));
    }

    #[test]
    fn an_overdue_item_and_an_unsettled_item_stay_held_until_resolved() {
        let (start, due) = (date(2024, 10, 1), date(2024, 10, 3));
        let on_time = hold(LoanStatus::HandedOver, start, due, date(2024, 10, 3)).unwrap();
        assert!(!on_time.clashes_with(date(2024, 10, 10), date(2024, 10, 11)));
        let overdue = hold(LoanStatus::HandedOver, start, due, date(2024, 10, 4)).unwrap();
        assert_eq!(overdue.until, None);
        assert!(overdue.clashes_with(date(2025, 1, 10), date(2025, 1, 11)));
        let unsettled = hold(LoanStatus::AwaitingSettlement, start, due, date(2024, 10, 2)).unwrap();
        assert!(unsettled.clashes_with(date(2024, 12, 1), date(2024, 12, 1)));
    }

    fn day(n: i64) -> NaiveDate {
        date(2024, 1, 1) + chrono::Duration::days(n)
    }

    #[test]
    fn a_hand_over_falls_inside_the_booked_days_and_a_return_after_it_and_never_in_the_future() {
        let (start, due, today) = (date(2026, 12, 10), date(2026, 12, 12), date(2026, 12, 11));
        let early = check_hand_over_date(start, due, date(2026, 11, 30), today).unwrap_err();
        assert_eq!(early, DateError::HandOverBeforeStart { on: date(2026, 11, 30), start });
        assert!(early.message_th().contains("ก่อนวันเริ่มยืม") && early.message_th().contains("ยื่นคำขอใหม่"));
        assert_eq!(check_hand_over_date(start, due, start, today), Ok(()));
        assert_eq!(check_hand_over_date(start, due, date(2026, 12, 12), today), Err(DateError::InFuture { on: due }));
        assert!(matches!(
            check_hand_over_date(start, due, date(2026, 12, 13), date(2026, 12, 20)),
            Err(DateError::HandOverAfterDue { .. })
        ));
        assert_eq!(check_return_date(start, today, today), Ok(()));
        assert!(matches!(
            check_return_date(start, date(2026, 12, 9), today),
            Err(DateError::ReturnBeforeHandOver { .. })
        ));
        assert!(matches!(check_return_date(start, date(2026, 12, 12), today), Err(DateError::InFuture { .. })));
    }

    proptest! {
        #[test]
        fn overlaps_is_symmetric_and_matches_a_day_by_day_check(
            a in 0i64..60, a_len in -3i64..20, b in 0i64..60, b_len in -3i64..20,
        ) {
            let (a_start, a_due, b_start, b_due) = (day(a), day(a + a_len), day(b), day(b + b_len));
            let brute = (a..=a + a_len).any(|d| (b..=b + b_len).contains(&d));
            prop_assert_eq!(overlaps(a_start, a_due, b_start, b_due), brute);
            prop_assert_eq!(overlaps(a_start, a_due, b_start, b_due), overlaps(b_start, b_due, a_start, a_due));
        }
    }
}
