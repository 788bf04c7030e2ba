//! Dates as Thai documents write them, with Buddhist-era years (`๑ ตุลาคม ๒๕๖๕`).

use chrono::{Datelike, NaiveDate};

use super::digits::{Digits, parse_digits, split_leading_digits, split_trailing_digits};
use super::era::{YearError, be_from_ce, ce_from_be, format_year_be, parse_year_be, strip_era_suffix};
use super::months::{month_abbr, month_full, parse_month};

/// The long form of letters and orders: `๑ ตุลาคม ๒๕๖๕` (no leading zero, full month, BE year).
pub fn format_date_long(date: NaiveDate, digits: Digits) -> String {
    format!(
        "{} {} {}",
        digits.apply(&date.day().to_string()),
        month_full(date.month()),
        format_year_be(be_from_ce(date.year()), digits)
    )
}

/// The medium form of tables: `๑ ต.ค. ๒๕๖๕`.
pub fn format_date_medium(date: NaiveDate, digits: Digits) -> String {
    format!(
        "{} {} {}",
        digits.apply(&date.day().to_string()),
        month_abbr(date.month()),
        format_year_be(be_from_ce(date.year()), digits)
    )
}

/// The short form of narrow cells: `๑ ต.ค. ๖๕` (last two digits of the BE year).
pub fn format_date_short(date: NaiveDate, digits: Digits) -> String {
    let yy = be_from_ce(date.year()).rem_euclid(100);
    format!(
        "{} {} {}",
        digits.apply(&date.day().to_string()),
        month_abbr(date.month()),
        digits.apply(&format!("{yy:02}"))
    )
}

/// Why a date typed by a person was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was written.
    #[error("the date is empty")]
    Empty,
    /// The text does not start with the day number.
    #[error("the day number is missing at the start of \"{0}\"")]
    MissingDay(String),
    /// Neither `1 ตุลาคม 2565` nor `1/10/2565`.
    #[error("\"{0}\" is not a date such as 1 ตุลาคม 2565 or 1/10/2565")]
    Unrecognized(String),
    /// A word that is no Thai month name.
    #[error("unknown month name \"{0}\"")]
    UnknownMonth(String),
    /// A year that could not be accepted.
    #[error(transparent)]
    Year(#[from] YearError),
    /// Well-formed but not in the calendar (31 April, 29 February of a common year).
    #[error("there is no day {day}/{month}/{be_year} (d/m/BE year) in the calendar")]
    NoSuchDate {
        /// Day of the month as typed.
        day: u32,
        /// Month number as typed or read from its name.
        month: u32,
        /// Buddhist-era year.
        be_year: i32,
    },
}

impl DateError {
    /// The same message in Thai, for people.
    pub fn message_th(&self) -> String {
        match self {
            DateError::Empty => "ไม่ได้ระบุวันที่".to_string(),
            DateError::MissingDay(s) => format!("ไม่พบตัวเลขวันที่ที่ต้นข้อความ \"{s}\""),
            DateError::Unrecognized(s) => {
                format!("\"{s}\" ไม่ใช่รูปแบบวันที่ เช่น ๑ ตุลาคม ๒๕๖๕ หรือ ๑/๑๐/๒๕๖๕")
            }
            DateError::UnknownMonth(s) => format!("ไม่รู้จักชื่อเดือน \"{s}\""),
            DateError::Year(e) => e.message_th(),
            DateError::NoSuchDate { day, month, be_year } => {
                let month_name = month_full(*month);
                if month_name.is_empty() {
                    format!("ไม่มีวันที่ {day}/{month}/{be_year} ในปฏิทิน")
                } else {
                    format!("ไม่มีวันที่ {day} {month_name} {be_year} ในปฏิทิน")
                }
            }
        }
    }
}

/// Reads a date with a Buddhist-era year, in either digit set: the long and medium forms
/// (`๑ ตุลาคม ๒๕๖๕`, `1 ต.ค. 2565`, optional "วันที่" and "พ.ศ."), day/month/year (`1/10/2565`);
/// a two-digit year means 25xx, so the short form (`๑ ต.ค. ๖๕`) reads back too.
pub fn parse_thai_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let s = s.strip_prefix("วันที่").unwrap_or(s).trim();
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    if s.contains('/') { parse_slashed(s) } else { parse_words(s) }
}

/// `d/m/yyyy`, the year in the Buddhist era.
fn parse_slashed(s: &str) -> Result<NaiveDate, DateError> {
    let unrecognized = || DateError::Unrecognized(s.to_string());
    let parts: Vec<&str> = s.split('/').map(str::trim).collect();
    let [day, month, year] = parts.as_slice() else {
        return Err(unrecognized());
    };
    let day = small_number(day).ok_or_else(unrecognized)?;
    let month = small_number(month).ok_or_else(unrecognized)?;
    let be_year = parse_year_be(year)?;
    build(day, month, be_year)
}

/// `d month yyyy`, spaces optional between the parts.
fn parse_words(s: &str) -> Result<NaiveDate, DateError> {
    let (day, rest) = split_leading_digits(s);
    if day.is_empty() {
        return Err(DateError::MissingDay(s.to_string()));
    }
    let day = small_number(day).ok_or_else(|| DateError::Unrecognized(s.to_string()))?;
    let (before, year) = split_trailing_digits(rest);
    if year.is_empty() {
        return Err(DateError::Year(YearError::Missing));
    }
    let (month_text, _) = strip_era_suffix(before.trim_end());
    let month_text = month_text.trim();
    if month_text.is_empty() {
        return Err(DateError::Unrecognized(s.to_string()));
    }
    let month = parse_month(month_text).ok_or_else(|| DateError::UnknownMonth(month_text.to_string()))?;
    build(day, month, parse_year_be(year)?)
}

/// A day or month number: digits only, small enough for `u32`.
fn small_number(s: &str) -> Option<u32> {
    parse_digits(s).and_then(|n| u32::try_from(n).ok())
}

fn build(day: u32, month: u32, be_year: i32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(ce_from_be(be_year), month, day).ok_or(DateError::NoSuchDate { day, month, be_year })
}

/// Today's date in Thailand (UTC+7, no daylight saving), whatever the server's time zone: due
/// dates and fiscal years follow the Thai calendar day.
pub fn today_in_thailand() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// An instant (epoch seconds) as Thai local date and time, e.g. "๑ ต.ค. ๒๕๖๕ ๐๙:๓๐ น.".
pub fn format_instant_th(epoch_seconds: i64, digits: Digits) -> String {
    let local = chrono::DateTime::from_timestamp(epoch_seconds, 0).unwrap_or_default() + chrono::Duration::hours(7);
    let date = format_date_medium(local.date_naive(), digits);
    digits.apply(&format!("{date} {} น.", local.format("%H:%M")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn the_long_form_has_no_leading_zero_a_full_month_and_the_be_year() {
        assert_eq!(format_date_long(date(2022, 10, 1), Digits::Thai), "๑ ตุลาคม ๒๕๖๕");
        assert_eq!(format_date_long(date(2022, 10, 1), Digits::Arabic), "1 ตุลาคม 2565");
    }

    #[test]
    fn the_medium_form_abbreviates_the_month() {
        assert_eq!(format_date_medium(date(2022, 10, 1), Digits::Thai), "๑ ต.ค. ๒๕๖๕");
        assert_eq!(format_date_medium(date(2023, 12, 31), Digits::Arabic), "31 ธ.ค. 2566");
    }

    #[test]
    fn the_short_form_keeps_two_digits_of_the_be_year() {
        assert_eq!(format_date_short(date(2022, 10, 1), Digits::Thai), "๑ ต.ค. ๖๕");
        // 2600 BE: the leading zero stays so the year keeps two digits.
        assert_eq!(format_date_short(date(2057, 1, 5), Digits::Arabic), "5 ม.ค. 00");
    }

    #[test]
    fn long_medium_short_and_slashed_forms_are_read() {
        let expected = Ok(date(2022, 10, 1));
        for s in [
            "๑ ตุลาคม ๒๕๖๕",
            "1 ตุลาคม 2565",
            "๑ ต.ค. ๒๕๖๕",
            "1 ต.ค 2565",
            "๑ ต.ค. ๖๕",
            "วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๕",
            "1ต.ค.2565",
            "01 ตุลาคม 2565",
            "1/10/2565",
            "๑/๑๐/๒๕๖๕",
            " 01 / 10 / 2565 ",
            "1/10/65",
        ] {
            assert_eq!(parse_thai_date(s), expected, "{s:?}");
        }
    }

    #[test]
    fn the_29th_of_february_is_read_only_in_a_leap_year() {
        // 2567 BE = 2024 CE, a leap year; 2566 BE = 2023 CE is not.
        assert_eq!(parse_thai_date("29 ก.พ. 2567"), Ok(date(2024, 2, 29)));
        assert_eq!(parse_thai_date("29 กุมภาพันธ์ 2566"), Err(DateError::NoSuchDate { day: 29, month: 2, be_year: 2566 }));
        assert_eq!(format_date_long(date(2024, 2, 29), Digits::Thai), "๒๙ กุมภาพันธ์ ๒๕๖๗");
    }

    #[test]
    fn impossible_dates_are_refused_with_the_date_named() {
        let err = parse_thai_date("31/4/2566").expect_err("no 31 April");
        assert!(err.message_th().contains("31 เมษายน 2566"), "{}", err.message_th());
        assert!(matches!(parse_thai_date("1/13/2566"), Err(DateError::NoSuchDate { month: 13, .. })));
        assert!(parse_thai_date("1/13/2566").expect_err("month 13").message_th().contains("1/13/2566"));
    }

    #[test]
    fn a_christian_era_year_is_refused() {
        assert!(matches!(parse_thai_date("1/10/2022"), Err(DateError::Year(YearError::LooksLikeCe { be: 2565, .. }))));
    }

    #[test]
    fn malformed_dates_are_refused_with_a_reason() {
        assert_eq!(parse_thai_date("  "), Err(DateError::Empty));
        assert!(matches!(parse_thai_date("ตุลาคม 2565"), Err(DateError::MissingDay(_))));
        assert_eq!(parse_thai_date("1 ตุลาคม"), Err(DateError::Year(YearError::Missing)));
        assert_eq!(parse_thai_date("1 ตุลา 2565"), Err(DateError::UnknownMonth("ตุลา".into())));
        assert!(matches!(parse_thai_date("1/10"), Err(DateError::Unrecognized(_))));
        assert!(matches!(parse_thai_date("x/10/2565"), Err(DateError::Unrecognized(_))));
        assert!(matches!(parse_thai_date("1 2565"), Err(DateError::Unrecognized(_))));
        assert!(matches!(parse_thai_date("99999999999 ต.ค. 2565"), Err(DateError::Unrecognized(_))));
    }

    /// Any day whose B.E. year the parsers accept (shared by the date-field tests).
    pub(crate) fn plausible_date() -> impl Strategy<Value = NaiveDate> {
        // CE 1857–2157 are BE 2400–2700, the years the parser accepts.
        let first = date(1857, 1, 1).num_days_from_ce();
        let last = date(2157, 12, 31).num_days_from_ce();
        (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).expect("in range"))
    }

    proptest! {
        #[test]
        fn a_long_or_medium_date_reads_back(d in plausible_date(), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(parse_thai_date(&format_date_long(d, digits)), Ok(d));
            prop_assert_eq!(parse_thai_date(&format_date_medium(d, digits)), Ok(d));
        }
    }

    #[test]
    fn an_instant_is_shown_in_thai_local_time() {
        // 1970-01-01 00:00 UTC is 07:00 in Thailand.
        assert_eq!(format_instant_th(0, Digits::Arabic), "1 ม.ค. 2513 07:00 น.");
        assert_eq!(format_instant_th(17 * 3600, Digits::Thai), "๒ ม.ค. ๒๕๑๓ ๐๐:๐๐ น.");
    }
}
