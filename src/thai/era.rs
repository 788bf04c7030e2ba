//! The Buddhist era (พ.ศ.), in which Thai documents write years.

use std::ops::RangeInclusive;

use super::digits::{Digits, digit_value, format_int};

/// Years between the Buddhist era and the Christian era: BE = CE + 543.
///
/// (Before 2484 BE the Thai year began on 1 April, so Jan–Mar dates of that time differ by 542;
/// documents this system handles are all later, so the offset is constant here.)
pub const BE_OFFSET: i32 = 543;

/// Buddhist-era years accepted from people: wide enough for old records and long plans, narrow
/// enough to catch a Christian-era year or a typo.
pub const PLAUSIBLE_BE_YEARS: RangeInclusive<i32> = 2400..=2700;

/// The Buddhist-era year of a Christian-era year (2023 → 2566).
pub const fn be_from_ce(ce: i32) -> i32 {
    ce + BE_OFFSET
}

/// The Christian-era year of a Buddhist-era year (2566 → 2023).
pub const fn ce_from_be(be: i32) -> i32 {
    be - BE_OFFSET
}

/// Writes a Buddhist-era year without grouping (`๒๕๖๖`): years never take a thousands comma.
pub fn format_year_be(be: i32, digits: Digits) -> String {
    format_int(be.into(), digits)
}

/// Writes a Buddhist-era year with its era marker (`พ.ศ. ๒๕๖๖`).
pub fn format_year_be_with_era(be: i32, digits: Digits) -> String {
    format!("พ.ศ. {}", format_year_be(be, digits))
}

/// Why a year typed by a person was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearError {
    /// Nothing (or only "พ.ศ.") was written.
    #[error("the Buddhist-era year is missing")]
    Missing,
    /// Something other than digits was written.
    #[error("year \"{0}\" is not a number")]
    NotANumber(String),
    /// A Christian-era year, the most common slip.
    #[error("{typed} looks like a Christian-era year; write the Buddhist-era year {be}")]
    LooksLikeCe {
        /// The year as typed.
        typed: i32,
        /// The Buddhist-era year it probably means.
        be: i32,
    },
    /// A number, but not a plausible Buddhist-era year.
    #[error("year {0} is outside the accepted Buddhist-era years 2400–2700")]
    OutOfRange(String),
}

impl YearError {
    /// The same message in Thai, for people.
    pub fn message_th(&self) -> String {
        match self {
            YearError::Missing => "ไม่ได้ระบุปี พ.ศ.".to_string(),
            YearError::NotANumber(s) => format!("ปี \"{s}\" ไม่ใช่ตัวเลข"),
            YearError::LooksLikeCe { typed, be } => {
                format!("ปี {typed} น่าจะเป็นปี ค.ศ. กรุณาระบุเป็นปี พ.ศ. {be}")
            }
            YearError::OutOfRange(s) => {
                format!("ปี พ.ศ. {s} อยู่นอกช่วงที่รับได้ (2400–2700)")
            }
        }
    }
}

/// Reads a Buddhist-era year as people type it: optional "พ.ศ.", either digit set.
///
/// Two digits mean 25xx (`๖๖` → 2566), as in the short date form. Other years must lie in
/// [`PLAUSIBLE_BE_YEARS`]; a Christian-era year gets its own error naming the BE year.
pub fn parse_year_be(s: &str) -> Result<i32, YearError> {
    let s = strip_era_prefix(s.trim()).trim();
    if s.is_empty() {
        return Err(YearError::Missing);
    }
    if s.chars().any(|c| digit_value(c).is_none()) {
        return Err(YearError::NotANumber(s.to_string()));
    }
    let Some(n) = super::digits::parse_digits(s).and_then(|n| i32::try_from(n).ok()) else {
        return Err(YearError::OutOfRange(s.to_string()));
    };
    let year = if s.chars().count() == 2 { 2500 + n } else { n };
    check_plausible(year)
}

/// Accepts `be` if it is in [`PLAUSIBLE_BE_YEARS`], saying why not otherwise.
pub(super) fn check_plausible(be: i32) -> Result<i32, YearError> {
    if PLAUSIBLE_BE_YEARS.contains(&be) {
        return Ok(be);
    }
    match be.checked_add(BE_OFFSET) {
        Some(as_be) if PLAUSIBLE_BE_YEARS.contains(&as_be) => Err(YearError::LooksLikeCe { typed: be, be: as_be }),
        _ => Err(YearError::OutOfRange(be.to_string())),
    }
}

/// Removes a leading "พ.ศ." (the final dot is often forgotten).
fn strip_era_prefix(s: &str) -> &str {
    s.strip_prefix("พ.ศ.").or_else(|| s.strip_prefix("พ.ศ")).unwrap_or(s)
}

/// Removes a trailing "พ.ศ." (or "พ.ศ"), telling whether there was one.
pub(super) fn strip_era_suffix(s: &str) -> (&str, bool) {
    match s.strip_suffix("พ.ศ.").or_else(|| s.strip_suffix("พ.ศ")) {
        Some(rest) => (rest, true),
        None => (s, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn be_is_ce_plus_543_and_back() {
        assert_eq!(be_from_ce(2023), 2566);
        assert_eq!(ce_from_be(2566), 2023);
    }

    #[test]
    fn a_year_is_written_without_a_comma() {
        assert_eq!(format_year_be(2566, Digits::Thai), "๒๕๖๖");
        assert_eq!(format_year_be(2566, Digits::Arabic), "2566");
        assert_eq!(format_year_be_with_era(2566, Digits::Thai), "พ.ศ. ๒๕๖๖");
    }

    #[test]
    fn a_year_is_read_with_or_without_the_era_marker() {
        for s in ["2566", "๒๕๖๖", "พ.ศ. ๒๕๖๖", "พ.ศ.2566", "พ.ศ ๒๕๖๖", "  2566\n"] {
            assert_eq!(parse_year_be(s), Ok(2566), "{s:?}");
        }
    }

    #[test]
    fn a_two_digit_year_means_25xx() {
        assert_eq!(parse_year_be("๖๖"), Ok(2566));
        assert_eq!(parse_year_be("05"), Ok(2505));
    }

    #[test]
    fn a_christian_era_year_is_refused_with_the_be_year_suggested() {
        let err = parse_year_be("2023").expect_err("CE year");
        assert_eq!(err, YearError::LooksLikeCe { typed: 2023, be: 2566 });
        assert!(err.message_th().contains("2566"));
        assert!(err.to_string().contains("2566"));
    }

    #[test]
    fn implausible_or_non_numeric_years_are_refused() {
        assert_eq!(parse_year_be(""), Err(YearError::Missing));
        assert_eq!(parse_year_be("พ.ศ."), Err(YearError::Missing));
        assert_eq!(parse_year_be("25x6"), Err(YearError::NotANumber("25x6".into())));
        assert_eq!(parse_year_be("3000"), Err(YearError::OutOfRange("3000".into())));
        assert_eq!(parse_year_be("566"), Err(YearError::OutOfRange("566".into())));
        assert!(matches!(parse_year_be("99999999999999999999"), Err(YearError::OutOfRange(_))));
    }

    #[test]
    fn the_era_suffix_is_stripped_with_or_without_its_dot() {
        assert_eq!(strip_era_suffix("มี.ค. พ.ศ."), ("มี.ค. ", true));
        assert_eq!(strip_era_suffix("มี.ค. พ.ศ"), ("มี.ค. ", true));
        assert_eq!(strip_era_suffix("มี.ค."), ("มี.ค.", false));
    }
}
