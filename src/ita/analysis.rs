//! The analysis of an assessed year's result (the O42 item): each indicator against the pass
//! mark, the earlier years and the national and provincial averages, the office's issues to fix,
//! and the measures of the following year that answer it. An indicator below the mark that no
//! measure answers is flagged: that is the gap the assessors look for.

use serde::Serialize;

use super::scores::{self, ItaResult, PASS_MARK_X100};
use crate::db::Db;
use crate::orgs::OrgId;

/// One indicator's row.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorRow {
    pub number: i64,
    pub name_th: String,
    pub tool: &'static str,
    pub score: i64,
    pub passed: bool,
    /// Earlier years' scores (year, score), oldest first.
    pub history: Vec<(i64, i64)>,
    /// The score minus the previous year's, when there is one.
    pub change: Option<i64>,
    pub national: Option<i64>,
    pub province: Option<i64>,
    /// The office's issues to fix ("" when not written).
    pub issues: String,
    /// The following year's measures citing this indicator: (id, title).
    pub measures: Vec<(i64, String)>,
    /// Below the pass mark and no measure answers it.
    pub flagged: bool,
}

/// A failed OIT item, with its title from the year's list when it is known.
#[derive(Clone, Debug, Serialize)]
pub struct FailedItem {
    pub code: String,
    pub title: String,
}

/// The whole analysis of an assessed year, for the page, the documents and the API.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// The assessed year (N-1).
    pub assessed_year: i64,
    /// The year of the measures that answer it (N).
    pub measures_year: i64,
    pub result: ItaResult,
    pub national_total: Option<i64>,
    pub province_total: Option<i64>,
    /// The previous year's total, when entered.
    pub previous_total: Option<i64>,
    pub indicators: Vec<IndicatorRow>,
    pub failed_oit_items: Vec<FailedItem>,
    /// Measures of year N that cite no indicator (the rules refuse new ones; older data may hold some).
    pub measures_without_indicator: Vec<(i64, String)>,
}

impl Analysis {
    /// Indicators below the mark with no measure.
    pub fn flagged(&self) -> impl Iterator<Item = &IndicatorRow> {
        self.indicators.iter().filter(|r| r.flagged)
    }
}

/// The indicators of `result` below the pass mark that none of `measures` cites.
pub fn unanswered(result: &ItaResult, measures: &[crate::measures::Measure]) -> Vec<i64> {
    (1..=10)
        .filter(|n| result.indicator(*n).is_some_and(|score| score < PASS_MARK_X100))
        .filter(|n| !measures.iter().any(|m| m.input.indicators.contains(n)))
        .collect()
}

/// The analysis of `assessed_year`; None when the organization has no result for it.
pub async fn build(db: &Db, org: OrgId, assessed_year: i64) -> anyhow::Result<Option<Analysis>> {
    let Some(result) = scores::load(db, org, assessed_year).await? else { return Ok(None) };
    let catalogue = super::indicators(db, assessed_year).await?;
    let history = scores::indicator_history(db, org, assessed_year).await?;
    let references = scores::references(db, org, assessed_year).await?;
    let notes = scores::notes(db, org, assessed_year).await?;
    let measures_year = assessed_year + 1;
    let measures = crate::measures::store::list(db, org, measures_year).await?;
    let previous_total: Option<i64> = scores::years(db, org)
        .await?
        .into_iter()
        .find(|(year, _, _)| *year == assessed_year - 1)
        .map(|(_, total, _)| total);
    let gaps = unanswered(&result, &measures);
    let reference = |scope: &str, number: i64| {
        references.iter().find(|(s, n, _)| s == scope && *n == number).map(|(_, _, score)| *score)
    };
    let indicators = catalogue
        .iter()
        .map(|indicator| {
            let number = indicator.number;
            let score = result.indicator(number).unwrap_or(0);
            let history: Vec<(i64, i64)> = history
                .iter()
                .filter(|(year, n, _)| *n == number && *year < assessed_year)
                .map(|(year, _, s)| (*year, *s))
                .collect();
            let change = history.iter().find(|(year, _)| *year == assessed_year - 1).map(|(_, prev)| score - prev);
            let answering: Vec<(i64, String)> = measures
                .iter()
                .filter(|m| m.input.indicators.contains(&number))
                .map(|m| (m.id.0, m.input.title.clone()))
                .collect();
            let passed = score >= PASS_MARK_X100;
            IndicatorRow {
                number,
                name_th: indicator.name_th.clone(),
                tool: indicator.tool.code(),
                score,
                passed,
                history,
                change,
                national: reference("national", number),
                province: reference("province", number),
                issues: notes.iter().find(|(n, _)| *n == number).map(|(_, t)| t.clone()).unwrap_or_default(),
                flagged: gaps.contains(&number),
                measures: answering,
            }
        })
        .collect();
    let titles = i32::try_from(assessed_year).ok().and_then(crate::oit::items).unwrap_or_default();
    let failed_oit_items = result
        .oit_items
        .iter()
        .filter(|(_, passed)| !passed)
        .map(|(code, _)| FailedItem {
            code: code.clone(),
            title: titles.iter().find(|i| &i.code == code).map(|i| i.title.clone()).unwrap_or_default(),
        })
        .collect();
    let measures_without_indicator =
        measures.iter().filter(|m| m.input.indicators.is_empty()).map(|m| (m.id.0, m.input.title.clone())).collect();
    Ok(Some(Analysis {
        assessed_year,
        measures_year,
        national_total: reference("national", 0),
        province_total: reference("province", 0),
        previous_total,
        indicators,
        failed_oit_items,
        measures_without_indicator,
        result,
    }))
}
