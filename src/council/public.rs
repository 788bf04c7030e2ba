//! The council's public pages: the schedule (upcoming and past meetings, minutes, the council's
//! documents), a meeting with its registration form, the registration's own page (status, the QR
//! shown at the door, cancellation), and the iCalendar feed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::registrations::{self, Refusal, Status};
use super::store::{self, Meeting};
use crate::app::AppState;
use crate::documents::Category;
use crate::http::client::ClientIp;
use crate::http::csrf::same_origin;
use crate::http::{AppError, FieldErrors, form_page, page, see_other};
use crate::portal::cache::{Scope, cacheable, cacheable_today};
use crate::portal::frame::{Frame, Section};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/council", get(schedule))
        .route("/o/{slug}/council/meetings.ics", get(ics_feed))
        .route("/o/{slug}/council/{id}", get(meeting_page))
        .route("/o/{slug}/council/{id}/register", post(register))
        .route("/o/{slug}/council/r/{code}", get(registration_page))
        .route("/o/{slug}/council/r/{code}/cancel", post(cancel))
}

/// Meetings listed of each kind on the schedule.
const LISTED: i64 = 50;
/// A meeting stays "upcoming" this long after it starts (it is on today).
const STILL_ON: i64 = 6 * 3600;

/// A meeting in a list, every string final.
pub struct Listed {
    pub href: String,
    pub title: String,
    /// "๑๕ ม.ค. ๒๕๖๙ ๐๙:๓๐ น. · ห้องประชุมสภา"
    pub when_where: String,
    pub note: String,
    pub minutes: Option<String>,
}

fn listed(slug: &str, m: &Meeting, digits: crate::thai::Digits) -> Listed {
    let d = &m.details;
    Listed {
        href: format!("/o/{slug}/council/{}", m.id),
        title: d.title.clone(),
        when_where: format!("{} · {}", crate::thai::format_instant_th(d.starts_at, digits), d.place),
        note: if d.cancelled { "ยกเลิก".into() } else { String::new() },
        minutes: d.minutes_document_id.map(|id| format!("/o/{slug}/documents/{id}")),
    }
}

#[derive(Template)]
#[template(path = "council/schedule.html")]
struct SchedulePage {
    frame: Frame,
    upcoming: Vec<Listed>,
    past: Vec<Listed>,
    /// The council's documents (its rule on public attendance, minutes): (href, title).
    documents: Vec<(String, String)>,
}

async fn schedule(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Council).await?;
    let (org, digits) = (frame.org.id, frame.org.digits);
    let from = crate::db::now() - STILL_ON;
    let upcoming = store::list(&state.db, org, from, true, LISTED).await?;
    let past = store::list(&state.db, org, from, false, LISTED).await?;
    let documents = crate::documents::store::of_category(&state.db, org, Category::Council, LISTED)
        .await?
        .into_iter()
        .map(|d| (format!("/o/{slug}/documents/{}", d.id), d.details.title))
        .collect();
    let newest = upcoming.iter().chain(past.iter()).map(|m| m.updated_at).max();
    let frame = frame.crumb(format!("/o/{slug}/council"), "สภา");
    let frame = frame.updated_at_any(newest);
    let upcoming = upcoming.iter().map(|m| listed(&slug, m, digits)).collect();
    let past = past.iter().map(|m| listed(&slug, m, digits)).collect();
    let scope = Scope::Org(org.0);
    // A meeting moves from upcoming to past with the clock: kept at most until the day ends.
    Ok(cacheable_today(page(SchedulePage { frame, upcoming, past, documents })?, scope))
}

#[derive(Template)]
#[template(path = "council/meeting.html")]
struct MeetingPage {
    frame: Frame,
    id: i64,
    title: String,
    when: String,
    place: String,
    agenda: Vec<String>,
    cancelled: bool,
    minutes: Option<String>,
    /// "ที่นั่งสำหรับประชาชน ๒๐ ที่ ว่าง ๑๒ ที่" when seats are offered.
    seats: Option<String>,
    /// Why registration is closed, or None when the form is shown.
    closed: Option<&'static str>,
    form: RegisterForm,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    consent: Option<String>,
}

async fn meeting_view(
    state: &AppState,
    frame: Frame,
    meeting: Meeting,
    form: RegisterForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let slug = frame.org.slug.clone();
    let digits = frame.org.digits;
    let d = meeting.details;
    let counts = store::counts(&state.db, frame.org.id, meeting.id).await?;
    let seats = (d.seats > 0).then(|| {
        let free = (d.seats - counts.confirmed).max(0);
        let n = |v: i64| crate::thai::format_int(v, digits);
        if free > 0 {
            format!("ที่นั่งสำหรับประชาชน {} ที่ ว่าง {} ที่", n(d.seats), n(free))
        } else {
            format!(
                "ที่นั่งสำหรับประชาชน {} ที่ เต็มแล้ว ลงทะเบียนเป็นรายชื่อสำรองได้ (สำรองแล้ว {} คน)",
                n(d.seats),
                n(counts.waitlisted)
            )
        }
    });
    let closed = registrations::closed_because(&d, crate::db::now());
    let frame = frame
        .crumb(format!("/o/{slug}/council"), "สภา")
        .crumb(format!("/o/{slug}/council/{}", meeting.id), d.title.clone())
        .updated_at(meeting.updated_at);
    let refused = !errors.is_empty();
    let body = MeetingPage {
        id: meeting.id,
        when: crate::thai::format_instant_th(d.starts_at, digits),
        place: d.place,
        agenda: d.agenda.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
        cancelled: d.cancelled,
        minutes: d.minutes_document_id.map(|id| format!("/o/{slug}/documents/{id}")),
        title: d.title,
        seats,
        closed,
        form,
        errors,
        frame,
    };
    form_page(body, refused)
}

async fn meeting_page(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Council).await?;
    let meeting = store::find(&state.db, frame.org.id, id).await?.ok_or(AppError::NotFound)?;
    let scope = Scope::Org(frame.org.id.0);
    let response = meeting_view(&state, frame, meeting, RegisterForm::default(), FieldErrors::new()).await?;
    // Its seats change with every registration (a change of the organization) and the form
    // closes when the meeting starts: kept until either.
    Ok(cacheable_today(response, scope))
}

/// The longest name kept: a person's name, not a paragraph.
const NAME_MAX_CHARS: usize = 120;

async fn register(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<RegisterForm>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let frame = Frame::load(&state.db, &slug, Section::Council).await?;
    let meeting = store::find(&state.db, frame.org.id, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "กรุณากรอกชื่อและนามสกุล");
    } else if name.chars().count() > NAME_MAX_CHARS {
        errors.add("name", format!("ชื่อยาวเกิน {NAME_MAX_CHARS} ตัวอักษร"));
    }
    let phone = match super::normalize_phone(&form.phone) {
        Ok(p) => Some(p),
        Err(_) if form.phone.trim().is_empty() => {
            errors.add("phone", "กรุณากรอกหมายเลขโทรศัพท์");
            None
        }
        Err(message) => {
            errors.add("phone", message);
            None
        }
    };
    if form.consent.is_none() {
        errors.add("consent", "กรุณายืนยันว่ายินยอมให้เก็บชื่อและหมายเลขโทรศัพท์เพื่อการประชุมครั้งนี้");
    }
    let (Some(phone), true) = (phone, errors.is_empty()) else {
        return meeting_view(&state, frame, meeting, form, errors).await;
    };
    let client_key = crate::queue::kiosk::client_key(&state.db, ip).await?;
    let name = name.to_string();
    match registrations::register(&state.db, frame.org.id, id, &name, &phone, &client_key).await? {
        None => Err(AppError::NotFound),
        Some(Ok(r)) => Ok(see_other(&format!("/o/{slug}/council/r/{}", super::display_code(&r.code)))),
        Some(Err(refusal)) => {
            let field = if matches!(refusal, Refusal::AlreadyRegistered) { "phone" } else { "name" };
            let errors = FieldErrors::one(field, refusal.to_string());
            let meeting = store::find(&state.db, frame.org.id, id).await?.ok_or(AppError::NotFound)?;
            meeting_view(&state, frame, meeting, form, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "council/registration.html")]
struct RegistrationPage {
    frame: Frame,
    code: String,
    name: String,
    phone: String,
    status: Status,
    checked_in: Option<String>,
    meeting_title: String,
    meeting_href: String,
    when_where: String,
    /// The QR the door's staff scan: their check-in page for this code.
    qr: String,
    cancelled_now: bool,
}

/// The registration's page: private to whoever holds the code (not kept, not indexed).
async fn registration_page(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<CancelledQuery>,
) -> Result<Response, AppError> {
    let code = super::normalize_code(&code).ok_or(AppError::NotFound)?;
    let frame = Frame::load(&state.db, &slug, Section::Council).await?;
    let r = registrations::by_code(&state.db, frame.org.id, &code).await?.ok_or(AppError::NotFound)?;
    let meeting = store::find(&state.db, frame.org.id, r.meeting_id).await?.ok_or(AppError::NotFound)?;
    let digits = frame.org.digits;
    let shown = super::display_code(&code);
    let base = state.settings.public_url.trim_end_matches('/');
    let qr = crate::queue::ticket_doc::qr_data_uri(&format!("{base}/app/council/checkin/{shown}"));
    let frame = frame
        .crumb(format!("/o/{slug}/council"), "สภา")
        .crumb(format!("/o/{slug}/council/{}", meeting.id), meeting.details.title.clone())
        .crumb(format!("/o/{slug}/council/r/{shown}"), "การลงทะเบียน");
    let body = RegistrationPage {
        code: shown,
        name: r.name,
        phone: super::masked_phone(&r.phone),
        status: r.status,
        checked_in: r.checked_in_at.map(|t| crate::thai::format_instant_th(t, digits)),
        meeting_href: format!("/o/{slug}/council/{}", meeting.id),
        when_where: format!(
            "{} · {}",
            crate::thai::format_instant_th(meeting.details.starts_at, digits),
            meeting.details.place
        ),
        meeting_title: meeting.details.title,
        qr,
        cancelled_now: q.cancelled.is_some(),
        frame,
    };
    let mut response = page(body)?;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(response)
}

#[derive(Deserialize)]
struct CancelledQuery {
    cancelled: Option<String>,
}

async fn cancel(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let code = super::normalize_code(&code).ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    registrations::by_code(&state.db, org.id, &code).await?.ok_or(AppError::NotFound)?;
    if !registrations::cancel(&state.db, org.id, &code).await? {
        return Err(AppError::Conflict("การลงทะเบียนนี้ยกเลิกไปแล้ว หรือได้ลงชื่อเข้าร่วมประชุมแล้ว".into()));
    }
    Ok(see_other(&format!("/o/{slug}/council/r/{}?cancelled=1", super::display_code(&code))))
}

/// Every meeting of the last year and the coming ones, as iCalendar.
async fn ics_feed(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let from = crate::db::now() - 366 * 86_400;
    let meetings = store::list(&state.db, org.id, from, true, 500).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let host = base.split("://").nth(1).unwrap_or(base).split('/').next().unwrap_or("prongsai");
    let body = super::ics::calendar(&org.name, host, base, &org.slug, &meetings);
    let response = ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    Ok(cacheable(response, Scope::Org(org.id.0)))
}
