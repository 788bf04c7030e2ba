//! A survey's results for a fiscal year, read from the database: the answers of the year (Thai
//! time, 1 October to 30 September) analysed with every version they answered, and the previous
//! year's for comparison. Used by the public page, the staff page, the reports and the measures
//! that cite the survey.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::analysis::{self, Analysis, Row};
use super::answers::Scores;
use super::questionnaire::Questionnaire;
use super::store::{Survey, SurveyId};
use crate::db::Db;
use crate::orgs::OrgId;
use crate::thai::FiscalYear;

const THAI_OFFSET: i64 = 7 * 3600;

/// The first second (epoch) of `date` in Thailand.
fn thai_midnight(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).map_or(0, |d| d.and_utc().timestamp()) - THAI_OFFSET
}

/// The span of a fiscal year in epoch seconds: [start, end).
pub fn span(year: FiscalYear) -> (i64, i64) {
    (thai_midnight(year.start()), thai_midnight(year.end()) + 86_400)
}

/// The month of the fiscal year an instant falls in: 0 is October, 11 September.
pub fn fiscal_month(at: i64) -> u32 {
    let date = chrono::DateTime::from_timestamp(at + THAI_OFFSET, 0).map_or(NaiveDate::MIN, |d| d.date_naive());
    (date.month() + 2) % 12
}

/// A survey's year: its analysis and the previous year's.
#[derive(Clone, Debug)]
pub struct YearResults {
    pub year: FiscalYear,
    pub this: Analysis,
    pub previous: Analysis,
}

/// Every published version of the survey, by number.
pub async fn versions(db: &Db, org: OrgId, survey: SurveyId) -> anyhow::Result<BTreeMap<i64, Questionnaire>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT number, definition FROM survey_versions WHERE org_id = $1 AND survey_id = $2")
            .bind(org.0)
            .bind(survey.0)
            .fetch_all(&db.pool)
            .await?;
    rows.into_iter().map(|(n, d)| Ok((n, serde_json::from_str(&d)?))).collect()
}

type AnswerRow = (i64, i64, String, Option<i64>, Option<i64>, String, String, String, i64, i64);

/// The survey's answers given in [from, to), oldest first.
pub async fn rows(db: &Db, org: OrgId, survey: SurveyId, from: i64, to: i64) -> anyhow::Result<Vec<Row>> {
    let raw: Vec<AnswerRow> = sqlx::query_as(
        "SELECT id, version, channel, point_id, service_id, scores, facts, comment, burst, answered_at
         FROM survey_answers WHERE org_id = $1 AND survey_id = $2 AND answered_at >= $3 AND answered_at < $4
         ORDER BY answered_at, id",
    )
    .bind(org.0)
    .bind(survey.0)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(raw
        .into_iter()
        .map(|(id, version, channel, point, service, scores, facts, comment, burst, at)| Row {
            id,
            version,
            channel,
            point,
            service,
            scores: Scores(scores),
            facts: serde_json::from_str(&facts).unwrap_or_default(),
            comment,
            burst: burst != 0,
            at,
        })
        .collect())
}

/// The survey's results for `year` and the year before.
pub async fn year(db: &Db, org: OrgId, survey: &Survey, year: FiscalYear) -> anyhow::Result<YearResults> {
    let versions = versions(db, org, survey.id).await?;
    let (from, to) = span(year);
    let this = analysis::analyse(&versions, &rows(db, org, survey.id, from, to).await?, fiscal_month);
    let previous = match FiscalYear::new(year.be() - 1) {
        Ok(before) => {
            let (from, to) = span(before);
            analysis::analyse(&versions, &rows(db, org, survey.id, from, to).await?, fiscal_month)
        }
        Err(_) => Analysis::default(),
    };
    Ok(YearResults { year, this, previous })
}

/// How the line a measure cites begins (`measures::figures`).
pub const SUMMARY_PREFIX: &str = "ผลการประเมินความพึงพอใจของผู้รับบริการ";

/// The line a measure cites: the main survey's year, "ผลการประเมินความพึงพอใจของผู้รับบริการ
/// ปีงบประมาณ พ.ศ. ๒๕๖๙: ค่าเฉลี่ย ๔.๑๒ ระดับ มาก (n = ๔๑๒)".
pub async fn summary_line(db: &Db, org: &crate::orgs::Org, year: FiscalYear) -> anyhow::Result<String> {
    let Some(survey) = super::store::main_survey(db, org.id).await? else {
        return Ok(format!("{SUMMARY_PREFIX}: ยังไม่มีแบบประเมินที่เผยแพร่"));
    };
    let versions = versions(db, org.id, survey.id).await?;
    let (from, to) = span(year);
    let a = analysis::analyse(&versions, &rows(db, org.id, survey.id, from, to).await?, fiscal_month);
    Ok(format!(
        "{SUMMARY_PREFIX} {}: {}",
        year.label(org.digits),
        super::report_view::headline(&a, survey.scale, org.digits)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fiscal_year_runs_from_thai_midnight_on_1_october() {
        let (from, to) = span(FiscalYear::new(2569).unwrap());
        assert_eq!(from, chrono::DateTime::parse_from_rfc3339("2025-09-30T17:00:00Z").unwrap().timestamp());
        assert_eq!(to, chrono::DateTime::parse_from_rfc3339("2026-09-30T17:00:00Z").unwrap().timestamp());
        assert_eq!(fiscal_month(from), 0);
        assert_eq!(fiscal_month(from - 1), 11, "the last second of September, Thai time");
        assert_eq!(fiscal_month(to - 1), 11);
    }
}
