//! The public province pages: `/p/` lists the provinces that have organizations, `/p/PROVINCE`
//! compares a province's organizations for a fiscal year (`?year=`, `?sort=`, `?page=`).
//!
//! `/p/` is kept by the public cache until an organization is added (`Scope::Directory`).
//! `/p/PROVINCE` is not kept on the server: it shows every organization of the province, and a
//! change of any of them would have to drop it, while the cache's clock moves per organization.
//! Browsers and proxies may keep it for a minute ([`PROVINCE_MAX_AGE`]); the render itself reads
//! only the province's rows (two statements), so its cost follows the province's size.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;

use super::rules::{self, OrgFigures, SORTS, Sort, Summary};
use super::store;
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, page};
use crate::portal::cache::{Scope, cacheable};
use crate::thai::{Digits, FiscalYear, format_grouped};

/// How long a browser or proxy may keep a province page without asking again.
pub const PROVINCE_MAX_AGE: &str = "public, max-age=60";

/// The page is public and site-wide: Thai digits, whatever each organization chose for its own site.
const DIGITS: Digits = Digits::Thai;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p", get(|| async { crate::http::see_other("/p/") }))
        .route("/p/", get(provinces))
        .route("/p/{province}", get(province))
}

/// The address of a province's page (the Thai name percent-encoded).
pub fn province_href(province: &str) -> String {
    format!("/p/{}", urlencoding::encode(province))
}

#[derive(Template)]
#[template(path = "province/index.html")]
struct ProvincesPage {
    /// (href, name, organizations in Thai digits), in Thai dictionary order.
    provinces: Vec<(String, String, String)>,
    /// How many provinces and organizations, in Thai digits.
    province_count: String,
    organizations: String,
}

async fn provinces(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut found = store::provinces(&state.db).await?;
    crate::thai::collate::sort_by_dictionary(&mut found, |p| &p.0);
    let organizations = format_grouped(found.iter().map(|p| p.1).sum(), DIGITS);
    let province_count = format_grouped(found.len() as i64, DIGITS);
    let provinces =
        found.into_iter().map(|(name, n)| (province_href(&name), name, format_grouped(n, DIGITS))).collect();
    Ok(cacheable(page(ProvincesPage { provinces, province_count, organizations })?, Scope::Directory))
}

#[derive(Deserialize, Default, Debug)]
pub struct ProvinceQuery {
    year: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// One organization's row, every string final.
struct RowView {
    href: String,
    name: String,
    kind: String,
    /// "๙๒.๓๕" or "–" when no result.
    total: String,
    grade: String,
    passed: bool,
    assessed: bool,
    change: String,
    below: String,
    measures: String,
    done: String,
    on_time: String,
    late: i64,
    late_th: String,
    /// "๓๐ ก.ย. ๒๕๖๖" or empty when not published.
    published: String,
}

/// A link of a choice (year or order): (href, label, current).
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "province/page.html")]
struct ProvincePage {
    province: String,
    /// The province's page without a query.
    home: String,
    year_label: String,
    years: Vec<Choice>,
    sorts: Vec<Choice>,
    rows: Vec<RowView>,
    pager: Pager,
    summary: SummaryView,
}

struct SummaryView {
    organizations: String,
    assessed: String,
    average: String,
    passed: String,
    measures: String,
    done: String,
    on_time: String,
    published: String,
}

#[derive(Template)]
#[template(path = "province/unknown.html")]
struct UnknownProvince {
    province: String,
}

async fn province(
    State(state): State<AppState>,
    Path(province): Path<String>,
    Query(query): Query<ProvinceQuery>,
) -> Result<Response, AppError> {
    let Some(span) = store::years(&state.db, &province).await? else {
        let mut response = page(UnknownProvince { province })?;
        *response.status_mut() = StatusCode::NOT_FOUND;
        return Ok(response);
    };
    let today = crate::thai::today_in_thailand();
    let year = match query.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => span.default_year().unwrap_or(FiscalYear::of(today).be() as i64),
        Some(raw) => raw
            .parse::<FiscalYear>()
            .map(|y| y.be() as i64)
            .map_err(|e| AppError::Invalid(format!("ปีงบประมาณ (year) “{raw}” ไม่ถูกต้อง: {}", e.message_th())))?,
    };
    let sort = Sort::parse(query.sort.as_deref()).map_err(AppError::Invalid)?;
    let request = PageRequest::from_query(&ListQuery { page: query.page, q: None })?;
    let today_number = i64::from(today.year()) * 10_000 + i64::from(today.month()) * 100 + i64::from(today.day());
    let mut figures = store::figures(&state.db, &province, year, today_number).await?;
    let summary = Summary::of(&figures);
    rules::sort(&mut figures, sort);
    let (shown, total) = request.slice(figures);
    let base = province_href(&province);
    let href = |year: i64, sort: Sort| match sort {
        Sort::Name => format!("{base}?year={year}"),
        _ => format!("{base}?year={year}&sort={}", sort.code()),
    };
    let pager = Pager::new(&href(year, sort), &request, total, shown.len(), DIGITS);
    let mut choices = span.choices();
    if !choices.contains(&year) {
        choices.push(year);
        choices.sort_unstable_by(|a, b| b.cmp(a));
    }
    let view = ProvincePage {
        year_label: DIGITS.apply(&year.to_string()),
        years: choices.into_iter().map(|y| (href(y, sort), DIGITS.apply(&y.to_string()), y == year)).collect(),
        sorts: SORTS.iter().map(|(s, _, label)| (href(year, *s), label.to_string(), *s == sort)).collect(),
        rows: shown.iter().map(row_view).collect(),
        pager,
        summary: summary_view(&summary),
        home: base.clone(),
        province,
    };
    let mut response = page(view)?;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(PROVINCE_MAX_AGE));
    Ok(response)
}

fn row_view(r: &OrgFigures) -> RowView {
    let n = |v: i64| format_grouped(v, DIGITS);
    RowView {
        href: format!("/o/{}/", r.slug),
        name: r.name.clone(),
        kind: r.kind.clone(),
        total: r.total.map_or_else(|| "–".to_string(), |t| crate::ita::scores::format_score(t, DIGITS)),
        grade: r.grade.clone(),
        passed: r.passed(),
        assessed: r.total.is_some(),
        change: r.change().map_or_else(|| "–".to_string(), |c| rules::format_change(c, DIGITS)),
        below: if r.total.is_some() { n(r.indicators_below) } else { "–".to_string() },
        measures: n(r.measures),
        done: n(r.done),
        on_time: n(r.on_time),
        late: r.late(),
        late_th: n(r.late()),
        published: r.published_at.map(thai_date).unwrap_or_default(),
    }
}

fn summary_view(s: &Summary) -> SummaryView {
    let n = |v: usize| format_grouped(v as i64, DIGITS);
    SummaryView {
        organizations: n(s.organizations),
        assessed: n(s.assessed),
        average: s.average.map_or_else(|| "–".to_string(), |a| crate::ita::scores::format_score(a, DIGITS)),
        passed: n(s.passed),
        measures: format_grouped(s.measures, DIGITS),
        done: format_grouped(s.done, DIGITS),
        on_time: format_grouped(s.on_time, DIGITS),
        published: n(s.published),
    }
}

/// An instant's date in Thailand: "๓๐ ก.ย. ๒๕๖๖".
fn thai_date(epoch_seconds: i64) -> String {
    let local = chrono::DateTime::from_timestamp(epoch_seconds, 0).unwrap_or_default() + chrono::Duration::hours(7);
    crate::thai::format_date_medium(local.date_naive(), DIGITS)
}
