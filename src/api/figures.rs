//! `/api/v1/orgs/{slug}/figures/{year}`: the live figures a measure can cite (`measures::figures`)
//! for a fiscal year, as numbers (lending, queue, complaints) and as the lines the report prints
//! (all six, survey and council included). Counts only: no borrower, citizen or complainant.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;
use super::respond::{self, Keep};
use crate::app::AppState;
use crate::thai::FiscalYear;

#[derive(Serialize)]
struct Figures {
    org: String,
    fiscal_year: i64,
    lending: Lending,
    queue: Queue,
    complaints: Complaints,
    lines: Vec<Line>,
}

#[derive(Serialize)]
struct Lending {
    loans: i64,
    returned: i64,
    returned_on_time: i64,
    overdue_now: i64,
    damage_cases: i64,
    rejected: i64,
    on_time_percent: Option<f64>,
}

#[derive(Serialize)]
struct Queue {
    tickets: i64,
    served: i64,
    with_standard: i64,
    within_standard: i64,
    within_standard_percent: Option<f64>,
    wait_median_minutes: Option<f64>,
    wait_p90_minutes: Option<f64>,
    service_median_minutes: Option<f64>,
    service_p90_minutes: Option<f64>,
    days: i64,
}

#[derive(Serialize)]
struct Complaints {
    received: i64,
    corruption_received: i64,
    closed: i64,
    closed_in_time: i64,
    median_working_days_to_close: Option<f64>,
}

#[derive(Serialize)]
struct Line {
    code: &'static str,
    label_th: &'static str,
    text_th: String,
}

/// Two decimals, as the document promises of every measure.
fn two_decimals(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn minutes(ms: Option<i64>) -> Option<f64> {
    ms.map(|ms| two_decimals(ms as f64 / 60_000.0))
}

pub async fn year(
    State(state): State<AppState>,
    Path((slug, year)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let fy = super::year_of(&year)?;
    // A year that has not started has no figures yet.
    if fy > FiscalYear::of(crate::thai::today_in_thailand()) {
        return Err(ApiError::NoYear);
    }
    let year = i64::from(fy.be());
    let l = crate::lending::stats::stats_for(&state.db, org.id, fy.start(), fy.end(), crate::lending::today()).await?;
    let lending = Lending {
        on_time_percent: l.on_time_percent().map(two_decimals),
        loans: l.loans,
        returned: l.returned,
        returned_on_time: l.returned_on_time,
        overdue_now: l.overdue_now,
        damage_cases: l.damage_cases,
        rejected: l.rejected,
    };
    let (first, last) = (crate::queue::day_of_date(fy.start()), crate::queue::day_of_date(fy.end()));
    let q = crate::queue::stats::for_days(&state.db, org.id, first, last).await?;
    let queue = Queue {
        tickets: q.all.tickets,
        served: q.all.served,
        with_standard: q.all.with_standard,
        within_standard: q.all.within_standard,
        within_standard_percent: q.all.within_percent().map(two_decimals),
        wait_median_minutes: minutes(q.all.wait_median_ms),
        wait_p90_minutes: minutes(q.all.wait_p90_ms),
        service_median_minutes: minutes(q.all.service_median_ms),
        service_p90_minutes: minutes(q.all.service_p90_ms),
        days: q.days,
    };
    let c = crate::complaints::stats::for_year(&state.db, org.id, fy).await?;
    let corruption = c.categories.iter().find(|(k, _)| *k == crate::complaints::Category::Corruption);
    let complaints = Complaints {
        received: c.total.received,
        corruption_received: corruption.map_or(0, |(_, f)| f.received),
        closed: c.total.closed,
        closed_in_time: c.total.closed_in_time,
        median_working_days_to_close: c.total.median(),
    };
    let mut lines = Vec::new();
    for &(code, label_th) in crate::measures::figures::FIGURES {
        let text_th = crate::measures::figures::render(&state.db, &org, year, code).await?;
        lines.push(Line { code, label_th, text_th });
    }
    let body = Figures { org: org.slug.clone(), fiscal_year: year, lending, queue, complaints, lines };
    // "Overdue now" and the current month move with the date.
    respond::json(&headers, &body, Keep::Today(super::of_org(&org)), None)
}
