//! Month ranges as Thai official reports write them (`มี.ค. – เม.ย. ๒๕๖๖`).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::digits::{Digits, split_trailing_digits};
use super::era::{YearError, be_from_ce, format_year_be, parse_year_be, strip_era_suffix};
use super::fiscal::FiscalYear;
use super::months::{month_abbr, parse_month};

/// A month of a Buddhist-era year.
///
/// The field order (year, then month) makes the derived ordering chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Buddhist-era year (2566).
    pub be_year: i32,
    /// 1 = January … 12 = December.
    pub month: u32,
}

impl YearMonth {
    /// A month, if `month` is in 1..=12.
    pub fn new(be_year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { be_year, month })
    }

    /// The month that `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self { be_year: be_from_ce(date.year()), month: date.month() }
    }

    /// The fiscal year this month belongs to (October onwards counts towards the next year).
    pub fn fiscal_year(self) -> FiscalYear {
        let next = if self.month >= 10 { 1 } else { 0 };
        FiscalYear::from_be(self.be_year + next)
    }

    /// Abbreviated month and year: `มี.ค. ๒๕๖๖`.
    pub fn format(self, digits: Digits) -> String {
        format!("{} {}", month_abbr(self.month), format_year_be(self.be_year, digits))
    }
}

/// Arabic digits (`มี.ค. 2566`), as used in error messages and logs.
impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Digits::Arabic))
    }
}

/// An inclusive range of months, start never after end; a single month is a range too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ThaiMonthRange {
    start: YearMonth,
    end: YearMonth,
}

/// Why a month range was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthRangeError {
    /// Nothing was written.
    #[error("the month range is empty")]
    Empty,
    /// More than one dash or "ถึง".
    #[error("more than one dash or \"ถึง\"; write one range, e.g. มี.ค. – เม.ย. 2566")]
    TooManySeparators,
    /// One side of the dash has no month name.
    #[error("a month name is missing on one side of the range")]
    MissingMonth,
    /// A word that is no Thai month name.
    #[error("unknown month name \"{0}\"")]
    UnknownMonth(String),
    /// No year after the (last) month.
    #[error("missing year: write the Buddhist-era year after the last month, e.g. มี.ค. – เม.ย. 2566")]
    MissingYear,
    /// A year that could not be accepted.
    #[error(transparent)]
    Year(#[from] YearError),
    /// A month number outside 1..=12 given to the constructor.
    #[error("month {0} is not between 1 and 12")]
    InvalidMonth(u32),
    /// The start comes after the end.
    #[error(
        "the start month {start} is after the end month {end}; for a range across years write both years, e.g. ต.ค. 2565 – ก.ย. 2566"
    )]
    StartAfterEnd {
        /// The first month given.
        start: YearMonth,
        /// The second month given.
        end: YearMonth,
    },
}

impl MonthRangeError {
    /// The same message in Thai, for people.
    pub fn message_th(&self) -> String {
        match self {
            MonthRangeError::Empty => "ไม่ได้ระบุช่วงเดือน".to_string(),
            MonthRangeError::TooManySeparators => {
                "มีขีดหรือคำว่า \"ถึง\" มากกว่าหนึ่งแห่ง ให้เขียนเพียงช่วงเดียว เช่น มี.ค. – เม.ย. ๒๕๖๖".to_string()
            }
            MonthRangeError::MissingMonth => "ไม่พบชื่อเดือนในช่วงเดือนด้านใดด้านหนึ่ง".to_string(),
            MonthRangeError::UnknownMonth(s) => format!("ไม่รู้จักชื่อเดือน \"{s}\""),
            MonthRangeError::MissingYear => "ไม่ได้ระบุปี พ.ศ. ให้เขียนปีต่อท้ายเดือนสุดท้าย เช่น มี.ค. – เม.ย. ๒๕๖๖".to_string(),
            MonthRangeError::Year(e) => e.message_th(),
            MonthRangeError::InvalidMonth(m) => format!("เดือนที่ {m} ไม่อยู่ระหว่าง 1 ถึง 12"),
            MonthRangeError::StartAfterEnd { start, end } => {
                format!("เดือนเริ่มต้น ({start}) อยู่หลังเดือนสิ้นสุด ({end}) หากช่วงข้ามปีให้ระบุปีทั้งสองฝั่ง เช่น ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖")
            }
        }
    }
}

impl ThaiMonthRange {
    /// A range from `start` to `end`, both included; months must be 1..=12 and start not after
    /// end.
    pub fn new(start: YearMonth, end: YearMonth) -> Result<Self, MonthRangeError> {
        for ym in [start, end] {
            if !(1..=12).contains(&ym.month) {
                return Err(MonthRangeError::InvalidMonth(ym.month));
            }
        }
        if start > end {
            return Err(MonthRangeError::StartAfterEnd { start, end });
        }
        Ok(Self { start, end })
    }

    /// A range of one month, if its month number is in 1..=12.
    pub fn single(month: YearMonth) -> Result<Self, MonthRangeError> {
        Self::new(month, month)
    }

    /// For siblings whose months are valid and ordered by construction.
    pub(super) const fn from_ordered(start: YearMonth, end: YearMonth) -> Self {
        Self { start, end }
    }

    /// The first month.
    pub fn start(&self) -> YearMonth {
        self.start
    }

    /// The last month (equal to the first for a single month).
    pub fn end(&self) -> YearMonth {
        self.end
    }

    /// Whether `month` lies within the range, both ends included.
    pub fn contains(&self, month: YearMonth) -> bool {
        self.start <= month && month <= self.end
    }

    /// The fiscal year of the last month: a report covering `ก.ย. – ต.ค.` is filed under the
    /// year its period ends in.
    pub fn fiscal_year_of_end(&self) -> FiscalYear {
        self.end.fiscal_year()
    }

    /// One line: `มี.ค. ๒๕๖๖`, `มี.ค. – เม.ย. ๒๕๖๖` or `ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖`.
    pub fn format(&self, digits: Digits) -> String {
        let (s, e) = (self.start, self.end);
        if s == e {
            s.format(digits)
        } else if s.be_year == e.be_year {
            format!("{} – {} {}", month_abbr(s.month), month_abbr(e.month), format_year_be(e.be_year, digits))
        } else {
            format!("{} – {}", s.format(digits), e.format(digits))
        }
    }

    /// Two lines for narrow table cells: `["มี.ค. – เม.ย.", "๒๕๖๖"]` within a year (`["มี.ค.",
    /// "๒๕๖๖"]` for one month), `["ต.ค. ๒๕๖๕ –", "ก.ย. ๒๕๖๖"]` across years.
    pub fn format_lines(&self, digits: Digits) -> Vec<String> {
        let (s, e) = (self.start, self.end);
        if s.be_year == e.be_year {
            let months = if s.month == e.month {
                month_abbr(s.month).to_string()
            } else {
                format!("{} – {}", month_abbr(s.month), month_abbr(e.month))
            };
            vec![months, format_year_be(e.be_year, digits)]
        } else {
            vec![format!("{} –", s.format(digits)), e.format(digits)]
        }
    }

    /// Same as `str::parse`; see the [`FromStr`] implementation for what is accepted.
    pub fn parse(s: &str) -> Result<Self, MonthRangeError> {
        s.parse()
    }
}

/// One line with Arabic digits (`มี.ค. – เม.ย. 2566`), for logs and URLs.
impl fmt::Display for ThaiMonthRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Digits::Arabic))
    }
}

/// Accepts what clerks type: en dash, em dash, hyphen or "ถึง" between the months; any whitespace,
/// newlines or `<br>` between parts; either digit set; full or abbreviated month names; an
/// optional "พ.ศ."; a year after each month or one year at the end; or a single month.
impl FromStr for ThaiMonthRange {
    type Err = MonthRangeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = replace_line_breaks(s).replace("ถึง", "–");
        if text.trim().is_empty() {
            return Err(MonthRangeError::Empty);
        }
        // U+2212 (minus) sneaks in from spreadsheets; no month or year contains a dash.
        let parts: Vec<&str> = text.split(['–', '—', '-', '−']).collect();
        match parts.as_slice() {
            [only] => {
                let (month, year) = parse_part(only)?;
                let be_year = year.ok_or(MonthRangeError::MissingYear)?;
                Self::single(YearMonth { be_year, month })
            }
            [first, second] => {
                let (start_month, start_year) = parse_part(first)?;
                let (end_month, end_year) = parse_part(second)?;
                let end_year = end_year.ok_or(MonthRangeError::MissingYear)?;
                Self::new(
                    YearMonth { be_year: start_year.unwrap_or(end_year), month: start_month },
                    YearMonth { be_year: end_year, month: end_month },
                )
            }
            _ => Err(MonthRangeError::TooManySeparators),
        }
    }
}

/// Reads one side of a range: a month name, then optionally "พ.ศ." and a year.
fn parse_part(part: &str) -> Result<(u32, Option<i32>), MonthRangeError> {
    let (before, year_digits) = split_trailing_digits(part.trim());
    let (month_text, had_era) = strip_era_suffix(before.trim_end());
    let month_text = month_text.trim();
    if month_text.is_empty() {
        return Err(MonthRangeError::MissingMonth);
    }
    let month = parse_month(month_text).ok_or_else(|| MonthRangeError::UnknownMonth(month_text.to_string()))?;
    let year = match (year_digits.is_empty(), had_era) {
        (true, true) => return Err(MonthRangeError::MissingYear),
        (true, false) => None,
        (false, _) => Some(parse_year_be(year_digits)?),
    };
    Ok((month, year))
}

/// Turns `<br>`, `<br/>` and `<br />` (any case) into a space: cells copied from the old HTML
/// pages carry them.
pub(super) fn replace_line_breaks(s: &str) -> String {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` are valid in `s`.
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<br") {
        let tag_start = pos + found;
        let after = tag_start + "<br".len();
        let tag_end = lower[after..]
            .find('>')
            .map(|i| after + i)
            .filter(|&end| lower[after..end].chars().all(|c| c == '/' || c.is_whitespace()));
        out.push_str(&s[pos..tag_start]);
        match tag_end {
            Some(end) => {
                out.push(' ');
                pos = end + 1;
            }
            None => {
                out.push_str(&s[tag_start..after]);
                pos = after;
            }
        }
    }
    out.push_str(&s[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ym(be_year: i32, month: u32) -> YearMonth {
        YearMonth { be_year, month }
    }

    fn range(start: YearMonth, end: YearMonth) -> ThaiMonthRange {
        ThaiMonthRange::new(start, end).expect("valid test range")
    }

    fn mar_apr_2566() -> ThaiMonthRange {
        range(ym(2566, 3), ym(2566, 4))
    }

    #[test]
    fn a_range_within_one_year_writes_the_year_once_at_the_end() {
        assert_eq!(mar_apr_2566().format(Digits::Thai), "มี.ค. – เม.ย. ๒๕๖๖");
        assert_eq!(mar_apr_2566().format(Digits::Arabic), "มี.ค. – เม.ย. 2566");
    }

    #[test]
    fn the_separator_is_an_en_dash_between_spaces() {
        assert!(mar_apr_2566().format(Digits::Thai).contains(" \u{2013} "));
    }

    #[test]
    fn a_single_month_is_written_once() {
        let march = ThaiMonthRange::single(ym(2566, 3)).expect("valid");
        assert_eq!(march.format(Digits::Thai), "มี.ค. ๒๕๖๖");
        assert_eq!(march.format_lines(Digits::Thai), ["มี.ค.", "๒๕๖๖"]);
    }

    #[test]
    fn a_range_across_years_writes_both_years() {
        let fiscal = range(ym(2565, 10), ym(2566, 9));
        assert_eq!(fiscal.format(Digits::Thai), "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖");
        assert_eq!(fiscal.format_lines(Digits::Thai), ["ต.ค. ๒๕๖๕ –", "ก.ย. ๒๕๖๖"]);
    }

    #[test]
    fn the_two_line_form_puts_the_year_alone_on_the_second_line() {
        assert_eq!(mar_apr_2566().format_lines(Digits::Thai), ["มี.ค. – เม.ย.", "๒๕๖๖"]);
        assert_eq!(mar_apr_2566().format_lines(Digits::Arabic), ["มี.ค. – เม.ย.", "2566"]);
    }

    #[test]
    fn the_seeds_strings_are_read() {
        assert_eq!("มี.ค. – เม.ย.<br>๒๕๖๖".parse(), Ok(mar_apr_2566()));
        assert_eq!("มี.ค. – เม.ย. ๒๕๖๖".parse(), Ok(mar_apr_2566()));
    }

    #[test]
    fn what_clerks_type_is_read() {
        for s in [
            "มี.ค. - เม.ย. 2566",
            "มี.ค.—เม.ย.2566",
            "มี.ค. ถึง เม.ย. พ.ศ. ๒๕๖๖",
            "มีนาคม – เมษายน ๒๕๖๖",
            "มีนาคม ๒๕๖๖ – เมษายน ๒๕๖๖",
            "มี.ค – เม.ย 2566",
            "  มี.ค. –\n เม.ย.\r\n ๒๕๖๖ ",
            "มี.ค. – เม.ย.<BR />๒๕๖๖",
            "มี.ค. –<br/>เม.ย. 2566",
            "มี.ค. พ.ศ. 2566 ถึง เม.ย. พ.ศ. 2566",
            "มี.ค. − เม.ย. 66",
        ] {
            assert_eq!(ThaiMonthRange::parse(s), Ok(mar_apr_2566()), "{s:?}");
        }
    }

    #[test]
    fn a_range_across_years_is_read_in_either_layout() {
        let fiscal = range(ym(2565, 10), ym(2566, 9));
        assert_eq!("ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖".parse(), Ok(fiscal));
        assert_eq!("ต.ค. ๒๕๖๕ –<br>ก.ย. ๒๕๖๖".parse(), Ok(fiscal));
        assert_eq!("ตุลาคม 2565 ถึง กันยายน 2566".parse(), Ok(fiscal));
    }

    #[test]
    fn a_single_month_is_read() {
        let march = ThaiMonthRange::single(ym(2566, 3)).expect("valid");
        assert_eq!("มี.ค. ๒๕๖๖".parse(), Ok(march));
        assert_eq!("มีนาคม พ.ศ. 2566".parse(), Ok(march));
    }

    #[test]
    fn an_unknown_month_name_is_named_in_the_error() {
        let err = ThaiMonthRange::parse("มีนา – เม.ย. 2566").expect_err("bad month");
        assert_eq!(err, MonthRangeError::UnknownMonth("มีนา".into()));
        assert!(err.to_string().contains("\"มีนา\""));
        assert!(err.message_th().contains("\"มีนา\""));
    }

    #[test]
    fn a_missing_year_is_refused() {
        for s in ["มี.ค. – เม.ย.", "มี.ค.", "ต.ค. 2565 – ก.ย.", "มี.ค. – เม.ย. พ.ศ."]
        {
            assert_eq!(ThaiMonthRange::parse(s), Err(MonthRangeError::MissingYear), "{s:?}");
        }
    }

    #[test]
    fn a_start_after_the_end_is_refused_with_both_months_named() {
        let err = ThaiMonthRange::parse("ต.ค. – ก.ย. 2566").expect_err("reversed");
        assert_eq!(err, MonthRangeError::StartAfterEnd { start: ym(2566, 10), end: ym(2566, 9) });
        assert!(err.to_string().contains("ต.ค. 2566"));
        assert!(err.message_th().contains("ก.ย. 2566"));
    }

    #[test]
    fn malformed_ranges_are_refused_with_a_reason() {
        assert_eq!(ThaiMonthRange::parse(" <br> "), Err(MonthRangeError::Empty));
        assert_eq!(ThaiMonthRange::parse("ม.ค. – ก.พ. – มี.ค. 2566"), Err(MonthRangeError::TooManySeparators));
        assert_eq!(ThaiMonthRange::parse("– เม.ย. 2566"), Err(MonthRangeError::MissingMonth));
        assert_eq!(ThaiMonthRange::parse("มี.ค. – 2566"), Err(MonthRangeError::MissingMonth));
        assert!(matches!(
            ThaiMonthRange::parse("มี.ค. – เม.ย. 2023"),
            Err(MonthRangeError::Year(YearError::LooksLikeCe { be: 2566, .. }))
        ));
    }

    #[test]
    fn the_constructor_refuses_bad_months_and_reversed_ranges() {
        assert_eq!(ThaiMonthRange::new(ym(2566, 0), ym(2566, 3)), Err(MonthRangeError::InvalidMonth(0)));
        assert_eq!(ThaiMonthRange::single(ym(2566, 13)), Err(MonthRangeError::InvalidMonth(13)));
        assert!(ThaiMonthRange::new(ym(2567, 1), ym(2566, 12)).is_err());
        assert_eq!(YearMonth::new(2566, 13), None);
    }

    #[test]
    fn contains_includes_both_ends() {
        let fiscal = range(ym(2565, 10), ym(2566, 9));
        assert!(fiscal.contains(ym(2565, 10)));
        assert!(fiscal.contains(ym(2566, 1)));
        assert!(fiscal.contains(ym(2566, 9)));
        assert!(!fiscal.contains(ym(2565, 9)));
        assert!(!fiscal.contains(ym(2566, 10)));
    }

    #[test]
    fn the_fiscal_year_of_a_range_is_that_of_its_last_month() {
        assert_eq!(mar_apr_2566().fiscal_year_of_end().be(), 2566);
        assert_eq!(range(ym(2566, 9), ym(2566, 10)).fiscal_year_of_end().be(), 2567);
        assert_eq!(range(ym(2565, 10), ym(2566, 9)).fiscal_year_of_end().be(), 2566);
    }

    #[test]
    fn a_year_month_of_a_date_is_in_the_buddhist_era() {
        let d = NaiveDate::from_ymd_opt(2023, 3, 15).expect("valid");
        assert_eq!(YearMonth::of(d), ym(2566, 3));
        assert_eq!(YearMonth::of(d).to_string(), "มี.ค. 2566");
    }

    #[test]
    fn text_that_only_looks_like_a_br_tag_is_kept() {
        assert_eq!(replace_line_breaks("a<br>b<BR/>c<br />d"), "a b c d");
        assert_eq!(replace_line_breaks("<brx>"), "<brx>");
        assert_eq!(replace_line_breaks("ก<br"), "ก<br");
    }

    fn any_year_month() -> impl Strategy<Value = YearMonth> {
        (2400i32..=2700, 1u32..=12).prop_map(|(be_year, month)| YearMonth { be_year, month })
    }

    proptest! {
        #[test]
        fn a_formatted_range_reads_back(
            a in any_year_month(),
            b in any_year_month(),
            thai in any::<bool>(),
        ) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            let r = range(a.min(b), a.max(b));
            prop_assert_eq!(ThaiMonthRange::parse(&r.format(digits)), Ok(r));
            prop_assert_eq!(ThaiMonthRange::parse(&r.format_lines(digits).join("<br>")), Ok(r));
            prop_assert_eq!(ThaiMonthRange::parse(&r.format_lines(digits).join("\n")), Ok(r));
        }
    }
}
