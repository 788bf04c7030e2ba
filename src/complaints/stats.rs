//! The public monthly figures of a fiscal year (ITA item O31): complaints received, closed,
//! closed within their deadline and the median working days to close, per month and per
//! category. Counts only: no subject, name or contact reaches them, and corruption complaints are
//! counted like the others. `tally` is pure; `for_year` reads the rows.

use chrono::{Datelike, NaiveDate};
use sqlx::Row;

use super::deadline::{Holiday, working_days_between};
use super::{Category, day_of};
use crate::db::Db;
use crate::orgs::OrgId;
use crate::thai::FiscalYear;

/// What the figures need of a complaint.
#[derive(Clone, Debug)]
pub struct Fact {
    pub category: Category,
    /// yyyymmdd (Thai days).
    pub filed_on: i64,
    pub clock_from: i64,
    pub due_on: i64,
    pub closed_on: Option<i64>,
}

/// One row of figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub received: i64,
    pub closed: i64,
    pub closed_in_time: i64,
    /// Working days from the start of the clock to closing, of the complaints closed.
    pub days_to_close: Vec<i64>,
}

impl Figures {
    /// The median of `days_to_close` (the mean of the middle two when even); None without any.
    pub fn median(&self) -> Option<f64> {
        let mut days = self.days_to_close.clone();
        days.sort_unstable();
        let n = days.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(days[n / 2] as f64),
            _ => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
        }
    }
}

/// A fiscal year's figures: per month (October first), per category, and the whole year.
#[derive(Clone, Debug, Default)]
pub struct YearFigures {
    /// (first day of the month, figures); months after `today` are left out.
    pub months: Vec<(NaiveDate, Figures)>,
    pub categories: Vec<(Category, Figures)>,
    pub total: Figures,
}

fn month_start(day: i64) -> Option<NaiveDate> {
    crate::documents::date_of(day).and_then(|d| d.with_day(1))
}

/// Tallies `facts` into the fiscal year `fy`: received by the month filed, closed by the month
/// closed.
pub fn tally(fy: FiscalYear, facts: &[Fact], holidays: &[Holiday], today: NaiveDate) -> YearFigures {
    let mut months: Vec<(NaiveDate, Figures)> = Vec::new();
    let mut month = fy.start();
    while month <= fy.end() && month <= today {
        months.push((month, Figures::default()));
        month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
    }
    let mut categories: Vec<(Category, Figures)> = Category::ALL.iter().map(|c| (*c, Figures::default())).collect();
    let mut total = Figures::default();
    let in_year = |day: i64| crate::documents::date_of(day).is_some_and(|d| fy.contains(d));
    for f in facts {
        let category = categories.iter_mut().find(|(c, _)| *c == f.category).map(|(_, figures)| figures);
        let Some(category) = category else { continue };
        if in_year(f.filed_on) {
            total.received += 1;
            category.received += 1;
            if let Some((_, m)) = months.iter_mut().find(|(m, _)| Some(*m) == month_start(f.filed_on)) {
                m.received += 1;
            }
        }
        if let Some(closed_on) = f.closed_on.filter(|d| in_year(*d)) {
            let in_time = closed_on <= f.due_on;
            let days = match (crate::documents::date_of(f.clock_from), crate::documents::date_of(closed_on)) {
                (Some(from), Some(to)) => working_days_between(from, to, holidays),
                _ => 0,
            };
            let count = |figures: &mut Figures| {
                figures.closed += 1;
                figures.closed_in_time += i64::from(in_time);
                figures.days_to_close.push(days);
            };
            count(&mut total);
            count(category);
            if let Some((_, m)) = months.iter_mut().find(|(m, _)| Some(*m) == month_start(closed_on)) {
                count(m);
            }
        }
    }
    YearFigures { months, categories, total }
}

/// The facts of the complaints filed or closed in `fy`, and the year's figures.
pub async fn for_year(db: &Db, org: OrgId, fy: FiscalYear) -> anyhow::Result<YearFigures> {
    let thai_midnight = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() - 7 * 3600;
    let from = thai_midnight(fy.start());
    let to = thai_midnight(fy.end()) + 24 * 3600;
    let mut facts = Vec::new();
    // Two reads, each served by its index: filed in the year, and closed in it (but filed before).
    for sql in [
        "SELECT category, filed_at, clock_from, due_on, closed_at FROM complaints
         WHERE org_id = $1 AND filed_at >= $2 AND filed_at < $3",
        "SELECT category, filed_at, clock_from, due_on, closed_at FROM complaints
         WHERE org_id = $1 AND closed_at >= $2 AND closed_at < $3 AND filed_at < $2",
    ] {
        let rows = sqlx::query(sql).bind(org.0).bind(from).bind(to).fetch_all(&db.pool).await?;
        for r in rows {
            let category: String = r.try_get("category")?;
            let Some(category) = Category::parse(&category) else { continue };
            facts.push(Fact {
                category,
                filed_on: day_of(r.try_get("filed_at")?),
                clock_from: r.try_get("clock_from")?,
                due_on: r.try_get("due_on")?,
                closed_on: r.try_get::<Option<i64>, _>("closed_at")?.map(day_of),
            });
        }
    }
    let holidays = super::holidays::from_day(db, org, crate::documents::day_number(fy.start()) - 10_000).await?;
    Ok(tally(fy, &facts, &holidays, crate::thai::today_in_thailand()))
}

/// The start of the line a measure cites.
pub const SUMMARY_PREFIX: &str = "เรื่องร้องเรียนในปีงบประมาณ ";

/// The line a measure cites: the year's figures from the complaints themselves.
pub async fn summary_line(db: &Db, org: &crate::orgs::Org, fy: FiscalYear) -> anyhow::Result<String> {
    let year = for_year(db, org.id, fy).await?;
    let n = |v: i64| crate::thai::format_int(v, org.digits);
    let corruption = year.categories.iter().find(|(c, _)| *c == Category::Corruption).map_or(0, |(_, f)| f.received);
    Ok(format!(
        "{SUMMARY_PREFIX}พ.ศ. {}: รับเรื่อง {} เรื่อง (เรื่องการทุจริตหรือประพฤติมิชอบ {} เรื่อง) ดำเนินการแล้วเสร็จ {} เรื่อง ภายในกำหนด {} เรื่อง (จากระบบรับเรื่องร้องเรียน)",
        crate::thai::format_year_be(fy.be(), org.digits),
        n(year.total.received),
        n(corruption),
        n(year.total.closed),
        n(year.total.closed_in_time),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(category: Category, filed_on: i64, due_on: i64, closed_on: Option<i64>) -> Fact {
        Fact { category, filed_on, clock_from: filed_on, due_on, closed_on }
    }

    #[test]
    fn the_figures_count_by_the_month_filed_and_closed_with_the_median_working_days() {
        let fy = FiscalYear::new(2570).unwrap();
        let facts = vec![
            // Filed Tue 1 Dec, closed Fri 4 Dec (3 working days), in time.
            fact(Category::Service, 20261201, 20261222, Some(20261204)),
            // Filed Tue 1 Dec, closed Fri 11 Dec (7 working days with a holiday on 10 Dec), late.
            fact(Category::Corruption, 20261201, 20261209, Some(20261211)),
            fact(Category::Other, 20261102, 20261123, None),
            // Filed in the year before: counts as closed only.
            fact(Category::Service, 20260915, 20261006, Some(20261005)),
        ];
        let holidays = vec![Holiday { day: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(), name: "x".into() }];
        let today = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
        let y = tally(fy, &facts, &holidays, today);
        assert_eq!(y.months.len(), 3, "October to December so far");
        assert_eq!(y.total.received, 3);
        assert_eq!(y.total.closed, 3);
        assert_eq!(y.total.closed_in_time, 2);
        let december = &y.months[2].1;
        assert_eq!((december.received, december.closed, december.closed_in_time), (2, 2, 1));
        assert_eq!(december.median(), Some(5.0));
        let october = &y.months[0].1;
        assert_eq!((october.received, october.closed), (0, 1));
        let corruption = &y.categories.iter().find(|(c, _)| *c == Category::Corruption).unwrap().1;
        assert_eq!((corruption.received, corruption.closed_in_time), (1, 0));
    }
}
