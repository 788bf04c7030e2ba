//! The citizen's pages: /o/SLUG/complaints (file or track), the public monthly figures, and what
//! the form (public_form.rs) and the tracking page (public_tracking.rs) share: the address's
//! keyed hash, the limit on guessing codes, the 404 of a wrong code. No page shows a
//! complainant's identity.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{Category, code, filing};
use crate::app::AppState;
use crate::http::client::ClientIp;
use crate::http::{AppError, page, see_other};
use crate::portal::cache::{Scope, cacheable_today};
use crate::portal::frame::{Frame, Section};
use crate::thai::{Digits, format_int};

/// A form's body: five photos of 5 MB and the text, with room for the multipart framing.
pub(super) const FORM_BODY_LIMIT: usize = filing::PHOTOS_MAX * filing::PHOTO_MAX_BYTES + 1024 * 1024;

/// Wrong codes an address may try in 15 minutes before it waits (doubling, at most a day).
const CODE_TRIES: crate::auth::throttle::Limits = crate::auth::throttle::Limits {
    failures: 20,
    window_secs: 15 * 60,
    first_lock_secs: 15 * 60,
    max_lock_secs: 24 * 3600,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/complaints", get(index))
        .route("/o/{slug}/complaints/track", get(track))
        .route("/o/{slug}/complaints/stats", get(stats_page))
        .merge(super::public_form::router())
        .merge(super::public_tracking::router())
}

/// The keyed hash kept of the citizen's address: IPv4 whole, IPv6 by its /64 (one home or phone
/// network), so limits count a person rather than each of their addresses.
pub(super) async fn client_key(state: &AppState, ip: std::net::IpAddr) -> Result<String, AppError> {
    let secret = crate::auth::secrets::get_or_create(&state.db, "complaint_client").await?;
    let address = crate::survey::ingest::address_key(ip);
    Ok(hex::encode(crate::auth::secrets::hmac_sha256(&secret, address.as_bytes())))
}

pub(super) fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

#[derive(Template)]
#[template(path = "complaints/index.html")]
struct IndexPage {
    frame: Frame,
    reply_days: String,
}

async fn index(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Complaints).await?;
    let days = super::settings::reply_days(&state.db, frame.org.id).await?;
    let reply_days = format_int(days[&Category::Service], frame.org.digits);
    let frame = frame.crumb(format!("/o/{slug}/complaints"), "ร้องเรียน/ร้องทุกข์");
    let scope = Scope::Org(frame.org.id.0);
    Ok(cacheable_today(page(IndexPage { frame, reply_days })?, scope))
}

#[derive(Deserialize, Default)]
struct TrackQuery {
    #[serde(default)]
    code: String,
}

/// The "track by code" form: to the complaint's page, or the page saying no such code.
async fn track(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    Query(q): Query<TrackQuery>,
) -> Result<Response, AppError> {
    match code::normalize(&q.code) {
        Some(code) => Ok(see_other(&format!("/o/{slug}/complaints/{code}"))),
        None => {
            let frame = Frame::load(&state.db, &slug, Section::Complaints).await?;
            guessed_wrong(&state, frame, ip, &q.code).await
        }
    }
}

#[derive(Template)]
#[template(path = "complaints/not_found.html")]
struct NotFoundPage {
    frame: Frame,
    typed: String,
}

async fn throttle_key(state: &AppState, org: crate::orgs::OrgId, ip: std::net::IpAddr) -> Result<String, AppError> {
    Ok(format!("complaint-code:{}:{}", org.0, client_key(state, ip).await?))
}

/// Refuses an address that guessed too many wrong codes (429).
pub(super) async fn refuse_if_locked(
    state: &AppState,
    org: crate::orgs::OrgId,
    ip: std::net::IpAddr,
) -> Result<(), AppError> {
    let key = throttle_key(state, org, ip).await?;
    match crate::auth::throttle::locked_until(&state.db, &key, &key).await? {
        Some(until) => Err(locked(until)),
        None => Ok(()),
    }
}

fn locked(until: i64) -> AppError {
    let retry_after = (until - crate::db::now()).max(1);
    AppError::Throttled {
        retry_after,
        message: format!(
            "ค้นหาด้วยรหัสติดตามเรื่องที่ไม่ถูกต้องหลายครั้งเกินไป กรุณาลองใหม่ในอีกประมาณ {} นาที",
            format_int((retry_after + 59) / 60, Digits::Thai)
        ),
    }
}

/// A wrong code: counted against the address, and a 404 page saying so in Thai.
pub(super) async fn guessed_wrong(
    state: &AppState,
    frame: Frame,
    ip: std::net::IpAddr,
    typed: &str,
) -> Result<Response, AppError> {
    let key = throttle_key(state, frame.org.id, ip).await?;
    if let Some(until) = crate::auth::throttle::failure(&state.db, &key, CODE_TRIES).await? {
        return Err(locked(until));
    }
    let slug = frame.org.slug.clone();
    let frame = frame.crumb(format!("/o/{slug}/complaints"), "ร้องเรียน/ร้องทุกข์");
    let mut response = page(NotFoundPage { frame, typed: typed.chars().take(40).collect() })?;
    *response.status_mut() = StatusCode::NOT_FOUND;
    Ok(response)
}

pub(super) fn too_many(retry_after: i64, what: &str, limit: i64) -> AppError {
    AppError::Throttled {
        retry_after,
        message: format!(
            "{what}จากเครื่องนี้ครบ {} ครั้งในหนึ่งชั่วโมงแล้ว กรุณาลองใหม่ในอีกประมาณ {} นาที",
            format_int(limit, Digits::Thai),
            format_int((retry_after + 59) / 60, Digits::Thai)
        ),
    }
}

struct StatsRow {
    label: String,
    received: String,
    closed: String,
    in_time: String,
    median: String,
}

fn stats_row(label: String, f: &super::stats::Figures, digits: Digits) -> StatsRow {
    let n = |v: i64| format_int(v, digits);
    StatsRow {
        label,
        received: n(f.received),
        closed: n(f.closed),
        in_time: n(f.closed_in_time),
        median: f.median().map_or("–".into(), |m| {
            let text = if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.1}") };
            digits.apply(&text)
        }),
    }
}

#[derive(Template)]
#[template(path = "complaints/stats.html")]
struct StatsPage {
    frame: Frame,
    year: String,
    months: Vec<StatsRow>,
    categories: Vec<StatsRow>,
    total: StatsRow,
    other_years: Vec<(i32, String)>,
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

async fn stats_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Complaints).await?;
    let digits = frame.org.digits;
    let this_year = crate::thai::FiscalYear::of(crate::thai::today_in_thailand());
    let fy = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => this_year,
        Some(typed) => crate::thai::parse_year_be(typed)
            .ok()
            .and_then(|y| crate::thai::FiscalYear::new(y).ok())
            .filter(|y| y.be() <= this_year.be())
            .ok_or(AppError::NotFound)?,
    };
    let figures = super::stats::for_year(&state.db, frame.org.id, fy).await?;
    let months = figures
        .months
        .iter()
        .map(|(m, f)| stats_row(crate::thai::YearMonth::of(*m).format(digits), f, digits))
        .collect();
    let categories = figures.categories.iter().map(|(c, f)| stats_row(c.label_th().to_string(), f, digits)).collect();
    let total = stats_row("รวมทั้งปี".into(), &figures.total, digits);
    let other_years = (1..=2)
        .map(|back| this_year.be() - back + 1)
        .filter(|y| *y != fy.be())
        .map(|y| (y, crate::thai::format_year_be(y, digits)))
        .collect();
    let frame = frame
        .crumb(format!("/o/{slug}/complaints"), "ร้องเรียน/ร้องทุกข์")
        .crumb(format!("/o/{slug}/complaints/stats"), "สถิติเรื่องร้องเรียน");
    let scope = Scope::Org(frame.org.id.0);
    let year = crate::thai::format_year_be(fy.be(), digits);
    Ok(cacheable_today(page(StatsPage { frame, year, months, categories, total, other_years })?, scope))
}
