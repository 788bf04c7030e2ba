//! The Thai government fiscal year (ปีงบประมาณ): 1 October to 30 September, named after the
//! Buddhist-era year in which it ends.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::digits::Digits;
use super::era::{YearError, be_from_ce, ce_from_be, check_plausible, format_year_be_with_era};
use super::month_range::{ThaiMonthRange, YearMonth};

/// A fiscal year, held as its Buddhist-era year: `FiscalYear` 2566 runs 1 Oct 2022 – 30 Sep 2023
/// (CE).
///
/// [`FiscalYear::new`], parsing and deserializing accept only [`super::era::PLAUSIBLE_BE_YEARS`],
/// since those values come from people; [`FiscalYear::of`] accepts any date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct FiscalYear(i32);

impl FiscalYear {
    /// The fiscal year named by Buddhist-era year `be`, if that year is plausible.
    pub fn new(be: i32) -> Result<Self, YearError> {
        check_plausible(be).map(Self)
    }

    /// For siblings that derive a year from a valid date or month; no plausibility check.
    pub(super) const fn from_be(be: i32) -> Self {
        Self(be)
    }

    /// The fiscal year that `date` falls in: October and later belong to the next year.
    pub fn of(date: NaiveDate) -> Self {
        let ce_end = if date.month() >= 10 { date.year() + 1 } else { date.year() };
        Self(be_from_ce(ce_end))
    }

    /// The Buddhist-era year that names this fiscal year (2566).
    pub fn be(self) -> i32 {
        self.0
    }

    /// The Christian-era year in which this fiscal year ends (2566 → 2023).
    pub fn ce_end_year(self) -> i32 {
        ce_from_be(self.0)
    }

    /// The first day: 1 October of the previous CE year.
    pub fn start(self) -> NaiveDate {
        // Only a year at the very edge of chrono's range can fail; saturate rather than panic.
        NaiveDate::from_ymd_opt(self.ce_end_year() - 1, 10, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day: 30 September of [`Self::ce_end_year`].
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.ce_end_year(), 9, 30).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` lies within this fiscal year, both ends included.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// The twelve months, October to September (`ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖`).
    pub fn months(self) -> ThaiMonthRange {
        ThaiMonthRange::from_ordered(
            YearMonth { be_year: self.0 - 1, month: 10 },
            YearMonth { be_year: self.0, month: 9 },
        )
    }

    /// The heading form: `ปีงบประมาณ พ.ศ. ๒๕๖๖`.
    pub fn label(self, digits: Digits) -> String {
        format!("ปีงบประมาณ {}", format_year_be_with_era(self.0, digits))
    }
}

/// Arabic digits only (`2566`), for URLs, file names and the command line.
impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Accepts `2566`, `๒๕๖๖`, `พ.ศ. ๒๕๖๖`, `ปีงบประมาณ พ.ศ. ๒๕๖๖` (what [`FiscalYear::label`]
/// writes) and two-digit `๖๖`.
impl FromStr for FiscalYear {
    type Err = YearError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let s = s.strip_prefix("ปีงบประมาณ").or_else(|| s.strip_prefix("ปีงบ")).unwrap_or(s);
        super::era::parse_year_be(s).map(Self)
    }
}

impl TryFrom<i32> for FiscalYear {
    type Error = YearError;

    fn try_from(be: i32) -> Result<Self, Self::Error> {
        Self::new(be)
    }
}

impl From<FiscalYear> for i32 {
    fn from(fy: FiscalYear) -> i32 {
        fy.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn fy(be: i32) -> FiscalYear {
        FiscalYear::new(be).expect("plausible test year")
    }

    #[test]
    fn the_fiscal_year_of_1_october_is_the_next_be_year() {
        assert_eq!(FiscalYear::of(date(2022, 10, 1)).be(), 2566);
    }

    #[test]
    fn the_fiscal_year_of_30_september_is_the_current_be_year() {
        assert_eq!(FiscalYear::of(date(2023, 9, 30)).be(), 2566);
        assert_eq!(FiscalYear::of(date(2023, 10, 1)).be(), 2567);
    }

    #[test]
    fn fiscal_year_2566_runs_from_1_october_2022_to_30_september_2023() {
        let year = fy(2566);
        assert_eq!(year.start(), date(2022, 10, 1));
        assert_eq!(year.end(), date(2023, 9, 30));
        assert_eq!(year.ce_end_year(), 2023);
        assert!(year.contains(date(2022, 10, 1)));
        assert!(year.contains(date(2023, 9, 30)));
        assert!(!year.contains(date(2022, 9, 30)));
        assert!(!year.contains(date(2023, 10, 1)));
    }

    #[test]
    fn a_fiscal_year_is_parsed_from_what_people_type() {
        for s in ["2566", "๒๕๖๖", "พ.ศ. ๒๕๖๖", " พ.ศ.2566 ", "ปีงบประมาณ พ.ศ. ๒๕๖๖", "ปีงบ 66"]
        {
            assert_eq!(s.parse::<FiscalYear>(), Ok(fy(2566)), "{s:?}");
        }
    }

    #[test]
    fn implausible_fiscal_years_are_refused_with_a_reason() {
        assert_eq!("2023".parse::<FiscalYear>(), Err(YearError::LooksLikeCe { typed: 2023, be: 2566 }));
        assert!(matches!("2701".parse::<FiscalYear>(), Err(YearError::OutOfRange(_))));
        assert!(matches!("ปีหน้า".parse::<FiscalYear>(), Err(YearError::NotANumber(_))));
        assert_eq!("".parse::<FiscalYear>(), Err(YearError::Missing));
        assert!(FiscalYear::new(2399).is_err());
        assert!(FiscalYear::new(2400).is_ok());
        assert!(FiscalYear::new(2700).is_ok());
    }

    #[test]
    fn a_fiscal_year_displays_in_arabic_digits_and_labels_in_either() {
        assert_eq!(fy(2566).to_string(), "2566");
        assert_eq!(fy(2566).label(Digits::Thai), "ปีงบประมาณ พ.ศ. ๒๕๖๖");
        assert_eq!(fy(2566).label(Digits::Arabic), "ปีงบประมาณ พ.ศ. 2566");
        assert_eq!(fy(2566).label(Digits::Thai).parse(), Ok(fy(2566)));
    }

    #[test]
    fn the_months_of_a_fiscal_year_run_october_to_september() {
        assert_eq!(fy(2566).months().format(Digits::Thai), "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖");
    }

    #[test]
    fn a_fiscal_year_serializes_as_a_number_and_checks_it_on_the_way_in() {
        assert_eq!(serde_json::to_string(&fy(2566)).ok().as_deref(), Some("2566"));
        let back: FiscalYear = serde_json::from_str("2566").expect("valid");
        assert_eq!(back, fy(2566));
        assert!(serde_json::from_str::<FiscalYear>("2023").is_err());
    }

    #[test]
    fn dates_at_the_edge_of_chrono_do_not_panic() {
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            assert!(FiscalYear::of(d).contains(d));
        }
    }

    proptest! {
        #[test]
        fn every_date_lies_in_its_own_fiscal_year(
            days in NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce()
        ) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).expect("in chrono range");
            let year = FiscalYear::of(d);
            prop_assert!(year.contains(d));
        }

        #[test]
        fn plausible_fiscal_years_last_from_1_october_to_30_september(be in 2400i32..=2700) {
            let year = fy(be);
            prop_assert_eq!((year.start().month(), year.start().day()), (10, 1));
            prop_assert_eq!((year.end().month(), year.end().day()), (9, 30));
            prop_assert_eq!(FiscalYear::of(year.start()), year);
            prop_assert_eq!(FiscalYear::of(year.end()), year);
            prop_assert_eq!(year.to_string().parse(), Ok(year));
        }
    }
}
