//! The statistics pages: staff figures with charts (/app/queue/stats), the public page of a
//! service's promise beside its measured result (/o/SLUG/queue/services/ID) and the public daily
//! fairness summary (/o/SLUG/queue/fairness).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::fairness::{self, DaySummary};
use super::rules::{OutOfOrder, PriorityGroup};
use super::stats::{self, Figures, Report, minutes, percent};
use super::{clock_th, now_ms, thai_day};
use crate::app::AppState;
use crate::http::{AppError, CurrentUser, page};
use crate::orgs::Org;
use crate::portal::cache::{Scope, cacheable_today};
use crate::portal::frame::Frame;
use crate::services::ServiceId;
use crate::thai::{Digits, format_date_long, format_int};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/queue/stats", get(staff_stats))
        .route("/o/{slug}/queue/services/{id}", get(service_page))
        .route("/o/{slug}/queue/fairness", get(fairness_today))
        .route("/o/{slug}/queue/fairness/{date}", get(fairness_day))
}

/// A row of figures, every string final.
struct FigureRow {
    name: String,
    standard: String,
    tickets: String,
    served: String,
    wait_median: String,
    wait_p90: String,
    service_median: String,
    service_p90: String,
    within: String,
}

fn row(name: String, standard: Option<i64>, f: &Figures, d: Digits) -> FigureRow {
    FigureRow {
        name,
        standard: standard.map_or("–".into(), |m| format!("{} นาที", format_int(m, d))),
        tickets: format_int(f.tickets, d),
        served: format_int(f.served, d),
        wait_median: minutes(f.wait_median_ms, d),
        wait_p90: minutes(f.wait_p90_ms, d),
        service_median: minutes(f.service_median_ms, d),
        service_p90: minutes(f.service_p90_ms, d),
        within: percent(f.within_percent(), d),
    }
}

/// A bar of an SVG chart, in the chart's own units.
struct Bar {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
    label: String,
    value: String,
    /// Where the value is written.
    vx: i64,
    vy: i64,
}

/// Tickets per hour, 07:00–17:59, as vertical bars (300 units high, 40 per hour).
fn hour_bars(by_hour: &[i64; 24], d: Digits) -> Vec<Bar> {
    let hours = 7..18;
    let max = hours.clone().map(|h| by_hour[h]).max().unwrap_or(0).max(1);
    hours
        .enumerate()
        .map(|(i, h)| {
            let height = by_hour[h] * 240 / max;
            let x = 10 + i as i64 * 40;
            Bar {
                x,
                y: 260 - height,
                w: 30,
                h: height,
                label: d.apply(&format!("{h:02}")),
                value: format_int(by_hour[h], d),
                vx: x + 15,
                vy: 255 - height,
            }
        })
        .collect()
}

/// Share within the standard per service, as horizontal bars (400 units for 100 %).
fn share_bars(rows: &[(String, Option<f64>)], d: Digits) -> Vec<Bar> {
    rows.iter()
        .enumerate()
        .map(|(i, (name, p))| {
            let width = p.map_or(0, |p| (p * 4.0).round() as i64);
            let y = 10 + i as i64 * 34;
            Bar { x: 0, y, w: width, h: 22, label: name.clone(), value: percent(*p, d), vx: width + 6, vy: y + 16 }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "queue/stats.html")]
struct StatsPage {
    me: CurrentUser,
    period: String,
    /// One row: all services together.
    total: Vec<FigureRow>,
    services: Vec<FigureRow>,
    counters: Vec<FigureRow>,
    hours: Vec<Bar>,
    shares: Vec<Bar>,
    shares_height: i64,
    measured_days: String,
}

#[derive(Deserialize, Default)]
struct DaysQuery {
    #[serde(default)]
    days: Option<i64>,
}

fn period_words(first: i64, last: i64, d: Digits) -> String {
    format!("{} ถึง {}", format_date_long(super::date_of_day(first), d), format_date_long(super::date_of_day(last), d))
}

async fn staff_stats(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<DaysQuery>,
) -> Result<Response, AppError> {
    let days = q.days.unwrap_or(30).clamp(1, 366);
    let d = me.org.digits;
    let org = me.org_id();
    let last = thai_day(now_ms());
    let first = last - days + 1;
    let report = stats::for_days(&state.db, org, first, last).await?;
    let services = crate::services::store::list(&state.db, org, true).await?;
    let mut service_rows = Vec::new();
    let mut shares = Vec::new();
    for s in &services {
        if let Some(f) = report.by_service.get(&s.id) {
            service_rows.push(row(s.name.clone(), s.standard_minutes, f, d));
            shares.push((s.name.clone(), f.within_percent()));
        }
    }
    let mut counter_rows = Vec::new();
    for p in super::store::points(&state.db, org).await? {
        for c in super::store::counters(&state.db, org, p.id).await? {
            if let Some(f) = report.by_counter.get(&c.id) {
                counter_rows.push(row(format!("{} ({})", c.name, p.name), None, f, d));
            }
        }
    }
    let shares_height = 20 + shares.len() as i64 * 34;
    page(StatsPage {
        period: period_words(first, last, d),
        total: vec![row("ทุกงานบริการ".into(), None, &report.all, d)],
        services: service_rows,
        counters: counter_rows,
        hours: hour_bars(&report.by_hour, d),
        shares: share_bars(&shares, d),
        shares_height,
        measured_days: format_int(report.days, d),
        me,
    })
}

async fn org_of(state: &AppState, slug: &str) -> Result<Org, AppError> {
    crate::orgs::store::find_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "queue/service.html")]
struct ServicePage {
    frame: Frame,
    name: String,
    promise: String,
    figures: FigureRow,
    period: String,
    served: bool,
}

/// A service's promise (its published standard) beside the measured result of the last 30 days.
async fn service_page(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let service = crate::services::store::find(&state.db, org.id, ServiceId(id)).await?.ok_or(AppError::NotFound)?;
    let d = org.digits;
    let last = thai_day(now_ms());
    let first = last - 29;
    let report: Report = stats::for_days(&state.db, org.id, first, last).await?;
    let figures = report.by_service.get(&service.id).cloned().unwrap_or_default();
    let promise = service.standard_minutes.map_or(
        "ยังไม่ได้ประกาศระยะเวลามาตรฐาน".to_string(),
        |m| format!("ให้บริการแล้วเสร็จภายใน {} นาทีต่อราย", format_int(m, d)),
    );
    let scope = Scope::Org(org.id.0);
    let here = format!("/o/{slug}/queue/services/{}", service.id.0);
    let frame = super::public_routes::queue_frame(&state, org, Some((here, service.name.clone()))).await?;
    let view = ServicePage {
        name: service.name.clone(),
        promise,
        served: figures.served > 0,
        figures: row(service.name, service.standard_minutes, &figures, d),
        period: period_words(first, last, d),
        frame,
    };
    Ok(cacheable_today(page(view)?, scope))
}

#[derive(Template)]
#[template(path = "queue/fairness.html")]
struct FairnessPage {
    frame: Frame,
    date: String,
    calls: String,
    in_order: String,
    out_of_order: String,
    without_reason: i64,
    kinds: Vec<(&'static str, String)>,
    groups: Vec<(&'static str, String)>,
    entries: Vec<(String, &'static str, String)>,
    days: Vec<(String, String)>,
}

/// The fairness summary of `day`, framed as a page under the queue's rule (`here` is its path).
async fn fairness_view(
    state: &AppState,
    org: Org,
    day: i64,
    here: String,
    s: &DaySummary,
) -> Result<FairnessPage, AppError> {
    let d = org.digits;
    let crumb = format!("สรุปความเป็นธรรม {}", crate::thai::format_date_medium(super::date_of_day(day), d));
    let frame = super::public_routes::queue_frame(state, org, Some((here, crumb))).await?;
    let kinds = OutOfOrder::ALL
        .iter()
        .filter_map(|k| s.by_kind.get(k.code()).map(|n| (k.label_th(), format_int(*n, d))))
        .collect();
    let groups = PriorityGroup::ALL
        .iter()
        .filter_map(|g| s.by_group.get(g.code()).map(|n| (g.label_th(), format_int(*n, d))))
        .collect();
    let entries = s.entries.iter().map(|e| (clock_th(e.at, d), e.kind.label_th(), e.reason.clone())).collect();
    let today = thai_day(now_ms());
    let days = (1..=7)
        .map(|back| {
            let date = super::date_of_day(today - back);
            (date.format("%Y-%m-%d").to_string(), crate::thai::format_date_medium(date, d))
        })
        .collect();
    Ok(FairnessPage {
        date: format_date_long(super::date_of_day(day), d),
        calls: format_int(s.calls, d),
        in_order: format_int(s.in_order, d),
        out_of_order: format_int(s.out_of_order(), d),
        without_reason: s.without_reason(),
        kinds,
        groups,
        entries,
        days,
        frame,
    })
}

async fn fairness_today(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let day = thai_day(now_ms());
    let summary = fairness::day(&state.db, org.id, day).await?;
    let scope = Scope::Org(org.id.0);
    let view = fairness_view(&state, org, day, format!("/o/{slug}/queue/fairness"), &summary).await?;
    Ok(cacheable_today(page(view)?, scope))
}

async fn fairness_day(
    State(state): State<AppState>,
    Path((slug, date)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let date = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let day = super::day_of_date(date);
    if day > thai_day(now_ms()) {
        return Err(AppError::NotFound);
    }
    let summary = fairness::day(&state.db, org.id, day).await?;
    let scope = Scope::Org(org.id.0);
    let here = format!("/o/{slug}/queue/fairness/{}", date.format("%Y-%m-%d"));
    let view = fairness_view(&state, org, day, here, &summary).await?;
    // A past day does not change unless its records do (the list of recent days changes daily).
    Ok(cacheable_today(page(view)?, scope))
}
