//! A loan's history as the steps it went through, in the workflow's order: requested, sent up to
//! the head of the agency, approved/rejected/cancelled, handed over, followed up, returned,
//! settled; each with who took it and the day it happened.
//!
//! Hand-over and return carry the day they really happened (an officer may record yesterday's
//! return today), and when they were recorded (from the audit log). The steps keep the workflow's
//! order rather than being sorted by time: a return recorded for an earlier day must still come
//! after the hand-over it ended.

use chrono::NaiveDate;
use sqlx::Row;

use super::approvers::Escalation;
use super::date_of;
use super::loans::Loan;
use super::rules::Duty;
use super::workflow::{Damage, LoanStatus, Settlement};
use crate::db::Db;
use crate::orgs::OrgId;

/// One step of a loan's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What happened, in Thai.
    pub what: String,
    /// Who did it (display name); empty when not a person's step (the request going up).
    pub who: String,
    /// The day it happened (Thai calendar).
    pub on: NaiveDate,
    /// When it was recorded (epoch seconds), for steps that may be recorded later than they happened.
    pub recorded: Option<i64>,
    pub note: String,
}

/// Who did a step, when it happened, when it was recorded, and the note.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub who: String,
    pub on: Option<NaiveDate>,
    pub recorded: Option<i64>,
    pub note: String,
}

/// What the history is made of, as read from the loan, its follow-ups and its audit entries.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub requested: Event,
    /// Why it went to the head of the agency, and the regular approver it skipped.
    pub escalation: Option<(Escalation, Duty)>,
    /// The decision (approved, rejected or cancelled: the status it led to).
    pub decided: Option<(LoanStatus, Event)>,
    pub handed_over: Event,
    pub follow_ups: Vec<Event>,
    pub returned: Option<(Damage, Event)>,
    pub settled: Option<(Option<Settlement>, Event)>,
}

/// The steps, in the workflow's order; steps without a day did not happen. Pure.
pub fn steps(f: &Facts) -> Vec<Step> {
    let mut out = Vec::new();
    let mut push = |what: String, e: &Event| {
        if let Some(on) = e.on {
            out.push(Step { what, who: e.who.clone(), on, recorded: e.recorded, note: e.note.clone() });
        }
    };
    push("ยื่นคำขอยืม".into(), &Event { recorded: None, ..f.requested.clone() });
    if let Some((escalation, regular)) = f.escalation {
        let e = Event { who: String::new(), on: f.requested.on, recorded: None, note: String::new() };
        push(escalation.notice_th(regular), &e);
    }
    if let Some((status, e)) = &f.decided {
        let what = match status {
            LoanStatus::Rejected => "ไม่อนุมัติ",
            LoanStatus::Cancelled => "ยกเลิกคำขอ",
            _ => "อนุมัติ",
        };
        push(what.into(), &Event { recorded: None, ..e.clone() });
    }
    push("ส่งมอบพัสดุ".into(), &f.handed_over);
    let mut follow_ups = f.follow_ups.clone();
    follow_ups.sort_by_key(|e| e.on);
    for e in &follow_ups {
        push("ติดตามทวงคืน".into(), &Event { recorded: None, ..e.clone() });
    }
    if let Some((damage, e)) = &f.returned {
        push(format!("รับคืนและตรวจสภาพ: {}", damage.label_th()), e);
    }
    if let Some((how, e)) = &f.settled {
        let what = how
            .map_or("บันทึกการชดใช้".to_string(), |h| format!("ชดใช้แล้ว: {}", h.label_th()));
        push(what, &Event { recorded: None, ..e.clone() });
    }
    out
}

/// The Thai calendar day of an instant (epoch seconds).
fn day_of_instant(epoch_seconds: i64) -> NaiveDate {
    (chrono::DateTime::from_timestamp(epoch_seconds, 0).unwrap_or_default() + chrono::Duration::hours(7)).date_naive()
}

/// The loan's history, from the loan, its follow-ups and its audit entries (when each step was recorded).
pub async fn load(db: &Db, org: OrgId, loan: &Loan, regular: Duty) -> Result<Vec<Step>, sqlx::Error> {
    let names = sqlx::query(
        "SELECT rq.display_name AS requester, dc.display_name AS decider, ho.display_name AS hander,
                rr.display_name AS receiver, st.display_name AS settler
         FROM loans l
         LEFT JOIN users rq ON rq.id = l.requested_by AND rq.org_id = l.org_id
         LEFT JOIN users dc ON dc.id = l.decided_by AND dc.org_id = l.org_id
         LEFT JOIN users ho ON ho.id = l.handed_over_by AND ho.org_id = l.org_id
         LEFT JOIN users rr ON rr.id = l.return_received_by AND rr.org_id = l.org_id
         LEFT JOIN users st ON st.id = l.settled_by AND st.org_id = l.org_id
         WHERE l.id = $1 AND l.org_id = $2",
    )
    .bind(loan.id.0)
    .bind(org.0)
    .fetch_one(&db.pool)
    .await?;
    let name =
        |c: &str| -> Result<String, sqlx::Error> { Ok(names.try_get::<Option<String>, _>(c)?.unwrap_or_default()) };
    let (requester, decider, hander) = (name("requester")?, name("decider")?, name("hander")?);
    let (receiver, settler) = (name("receiver")?, name("settler")?);
    // When the hand-over and the return were recorded: the audit entry of that step.
    let audit = sqlx::query(
        "SELECT action, at FROM audit_log WHERE org_id = $1 AND entity = 'loan' AND entity_id = $2 ORDER BY seq",
    )
    .bind(org.0)
    .bind(loan.id.0.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut recorded = std::collections::HashMap::new();
    for r in &audit {
        recorded.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
    }
    let follow_ups = sqlx::query(
        "SELECT f.day, f.note, u.display_name FROM loan_follow_ups f LEFT JOIN users u ON u.id = f.by_user
         WHERE f.loan_id = $1 AND f.org_id = $2 ORDER BY f.day, f.id",
    )
    .bind(loan.id.0)
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    let event = |who: String, at: Option<i64>, recorded: Option<i64>, note: &str| Event {
        who,
        on: at.map(day_of_instant),
        recorded,
        note: note.to_string(),
    };
    let decided_status = match loan.status {
        LoanStatus::Rejected | LoanStatus::Cancelled => loan.status,
        _ => LoanStatus::Approved,
    };
    let facts = Facts {
        requested: event(requester, Some(loan.requested_at), None, &loan.purpose),
        escalation: loan.escalation.map(|e| (e, regular)),
        decided: loan.decided_at.map(|at| (decided_status, event(decider, Some(at), None, &loan.decision_note))),
        handed_over: event(hander, loan.handed_over_at, recorded.get("hand_over").copied(), &loan.handover_condition),
        follow_ups: follow_ups
            .iter()
            .map(|r| {
                Ok(Event {
                    who: r.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                    on: Some(date_of(r.try_get(0)?)),
                    recorded: None,
                    note: r.try_get(1)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        returned: loan.returned_at.map(|at| {
            (loan.damage, event(receiver, Some(at), recorded.get("return").copied(), &loan.return_condition))
        }),
        settled: loan.settled_at.map(|at| {
            let how = loan.settlement.as_deref().and_then(Settlement::parse);
            (how, event(settler, Some(at), None, &loan.settlement_note))
        }),
    };
    Ok(steps(&facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 11, n)
    }

    fn e(who: &str, on: u32) -> Event {
        Event { who: who.into(), on: day(on), recorded: None, note: String::new() }
    }

    #[test]
    fn steps_follow_the_workflow_even_when_a_step_is_recorded_for_an_earlier_day() {
        let facts = Facts {
            requested: e("นายขอ", 20),
            escalation: Some((Escalation::RequesterIsApprover, Duty::SuppliesHead)),
            decided: Some((LoanStatus::Approved, e("นายก", 21))),
            // Handed over on the 21st, returned "on the 22nd" but recorded on the 25th.
            handed_over: e("นางพัสดุ", 21),
            follow_ups: vec![e("นางพัสดุ", 24), e("นางพัสดุ", 23)],
            returned: Some((Damage::Damaged, Event { recorded: Some(1_764_000_000), ..e("นางพัสดุ", 22) })),
            settled: Some((Some(Settlement::Repair), e("นางพัสดุ", 28))),
        };
        let s = steps(&facts);
        let what: Vec<&str> = s.iter().map(|x| x.what.split(':').next().unwrap()).collect();
        assert_eq!(what[0], "ยื่นคำขอยืม");
        assert!(what[1].starts_with("ส่งให้หัวหน้าหน่วยงานพิจารณาแทน"));
        assert_eq!(&what[2..], ["อนุมัติ", "ส่งมอบพัสดุ", "ติดตามทวงคืน", "ติดตามทวงคืน", "รับคืนและตรวจสภาพ", "ชดใช้แล้ว"]);
        assert_eq!(s[4].on, day(23).unwrap(), "follow-ups by day");
        assert_eq!(s[6].recorded, Some(1_764_000_000));
        assert_eq!(s[6].who, "นางพัสดุ");
    }

    #[test]
    fn a_request_not_yet_decided_has_one_step_and_a_rejection_says_so() {
        let only = Facts { requested: e("นายขอ", 20), ..Default::default() };
        assert_eq!(steps(&only).len(), 1);
        let rejected = Facts { decided: Some((LoanStatus::Rejected, e("หัวหน้า", 21))), ..only };
        assert_eq!(steps(&rejected)[1].what, "ไม่อนุมัติ");
    }
}
