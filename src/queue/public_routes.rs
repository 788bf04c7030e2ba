//! The queue's public pages: the kiosk (an authorised screen), the entrance QR's join page, a
//! ticket's live status, its print page and PDF, and the published rule. No login; tickets are
//! taken only as `kiosk.rs` allows.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::kiosk;
use super::rules::{PriorityGroup, Status};
use super::store::{self, Point, PointService};
use super::ticket_doc::{self, TicketDoc};
use super::tickets::{self, Channel, NewTicket, Ticket};
use super::{PointId, now_ms};
use crate::app::AppState;
use crate::docs::typeset::DocSize;
use crate::http::client::ClientIp;
use crate::http::csrf::same_origin;
use crate::http::extract::cookie;
use crate::http::{AppError, download, page, see_other};
use crate::orgs::Org;
use crate::portal::cache::{Scope, cacheable, cacheable_today};
use crate::portal::frame::{Frame, Section};
use crate::services::ServiceId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/queue/kiosk", get(kiosk_page).post(kiosk_issue))
        .route("/o/{slug}/queue/join/{point}", get(join_page).post(join_issue))
        .route("/o/{slug}/queue/t/{code}", get(status_page))
        .route("/o/{slug}/queue/t/{code}/cancel", axum::routing::post(cancel))
        .route("/o/{slug}/queue/t/{code}/print", get(print_page))
        .route("/o/{slug}/queue/t/{code}/ticket.pdf", get(ticket_pdf))
        .route("/o/{slug}/queue/rules", get(rules_page))
        .route("/static/queue.css", get(|| async { static_file("text/css; charset=utf-8", QUEUE_CSS) }))
        .route("/static/queue-print.js", get(|| async { static_file("text/javascript; charset=utf-8", PRINT_JS) }))
}

const QUEUE_CSS: &str = include_str!("../../assets/static/queue.css");
/// The print button and the kiosk's automatic print (progressive: the page prints from the
/// browser's menu without it).
const PRINT_JS: &str = include_str!("../../assets/static/queue-print.js");

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

async fn org_of(state: &AppState, slug: &str) -> Result<Org, AppError> {
    crate::orgs::store::find_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "queue/kiosk.html")]
struct KioskPage {
    org: Org,
    /// None: this screen is not an authorised kiosk.
    point: Option<Point>,
    services: Vec<PointService>,
    groups: Vec<(&'static str, &'static str)>,
    /// The form's action and the join key (QR) when it is the join page.
    action: String,
    key: String,
    qr: bool,
    error: Option<String>,
}

fn groups() -> Vec<(&'static str, &'static str)> {
    PriorityGroup::ALL.iter().map(|g| (g.code(), g.label_th())).collect()
}

/// The point whose kiosk this browser is, from its cookie.
async fn kiosk_point(state: &AppState, org: &Org, headers: &HeaderMap) -> Result<Option<Point>, AppError> {
    let Some(token) = cookie(headers, kiosk::COOKIE) else { return Ok(None) };
    let Some(k) = kiosk::by_token(&state.db, org.id, &token).await? else { return Ok(None) };
    Ok(store::point(&state.db, org.id, k.point_id).await?)
}

async fn kiosk_view(
    state: &AppState,
    org: Org,
    point: Option<Point>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let services = match &point {
        Some(p) => store::point_services(&state.db, org.id, p.id).await?,
        None => Vec::new(),
    };
    let action = format!("/o/{}/queue/kiosk", org.slug);
    let refused = error.is_some();
    let mut response =
        page(KioskPage { org, point, services, groups: groups(), action, key: String::new(), qr: false, error })?;
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn kiosk_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let point = kiosk_point(&state, &org, &headers).await?;
    kiosk_view(&state, org, point, None).await
}

#[derive(Deserialize, Default)]
struct IssueForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    k: String,
}

fn parse_issue(form: &IssueForm) -> Result<(ServiceId, Option<PriorityGroup>), AppError> {
    let service = form
        .service_id
        .trim()
        .parse::<i64>()
        .map(ServiceId)
        .map_err(|_| AppError::Invalid("กรุณาเลือกงานบริการ".into()))?;
    let priority = super::counter_routes::parse_priority(&form.priority)?;
    Ok((service, priority))
}

async fn kiosk_issue(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<IssueForm>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let org = org_of(&state, &slug).await?;
    let Some(point) = kiosk_point(&state, &org, &headers).await? else { return Err(AppError::Forbidden) };
    let (service, priority) = parse_issue(&form)?;
    let new = NewTicket { point: point.id, service, priority, channel: Channel::Kiosk, client_key: "" };
    match tickets::issue(&state.db, &org, &new, "kiosk", now_ms()).await? {
        Ok(t) => Ok(see_other(&format!("/o/{}/queue/t/{}/print?kiosk=1", org.slug, t.code))),
        Err(refusal) => kiosk_view(&state, org, Some(point), Some(refusal.to_string())).await,
    }
}

#[derive(Deserialize, Default)]
struct KeyQuery {
    #[serde(default)]
    k: String,
}

/// The point of a join link, if its key is the poster's current one.
async fn join_point(state: &AppState, org: &Org, point: i64, key: &str) -> Result<Point, AppError> {
    let point = store::point(&state.db, org.id, PointId(point)).await?.ok_or(AppError::NotFound)?;
    if point.entrance_key.is_empty() || !crate::auth::sessions::tokens_match(key, &point.entrance_key) {
        return Err(AppError::NotYet("ลิงก์รับบัตรคิวนี้ใช้ไม่ได้แล้ว กรุณาสแกน QR ที่ทางเข้าสำนักงานอีกครั้ง หรือรับบัตรที่ตู้ออกบัตรคิว".into()));
    }
    Ok(point)
}

async fn join_view(state: &AppState, org: Org, point: Point, error: Option<String>) -> Result<Response, AppError> {
    let services = store::point_services(&state.db, org.id, point.id).await?;
    let action = format!("/o/{}/queue/join/{}", org.slug, point.id);
    let key = point.entrance_key.clone();
    let refused = error.is_some();
    let mut response =
        page(KioskPage { org, point: Some(point), services, groups: groups(), action, key, qr: true, error })?;
    if refused {
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    }
    Ok(response)
}

async fn join_page(
    State(state): State<AppState>,
    Path((slug, point)): Path<(String, i64)>,
    Query(q): Query<KeyQuery>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let point = join_point(&state, &org, point, &q.k).await?;
    join_view(&state, org, point, None).await
}

async fn join_issue(
    State(state): State<AppState>,
    Path((slug, point)): Path<(String, i64)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<IssueForm>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let org = org_of(&state, &slug).await?;
    let point = join_point(&state, &org, point, &form.k).await?;
    let (service, priority) = parse_issue(&form)?;
    let client_key = kiosk::client_key(&state.db, ip).await?;
    let new = NewTicket { point: point.id, service, priority, channel: Channel::Qr, client_key: &client_key };
    match tickets::issue(&state.db, &org, &new, "qr", now_ms()).await? {
        Ok(t) => Ok(see_other(&format!("/o/{}/queue/t/{}", org.slug, t.code))),
        Err(refusal) => join_view(&state, org, point, Some(refusal.to_string())).await,
    }
}

/// A ticket's page as the citizen reads it, every string final.
struct TicketView {
    label: String,
    service: String,
    status: &'static str,
    /// "รอก่อนหน้า ๓ คิว", "เชิญที่ ช่องบริการ ๑", …
    headline: String,
    called: bool,
    priority: String,
    issued: String,
}

async fn ticket_view(state: &AppState, org: &Org, t: &Ticket) -> Result<(TicketView, i64), AppError> {
    let ahead = tickets::people_ahead(&state.db, org.id, t).await?;
    let n = |v: i64| crate::thai::format_int(v, org.digits);
    let counter = t.counter_name.clone().unwrap_or_default();
    let headline = match t.status {
        Status::Waiting if ahead == 0 => "ท่านเป็นคิวถัดไป กรุณารอฟังการเรียก".to_string(),
        Status::Waiting => format!("รอก่อนหน้า {} คิว", n(ahead)),
        Status::Called => format!("ถึงคิวของท่านแล้ว เชิญที่{counter}"),
        Status::Serving => format!("กำลังให้บริการที่{counter}"),
        Status::Done => "ให้บริการเสร็จแล้ว ขอบคุณที่ใช้บริการ".to_string(),
        Status::Skipped => "เรียกแล้วไม่พบท่าน กรุณาติดต่อเจ้าหน้าที่ที่ช่องบริการ".to_string(),
        Status::Cancelled => "บัตรคิวนี้ถูกยกเลิก".to_string(),
    };
    let view = TicketView {
        label: t.label.clone(),
        service: t.service_name.clone(),
        status: t.status.label_th(),
        headline,
        called: matches!(t.status, Status::Called | Status::Serving),
        priority: t.priority_group.map_or(String::new(), |g| g.label_th().to_string()),
        issued: crate::thai::format_instant_th(t.issued_at.div_euclid(1000), org.digits),
    };
    Ok((view, ahead))
}

async fn ticket_of(state: &AppState, slug: &str, code: &str) -> Result<(Org, Ticket, Point), AppError> {
    let org = org_of(state, slug).await?;
    let t = tickets::find_by_code(&state.db, org.id, code).await?.ok_or(AppError::NotFound)?;
    let point = store::point(&state.db, org.id, t.point_id).await?.ok_or(AppError::NotFound)?;
    Ok((org, t, point))
}

#[derive(Template)]
#[template(path = "queue/status.html")]
struct StatusPage {
    frame: Frame,
    point: Point,
    ticket: TicketView,
    code: String,
    /// Today's ticket: the page refreshes itself until it is done.
    live: bool,
    /// The holder may still give up the place (today's ticket, waiting or skipped).
    cancellable: bool,
    /// Why a cancel was refused.
    error: Option<String>,
    /// Served: the page offers the satisfaction survey for this visit (`survey::visits`).
    survey: bool,
}

/// A served ticket's page offers the satisfaction survey when the organization has one.
async fn offers_survey(state: &AppState, org: &Org, t: &Ticket) -> Result<bool, AppError> {
    Ok(t.status == Status::Done && crate::survey::store::main_survey(&state.db, org.id).await?.is_some())
}

/// The frame of the queue's public pages: งานบริการ › กฎการเรียกคิว (the queue's public page), then
/// the page itself when it is not the rule.
pub(super) async fn queue_frame(state: &AppState, org: Org, page: Option<(String, String)>) -> Result<Frame, AppError> {
    let slug = org.slug.clone();
    let frame = Frame::of(&state.db, org, Section::Services)
        .await?
        .crumb(format!("/o/{slug}/services"), "งานบริการ")
        .crumb(format!("/o/{slug}/queue/rules"), "กฎการเรียกคิว");
    Ok(match page {
        Some((href, label)) => frame.crumb(href, label),
        None => frame,
    })
}

/// The frame of a ticket's page (งานบริการ › กฎการเรียกคิว › บัตรคิว A001).
async fn ticket_frame(state: &AppState, org: Org, t: &Ticket) -> Result<Frame, AppError> {
    let here = format!("/o/{}/queue/t/{}", org.slug, t.code);
    queue_frame(state, org, Some((here, format!("บัตรคิว {}", t.label)))).await
}

fn cancellable(t: &Ticket) -> bool {
    t.status != Status::Cancelled && tickets::holder_cancel_refusal(t, now_ms()).is_none()
}

/// The ticket's live status: people ahead, called or not (refreshes itself every 15 s).
async fn status_page(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (org, t, point) = ticket_of(&state, &slug, &code).await?;
    let (ticket, _) = ticket_view(&state, &org, &t).await?;
    let live =
        t.day == super::thai_day(now_ms()) && matches!(t.status, Status::Waiting | Status::Called | Status::Serving);
    let scope = Scope::Org(org.id.0);
    let cancellable = cancellable(&t);
    let survey = offers_survey(&state, &org, &t).await?;
    let frame = ticket_frame(&state, org, &t).await?;
    let mut response = page(StatusPage { survey, frame, point, ticket, code, live, cancellable, error: None })?;
    if live {
        // The browser reloads it (no script needed); the cache renders it again after each change.
        response.headers_mut().insert("refresh", axum::http::HeaderValue::from_static("15"));
    }
    // Depends only on the organization's queue rows: a new render after each change.
    Ok(cacheable_today(response, scope))
}

#[derive(Deserialize, Default)]
struct CancelForm {
    #[serde(default)]
    sure: String,
}

/// The holder gives up the ticket's place; the page then says it is cancelled.
async fn cancel(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CancelForm>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let (org, t, point) = ticket_of(&state, &slug, &code).await?;
    let refused = if form.sure != "1" {
        Some("กรุณาเลือก \"ยืนยันว่าไม่รอรับบริการแล้ว\" ก่อนกดยกเลิก".to_string())
    } else {
        tickets::cancel_by_holder(&state.db, &org, t.id, now_ms()).await?.err().map(|r| r.to_string())
    };
    let Some(error) = refused else { return Ok(see_other(&format!("/o/{}/queue/t/{code}", org.slug))) };
    let (ticket, _) = ticket_view(&state, &org, &t).await?;
    let cancellable = cancellable(&t);
    let survey = offers_survey(&state, &org, &t).await?;
    let frame = ticket_frame(&state, org, &t).await?;
    let mut response =
        page(StatusPage { survey, frame, point, ticket, code, live: false, cancellable, error: Some(error) })?;
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}

#[derive(Template)]
#[template(path = "queue/print.html")]
struct PrintPage {
    org: Org,
    point: Point,
    ticket: TicketView,
    ahead: String,
    qr: String,
    code: String,
    kiosk: bool,
}

#[derive(Deserialize, Default)]
struct PrintQuery {
    #[serde(default)]
    kiosk: String,
}

fn status_url(state: &AppState, slug: &str, code: &str) -> String {
    format!("{}/o/{slug}/queue/t/{code}", state.settings.public_url)
}

fn ahead_line(ahead: i64, org: &Org) -> String {
    format!("รอก่อนหน้า {} คิว", crate::thai::format_int(ahead, org.digits))
}

/// The ticket on 80 mm paper, printed by the browser (the kiosk prints it at once).
async fn print_page(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    Query(q): Query<PrintQuery>,
) -> Result<Response, AppError> {
    let (org, t, point) = ticket_of(&state, &slug, &code).await?;
    let (ticket, ahead) = ticket_view(&state, &org, &t).await?;
    let qr = ticket_doc::qr_data_uri(&status_url(&state, &org.slug, &code));
    let ahead = ahead_line(ahead, &org);
    page(PrintPage { org, point, ticket, ahead, qr, code, kiosk: q.kiosk == "1" })
}

/// The ticket as a PDF of 80 mm width.
async fn ticket_pdf(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (org, t, point) = ticket_of(&state, &slug, &code).await?;
    let (view, ahead) = ticket_view(&state, &org, &t).await?;
    let doc = TicketDoc {
        org: org.name.clone(),
        point: point.name.clone(),
        label: t.label.clone(),
        service: t.service_name.clone(),
        issued: view.issued,
        ahead: ahead_line(ahead, &org),
        priority: view.priority,
        url: status_url(&state, &org.slug, &code),
    };
    let size = DocSize::of(1, "บัตรคิว", &doc);
    let bytes = state.pdf.pdf("queue_ticket", size, move |engine| ticket_doc::pdf(engine, &doc)).await?;
    Ok(cacheable(download(bytes, "application/pdf", &format!("queue-{}.pdf", t.label), true), Scope::Org(org.id.0)))
}

#[derive(Template)]
#[template(path = "queue/rules.html")]
struct RulesPage {
    frame: Frame,
    points: Vec<(Point, String, Vec<PointService>)>,
    groups: Vec<(&'static str, &'static str)>,
}

/// The published rule of every point: what the public may hold the office to.
async fn rules_page(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let mut points = Vec::new();
    for p in store::points(&state.db, org.id).await? {
        let rule = super::rules::rule_sentence(p.priority_every, p.recall_limit, org.digits);
        let services = store::point_services(&state.db, org.id, p.id).await?;
        points.push((p, rule, services));
    }
    let scope = Scope::Org(org.id.0);
    let frame = queue_frame(&state, org, None).await?;
    Ok(cacheable(page(RulesPage { frame, points, groups: groups() })?, scope))
}
