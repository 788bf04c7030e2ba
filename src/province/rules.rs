//! Pure: the province page's figures, its summary row, its sort orders and its year choice.

use std::cmp::Ordering;

use crate::ita::scores::PASS_MARK_X100;

/// One organization's figures of a fiscal year (store::figures).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgFigures {
    pub org_id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    /// The ITA total of the year, in hundredths; None when not entered.
    pub total: Option<i64>,
    /// The level or label as announced ("" when none).
    pub grade: String,
    /// The previous year's total, when entered.
    pub previous_total: Option<i64>,
    /// Indicators of the year below the pass mark.
    pub indicators_below: i64,
    /// Measures of the year, cancelled ones not counted.
    pub measures: i64,
    pub done: i64,
    /// Done, or not due yet (the planned period is not over).
    pub on_time: i64,
    /// When the year's measures report was first published (epoch seconds); None: not published.
    pub published_at: Option<i64>,
}

impl OrgFigures {
    /// The total minus the previous year's, when both are entered.
    pub fn change(&self) -> Option<i64> {
        Some(self.total? - self.previous_total?)
    }

    pub fn passed(&self) -> bool {
        self.total.is_some_and(|t| t >= PASS_MARK_X100)
    }

    /// Measures whose planned period is over and that are not done.
    pub fn late(&self) -> i64 {
        self.measures - self.on_time
    }
}

/// The whole province's row under the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub organizations: usize,
    /// Organizations with a result of the year.
    pub assessed: usize,
    /// The mean of their totals in hundredths, rounded half up; None when none is assessed.
    pub average: Option<i64>,
    /// Totals at or above the pass mark.
    pub passed: usize,
    pub measures: i64,
    pub done: i64,
    pub on_time: i64,
    /// Organizations whose year's report is published.
    pub published: usize,
}

impl Summary {
    pub fn of(rows: &[OrgFigures]) -> Self {
        let totals: Vec<i64> = rows.iter().filter_map(|r| r.total).collect();
        let sum: i64 = totals.iter().sum();
        let n = totals.len() as i64;
        Summary {
            organizations: rows.len(),
            assessed: totals.len(),
            average: (n > 0).then(|| (2 * sum + n) / (2 * n)),
            passed: rows.iter().filter(|r| r.passed()).count(),
            measures: rows.iter().map(|r| r.measures).sum(),
            done: rows.iter().map(|r| r.done).sum(),
            on_time: rows.iter().map(|r| r.on_time).sum(),
            published: rows.iter().filter(|r| r.published_at.is_some()).count(),
        }
    }
}

/// The orders the table can be read in (`?sort=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Thai dictionary order of the names (the default).
    Name,
    /// Highest total first; organizations without a result last.
    Score,
    /// Largest rise first; those without both years last.
    Change,
    /// Most indicators below the mark first.
    Below,
    /// Smallest share of measures on time first (the ones to follow up); none last.
    Late,
    /// Published first (earliest first), then not published.
    Published,
}

pub const SORTS: &[(Sort, &str, &str)] = &[
    (Sort::Name, "name", "ชื่อหน่วยงาน"),
    (Sort::Score, "score", "คะแนน ITA"),
    (Sort::Change, "change", "คะแนนที่เปลี่ยนจากปีก่อน"),
    (Sort::Below, "below", "ตัวชี้วัดต่ำกว่าเกณฑ์"),
    (Sort::Late, "late", "มาตรการล่าช้า"),
    (Sort::Published, "published", "การเผยแพร่รายงาน"),
];

impl Sort {
    /// Reads `?sort=`; none is by name.
    pub fn parse(code: Option<&str>) -> Result<Sort, String> {
        let code = code.unwrap_or("").trim();
        if code.is_empty() {
            return Ok(Sort::Name);
        }
        SORTS.iter().find(|(_, c, _)| *c == code).map(|(s, _, _)| *s).ok_or_else(|| {
            let known: Vec<&str> = SORTS.iter().map(|(_, c, _)| *c).collect();
            format!("การเรียงลำดับ (sort) “{code}” ไม่มีในหน้านี้: ใช้ได้เฉพาะ {}", known.join(", "))
        })
    }

    pub fn code(self) -> &'static str {
        SORTS.iter().find(|(s, _, _)| *s == self).map_or("name", |(_, c, _)| c)
    }
}

/// Sorts the rows; ties (and the default) in Thai dictionary order of the names.
pub fn sort(rows: &mut [OrgFigures], sort: Sort) {
    crate::thai::collate::sort_by_dictionary(rows, |r| &r.name);
    // Descending with the missing values last: None sorts after every Some.
    fn high_first(a: Option<i64>, b: Option<i64>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => b.cmp(&a),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    // The share of measures late, in parts per million (none: not comparable, last).
    fn late_share(r: &OrgFigures) -> Option<i64> {
        (r.measures > 0).then(|| r.late() * 1_000_000 / r.measures)
    }
    match sort {
        Sort::Name => {}
        Sort::Score => rows.sort_by(|a, b| high_first(a.total, b.total)),
        Sort::Change => rows.sort_by(|a, b| high_first(a.change(), b.change())),
        Sort::Below => {
            rows.sort_by(|a, b| high_first(a.total.map(|_| a.indicators_below), b.total.map(|_| b.indicators_below)))
        }
        Sort::Late => rows.sort_by(|a, b| high_first(late_share(a), late_share(b))),
        Sort::Published => rows.sort_by(|a, b| high_first(a.published_at.map(|t| -t), b.published_at.map(|t| -t))),
    }
}

/// The fiscal years the province has data in: those of ITA results and those of measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearSpan {
    pub results: Option<(i64, i64)>,
    pub measures: Option<(i64, i64)>,
}

fn widen(span: Option<(i64, i64)>, from: Option<i64>, to: Option<i64>) -> Option<(i64, i64)> {
    match (span, from, to) {
        (Some((a, b)), Some(from), Some(to)) => Some((a.min(from), b.max(to))),
        (None, Some(from), Some(to)) => Some((from, to)),
        (span, _, _) => span,
    }
}

impl YearSpan {
    pub fn add_results(&mut self, from: Option<i64>, to: Option<i64>) {
        self.results = widen(self.results, from, to);
    }

    pub fn add_measures(&mut self, from: Option<i64>, to: Option<i64>) {
        self.measures = widen(self.measures, from, to);
    }

    /// The year shown when none is asked for: the latest with ITA results, else the latest with
    /// measures; None when the province has neither.
    pub fn default_year(&self) -> Option<i64> {
        self.results.or(self.measures).map(|(_, last)| last)
    }

    /// Every year from the first to the last with any data, latest first.
    pub fn choices(&self) -> Vec<i64> {
        let ends = [self.results, self.measures];
        let first = ends.iter().flatten().map(|s| s.0).min();
        let last = ends.iter().flatten().map(|s| s.1).max();
        match (first, last) {
            (Some(first), Some(last)) => (first..=last).rev().collect(),
            _ => Vec::new(),
        }
    }
}

/// A change of score in hundredths with its sign: "+1.25", "−0.50", "0.00", in `digits`.
pub fn format_change(x100: i64, digits: crate::thai::Digits) -> String {
    let sign = match x100.cmp(&0) {
        Ordering::Greater => "+",
        Ordering::Less => "−",
        Ordering::Equal => "",
    };
    format!("{sign}{}", crate::ita::scores::format_score(x100.abs(), digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thai::Digits;

    fn org(name: &str, total: Option<i64>, previous: Option<i64>, measures: i64, on_time: i64) -> OrgFigures {
        OrgFigures {
            org_id: 1,
            slug: "x".into(),
            name: name.into(),
            kind: "อบต.".into(),
            total,
            grade: String::new(),
            previous_total: previous,
            indicators_below: 0,
            measures,
            done: 0,
            on_time,
            published_at: None,
        }
    }

    #[test]
    fn the_average_counts_only_assessed_organizations_and_rounds_half_up() {
        let rows = [org("ก", Some(8500), None, 0, 0), org("ข", Some(9001), None, 0, 0), org("ค", None, None, 0, 0)];
        let s = Summary::of(&rows);
        assert_eq!((s.organizations, s.assessed, s.passed), (3, 2, 2));
        assert_eq!(s.average, Some(8751), "(85.00 + 90.01) / 2 = 87.505 → 87.51");
        assert_eq!(Summary::of(&[org("ค", None, None, 0, 0)]).average, None);
    }

    #[test]
    fn a_score_below_the_mark_does_not_pass() {
        assert!(!org("ก", Some(8499), None, 0, 0).passed());
        assert!(org("ก", Some(8500), None, 0, 0).passed());
    }

    #[test]
    fn sorting_by_score_puts_the_unassessed_last_and_ties_in_thai_order() {
        let mut rows =
            vec![org("ค", None, None, 0, 0), org("ข", Some(9000), None, 0, 0), org("ก", Some(9000), None, 0, 0)];
        sort(&mut rows, Sort::Score);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["ก", "ข", "ค"]);
        let mut rows = vec![org("ก", Some(9000), Some(9100), 4, 4), org("ข", Some(9000), Some(8000), 4, 1)];
        sort(&mut rows, Sort::Change);
        assert_eq!(rows[0].name, "ข");
        sort(&mut rows, Sort::Late);
        assert_eq!(rows[0].name, "ข", "three of four late");
    }

    #[test]
    fn an_unknown_sort_is_refused_naming_it() {
        assert_eq!(Sort::parse(None), Ok(Sort::Name));
        assert_eq!(Sort::parse(Some("score")), Ok(Sort::Score));
        assert!(Sort::parse(Some("x")).unwrap_err().contains("“x”"));
    }

    #[test]
    fn the_default_year_is_the_latest_with_results_else_with_measures() {
        let mut span = YearSpan::default();
        assert_eq!(span.default_year(), None);
        span.add_measures(Some(2566), Some(2568));
        assert_eq!(span.default_year(), Some(2568));
        span.add_results(Some(2564), Some(2565));
        span.add_results(None, None);
        assert_eq!(span.default_year(), Some(2565));
        assert_eq!(span.choices(), [2568, 2567, 2566, 2565, 2564]);
    }

    #[test]
    fn a_change_carries_its_sign() {
        assert_eq!(format_change(125, Digits::Arabic), "+1.25");
        assert_eq!(format_change(-50, Digits::Thai), "−๐.๕๐");
        assert_eq!(format_change(0, Digits::Arabic), "0.00");
    }
}
