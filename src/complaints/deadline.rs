//! The deadline of a complaint in Thai working days (pure): counted from the day after it was
//! filed (or reopened), skipping Saturdays, Sundays and the office's holidays, and explained the
//! way the page prints it (after Alaveteli #5101: the reader sees which days were not counted).

use chrono::{Datelike, NaiveDate, Weekday};

use crate::thai::{Digits, format_date_medium, format_int};

/// A holiday of the office's calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
}

/// A deadline with how it was counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub from: NaiveDate,
    pub working_days: u32,
    pub due: NaiveDate,
    /// Saturdays and Sundays passed over.
    pub weekend_days: u32,
    /// The office's holidays passed over (on weekdays), in order.
    pub holidays: Vec<Holiday>,
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

fn holiday(day: NaiveDate, holidays: &[Holiday]) -> Option<&Holiday> {
    holidays.iter().find(|h| h.day == day)
}

/// Not a Saturday, a Sunday or a holiday.
pub fn is_working_day(day: NaiveDate, holidays: &[Holiday]) -> bool {
    !is_weekend(day) && holiday(day, holidays).is_none()
}

/// The `working_days`-th working day after `from` (the day itself is not counted).
pub fn due_after(from: NaiveDate, working_days: u32, holidays: &[Holiday]) -> Deadline {
    let mut deadline = Deadline { from, working_days, due: from, weekend_days: 0, holidays: Vec::new() };
    let mut counted = 0;
    let mut day = from;
    while counted < working_days {
        let Some(next) = day.succ_opt() else { break };
        day = next;
        if is_weekend(day) {
            deadline.weekend_days += 1;
        } else if let Some(h) = holiday(day, holidays) {
            deadline.holidays.push(h.clone());
        } else {
            counted += 1;
        }
    }
    deadline.due = day;
    deadline
}

/// Working days after `from` up to and including `to` (0 when `to` is not later).
pub fn working_days_between(from: NaiveDate, to: NaiveDate, holidays: &[Holiday]) -> i64 {
    from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| is_working_day(*d, holidays)).count() as i64
}

impl Deadline {
    /// "ยื่นเรื่องวันที่ ๑ ธ.ค. ๒๕๖๙ นับ ๑๕ วันทำการ โดยไม่นับวันเสาร์และวันอาทิตย์ ๖ วัน และวันหยุด ๒ วัน
    /// (๕ ธ.ค. ๒๕๖๙ วันพ่อแห่งชาติ, …) ครบกำหนดวันที่ ๒๒ ธ.ค. ๒๕๖๙". `start` names the first day
    /// ("ยื่นเรื่อง" or "เปิดเรื่องอีกครั้ง").
    pub fn explain_th(&self, start: &str, digits: Digits) -> String {
        let n = |v: i64| format_int(v, digits);
        let date = |d: NaiveDate| format_date_medium(d, digits);
        let mut text = format!(
            "{start}วันที่ {} นับ {} วันทำการถัดจากวันนั้น โดยไม่นับวันเสาร์และวันอาทิตย์ {} วัน",
            date(self.from),
            n(i64::from(self.working_days)),
            n(i64::from(self.weekend_days))
        );
        if self.holidays.is_empty() {
            text.push_str(" (ไม่มีวันหยุดของหน่วยงานในช่วงนี้)");
        } else {
            let names: Vec<String> = self.holidays.iter().map(|h| format!("{} {}", date(h.day), h.name)).collect();
            text.push_str(&format!(" และวันหยุดของหน่วยงาน {} วัน ({})", n(self.holidays.len() as i64), names.join(", ")));
        }
        text.push_str(&format!(" ครบกำหนดวันที่ {}", date(self.due)));
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_deadline_skips_the_weekend_and_a_holiday_of_a_hand_made_calendar() {
        // Tue 1 Dec 2026; Thu 10 Dec is a holiday; weekends 5–6 and 12–13 Dec.
        let holidays = vec![Holiday { day: d(2026, 12, 10), name: "วันรัฐธรรมนูญ".into() }];
        let deadline = due_after(d(2026, 12, 1), 7, &holidays);
        // Counted: 2, 3, 4, 7, 8, 9, 11 → due Fri 11 Dec.
        assert_eq!(deadline.due, d(2026, 12, 11));
        assert_eq!(deadline.weekend_days, 2);
        assert_eq!(deadline.holidays, holidays);
        let text = deadline.explain_th("ยื่นเรื่อง", Digits::Thai);
        assert_eq!(
            text,
            "ยื่นเรื่องวันที่ ๑ ธ.ค. ๒๕๖๙ นับ ๗ วันทำการถัดจากวันนั้น โดยไม่นับวันเสาร์และวันอาทิตย์ ๒ วัน และวันหยุดของหน่วยงาน ๑ วัน (๑๐ ธ.ค. ๒๕๖๙ วันรัฐธรรมนูญ) ครบกำหนดวันที่ ๑๑ ธ.ค. ๒๕๖๙"
        );
    }

    #[test]
    fn fifteen_working_days_from_a_friday_and_a_holiday_on_a_saturday_counts_once() {
        // Fri 4 Dec 2026; Sat 5 Dec (วันพ่อ) is a weekend day already, Mon 7 Dec its substitute.
        let holidays = vec![
            Holiday { day: d(2026, 12, 5), name: "วันพ่อแห่งชาติ".into() },
            Holiday { day: d(2026, 12, 7), name: "ชดเชยวันพ่อแห่งชาติ".into() },
        ];
        let deadline = due_after(d(2026, 12, 4), 15, &holidays);
        assert_eq!(deadline.holidays.len(), 1, "the Saturday is counted as a weekend day");
        assert_eq!(deadline.due, d(2026, 12, 28));
        assert_eq!(deadline.weekend_days, 8);
        assert_eq!(working_days_between(d(2026, 12, 4), deadline.due, &holidays), 15);
        assert_eq!(working_days_between(d(2026, 12, 4), d(2026, 12, 4), &holidays), 0);
        assert!(!is_working_day(d(2026, 12, 7), &holidays));
    }
}
