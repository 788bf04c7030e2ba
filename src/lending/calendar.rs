//! Dates of lending: overdue days, the follow-up duty of ข้อ 211 and the start of the annual
//! stock count of ข้อ 213.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::rules::LendingRules;

/// Days past the due date, or `None` while the loan is not overdue (the due date itself is on time).
pub fn overdue_days(due: NaiveDate, today: NaiveDate) -> Option<i64> {
    (today > due).then(|| (today - due).num_days())
}

/// The last day on which the officer must have chased the return: the due date plus
/// `follow_up_days` (ข้อ 211: within 7 days of the due date).
pub fn follow_up_deadline(due: NaiveDate, rules: &LendingRules) -> NaiveDate {
    due.checked_add_days(Days::new(rules.follow_up_days.into())).unwrap_or(NaiveDate::MAX)
}

/// Where a loan that is still out stands against its due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUpState {
    /// More than `remind_days_before_due` days left.
    NotDue,
    /// The borrower is to be reminded; 0 days left means due today.
    DueSoon { days_left: i64 },
    /// Past the due date. `late`: the follow-up deadline has passed with no follow-up recorded
    /// after the due date, so the officer has missed the duty of ข้อ 211.
    Overdue { days: i64, follow_up_by: NaiveDate, late: bool },
}

/// The state of a loan still out on `today`; `last_follow_up` is the latest recorded follow-up.
///
/// Only a follow-up made after the due date counts: before it, the item was not yet overdue and
/// there was nothing to chase.
pub fn follow_up_state(
    due: NaiveDate,
    today: NaiveDate,
    last_follow_up: Option<NaiveDate>,
    rules: &LendingRules,
) -> FollowUpState {
    match overdue_days(due, today) {
        Some(days) => {
            let follow_up_by = follow_up_deadline(due, rules);
            let followed_up = last_follow_up.is_some_and(|d| d > due);
            FollowUpState::Overdue { days, follow_up_by, late: today > follow_up_by && !followed_up }
        }
        None => {
            let days_left = (due - today).num_days();
            if days_left <= i64::from(rules.remind_days_before_due) {
                FollowUpState::DueSoon { days_left }
            } else {
                FollowUpState::NotDue
            }
        }
    }
}

/// Not a Saturday, a Sunday or one of `holidays`.
pub fn is_working_day(date: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&date)
}

/// The first working day of the stock count that closes fiscal year `closing_fiscal_year_be`
/// (ข้อ 213: it starts on the first working day of the *next* fiscal year).
///
/// Fiscal year 2566 runs 1 Oct 2022 – 30 Sep 2023, so its count starts on the first working day
/// on or after 1 Oct 2023 (CE year = `closing_fiscal_year_be` − 543).
pub fn stock_count_start(closing_fiscal_year_be: i32, holidays: &[NaiveDate]) -> NaiveDate {
    // Years so far out that chrono cannot hold them saturate rather than panic.
    let Some(mut day) = NaiveDate::from_ymd_opt(closing_fiscal_year_be - 543, 10, 1) else {
        return NaiveDate::MAX;
    };
    while !is_working_day(day, holidays) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_loan_is_overdue_only_from_the_day_after_its_due_date() {
        let due = date(2024, 10, 3);
        assert_eq!(overdue_days(due, date(2024, 10, 2)), None);
        assert_eq!(overdue_days(due, due), None);
        assert_eq!(overdue_days(due, date(2024, 10, 4)), Some(1));
        assert_eq!(overdue_days(due, date(2024, 11, 3)), Some(31));
    }

    #[test]
    fn the_follow_up_is_due_seven_days_after_the_due_date_by_default() {
        assert_eq!(follow_up_deadline(date(2024, 9, 27), &LendingRules::default()), date(2024, 10, 4));
        let strict = LendingRules { follow_up_days: 3, ..LendingRules::default() };
        assert_eq!(follow_up_deadline(date(2024, 9, 27), &strict), date(2024, 9, 30));
    }

    #[test]
    fn the_borrower_is_reminded_from_two_days_before_the_due_date() {
        let rules = LendingRules::default();
        let due = date(2024, 10, 10);
        assert_eq!(follow_up_state(due, date(2024, 10, 7), None, &rules), FollowUpState::NotDue);
        assert_eq!(follow_up_state(due, date(2024, 10, 8), None, &rules), FollowUpState::DueSoon { days_left: 2 });
        assert_eq!(follow_up_state(due, due, None, &rules), FollowUpState::DueSoon { days_left: 0 });
    }

    #[test]
    fn an_overdue_loan_becomes_late_when_nobody_followed_up_within_seven_days() {
        let rules = LendingRules::default();
        let due = date(2024, 10, 10);
        let by = date(2024, 10, 17);
        assert_eq!(
            follow_up_state(due, date(2024, 10, 17), None, &rules),
            FollowUpState::Overdue { days: 7, follow_up_by: by, late: false }
        );
        assert_eq!(
            follow_up_state(due, date(2024, 10, 18), None, &rules),
            FollowUpState::Overdue { days: 8, follow_up_by: by, late: true }
        );
    }

    #[test]
    fn a_follow_up_after_the_due_date_clears_the_late_flag_and_one_before_it_does_not() {
        let rules = LendingRules::default();
        let due = date(2024, 10, 10);
        let today = date(2024, 10, 20);
        let followed = follow_up_state(due, today, Some(date(2024, 10, 12)), &rules);
        assert!(matches!(followed, FollowUpState::Overdue { late: false, .. }));
        let reminded_before = follow_up_state(due, today, Some(date(2024, 10, 9)), &rules);
        assert!(matches!(reminded_before, FollowUpState::Overdue { late: true, .. }));
    }

    #[test]
    fn the_stock_count_of_fiscal_2566_starts_on_monday_2_october_2023() {
        // 1 October 2023 was a Sunday.
        assert_eq!(stock_count_start(2566, &[]), date(2023, 10, 2));
    }

    #[test]
    fn the_stock_count_of_fiscal_2567_starts_on_tuesday_1_october_2024() {
        assert_eq!(stock_count_start(2567, &[]), date(2024, 10, 1));
    }

    #[test]
    fn the_stock_count_of_fiscal_2565_skips_the_weekend_to_monday_3_october_2022() {
        assert_eq!(stock_count_start(2565, &[]), date(2022, 10, 3));
    }

    #[test]
    fn the_stock_count_start_skips_holidays_as_well_as_weekends() {
        let holidays = [date(2023, 10, 2), date(2023, 10, 3)];
        assert_eq!(stock_count_start(2566, &holidays), date(2023, 10, 4));
        let friday_holiday = [date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 3)];
        assert_eq!(stock_count_start(2568, &friday_holiday), date(2025, 10, 6));
    }
}
