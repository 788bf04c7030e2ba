//! The period of a piece of work as offices write it: a month range (`มี.ค. – เม.ย. ๒๕๖๖`), a
//! single month, the whole fiscal year (`ตลอดปีงบประมาณ`), quarters of the fiscal year
//! (`ไตรมาสที่ ๑–๒`) or exact days (`๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖`).
//!
//! A [`Period`] keeps both what it means (its [`Span`]: first and last day) and the words it was
//! written in, because a report prints the office's own words: "ตลอดปีงบประมาณ" stays
//! "ตลอดปีงบประมาณ", only its digits follow the organization's setting.

use chrono::{Datelike, NaiveDate};

use super::dates::{DateError, format_date_medium, parse_thai_date};
use super::digits::{Digits, digit_value, parse_digits, split_trailing_digits};
use super::era::{YearError, be_from_ce};
use super::fiscal::FiscalYear;
use super::month_range::{MonthRangeError, ThaiMonthRange, YearMonth, replace_line_breaks};

/// What a period covers, whatever words it was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Span {
    /// Whole months, one or several (`มี.ค. – เม.ย. ๒๕๖๖`, `มีนาคม ๒๕๖๖`).
    Months(ThaiMonthRange),
    /// The whole fiscal year, 1 October to 30 September.
    FiscalYear(FiscalYear),
    /// Quarters `first..=last` (1–4) of a fiscal year; the first quarter is October–December.
    Quarters { year: FiscalYear, first: u8, last: u8 },
    /// Exact days, both included (one day when `first == last`).
    Days { first: NaiveDate, last: NaiveDate },
}

/// The kinds a period is stored as (`measures.period_kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKind {
    Months,
    FiscalYear,
    Quarters,
    Days,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 4] =
        [PeriodKind::Months, PeriodKind::FiscalYear, PeriodKind::Quarters, PeriodKind::Days];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Months => "months",
            PeriodKind::FiscalYear => "fiscal_year",
            PeriodKind::Quarters => "quarters",
            PeriodKind::Days => "days",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

crate::from_str_by_parse!(PeriodKind);

impl Span {
    pub fn kind(&self) -> PeriodKind {
        match self {
            Span::Months(_) => PeriodKind::Months,
            Span::FiscalYear(_) => PeriodKind::FiscalYear,
            Span::Quarters { .. } => PeriodKind::Quarters,
            Span::Days { .. } => PeriodKind::Days,
        }
    }

    /// The first day covered.
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            Span::Months(r) => first_of(r.start()),
            Span::FiscalYear(y) => y.start(),
            Span::Quarters { year, first, .. } => first_of(quarter_months(year, first).0),
            Span::Days { first, .. } => first,
        }
    }

    /// The last day covered.
    pub fn last_day(&self) -> NaiveDate {
        match *self {
            Span::Months(r) => last_of(r.end()),
            Span::FiscalYear(y) => y.end(),
            Span::Quarters { year, last, .. } => last_of(quarter_months(year, last).1),
            Span::Days { last, .. } => last,
        }
    }

    /// The plain written form, with every year named: `มี.ค. – เม.ย. ๒๕๖๖`,
    /// `ตลอดปีงบประมาณ พ.ศ. ๒๕๖๖`, `ไตรมาสที่ ๑–๒ ปีงบประมาณ พ.ศ. ๒๕๖๖`, `๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖`.
    pub fn format(&self, digits: Digits) -> String {
        match *self {
            Span::Months(r) => r.format(digits),
            Span::FiscalYear(y) => format!("ตลอด{}", y.label(digits)),
            Span::Quarters { year, first, last } => {
                let numbers = if first == last {
                    digits.apply(&first.to_string())
                } else {
                    digits.apply(&format!("{first}–{last}"))
                };
                format!("ไตรมาสที่ {numbers} {}", year.label(digits))
            }
            Span::Days { first, last } if first == last => format_date_medium(first, digits),
            Span::Days { first, last } => {
                format!("{} – {}", format_date_medium(first, digits), format_date_medium(last, digits))
            }
        }
    }

    /// Rebuilds a span from its stored kind and days; None when the days do not fit the kind.
    pub fn from_days(kind: PeriodKind, first: NaiveDate, last: NaiveDate) -> Option<Span> {
        if first > last {
            return None;
        }
        let span = match kind {
            PeriodKind::Months => Span::Months(ThaiMonthRange::new(YearMonth::of(first), YearMonth::of(last)).ok()?),
            PeriodKind::FiscalYear => Span::FiscalYear(FiscalYear::of(first)),
            PeriodKind::Quarters => {
                Span::Quarters { year: FiscalYear::of(first), first: quarter_of(first), last: quarter_of(last) }
            }
            PeriodKind::Days => Span::Days { first, last },
        };
        // Anything but exact whole months or quarters of one fiscal year is refused.
        (span.first_day() == first && span.last_day() == last).then_some(span)
    }
}

/// A period: what it covers and the words it was written in (spaces tidied).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    span: Span,
    written: String,
}

impl Period {
    /// Reads a period as an office writes it. `fiscal_year` is the year of the work it belongs
    /// to: "ตลอดปีงบประมาณ" and "ไตรมาสที่ ๑" without a year mean that year.
    ///
    /// Accepted: month ranges and single months (full or abbreviated names, a year after the
    /// last month or after each); "ตลอดปีงบประมาณ" with or without "พ.ศ. ๒๕๖๖"; "ไตรมาสที่ ๑",
    /// "ไตรมาส 2", "ไตรมาสที่ ๑–๒" with an optional "ปีงบประมาณ พ.ศ. ๒๕๖๖"; days (`๑๕ มีนาคม ๒๕๖๖`,
    /// `๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖`, `๑ – ๑๕ มี.ค. ๒๕๖๖`, `1/10/2565`). Thai or Arabic digits; en
    /// dash, em dash, hyphen, minus or "ถึง" between the ends; any spaces, no-break spaces, line
    /// breaks or zero-width spaces that Word pastes.
    pub fn parse(text: &str, fiscal_year: FiscalYear) -> Result<Period, PeriodError> {
        let written = tidy(text);
        if written.is_empty() {
            return Err(PeriodError::Empty);
        }
        let plain = unify_separators(&written);
        let span = if let Some(rest) = strip_fiscal_year_words(&plain) {
            Span::FiscalYear(read_fiscal_year(rest, fiscal_year)?)
        } else if plain.contains("ไตรมาส") {
            read_quarters(&plain, fiscal_year)?
        } else if plain.chars().next().and_then(digit_value).is_some() {
            read_days(&plain)?
        } else {
            Span::Months(ThaiMonthRange::parse(&plain)?)
        };
        Ok(Period { span, written })
    }

    /// A period written in the plain form of [`Span::format`].
    pub fn from_span(span: Span, digits: Digits) -> Period {
        Period { written: span.format(digits), span }
    }

    /// A stored period: its kind and days, and the words it was written in. None when the days
    /// do not fit the kind.
    pub fn from_stored(kind: PeriodKind, first: NaiveDate, last: NaiveDate, written: &str) -> Option<Period> {
        Some(Period { span: Span::from_days(kind, first, last)?, written: tidy(written) })
    }

    pub fn span(&self) -> Span {
        self.span
    }

    pub fn kind(&self) -> PeriodKind {
        self.span.kind()
    }

    pub fn first_day(&self) -> NaiveDate {
        self.span.first_day()
    }

    pub fn last_day(&self) -> NaiveDate {
        self.span.last_day()
    }

    /// The words as written (spaces tidied), digits as typed.
    pub fn written(&self) -> &str {
        &self.written
    }

    /// One line as written, in the document's digits: `ตลอดปีงบประมาณ`, `มี.ค. – เม.ย. ๒๕๖๖`.
    pub fn format(&self, digits: Digits) -> String {
        digits.apply(&self.written)
    }

    /// The written words in at most two lines for a narrow table cell: a period across two
    /// years breaks after its dash (`["ต.ค. ๒๕๖๕ –", "ก.ย. ๒๕๖๖"]`); otherwise a year at the end
    /// goes alone on the second line (`["มี.ค. – เม.ย.", "๒๕๖๖"]`, `["ตลอดปีงบประมาณ", "พ.ศ. ๒๕๖๖"]`);
    /// words without a year stay on one line (`["ไตรมาสที่ ๒"]`).
    pub fn format_lines(&self, digits: Digits) -> Vec<String> {
        let text = self.format(digits);
        let across_years = self.first_day().year() != self.last_day().year()
            && matches!(self.span, Span::Months(_) | Span::Days { .. });
        if across_years && let Some(end) = separator_end(&text) {
            return vec![text[..end].trim().to_string(), text[end..].trim().to_string()];
        }
        let (before, year) = split_trailing_digits(&text);
        if year.chars().count() >= 2 && !before.trim().is_empty() {
            let before = before.trim_end();
            let (words, era) = match before.strip_suffix("พ.ศ.") {
                Some(words) if !words.trim().is_empty() => (words.trim_end(), "พ.ศ. "),
                _ => (before, ""),
            };
            return vec![words.to_string(), format!("{era}{year}")];
        }
        vec![text]
    }
}

/// Days as stored: yyyymmdd of the Christian-era date (20230301), so that SQL compares periods
/// with plain integers ("measures running this month").
pub fn day_key(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day())
}

/// The date of a stored yyyymmdd key; None for a key that is no date.
pub fn day_of_key(key: i64) -> Option<NaiveDate> {
    let year = i32::try_from(key / 10_000).ok()?;
    NaiveDate::from_ymd_opt(year, u32::try_from(key / 100 % 100).ok()?, u32::try_from(key % 100).ok()?)
}

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period is empty")]
    Empty,
    #[error(transparent)]
    Months(#[from] MonthRangeError),
    #[error(transparent)]
    Date(#[from] DateError),
    #[error(transparent)]
    Year(#[from] YearError),
    /// A quarter number other than 1–4.
    #[error("quarter \"{0}\" is not 1, 2, 3 or 4")]
    Quarter(String),
    /// A written form this reader does not know, e.g. three ends.
    #[error("more than one dash or \"ถึง\"")]
    TooManySeparators,
    /// The first quarter or day comes after the last.
    #[error("the start {start} is after the end {end}")]
    StartAfterEnd { start: String, end: String },
}

/// The forms accepted, in Thai, for the message beside the field.
pub const ACCEPTED_TH: &str = "เขียนได้แบบ มี.ค. – เม.ย. ๒๕๖๖ · มีนาคม ๒๕๖๖ · ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖ · ตลอดปีงบประมาณ (หรือ ตลอดปีงบประมาณ พ.ศ. ๒๕๖๖) · ไตรมาสที่ ๑ หรือ ไตรมาสที่ ๑–๒ · ๑๕ มีนาคม ๒๕๖๖ · ๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖";

impl PeriodError {
    /// What is wrong, in Thai, followed by the forms accepted.
    pub fn message_th(&self) -> String {
        let reason = match self {
            PeriodError::Empty => "ไม่ได้ระบุระยะเวลา".to_string(),
            PeriodError::Months(MonthRangeError::UnknownMonth(word)) => {
                format!("ไม่รู้จัก “{word}” ว่าเป็นชื่อเดือน")
            }
            PeriodError::Months(e) => e.message_th(),
            PeriodError::Date(e) => e.message_th(),
            PeriodError::Year(e) => e.message_th(),
            PeriodError::Quarter(q) => format!("ไตรมาส “{q}” ต้องเป็นเลข ๑ ถึง ๔"),
            PeriodError::TooManySeparators => "มีขีดหรือคำว่า \"ถึง\" มากกว่าหนึ่งแห่ง".to_string(),
            PeriodError::StartAfterEnd { start, end } => format!("จุดเริ่มต้น ({start}) อยู่หลังจุดสิ้นสุด ({end})"),
        };
        format!("{reason} — {ACCEPTED_TH}")
    }
}

/// The first quarter of fiscal year `year` starts in October of the year before.
fn quarter_months(year: FiscalYear, quarter: u8) -> (YearMonth, YearMonth) {
    let first = year.months().start();
    let start_index = first.month as i32 - 1 + 3 * (i32::from(quarter) - 1);
    let at = |index: i32| YearMonth {
        be_year: first.be_year + index.div_euclid(12),
        month: index.rem_euclid(12) as u32 + 1,
    };
    (at(start_index), at(start_index + 2))
}

/// The fiscal quarter (1–4) of a day: October–December is the first.
fn quarter_of(day: NaiveDate) -> u8 {
    ((day.month() + 2) % 12 / 3 + 1) as u8
}

fn first_of(month: YearMonth) -> NaiveDate {
    let ce = super::era::ce_from_be(month.be_year);
    NaiveDate::from_ymd_opt(ce, month.month, 1).unwrap_or(NaiveDate::MIN)
}

fn last_of(month: YearMonth) -> NaiveDate {
    let next = if month.month == 12 {
        YearMonth { be_year: month.be_year + 1, month: 1 }
    } else {
        YearMonth { be_year: month.be_year, month: month.month + 1 }
    };
    first_of(next).pred_opt().unwrap_or(NaiveDate::MIN)
}

/// One line with single spaces: `<br>`, line breaks, no-break spaces and runs of spaces become
/// one space; zero-width characters (Word puts them between Thai words) go.
fn tidy(text: &str) -> String {
    let text = replace_line_breaks(text);
    let kept: String =
        text.chars().filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The dashes people and Word write between two ends, all made an en dash; "ถึง" too.
const DASHES: [char; 7] = ['–', '—', '-', '−', '‐', '‑', '‒'];

fn unify_separators(text: &str) -> String {
    text.replace("ถึง", " – ").chars().map(|c| if DASHES.contains(&c) { '–' } else { c }).collect()
}

/// Where the (first) separator between two ends finishes, in `text`.
fn separator_end(text: &str) -> Option<usize> {
    let dash = text.char_indices().find(|(_, c)| DASHES.contains(c)).map(|(i, c)| i + c.len_utf8());
    let word = text.find("ถึง").map(|i| i + "ถึง".len());
    match (dash, word) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The text after "ตลอดปีงบประมาณ" (or "ปีงบประมาณ", "ตลอดปีงบ"), if it starts with one of them.
fn strip_fiscal_year_words(plain: &str) -> Option<&str> {
    ["ตลอดปีงบประมาณ", "ตลอดปีงบฯ", "ตลอดปีงบ", "ปีงบประมาณ"].iter().find_map(|w| plain.strip_prefix(w)).map(str::trim)
}

fn read_fiscal_year(rest: &str, default: FiscalYear) -> Result<FiscalYear, PeriodError> {
    if rest.is_empty() { Ok(default) } else { Ok(rest.parse::<FiscalYear>()?) }
}

/// "ไตรมาสที่ ๑", "ไตรมาส 2", "ไตรมาสที่ ๑–๒", "ไตรมาสที่ ๑ – ไตรมาสที่ ๒", each with an optional
/// "ปีงบประมาณ พ.ศ. ๒๕๖๖", "พ.ศ. ๒๕๖๖" or "/๒๕๖๖".
fn read_quarters(plain: &str, default: FiscalYear) -> Result<Span, PeriodError> {
    let body = plain.replace("ไตรมาสที่", " ").replace("ไตรมาส", " ");
    let year_at = ["ปีงบประมาณ", "ปีงบ", "พ.ศ.", "/"].iter().filter_map(|m| body.find(m)).min();
    let (numbers, year) = match year_at {
        Some(at) => (&body[..at], read_fiscal_year(body[at..].trim_start_matches('/').trim(), default)?),
        None => (body.as_str(), default),
    };
    let quarter = |s: &str| -> Result<u8, PeriodError> {
        let s = s.trim();
        match parse_digits(s) {
            Some(n @ 1..=4) => Ok(n as u8),
            _ => Err(PeriodError::Quarter(s.to_string())),
        }
    };
    let parts: Vec<&str> = numbers.split('–').collect();
    let (first, last) = match parts.as_slice() {
        [one] => (quarter(one)?, quarter(one)?),
        [a, b] => (quarter(a)?, quarter(b)?),
        _ => return Err(PeriodError::TooManySeparators),
    };
    if first > last {
        return Err(PeriodError::StartAfterEnd {
            start: format!("ไตรมาสที่ {first}"), end: format!("ไตรมาสที่ {last}")
        });
    }
    Ok(Span::Quarters { year, first, last })
}

/// A day, or two days; the first may leave out what it shares with the last: `๑ – ๑๕ มี.ค. ๒๕๖๖`,
/// `๑ มี.ค. – ๑๕ เม.ย. ๒๕๖๖`.
fn read_days(plain: &str) -> Result<Span, PeriodError> {
    let parts: Vec<&str> = plain.split('–').map(str::trim).collect();
    let (first, last) = match parts.as_slice() {
        [one] => {
            let day = parse_thai_date(one)?;
            (day, day)
        }
        [a, b] => {
            let last = parse_thai_date(b)?;
            let be_year = be_from_ce(last.year());
            let first = match parse_digits(a) {
                Some(day) => u32::try_from(day)
                    .ok()
                    .and_then(|d| last.with_day(d))
                    .ok_or_else(|| DateError::NoSuchDate { day: day as u32, month: last.month(), be_year })?,
                None => match parse_thai_date(a) {
                    Err(DateError::Year(YearError::Missing)) => parse_thai_date(&format!("{a} {be_year}"))?,
                    other => other?,
                },
            };
            (first, last)
        }
        _ => return Err(PeriodError::TooManySeparators),
    };
    if first > last {
        let show = |d| format_date_medium(d, Digits::Arabic);
        return Err(PeriodError::StartAfterEnd { start: show(first), end: show(last) });
    }
    Ok(Span::Days { first, last })
}

#[cfg(test)]
#[path = "period_tests.rs"]
mod tests;
