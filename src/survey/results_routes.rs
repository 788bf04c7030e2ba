//! The public results: `/o/SLUG/ita/YEAR/satisfaction`, every survey of the organization with its
//! year's figures, chart and comparison with the year before, as the executives' report has them
//! (the comments stay in the staff report: free text may name people).

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use super::report_view::{self, Names, ReportView};
use super::results;
use super::store::{self, Survey};
use crate::app::AppState;
use crate::db::Db;
use crate::http::{AppError, page};
use crate::orgs::Org;
use crate::portal::cache::{Scope, cacheable};
use crate::portal::frame::{Frame, Section};
use crate::thai::FiscalYear;

pub fn router() -> Router<AppState> {
    Router::new().route("/o/{slug}/ita/{year}/satisfaction", get(public_results))
}

/// The names of the organization's services and service points, by id.
pub async fn names(db: &Db, org: &Org) -> anyhow::Result<(BTreeMap<i64, String>, BTreeMap<i64, String>)> {
    let services =
        crate::services::store::list(db, org.id, true).await?.into_iter().map(|s| (s.id.0, s.name)).collect();
    let points = crate::queue::store::points(db, org.id).await?.into_iter().map(|p| (p.id.0, p.name)).collect();
    Ok((services, points))
}

/// The report of one survey's year, every string final.
pub async fn report(db: &Db, org: &Org, survey: &Survey, year: FiscalYear) -> anyhow::Result<ReportView> {
    let r = results::year(db, org.id, survey, year).await?;
    let (services, points) = names(db, org).await?;
    Ok(report_view::build(
        &org.name,
        &survey.name,
        survey.id.0,
        survey.scale,
        &r,
        Names { services: &services, points: &points },
        org.digits,
    ))
}

#[derive(Template)]
#[template(path = "survey/results.html")]
struct ResultsPage {
    frame: Frame,
    year: String,
    reports: Vec<ReportView>,
    /// Comments are counted here, read in the staff report.
    public: bool,
}

pub fn parse_year(year: &str) -> Result<FiscalYear, AppError> {
    year.parse::<i32>().ok().and_then(|y| FiscalYear::new(y).ok()).ok_or(AppError::NotFound)
}

async fn public_results(
    State(state): State<AppState>,
    Path((slug, year)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let year = parse_year(&year)?;
    let mut reports = Vec::new();
    for survey in store::list(&state.db, org.id).await? {
        if store::version(&state.db, org.id, survey.id, None).await?.is_some() {
            reports.push(report(&state.db, &org, &survey, year).await?);
        }
    }
    if reports.is_empty() {
        return Err(AppError::NotYet("หน่วยงานยังไม่ได้เปิดแบบประเมินความพึงพอใจ".into()));
    }
    let scope = Scope::Org(org.id.0);
    let label = year.label(org.digits);
    let frame = Frame::of(&state.db, org, Section::Ita)
        .await?
        .crumb(format!("/o/{slug}/ita"), "ITA / OIT")
        .crumb(format!("/o/{slug}/ita/{year}/satisfaction"), format!("ผลการประเมินความพึงพอใจ {label}"));
    let response = page(ResultsPage { year: label, frame, reports, public: true })?;
    Ok(cacheable(response, scope))
}
