//! The date field of a form: what a person types (`10/12/2569`, `๑๐/๑๒/๒๕๖๙`, `10 ธ.ค. 2569`,
//! `10 ธันวาคม 2569`), what the field shows back (`10/12/2569`) and the date echoed in words beside
//! it (`วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙`), so the reader sees which day the system understood.
//!
//! A Christian-era year (`10/12/2026`) is refused, not converted: the message names the Buddhist-era
//! year it probably means, and the person decides (a silent +543 would turn a slip such as 2026 for
//! 2569 into the right day, but also a mistyped BE year such as 2026 for 2562 into a wrong one).

use chrono::{Datelike, NaiveDate};

use super::dates::{DateError, parse_thai_date};
use super::digits::Digits;
use super::era::{PLAUSIBLE_BE_YEARS, be_from_ce, ce_from_be, format_year_be};
use super::months::month_full;

/// Weekday names as documents write them after "วัน", Monday first (chrono's order).
const WEEKDAYS: [&str; 7] = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"];

/// Reads what a person typed in a date field: day/month/BE year with `/`, `-` or `.` between
/// numbers, or a Thai month name or abbreviation; Thai, Arabic or full-width digits; the echo
/// (`วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙`) reads back too. `2026-12-10` (year first, four digits,
/// as a browser's date field or a link sends it) is read as a Christian-era date.
pub fn parse_date_field(typed: &str) -> Result<NaiveDate, DateError> {
    let s = normalize(typed);
    let s = strip_weekday(s.trim());
    if let Some(date) = iso_date(s) {
        return Ok(date);
    }
    let numeric = |c: char| super::digits::digit_value(c).is_some() || matches!(c, '/' | '-' | '.' | ' ');
    if s.chars().all(numeric) && s.contains(['-', '.']) {
        return parse_thai_date(&s.replace(['-', '.'], "/"));
    }
    parse_thai_date(s)
}

/// What the field shows: `10/12/2569` (day/month/BE year, no leading zeros).
pub fn format_date_field(date: NaiveDate, digits: Digits) -> String {
    digits.apply(&format!("{}/{}/{}", date.day(), date.month(), be_from_ce(date.year())))
}

/// The date in words, as the echo beside the field: `วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙`.
pub fn format_date_words(date: NaiveDate, digits: Digits) -> String {
    format!(
        "วัน{}ที่ {} {} พ.ศ. {}",
        WEEKDAYS[date.weekday().num_days_from_monday() as usize],
        digits.apply(&date.day().to_string()),
        month_full(date.month()),
        format_year_be(be_from_ce(date.year()), digits)
    )
}

/// The echo beside a date field: what was typed, in words, when it reads; else nothing.
pub fn echo(typed: &str, digits: Digits) -> String {
    parse_date_field(typed).map(|d| format_date_words(d, digits)).unwrap_or_default()
}

/// Full-width digits and slashes (typed with some Thai input methods) become their ASCII forms;
/// every run of white space becomes one space.
fn normalize(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' => '-',
            '．' => '.',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes a leading "วันจันทร์ที่" … "วันอาทิตย์ที่" (the echo's own form), keeping "ที่" optional.
fn strip_weekday(s: &str) -> &str {
    let Some(rest) = s.strip_prefix("วัน") else { return s };
    for name in WEEKDAYS {
        if let Some(rest) = rest.strip_prefix(name) {
            let rest = rest.trim_start();
            return rest.strip_prefix("ที่").unwrap_or(rest).trim_start();
        }
    }
    s
}

/// `yyyy-mm-dd` (what `<input type=date>` and links send): a Christian-era year, or a
/// Buddhist-era one from 2400 on (`2569-12-10`, as Thai spreadsheets write it).
fn iso_date(s: &str) -> Option<NaiveDate> {
    let bytes = s.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| s.get(range)?.parse::<u32>().ok();
    let (year, month, day) = (i32::try_from(number(0..4)?).ok()?, number(5..7)?, number(8..10)?);
    // Below 2400 it can only be a Christian-era year (how far off it is, is for the rules to say:
    // a loan running to 2399 is refused as too long, naming the limit).
    let ce = if PLAUSIBLE_BE_YEARS.contains(&year) {
        ce_from_be(year)
    } else if year < *PLAUSIBLE_BE_YEARS.start() {
        year
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(ce, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thai::YearError;
    use crate::thai::dates::tests::plausible_date;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn the_forms_a_person_types_are_read() {
        let expected = Ok(date(2026, 12, 10));
        for s in [
            "10/12/2569",
            "๑๐/๑๒/๒๕๖๙",
            "10 ธ.ค. 2569",
            "10 ธันวาคม 2569",
            "๑๐ ธันวาคม พ.ศ. ๒๕๖๙",
            "10-12-2569",
            "10.12.2569",
            "๑๐-๑๒-๒๕๖๙",
            "１０／１２／２５６９",
            "  10 /12/ 2569 ",
            "10\u{a0}ธ.ค.\u{a0}2569",
            "วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙",
            "2026-12-10",
            "2569-12-10",
        ] {
            assert_eq!(parse_date_field(s), expected, "{s:?}");
        }
    }

    #[test]
    fn a_christian_era_year_is_refused_naming_the_buddhist_era_year() {
        for s in ["10/12/2026", "10 ธ.ค. 2026", "๑๐/๑๒/๒๐๒๖"] {
            let err = parse_date_field(s).expect_err(s);
            assert_eq!(err, DateError::Year(YearError::LooksLikeCe { typed: 2026, be: 2569 }), "{s}");
            assert!(err.message_th().contains("พ.ศ. 2569"), "{}", err.message_th());
        }
        // A year far outside both eras is no date at all.
        assert!(parse_date_field("3000-12-10").is_err());
        assert_eq!(parse_date_field("2399-12-31"), Ok(date(2399, 12, 31)), "far, but for the rules to refuse");
        // 29 Feb 2567 BE is 2024 CE, a leap year, in the year-first form too.
        assert_eq!(parse_date_field("2567-02-29"), Ok(date(2024, 2, 29)));
    }

    #[test]
    fn impossible_or_unreadable_dates_are_refused() {
        assert!(matches!(parse_date_field("31/4/2569"), Err(DateError::NoSuchDate { .. })));
        assert_eq!(parse_date_field(""), Err(DateError::Empty));
        assert!(parse_date_field("พรุ่งนี้").is_err());
        assert!(parse_date_field("10/12").is_err());
    }

    #[test]
    fn the_field_shows_day_month_and_buddhist_era_year() {
        assert_eq!(format_date_field(date(2026, 12, 10), Digits::Arabic), "10/12/2569");
        assert_eq!(format_date_field(date(2026, 1, 5), Digits::Thai), "๕/๑/๒๕๖๙");
    }

    #[test]
    fn the_echo_names_the_weekday_day_month_and_year() {
        assert_eq!(format_date_words(date(2026, 12, 10), Digits::Thai), "วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙");
        assert_eq!(format_date_words(date(2026, 11, 30), Digits::Arabic), "วันจันทร์ที่ 30 พฤศจิกายน พ.ศ. 2569");
    }

    proptest! {
        #[test]
        fn what_the_field_and_the_echo_show_reads_back(d in plausible_date(), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(parse_date_field(&format_date_field(d, digits)), Ok(d));
            prop_assert_eq!(parse_date_field(&format_date_words(d, digits)), Ok(d));
        }
    }
}
