//! SQL of the province page. Every statement starts from the province's organizations
//! (`orgs_by_province`) and reads each one's rows by its own `org_id` index, so a page costs what
//! the province holds, not what the install holds.

use super::rules::{OrgFigures, YearSpan};
use crate::db::Db;
use crate::ita::scores::PASS_MARK_X100;

/// The provinces that have organizations, with how many (unsorted: the caller sorts in Thai).
pub async fn provinces(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT province, COUNT(*) FROM orgs WHERE province <> '' GROUP BY province")
        .fetch_all(&db.pool)
        .await
}

/// The first and last fiscal years with an ITA result, and with measures, over the province's
/// organizations; None when the province has no organization.
pub async fn years(db: &Db, province: &str) -> Result<Option<YearSpan>, sqlx::Error> {
    type Row = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT (SELECT MIN(r.fiscal_year) FROM ita_results r WHERE r.org_id = o.id),
                (SELECT MAX(r.fiscal_year) FROM ita_results r WHERE r.org_id = o.id),
                (SELECT MIN(m.fiscal_year) FROM measures m WHERE m.org_id = o.id),
                (SELECT MAX(m.fiscal_year) FROM measures m WHERE m.org_id = o.id)
         FROM orgs o WHERE o.province = $1",
    )
    .bind(province)
    .fetch_all(&db.pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut span = YearSpan::default();
    for (results_from, results_to, measures_from, measures_to) in rows {
        span.add_results(results_from, results_to);
        span.add_measures(measures_from, measures_to);
    }
    Ok(Some(span))
}

/// One row per organization of the province for fiscal year `year`: its ITA result and the
/// previous year's total, its indicators below the pass mark, its measures (cancelled ones not
/// counted; on time = done, or its planned period not over on `today`, yyyymmdd of the
/// Christian era as `measures.period_last` holds it) and when the year's report was first published.
pub async fn figures(db: &Db, province: &str, year: i64, today: i64) -> Result<Vec<OrgFigures>, sqlx::Error> {
    type Row = (i64, String, String, String, Option<i64>, Option<String>, Option<i64>, i64, i64, i64, i64, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT o.id, o.slug, o.name, o.kind,
                (SELECT r.total_x100 FROM ita_results r WHERE r.org_id = o.id AND r.fiscal_year = $2),
                (SELECT r.grade FROM ita_results r WHERE r.org_id = o.id AND r.fiscal_year = $2),
                (SELECT r.total_x100 FROM ita_results r WHERE r.org_id = o.id AND r.fiscal_year = $3),
                (SELECT COUNT(*) FROM ita_indicator_scores s
                 WHERE s.org_id = o.id AND s.fiscal_year = $2 AND s.score_x100 < $4),
                (SELECT COUNT(*) FROM measures m
                 WHERE m.org_id = o.id AND m.fiscal_year = $2 AND m.status <> 'cancelled'),
                (SELECT COUNT(*) FROM measures m
                 WHERE m.org_id = o.id AND m.fiscal_year = $2 AND m.status = 'done'),
                (SELECT COUNT(*) FROM measures m
                 WHERE m.org_id = o.id AND m.fiscal_year = $2 AND m.status <> 'cancelled'
                   AND (m.status = 'done' OR m.period_last IS NULL OR m.period_last >= $5)),
                (SELECT MIN(v.published_at) FROM measure_report_versions v
                 WHERE v.org_id = o.id AND v.fiscal_year = $2)
         FROM orgs o WHERE o.province = $1",
    )
    .bind(province)
    .bind(year)
    .bind(year - 1)
    .bind(PASS_MARK_X100)
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, kind, total, grade, previous, below, measures, done, on_time, published_at)| {
            OrgFigures {
                org_id: id,
                slug,
                name,
                kind,
                total,
                grade: grade.unwrap_or_default(),
                previous_total: previous,
                indicators_below: below,
                measures,
                done,
                on_time,
                published_at,
            }
        })
        .collect())
}
