//! The queue's rules, pure: who is called next, which step a ticket may take from which state,
//! and when a step needs the officer's reason. The public rule page prints what these do.
//!
//! **Order.** Every service has one line, ordered by `queued_at` (the issue time; a transferred
//! ticket keeps the issue time of its visit, so in its new line it stands behind everyone who came
//! earlier and before everyone who came later). A counter calls from the lines of the services it
//! serves, oldest first, plus tickets transferred to it by name.
//!
//! **Priority.** Tickets of a priority group (elderly, disabled, pregnant, monks) never wait longer
//! than their place in the line. When priority tickets wait and the point's rule is `k` (> 0), the
//! oldest of them is called once the point has made `k - 1` ordinary calls since its last priority
//! call: `k = 1` calls priority tickets first, `k = 2` every other call, `k = 3` one in three.
//! `k = 0` keeps no priority line. A priority ticket called before an older ticket is an
//! out-of-order call whose reason is its group, logged like every other.

use std::cmp::Ordering;

/// The priority groups of the published rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PriorityGroup {
    Elderly,
    Disabled,
    Pregnant,
    Monk,
}

impl PriorityGroup {
    pub const ALL: [PriorityGroup; 4] =
        [PriorityGroup::Elderly, PriorityGroup::Disabled, PriorityGroup::Pregnant, PriorityGroup::Monk];

    pub fn code(self) -> &'static str {
        match self {
            PriorityGroup::Elderly => "elderly",
            PriorityGroup::Disabled => "disabled",
            PriorityGroup::Pregnant => "pregnant",
            PriorityGroup::Monk => "monk",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    /// As the kiosk's button and the fairness page say it.
    pub fn label_th(self) -> &'static str {
        match self {
            PriorityGroup::Elderly => "ผู้สูงอายุ (๖๐ ปีขึ้นไป)",
            PriorityGroup::Disabled => "ผู้พิการ",
            PriorityGroup::Pregnant => "หญิงตั้งครรภ์",
            PriorityGroup::Monk => "พระภิกษุสงฆ์ นักบวช",
        }
    }
}

/// A ticket's state (`queue_tickets.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Called,
    Serving,
    Done,
    Skipped,
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Called => "called",
            Status::Serving => "serving",
            Status::Done => "done",
            Status::Skipped => "skipped",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Status::Waiting, Status::Called, Status::Serving, Status::Done, Status::Skipped, Status::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Status::Waiting => "รอเรียก",
            Status::Called => "เรียกแล้ว",
            Status::Serving => "กำลังให้บริการ",
            Status::Done => "ให้บริการเสร็จแล้ว",
            Status::Skipped => "ข้ามคิว (เรียกแล้วไม่มา)",
            Status::Cancelled => "ยกเลิก",
        }
    }
}

/// Why a call or step went before others (`queue_events.out_of_order`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutOfOrder {
    Priority,
    Recall,
    Transfer,
    Skip,
    Chosen,
}

impl OutOfOrder {
    pub const ALL: [OutOfOrder; 5] =
        [OutOfOrder::Priority, OutOfOrder::Chosen, OutOfOrder::Recall, OutOfOrder::Transfer, OutOfOrder::Skip];

    pub fn code(self) -> &'static str {
        match self {
            OutOfOrder::Priority => "priority",
            OutOfOrder::Recall => "recall",
            OutOfOrder::Transfer => "transfer",
            OutOfOrder::Skip => "skip",
            OutOfOrder::Chosen => "chosen",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            OutOfOrder::Priority => "เรียกก่อนตามกฎลำดับพิเศษ",
            OutOfOrder::Recall => "เรียกซ้ำ",
            OutOfOrder::Transfer => "ส่งต่อไปงานบริการหรือช่องอื่น",
            OutOfOrder::Skip => "ข้ามคิว",
            OutOfOrder::Chosen => "เจ้าหน้าที่เลือกเรียกนอกลำดับ",
        }
    }
}

/// A waiting ticket a counter could call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub queued_at: i64,
    pub priority: bool,
}

/// Line order: by place (`queued_at`), then by id (the earlier insert).
pub fn line_order(a: &Candidate, b: &Candidate) -> Ordering {
    (a.queued_at, a.id).cmp(&(b.queued_at, b.id))
}

/// The rule's choice among `waiting`: the ticket and, when it goes before an older one, why.
///
/// `ordinary_since_priority` counts the point's calls of ordinary tickets since its last call of a
/// priority ticket (today).
pub fn next(
    waiting: &[Candidate],
    priority_every: i64,
    ordinary_since_priority: i64,
) -> Option<(i64, Option<OutOfOrder>)> {
    let oldest = waiting.iter().min_by(|a, b| line_order(a, b))?;
    if priority_every <= 0 {
        return Some((oldest.id, None));
    }
    let Some(priority) = waiting.iter().filter(|c| c.priority).min_by(|a, b| line_order(a, b)) else {
        return Some((oldest.id, None));
    };
    if priority.id == oldest.id {
        return Some((oldest.id, None));
    }
    if ordinary_since_priority >= priority_every - 1 {
        Some((priority.id, Some(OutOfOrder::Priority)))
    } else {
        Some((oldest.id, None))
    }
}

/// Whether calling `chosen` by hand goes before someone: it does unless it is the rule's own
/// choice.
pub fn chosen_is_out_of_order(
    waiting: &[Candidate],
    chosen: i64,
    priority_every: i64,
    ordinary_since_priority: i64,
) -> bool {
    next(waiting, priority_every, ordinary_since_priority).is_none_or(|(id, _)| id != chosen)
}

/// The steps an officer takes at a counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Call,
    Recall,
    Start,
    Finish,
    Skip,
    Transfer,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Call => "call",
            Step::Recall => "recall",
            Step::Start => "start",
            Step::Finish => "finish",
            Step::Skip => "skip",
            Step::Transfer => "transfer",
        }
    }
}

/// Why a step was refused, in Thai for the counter page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepRefusal {
    #[error("คิว {label} ถูกเรียกที่ช่องบริการอื่นอยู่ ทำรายการจากช่องนี้ไม่ได้")]
    OtherCounter { label: String },
    #[error("คิว {label} ยังไม่ได้เริ่มให้บริการ กรุณากด \"เริ่มให้บริการ\" ก่อนบันทึกเสร็จสิ้น")]
    FinishBeforeStart { label: String },
    #[error("คิว {label} ให้บริการเสร็จแล้ว เรียกหรือเปลี่ยนสถานะอีกไม่ได้")]
    AlreadyDone { label: String },
    #[error("คิว {label} ถูกยกเลิกแล้ว")]
    Cancelled { label: String },
    #[error("คิว {label} กำลังให้บริการอยู่ เรียกซ้ำหรือข้ามไม่ได้")]
    AlreadyServing { label: String },
    #[error("คิว {label} ยังไม่ได้ถูกเรียก กรุณาเรียกคิวก่อน")]
    NotCalled { label: String },
    #[error("คิว {label} ถูกเรียกแล้ว")]
    AlreadyCalled { label: String },
    #[error("คิว {label} ถูกข้ามไปแล้ว หากผู้รับบริการกลับมา ให้กด \"เรียกซ้ำ\" พร้อมระบุเหตุผล")]
    WasSkipped { label: String },
    #[error("คิว {label} เรียกซ้ำครบ {limit} ครั้งตามกฎแล้ว กรุณากด \"ข้ามคิว\"")]
    RecallLimit { label: String, limit: String },
}

/// Where the ticket stands, for [`check`].
pub struct TicketState<'a> {
    pub label: &'a str,
    pub status: Status,
    /// The counter it was called to (or transferred to).
    pub counter: Option<i64>,
    pub recalls: i64,
}

/// Whether `step` may be taken on the ticket from `counter`. `recall_limit` is the point's.
pub fn check(
    ticket: &TicketState,
    step: Step,
    counter: i64,
    recall_limit: i64,
    digits: crate::thai::Digits,
) -> Result<(), StepRefusal> {
    let label = ticket.label.to_string();
    let here = ticket.counter.is_none_or(|c| c == counter);
    match ticket.status {
        Status::Done => return Err(StepRefusal::AlreadyDone { label }),
        Status::Cancelled => return Err(StepRefusal::Cancelled { label }),
        _ => {}
    }
    // A ticket in someone else's hands, or waiting for another counter by name.
    if !here && (ticket.status != Status::Skipped || step != Step::Recall) {
        return Err(StepRefusal::OtherCounter { label });
    }
    match (step, ticket.status) {
        (Step::Call, Status::Waiting) => Ok(()),
        (Step::Call, Status::Called | Status::Serving) => Err(StepRefusal::AlreadyCalled { label }),
        (Step::Call, Status::Skipped) => Err(StepRefusal::WasSkipped { label }),
        (Step::Recall, Status::Called) if ticket.recalls >= recall_limit => {
            Err(StepRefusal::RecallLimit { label, limit: crate::thai::format_int(recall_limit, digits) })
        }
        (Step::Recall, Status::Called | Status::Skipped) => Ok(()),
        (Step::Recall | Step::Skip, Status::Serving) => Err(StepRefusal::AlreadyServing { label }),
        (Step::Recall | Step::Skip | Step::Start | Step::Transfer, Status::Waiting) => {
            Err(StepRefusal::NotCalled { label })
        }
        (Step::Skip, Status::Called) => Ok(()),
        (Step::Skip | Step::Start | Step::Finish | Step::Transfer, Status::Skipped) => {
            Err(StepRefusal::WasSkipped { label })
        }
        (Step::Start, Status::Called) => Ok(()),
        (Step::Start, Status::Serving) => Err(StepRefusal::AlreadyServing { label }),
        (Step::Finish, Status::Serving) => Ok(()),
        (Step::Finish, Status::Called | Status::Waiting) => Err(StepRefusal::FinishBeforeStart { label }),
        (Step::Transfer, Status::Called | Status::Serving) => Ok(()),
        (_, Status::Done) => Err(StepRefusal::AlreadyDone { label }),
        (_, Status::Cancelled) => Err(StepRefusal::Cancelled { label }),
    }
}

/// The published rule in one Thai sentence, as the counter page and the public rule page say it.
pub fn rule_sentence(priority_every: i64, recall_limit: i64, digits: crate::thai::Digits) -> String {
    let n = |v: i64| crate::thai::format_int(v, digits);
    let priority = match priority_every {
        ..=0 => "ไม่มีช่องทางพิเศษ ทุกคนเรียกตามลำดับเวลาที่รับบัตรคิว".to_string(),
        1 => "เมื่อมีผู้รับบริการกลุ่มพิเศษรออยู่ เรียกกลุ่มพิเศษก่อนเสมอ".to_string(),
        k => format!(
            "เมื่อมีผู้รับบริการกลุ่มพิเศษรออยู่ ทุก {} ครั้งที่เรียก เรียกกลุ่มพิเศษ {} ครั้ง (หลังเรียกคิวปกติ {} ครั้ง)",
            n(k),
            n(1),
            n(k - 1)
        ),
    };
    format!("{priority}; คิวที่เรียกแล้วไม่มา เรียกซ้ำได้ไม่เกิน {} ครั้ง แล้วจึงข้ามคิว", n(recall_limit))
}

/// The longest reason kept.
pub const MAX_REASON_CHARS: usize = 300;

/// The officer's reason for an out-of-order step, trimmed; the Thai message when it is missing.
pub fn reason(typed: &str, what: &str) -> Result<String, String> {
    let reason = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err(format!("กรุณาระบุเหตุผลที่{what} (บันทึกไว้และแสดงในสรุปความเป็นธรรมต่อสาธารณะ ไม่ต้องระบุชื่อบุคคล)"));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("เหตุผลยาวเกิน {MAX_REASON_CHARS} ตัวอักษร"));
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thai::Digits;

    fn c(id: i64, queued_at: i64, priority: bool) -> Candidate {
        Candidate { id, queued_at, priority }
    }

    /// Calls everyone waiting by the rule and returns the order of ids.
    fn call_all(mut waiting: Vec<Candidate>, k: i64) -> Vec<i64> {
        let mut order = Vec::new();
        let mut ordinary_since = 0;
        while let Some((id, _)) = next(&waiting, k, ordinary_since) {
            let called = waiting.iter().position(|t| t.id == id).unwrap();
            let ticket = waiting.remove(called);
            ordinary_since = if ticket.priority { 0 } else { ordinary_since + 1 };
            order.push(id);
        }
        order
    }

    #[test]
    fn without_priority_tickets_everyone_is_called_in_order_of_arrival() {
        let line = vec![c(3, 30, false), c(1, 10, false), c(2, 10, false)];
        assert_eq!(call_all(line, 2), [1, 2, 3]);
    }

    #[test]
    fn every_other_call_goes_to_a_waiting_priority_ticket_when_the_rule_is_two() {
        // Ordinary 1..4 arrived first, then priority 10 and 11.
        let line = vec![c(1, 1, false), c(2, 2, false), c(3, 3, false), c(4, 4, false), c(10, 5, true), c(11, 6, true)];
        assert_eq!(call_all(line.clone(), 2), [1, 10, 2, 11, 3, 4]);
        assert_eq!(call_all(line.clone(), 1), [10, 11, 1, 2, 3, 4]);
        assert_eq!(call_all(line.clone(), 3), [1, 2, 10, 3, 4, 11]);
        assert_eq!(call_all(line, 0), [1, 2, 3, 4, 10, 11]);
    }

    #[test]
    fn a_priority_ticket_never_waits_longer_than_its_place_in_the_line() {
        // The priority ticket came first: it goes first whatever the count, and in order.
        let line = [c(1, 1, true), c(2, 2, false)];
        assert_eq!(next(&line, 3, 0), Some((1, None)));
    }

    #[test]
    fn a_priority_call_before_an_older_ticket_is_marked_out_of_order() {
        let line = [c(1, 1, false), c(2, 2, true)];
        assert_eq!(next(&line, 2, 1), Some((2, Some(OutOfOrder::Priority))));
        assert_eq!(next(&line, 2, 0), Some((1, None)));
        assert!(chosen_is_out_of_order(&line, 2, 2, 0));
        assert!(!chosen_is_out_of_order(&line, 1, 2, 0));
    }

    fn state(status: Status, counter: Option<i64>, recalls: i64) -> TicketState<'static> {
        TicketState { label: "A001", status, counter, recalls }
    }

    #[test]
    fn steps_out_of_order_are_refused_with_the_reason_in_thai() {
        let d = Digits::Thai;
        assert!(matches!(
            check(&state(Status::Called, Some(1), 0), Step::Finish, 1, 2, d),
            Err(StepRefusal::FinishBeforeStart { .. })
        ));
        assert!(matches!(
            check(&state(Status::Done, Some(1), 0), Step::Call, 1, 2, d),
            Err(StepRefusal::AlreadyDone { .. })
        ));
        assert!(matches!(
            check(&state(Status::Called, Some(2), 0), Step::Start, 1, 2, d),
            Err(StepRefusal::OtherCounter { .. })
        ));
        assert!(matches!(
            check(&state(Status::Waiting, Some(2), 0), Step::Call, 1, 2, d),
            Err(StepRefusal::OtherCounter { .. })
        ));
        let limit = check(&state(Status::Called, Some(1), 2), Step::Recall, 1, 2, d).unwrap_err();
        assert_eq!(limit.to_string(), "คิว A001 เรียกซ้ำครบ ๒ ครั้งตามกฎแล้ว กรุณากด \"ข้ามคิว\"");
        assert!(check(&state(Status::Called, Some(1), 0), Step::Start, 1, 2, d).is_ok());
        assert!(check(&state(Status::Serving, Some(1), 0), Step::Finish, 1, 2, d).is_ok());
        assert!(check(&state(Status::Waiting, None, 0), Step::Call, 1, 2, d).is_ok());
        // A citizen who missed the call comes back: any counter may call the ticket again.
        assert!(check(&state(Status::Skipped, Some(2), 0), Step::Recall, 1, 2, d).is_ok());
    }

    #[test]
    fn the_rule_reads_in_thai_with_the_organizations_digits() {
        assert_eq!(
            rule_sentence(3, 2, Digits::Thai),
            "เมื่อมีผู้รับบริการกลุ่มพิเศษรออยู่ ทุก ๓ ครั้งที่เรียก เรียกกลุ่มพิเศษ ๑ ครั้ง (หลังเรียกคิวปกติ ๒ ครั้ง); คิวที่เรียกแล้วไม่มา เรียกซ้ำได้ไม่เกิน ๒ ครั้ง แล้วจึงข้ามคิว"
        );
        assert!(rule_sentence(0, 1, Digits::Arabic).starts_with("ไม่มีช่องทางพิเศษ"));
    }

    #[test]
    fn a_missing_reason_is_refused_in_thai_and_spaces_are_tidied() {
        assert!(reason("  ", "ข้ามคิว").unwrap_err().starts_with("กรุณาระบุเหตุผลที่ข้ามคิว"));
        assert_eq!(reason(" เรียก ๓ ครั้ง\n ไม่มา ", "x").unwrap(), "เรียก ๓ ครั้ง ไม่มา");
        assert!(reason(&"ก".repeat(301), "x").is_err());
    }
}
