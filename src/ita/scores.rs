//! An organization's ITA result of an assessed fiscal year, in SQL. A result is replaced whole
//! (an import or the form writes the year again), inside the organization's write, audited with
//! what it replaced.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;
use crate::thai::digits::Digits;

/// The ITA's pass mark (NACC, FY 2566: 85; shared/notes/ita.md §1.3 [C]), in hundredths.
pub const PASS_MARK_X100: i64 = 8500;

/// Where a result came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A CSV file.
    Csv,
    /// Text copied from the ITAS result page.
    Itas,
    /// Typed on the staff form.
    Form,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Csv => "csv",
            Source::Itas => "itas",
            Source::Form => "form",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "csv" => Source::Csv,
            "itas" => Source::Itas,
            _ => Source::Form,
        }
    }
}

/// One assessed year's result. Scores are hundredths (87.57 → 8757).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItaResult {
    pub fiscal_year: i64,
    pub total: i64,
    /// The level or label as announced ("A", "ผ่านดี"); empty when the file gave none.
    pub grade: String,
    pub iit: Option<i64>,
    pub eit: Option<i64>,
    pub oit: Option<i64>,
    /// The ten indicators' scores, indicator 1 first.
    pub indicators: Vec<i64>,
    /// IIT/EIT questions ("i1", "e3"), where known.
    pub questions: Vec<(String, i64)>,
    /// OIT items passed or failed ("O12", false), where known.
    pub oit_items: Vec<(String, bool)>,
    pub source: Source,
}

impl ItaResult {
    /// The score of indicator `number` (1–10).
    pub fn indicator(&self, number: i64) -> Option<i64> {
        usize::try_from(number - 1).ok().and_then(|i| self.indicators.get(i)).copied()
    }
}

/// A score in hundredths as the report prints it: "87.57", in the organization's digits.
pub fn format_score(x100: i64, digits: Digits) -> String {
    digits.apply(&format!("{}.{:02}", x100 / 100, x100 % 100))
}

/// Replaces the organization's result of `result.fiscal_year`; records it in the audit log.
pub async fn replace(tx: &mut Tx, org: OrgId, result: &ItaResult, actor: &str) -> anyhow::Result<()> {
    anyhow::ensure!(result.indicators.len() == 10, "an ITA result has 10 indicator scores");
    let year = result.fiscal_year;
    let before: Option<i64> =
        sqlx::query_scalar("SELECT total_x100 FROM ita_results WHERE org_id = $1 AND fiscal_year = $2")
            .bind(org.0)
            .bind(year)
            .fetch_optional(&mut **tx)
            .await?;
    for table in ["ita_results", "ita_indicator_scores", "ita_question_scores", "ita_oit_results"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE org_id = $1 AND fiscal_year = $2")))
            .bind(org.0)
            .bind(year)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO ita_results (org_id, fiscal_year, total_x100, grade, iit_x100, eit_x100, oit_x100, source, entered_by, entered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org.0)
    .bind(year)
    .bind(result.total)
    .bind(&result.grade)
    .bind(result.iit)
    .bind(result.eit)
    .bind(result.oit)
    .bind(result.source.code())
    .bind(actor)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    for (i, score) in result.indicators.iter().enumerate() {
        sqlx::query(
            "INSERT INTO ita_indicator_scores (org_id, fiscal_year, indicator_number, score_x100) VALUES ($1, $2, $3, $4)",
        )
        .bind(org.0)
        .bind(year)
        .bind(i as i64 + 1)
        .bind(score)
        .execute(&mut **tx)
        .await?;
    }
    for (code, score) in &result.questions {
        sqlx::query("INSERT INTO ita_question_scores (org_id, fiscal_year, code, score_x100) VALUES ($1, $2, $3, $4)")
            .bind(org.0)
            .bind(year)
            .bind(code)
            .bind(score)
            .execute(&mut **tx)
            .await?;
    }
    for (code, passed) in &result.oit_items {
        sqlx::query("INSERT INTO ita_oit_results (org_id, fiscal_year, item_code, passed) VALUES ($1, $2, $3, $4)")
            .bind(org.0)
            .bind(year)
            .bind(code)
            .bind(i64::from(*passed))
            .execute(&mut **tx)
            .await?;
    }
    let after = serde_json::json!({
        "fiscal_year": year, "total": result.total, "grade": result.grade, "indicators": result.indicators,
        "questions": result.questions.len(), "oit_items": result.oit_items.len(), "source": result.source.code(),
    });
    let before = before.map(|total| serde_json::json!({ "fiscal_year": year, "total": total }));
    let action = if before.is_some() { "update" } else { "create" };
    crate::audit::record(tx, org, actor, action, "ita_result", &year.to_string(), before.as_ref(), Some(&after))
        .await?;
    Ok(())
}

/// The organization's result of an assessed year.
pub async fn load(db: &Db, org: OrgId, year: i64) -> Result<Option<ItaResult>, sqlx::Error> {
    let Some(head) = sqlx::query(
        "SELECT total_x100, grade, iit_x100, eit_x100, oit_x100, source FROM ita_results
         WHERE org_id = $1 AND fiscal_year = $2",
    )
    .bind(org.0)
    .bind(year)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let indicators: Vec<i64> = sqlx::query_scalar(
        "SELECT score_x100 FROM ita_indicator_scores WHERE org_id = $1 AND fiscal_year = $2 ORDER BY indicator_number",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    let questions: Vec<(String, i64)> =
        sqlx::query_as("SELECT code, score_x100 FROM ita_question_scores WHERE org_id = $1 AND fiscal_year = $2")
            .bind(org.0)
            .bind(year)
            .fetch_all(&db.pool)
            .await?;
    let mut questions = questions;
    crate::thai::collate::sort_by_code(&mut questions, |q| &q.0);
    let items: Vec<(String, i64)> =
        sqlx::query_as("SELECT item_code, passed FROM ita_oit_results WHERE org_id = $1 AND fiscal_year = $2")
            .bind(org.0)
            .bind(year)
            .fetch_all(&db.pool)
            .await?;
    let mut oit_items: Vec<(String, bool)> = items.into_iter().map(|(c, p)| (c, p == 1)).collect();
    crate::thai::collate::sort_by_code(&mut oit_items, |i| &i.0);
    let source: String = head.try_get("source")?;
    Ok(Some(ItaResult {
        fiscal_year: year,
        total: head.try_get("total_x100")?,
        grade: head.try_get("grade")?,
        iit: head.try_get("iit_x100")?,
        eit: head.try_get("eit_x100")?,
        oit: head.try_get("oit_x100")?,
        indicators,
        questions,
        oit_items,
        source: Source::from_code(&source),
    }))
}

/// Whether the organization has a result for an assessed year.
pub async fn exists(db: &Db, org: OrgId, year: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM ita_results WHERE org_id = $1 AND fiscal_year = $2")
        .bind(org.0)
        .bind(year)
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}

/// The years the organization has a result for, with total and grade, latest first.
pub async fn years(db: &Db, org: OrgId) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT fiscal_year, total_x100, grade FROM ita_results WHERE org_id = $1 ORDER BY fiscal_year DESC")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await
}

/// One indicator's scores over the organization's years (year, score), oldest first.
pub async fn indicator_history(db: &Db, org: OrgId, up_to_year: i64) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT fiscal_year, indicator_number, score_x100 FROM ita_indicator_scores
         WHERE org_id = $1 AND fiscal_year <= $2 ORDER BY fiscal_year, indicator_number",
    )
    .bind(org.0)
    .bind(up_to_year)
    .fetch_all(&db.pool)
    .await
}

/// Which averages a reference score is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    National,
    Province,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::National => "national",
            Scope::Province => "province",
        }
    }
}

/// The averages entered for a year: (scope, indicator number (0 = total), score).
pub async fn references(db: &Db, org: OrgId, year: i64) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT scope, indicator_number, score_x100 FROM ita_reference_scores
         WHERE org_id = $1 AND fiscal_year = $2 ORDER BY scope, indicator_number",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await
}

/// Replaces one scope's averages of a year: `scores` holds (indicator number (0 = total), score).
pub async fn set_references(
    tx: &mut Tx,
    org: OrgId,
    year: i64,
    scope: Scope,
    scores: &[(i64, i64)],
    actor: &str,
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM ita_reference_scores WHERE org_id = $1 AND fiscal_year = $2 AND scope = $3")
        .bind(org.0)
        .bind(year)
        .bind(scope.code())
        .execute(&mut **tx)
        .await?;
    for (number, score) in scores {
        sqlx::query(
            "INSERT INTO ita_reference_scores (org_id, fiscal_year, scope, indicator_number, score_x100)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org.0)
        .bind(year)
        .bind(scope.code())
        .bind(number)
        .bind(score)
        .execute(&mut **tx)
        .await?;
    }
    let after = serde_json::json!({ "fiscal_year": year, "scope": scope.code(), "scores": scores });
    crate::audit::record(
        tx,
        org,
        actor,
        "update",
        "ita_reference",
        &format!("{year}/{}", scope.code()),
        None,
        Some(&after),
    )
    .await?;
    Ok(())
}

/// The office's issues to fix, per indicator, of an assessed year: (indicator number, text).
pub async fn notes(db: &Db, org: OrgId, year: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT indicator_number, issues FROM ita_analysis_notes WHERE org_id = $1 AND fiscal_year = $2
         ORDER BY indicator_number",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await
}

/// Writes the issues to fix of one indicator (an empty text removes them).
pub async fn set_note(
    tx: &mut Tx,
    org: OrgId,
    year: i64,
    indicator: i64,
    issues: &str,
    actor: &str,
) -> anyhow::Result<()> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT issues FROM ita_analysis_notes WHERE org_id = $1 AND fiscal_year = $2 AND indicator_number = $3",
    )
    .bind(org.0)
    .bind(year)
    .bind(indicator)
    .fetch_optional(&mut **tx)
    .await?;
    if before.as_deref() == Some(issues) || (before.is_none() && issues.is_empty()) {
        return Ok(());
    }
    sqlx::query("DELETE FROM ita_analysis_notes WHERE org_id = $1 AND fiscal_year = $2 AND indicator_number = $3")
        .bind(org.0)
        .bind(year)
        .bind(indicator)
        .execute(&mut **tx)
        .await?;
    if !issues.is_empty() {
        sqlx::query(
            "INSERT INTO ita_analysis_notes (org_id, fiscal_year, indicator_number, issues, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org.0)
        .bind(year)
        .bind(indicator)
        .bind(issues)
        .bind(actor)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    }
    let id = format!("{year}/{indicator}");
    let before = before.map(|t| serde_json::json!({ "issues": t }));
    let after = (!issues.is_empty()).then(|| serde_json::json!({ "issues": issues }));
    crate::audit::record(tx, org, actor, "update", "ita_analysis_note", &id, before.as_ref(), after.as_ref()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_prints_with_two_decimals_in_either_digits() {
        assert_eq!(format_score(8757, Digits::Arabic), "87.57");
        assert_eq!(format_score(9005, Digits::Arabic), "90.05");
        assert_eq!(format_score(10000, Digits::Thai), "๑๐๐.๐๐");
    }
}
