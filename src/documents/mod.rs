//! The documents library (issue 16): what the office publishes as files (the conflict-of-interest
//! manual, SOP manuals, orders, announcements, regulations, plans, reports), each with a stable
//! URL and its files kept as numbered versions. store.rs (SQL), routes.rs (staff: upload, edit,
//! new version), public.rs (/o/SLUG/documents…, with the documents the product generates).

pub mod acks;
pub mod public;
pub mod routes;
pub mod store;

use chrono::NaiveDate;

use crate::thai::Digits;

/// A document's category, stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Manual,
    Order,
    Announcement,
    Regulation,
    Plan,
    Report,
    /// The council's rules (public attendance) and its meetings' minutes.
    Council,
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Manual,
        Category::Order,
        Category::Announcement,
        Category::Regulation,
        Category::Plan,
        Category::Report,
        Category::Council,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Manual => "manual",
            Category::Order => "order",
            Category::Announcement => "announcement",
            Category::Regulation => "regulation",
            Category::Plan => "plan",
            Category::Report => "report",
            Category::Council => "council",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// An unknown code reads as "other" (codes are written only by this program).
    pub fn from_code(code: &str) -> Category {
        Category::parse(code).unwrap_or(Category::Other)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Category::Manual => "คู่มือ",
            Category::Order => "คำสั่ง",
            Category::Announcement => "ประกาศ",
            Category::Regulation => "ระเบียบ ข้อบัญญัติ และหลักเกณฑ์",
            Category::Plan => "แผน",
            Category::Report => "รายงาน",
            Category::Council => "เอกสารสภา (ข้อบังคับการประชุม รายงานการประชุม)",
            Category::Other => "เอกสารอื่น ๆ",
        }
    }
}

/// yyyymmdd as stored.
pub fn day_number(date: NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

pub fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((day / 10_000) as i32, (day / 100 % 100) as u32, (day % 100) as u32)
}

/// A stored yyyymmdd as documents print it: "๑ ต.ค. ๒๕๖๖".
pub fn issued_th(day: i64, digits: Digits) -> String {
    date_of(day).map(|d| crate::thai::format_date_medium(d, digits)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_stored_as_yyyymmdd_and_read_back() {
        let d = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap();
        assert_eq!(day_number(d), 20231001);
        assert_eq!(date_of(20231001), Some(d));
        assert_eq!(date_of(20231301), None);
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
    }
}
