//! Which step a complaint may take in its state (pure): the staff receive it, assign it to a
//! division and an officer, reply and close; the citizen adds information while it is open and
//! answers "was it resolved?" once it is closed, "no" reopening it. A step out of order is refused
//! with the reason in Thai.

use super::Status;

/// A step of a complaint's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Receive,
    Assign,
    Reply,
    Close,
    /// The citizen adds text or photos.
    AddInfo,
    /// The citizen says the closed complaint was resolved.
    Resolved,
    /// The citizen says it was not: it is reopened with a new deadline.
    Reopen,
}

impl Step {
    /// The event's kind in complaint_events.
    pub fn kind(self) -> &'static str {
        match self {
            Step::Receive => "received",
            Step::Assign => "assigned",
            Step::Reply => "replied",
            Step::Close => "closed",
            Step::AddInfo => "info",
            Step::Resolved => "resolved",
            Step::Reopen => "reopened",
        }
    }

    /// The status after the step (None: unchanged).
    pub fn next_status(self) -> Option<Status> {
        match self {
            Step::Receive => Some(Status::Received),
            Step::Assign => Some(Status::Assigned),
            Step::Reply => Some(Status::Replied),
            Step::Close => Some(Status::Closed),
            Step::Reopen => Some(Status::Reopened),
            Step::AddInfo | Step::Resolved => None,
        }
    }
}

/// Whether `step` may follow; `resolved`: the citizen's answer after closing, if given.
pub fn check(status: Status, resolved: Option<bool>, step: Step) -> Result<(), &'static str> {
    use Status::*;
    match (step, status) {
        (Step::Receive, New) => Ok(()),
        (Step::Receive, _) => Err("ลงรับเรื่องนี้แล้ว ลงรับซ้ำไม่ได้"),
        (_, New) if matches!(step, Step::Assign | Step::Reply | Step::Close) => Err("ยังไม่ได้ลงรับเรื่อง กรุณาลงรับเรื่องก่อน"),
        (Step::Assign | Step::Reply, Closed) => Err("เรื่องนี้ปิดแล้ว ส่งต่อหรือตอบเพิ่มไม่ได้"),
        (Step::Assign | Step::Reply, _) => Ok(()),
        (Step::Close, Replied) => Ok(()),
        (Step::Close, Closed) => Err("เรื่องนี้ปิดแล้ว"),
        (Step::Close, _) => Err("ยังไม่ได้ตอบผู้ร้องเรียน กรุณาตอบก่อนปิดเรื่อง"),
        (Step::AddInfo, Closed) => Err("เรื่องนี้ปิดแล้ว เพิ่มข้อมูลไม่ได้ หากยังไม่ได้รับการแก้ไข กรุณาตอบว่า \"ยังไม่ได้รับการแก้ไข\""),
        (Step::AddInfo, _) => Ok(()),
        (Step::Resolved | Step::Reopen, Closed) if resolved == Some(true) => Err("ท่านตอบแล้วว่าได้รับการแก้ไข เรื่องนี้ปิดแล้ว"),
        (Step::Resolved | Step::Reopen, Closed) => Ok(()),
        (Step::Resolved | Step::Reopen, _) => Err("เรื่องนี้ยังไม่ปิด จึงยังไม่ต้องตอบว่าได้รับการแก้ไขหรือไม่"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_out_of_order_are_refused_with_the_reason() {
        assert!(check(Status::New, None, Step::Receive).is_ok());
        assert_eq!(check(Status::New, None, Step::Close), Err("ยังไม่ได้ลงรับเรื่อง กรุณาลงรับเรื่องก่อน"));
        assert!(check(Status::Received, None, Step::Close).unwrap_err().contains("ตอบก่อนปิด"));
        assert!(check(Status::Received, None, Step::Assign).is_ok());
        assert!(check(Status::Assigned, None, Step::Reply).is_ok());
        assert!(check(Status::Replied, None, Step::Close).is_ok());
        assert!(check(Status::Closed, None, Step::Reply).unwrap_err().contains("ปิดแล้ว"));
        assert!(check(Status::Reopened, None, Step::Reply).is_ok());
        assert!(check(Status::Reopened, None, Step::Close).is_err(), "a reopened case needs a new reply");
    }

    #[test]
    fn the_citizen_answers_only_after_closing_and_resolved_is_final() {
        assert!(check(Status::Replied, None, Step::Reopen).is_err());
        assert!(check(Status::Closed, None, Step::Reopen).is_ok());
        assert!(check(Status::Closed, None, Step::Resolved).is_ok());
        assert!(check(Status::Closed, Some(true), Step::Reopen).is_err());
        assert!(check(Status::Closed, None, Step::AddInfo).is_err());
        assert!(check(Status::Assigned, None, Step::AddInfo).is_ok());
    }
}
