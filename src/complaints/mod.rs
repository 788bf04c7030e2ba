//! Complaints (เรื่องร้องเรียน/ร้องทุกข์, issue 17): a citizen files one without an account, named
//! or anonymous, and follows it by an unguessable tracking code; the staff receive, assign, reply
//! and close it within a deadline counted in Thai working days; corruption and misconduct
//! complaints reach only the officers the admin designated (none of the accused division).
//! code.rs (tracking codes), deadline.rs (working days, pure), workflow.rs (which step may follow
//! which, pure), access.rs (who sees a complaint, pure and as SQL), store.rs (reads), filing.rs
//! (the citizen's writes), events.rs (every change of status, in one function), holidays.rs and
//! settings.rs (the office's calendar, reply days and designations), stats.rs (the public
//! monthly figures), public.rs, public_form.rs, public_tracking.rs (the citizen's pages), routes.rs and
//! settings_routes.rs (the staff's), demo.rs; line_hook.rs (LINE's webhook: a code sent in the chat
//! links its sender) and line_followers.rs (the links, and the status pushed to them).

pub mod access;
pub mod code;
pub mod deadline;
pub mod demo;
pub mod events;
pub mod filing;
pub mod holidays;
pub mod line_followers;
pub mod line_hook;
pub mod public;
pub mod public_form;
pub mod public_tracking;
pub mod routes;
pub mod settings;
pub mod settings_routes;
pub mod stats;
pub mod store;
pub mod workflow;

/// Working days to finish a complaint when the office has not set its own.
pub const DEFAULT_REPLY_DAYS: i64 = 15;

/// What a complaint is about; the citizen chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Service,
    Corruption,
    Other,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Service, Category::Corruption, Category::Other];

    pub fn code(self) -> &'static str {
        match self {
            Category::Service => "service",
            Category::Corruption => "corruption",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Category::Service => "การให้บริการ",
            Category::Corruption => "การทุจริตหรือประพฤติมิชอบ",
            Category::Other => "เรื่องอื่น ๆ",
        }
    }
}

/// Where a complaint stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Received,
    Assigned,
    Replied,
    Closed,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::New, Status::Received, Status::Assigned, Status::Replied, Status::Closed, Status::Reopened];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Received => "received",
            Status::Assigned => "assigned",
            Status::Replied => "replied",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Status::New => "รับเรื่องทางเว็บไซต์แล้ว รอเจ้าหน้าที่ลงรับ",
            Status::Received => "เจ้าหน้าที่ลงรับเรื่องแล้ว",
            Status::Assigned => "ส่งเรื่องให้หน่วยงานผู้รับผิดชอบแล้ว",
            Status::Replied => "หน่วยงานตอบผู้ร้องเรียนแล้ว",
            Status::Closed => "ปิดเรื่องแล้ว",
            Status::Reopened => "เปิดเรื่องอีกครั้ง",
        }
    }

    /// Still the office's to finish: its deadline runs.
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }
}

/// Past its deadline and not closed, on `today` (yyyymmdd).
pub fn is_overdue(status: Status, due_on: i64, today: i64) -> bool {
    status.is_open() && today > due_on
}

/// Today in Thailand as yyyymmdd.
pub fn today() -> i64 {
    crate::documents::day_number(crate::thai::today_in_thailand())
}

/// The Thai day (yyyymmdd) of an instant.
pub fn day_of(epoch: i64) -> i64 {
    let local = chrono::DateTime::from_timestamp(epoch + 7 * 3600, 0).unwrap_or_default().date_naive();
    crate::documents::day_number(local)
}
