//! The citizen's form, with no login: from the open poster at a service point
//! (`/o/SLUG/survey/ID?point=P&service=S`), from a served queue ticket
//! (`/o/SLUG/survey/ticket/CODE`) or from a staff-printed token (`/o/SLUG/survey/v/TOKEN`).
//! One page, whole from the server (no JavaScript), with the PDPA notice; a refused form comes
//! back as typed with each missing item named.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::answers::{self, Fault};
use super::ingest::{Channel, NewAnswer, Outcome};
use super::scale::Level;
use super::store::{self, SurveyId, Version};
use super::visits::{self, Visit};
use crate::app::AppState;
use crate::http::client::ClientIp;
use crate::http::csrf::same_origin;
use crate::http::extract::cookie;
use crate::http::{AppError, page, see_other};
use crate::orgs::Org;
use crate::portal::frame::{Frame, Section};
use crate::queue::PointId;
use crate::services::ServiceId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/survey/thanks", get(thanks))
        .route("/o/{slug}/survey/{id}", get(poster_form).post(poster_answer))
        .route("/o/{slug}/survey/v/{token}", get(token_form).post(token_answer))
        .route("/o/{slug}/survey/ticket/{code}", get(ticket_form).post(ticket_answer))
}

/// The cookie that tells one phone from another for the poster's limits (a random value; the
/// database keeps only its keyed hash).
pub const DEVICE_COOKIE: &str = "prongsai_survey_device";

async fn org_of(state: &AppState, slug: &str) -> Result<Org, AppError> {
    crate::orgs::store::find_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

struct ItemView {
    key: String,
    number: String,
    text: String,
    chosen: String,
    error: String,
}

struct AspectView {
    title: String,
    items: Vec<ItemView>,
}

struct FactView {
    key: String,
    question: String,
    /// (index, label, chosen)
    options: Vec<(usize, String, bool)>,
}

#[derive(Template)]
#[template(path = "survey/form.html")]
struct FormPage {
    frame: Frame,
    title: String,
    intro: String,
    /// "จุดบริการ … · งาน …", or "".
    place: String,
    action: String,
    version: i64,
    /// Hidden fields the poster's form carries back (point, service).
    hidden: Vec<(&'static str, String)>,
    aspects: Vec<AspectView>,
    levels: Vec<(&'static str, &'static str)>,
    facts: Vec<FactView>,
    comment_prompt: String,
    comment: String,
    max_comment: usize,
    errors: Vec<Fault>,
}

#[derive(Template)]
#[template(path = "survey/notice.html")]
struct NoticePage {
    frame: Frame,
    title: String,
    message: String,
}

/// The frame of the survey's pages: งานบริการ › แบบประเมินความพึงพอใจ (`here`, the page's path).
async fn survey_frame(state: &AppState, org: Org, here: String) -> Result<Frame, AppError> {
    let services = format!("/o/{}/services", org.slug);
    Ok(Frame::of(&state.db, org, Section::Services)
        .await?
        .crumb(services, "งานบริการ")
        .crumb(here, "แบบประเมินความพึงพอใจ"))
}

/// A page that says why there is no form, or thanks, in place of the form at `here`.
async fn notice(
    state: &AppState,
    org: Org,
    here: String,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Result<Response, AppError> {
    let frame = survey_frame(state, org, here).await?;
    let mut response = page(NoticePage { frame, title: title.into(), message: message.into() })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Where the form is answered, and what the answer will carry.
struct Target {
    survey: SurveyId,
    version: Arc<Version>,
    place: String,
    action: String,
    hidden: Vec<(&'static str, String)>,
    visit: Option<Visit>,
    point: Option<i64>,
    service: Option<i64>,
}

impl Target {
    /// The form's own address: where it is sent, with the poster's place.
    fn here(&self) -> String {
        let query: Vec<String> = self.hidden.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if query.is_empty() { self.action.clone() } else { format!("{}?{}", self.action, query.join("&")) }
    }
}

async fn form_view(
    state: &AppState,
    org: Org,
    target: &Target,
    fields: &[(String, String)],
    errors: Vec<Fault>,
) -> Result<FormPage, AppError> {
    let q = &target.version.questionnaire;
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let error_of = |name: &str| errors.iter().find(|f| f.field == name).map(|f| f.message.clone()).unwrap_or_default();
    let mut number = 0;
    let aspects = q
        .aspects
        .iter()
        .map(|a| AspectView {
            title: a.title.clone(),
            items: a
                .items
                .iter()
                .map(|i| {
                    number += 1;
                    let name = format!("i_{}", i.key);
                    ItemView {
                        key: i.key.clone(),
                        number: crate::thai::format_int(number, org.digits),
                        text: i.text.clone(),
                        chosen: value(&name),
                        error: org.digits.apply(&error_of(&name)),
                    }
                })
                .collect(),
        })
        .collect();
    let facts = q
        .facts
        .iter()
        .map(|f| {
            let chosen = value(&format!("f_{}", f.key));
            FactView {
                key: f.key.clone(),
                question: f.question.clone(),
                options: f.options.iter().enumerate().map(|(i, o)| (i, o.clone(), chosen == i.to_string())).collect(),
            }
        })
        .collect();
    let errors = errors.into_iter().map(|f| Fault { message: org.digits.apply(&f.message), ..f }).collect();
    let frame = survey_frame(state, org, target.here()).await?;
    Ok(FormPage {
        title: q.title.clone(),
        intro: q.intro.clone(),
        place: target.place.clone(),
        action: target.action.clone(),
        version: target.version.number,
        hidden: target.hidden.clone(),
        aspects,
        levels: Level::ALL.iter().rev().map(|l| (l.digit(), l.label_th())).collect(),
        facts,
        comment_prompt: q.comment_prompt.clone(),
        comment: value("comment"),
        max_comment: answers::MAX_COMMENT,
        errors,
        frame,
    })
}

/// The words naming a place, from its ids (each checked to be the organization's).
async fn place_words(
    state: &AppState,
    org: &Org,
    point: Option<i64>,
    service: Option<i64>,
) -> Result<String, AppError> {
    let mut parts = Vec::new();
    if let Some(p) = point {
        let p = crate::queue::store::point(&state.db, org.id, PointId(p)).await?.ok_or(AppError::NotFound)?;
        parts.push(format!("จุดบริการ: {}", p.name));
    }
    if let Some(s) = service {
        let s = crate::services::store::find(&state.db, org.id, ServiceId(s)).await?.ok_or(AppError::NotFound)?;
        parts.push(format!("งานบริการ: {}", s.name));
    }
    Ok(parts.join(" · "))
}

fn not_open() -> AppError {
    AppError::NotYet("แบบประเมินนี้ยังไม่เปิดให้ตอบ".into())
}

#[derive(Deserialize, Default)]
struct PlaceQuery {
    #[serde(default)]
    point: String,
    #[serde(default)]
    service: String,
}

/// An optional id typed in a query or form: none when blank, an error when not a number.
pub(super) fn optional_id(s: &str) -> Result<Option<i64>, std::num::ParseIntError> {
    let s = s.trim();
    if s.is_empty() { Ok(None) } else { s.parse::<i64>().map(Some) }
}

async fn poster_target(state: &AppState, org: &Org, id: i64, point: &str, service: &str) -> Result<Target, AppError> {
    let (survey, version) = store::with_latest(&state.db, org.id, SurveyId(id)).await?.ok_or(AppError::NotFound)?;
    let version = version.ok_or_else(not_open)?;
    let id = |s: &str| optional_id(s).map_err(|_| AppError::NotFound);
    let (point, service) = (id(point)?, id(service)?);
    let place = place_words(state, org, point, service).await?;
    let mut hidden = Vec::new();
    if let Some(p) = point {
        hidden.push(("point", p.to_string()));
    }
    if let Some(s) = service {
        hidden.push(("service", s.to_string()));
    }
    Ok(Target {
        action: format!("/o/{}/survey/{}", org.slug, survey.id),
        survey: survey.id,
        version: Arc::new(version),
        place,
        hidden,
        visit: None,
        point,
        service,
    })
}

/// A new device cookie when the browser has none (a year; HttpOnly, SameSite=Lax).
fn with_device_cookie(mut response: Response, headers: &HeaderMap) -> Response {
    if cookie(headers, DEVICE_COOKIE).is_none() {
        let value = format!(
            "{DEVICE_COOKIE}={}; Path=/o/; Max-Age=31536000; HttpOnly; SameSite=Lax",
            crate::auth::sessions::random_hex::<16>()
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn poster_form(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PlaceQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let target = poster_target(&state, &org, id, &q.point, &q.service).await?;
    let response = page(form_view(&state, org, &target, &[], Vec::new()).await?)?;
    Ok(no_store(with_device_cookie(response, &headers)))
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

async fn poster_answer(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let org = org_of(&state, &slug).await?;
    let target = poster_target(&state, &org, id, field(&fields, "point"), field(&fields, "service")).await?;
    let device = match cookie(&headers, DEVICE_COOKIE) {
        Some(c) => state.surveys.keyed(&format!("device:{c}")).await?,
        None => String::new(),
    };
    let client_key = state.surveys.keyed(&format!("addr:{}", super::ingest::address_key(ip))).await?;
    if let Some(retry_after) =
        super::ingest::poster_limit_reached(&state.db, org.id, &device, &client_key, crate::db::now()).await?
    {
        return too_many(&state, org, format!("/o/{slug}/survey/{id}"), retry_after).await;
    }
    store_answer(&state, org, target, &fields, device, client_key).await
}

/// Checks the form against the version it answered and stores it; the answer's page.
async fn store_answer(
    state: &AppState,
    org: Org,
    mut target: Target,
    fields: &[(String, String)],
    device: String,
    client_key: String,
) -> Result<Response, AppError> {
    let posted = answers::version_of(fields);
    if posted != Some(target.version.number) {
        // The form answered an earlier version (published while it was open): the answer keeps it.
        let Some(number) = posted else { return Err(form_incomplete()) };
        target.version =
            state.surveys.versions.get(&state.db, org.id, target.survey, number).await?.ok_or_else(no_such_version)?;
    }
    let filled = match answers::check(&target.version.questionnaire, fields) {
        Ok(f) => f,
        Err(faults) => {
            if target.place.is_empty() {
                target.place = place_words(state, &org, target.point, target.service).await.unwrap_or_default();
            }
            let mut response = page(form_view(state, org, &target, fields, faults).await?)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(no_store(response));
        }
    };
    let at = crate::db::now();
    let answer = match &target.visit {
        Some(visit) => NewAnswer::of_visit(org.id, visit, target.version.number, filled, at),
        None => NewAnswer {
            org: org.id,
            survey: target.survey,
            version: target.version.number,
            channel: Channel::Poster,
            visit: None,
            point: target.point,
            service: target.service,
            counter: None,
            facts: filled.facts_json(),
            scores: filled.scores.0,
            comment: filled.comment,
            device,
            client_key,
            at,
        },
    };
    match state.surveys.submit(answer).await? {
        Outcome::Saved { .. } => Ok(see_other(&format!("/o/{}/survey/thanks", org.slug))),
        Outcome::AlreadyAnswered => already_answered(state, org, target.here()).await,
        Outcome::TooMany { retry_after } => too_many(state, org, target.here(), retry_after).await,
    }
}

/// The poster's limit is reached: what and how long, with Retry-After.
async fn too_many(state: &AppState, org: Org, here: String, retry_after: i64) -> Result<Response, AppError> {
    let hours = (retry_after + 3599) / 3600;
    let message = format!(
        "อุปกรณ์หรือเครือข่ายนี้ส่งแบบประเมินครบจำนวนที่รับได้แล้ว (เครื่องละ {} ครั้งต่อวัน และเครือข่ายละ {} ครั้งต่อชั่วโมง) กรุณาลองใหม่ในอีกประมาณ {} ชั่วโมง ขอบคุณที่ให้ความเห็น",
        super::ingest::POSTER_PER_DEVICE_PER_DAY,
        super::ingest::POSTER_PER_ADDRESS_PER_HOUR,
        hours
    );
    let message = org.digits.apply(&message);
    let mut response =
        notice(state, org, here, StatusCode::TOO_MANY_REQUESTS, "ส่งแบบประเมินครบจำนวนแล้ว", &message).await?;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    Ok(response)
}

async fn already_answered(state: &AppState, org: Org, here: String) -> Result<Response, AppError> {
    notice(
        state,
        org,
        here,
        StatusCode::CONFLICT,
        "ตอบแบบประเมินแล้ว",
        "การรับบริการครั้งนี้ได้ตอบแบบประเมินความพึงพอใจไปแล้ว แต่ละครั้งตอบได้ครั้งเดียว ขอบคุณที่ให้ความเห็น",
    )
    .await
}

async fn expired(state: &AppState, org: Org, here: String) -> Result<Response, AppError> {
    let message = format!(
        "ลิงก์ประเมินความพึงพอใจใช้ได้ {} วันหลังรับบริการ ลิงก์นี้หมดอายุแล้ว ท่านยังประเมินได้ที่ QR ณ จุดบริการ",
        visits::VISIT_DAYS
    );
    let message = org.digits.apply(&message);
    notice(state, org, here, StatusCode::GONE, "ลิงก์หมดอายุแล้ว", &message).await
}

/// The form of a visit (ticket or token), or why it cannot be answered.
/// Whether a visit's form is being shown (so it says when it was answered and names the place) or
/// stored (the unique key decides, and the place is named only if the form comes back).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Show,
    /// The version the form says it answers (`v`).
    Store(Option<i64>),
}

fn form_incomplete() -> AppError {
    AppError::Invalid("แบบฟอร์มไม่ครบ กรุณาเปิดแบบประเมินใหม่".into())
}

fn no_such_version() -> AppError {
    AppError::Invalid("ไม่พบฉบับของแบบประเมินที่ส่งมา กรุณาเปิดแบบประเมินใหม่".into())
}

async fn visit_target(
    state: &AppState,
    org: &Org,
    visit: Visit,
    action: String,
    purpose: Purpose,
) -> Result<Result<Target, Response>, AppError> {
    if visit.expired(crate::db::now()) {
        return Ok(Err(expired(state, org.clone(), action).await?));
    }
    if purpose == Purpose::Show && visits::answered(&state.db, org.id, &visit.key).await? {
        let mut response = already_answered(state, org.clone(), action).await?;
        *response.status_mut() = StatusCode::OK;
        return Ok(Err(response));
    }
    let (version, place) = match purpose {
        Purpose::Show => {
            let (_, version) = store::with_latest(&state.db, org.id, visit.survey).await?.ok_or(AppError::NotFound)?;
            let place = place_words(state, org, visit.point, visit.service).await.unwrap_or_default();
            (Arc::new(version.ok_or_else(not_open)?), place)
        }
        // The version answered, read once per process: a version never changes.
        Purpose::Store(number) => {
            let number = number.ok_or_else(form_incomplete)?;
            let version = state.surveys.versions.get(&state.db, org.id, visit.survey, number).await?;
            (version.ok_or_else(no_such_version)?, String::new())
        }
    };
    Ok(Ok(Target {
        survey: visit.survey,
        version,
        place,
        action,
        hidden: Vec::new(),
        point: visit.point,
        service: visit.service,
        visit: Some(visit),
    }))
}

async fn token_visit(
    state: &AppState,
    org: &Org,
    token: &str,
    purpose: Purpose,
) -> Result<Result<Target, Response>, AppError> {
    let here = format!("/o/{}/survey/v/{token}", org.slug);
    let Some(visit) = visits::by_token(&state.db, org.id, token).await? else {
        return Ok(Err(notice(
            state,
            org.clone(),
            here,
            StatusCode::NOT_FOUND,
            "ไม่พบลิงก์นี้",
            "ลิงก์ประเมินความพึงพอใจนี้ไม่ถูกต้อง กรุณาสแกน QR บนใบรับอีกครั้ง หรือประเมินที่ QR ณ จุดบริการ",
        )
        .await?));
    };
    visit_target(state, org, visit, here, purpose).await
}

async fn token_form(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    match token_visit(&state, &org, &token, Purpose::Show).await? {
        Ok(target) => Ok(no_store(page(form_view(&state, org, &target, &[], Vec::new()).await?)?)),
        Err(response) => Ok(response),
    }
}

async fn token_answer(
    State(state): State<AppState>,
    Path((slug, token)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    // The common case in one read and no page: a valid answer to a live link, stored.
    if let Some((org_id, visit)) = visits::by_slug_and_token(&state.db, &slug, &token).await?
        && !visit.expired(crate::db::now())
        && let Some(number) = answers::version_of(&fields)
        && let Some(version) = state.surveys.versions.get(&state.db, org_id, visit.survey, number).await?
        && let Ok(filled) = answers::check(&version.questionnaire, &fields)
    {
        let answer = NewAnswer::of_visit(org_id, &visit, number, filled, crate::db::now());
        return match state.surveys.submit(answer).await? {
            Outcome::Saved { .. } => Ok(see_other(&format!("/o/{slug}/survey/thanks"))),
            _ => already_answered(&state, org_of(&state, &slug).await?, format!("/o/{slug}/survey/v/{token}")).await,
        };
    }
    // Everything else has a page to show: the organization, the form with its faults, or why not.
    let org = org_of(&state, &slug).await?;
    let target = token_visit(&state, &org, &token, Purpose::Store(answers::version_of(&fields))).await?;
    answer_visit(&state, org, target, &fields).await
}

/// A visit's answer: stored once, or why not (expired; answered before is the writer's 409).
async fn answer_visit(
    state: &AppState,
    org: Org,
    target: Result<Target, Response>,
    fields: &[(String, String)],
) -> Result<Response, AppError> {
    match target {
        Ok(target) => store_answer(state, org, target, fields, String::new(), String::new()).await,
        Err(response) => Ok(response),
    }
}

async fn ticket_visit(
    state: &AppState,
    org: &Org,
    code: &str,
    purpose: Purpose,
) -> Result<Result<Target, Response>, AppError> {
    let t = crate::queue::tickets::find_by_code(&state.db, org.id, code).await?.ok_or(AppError::NotFound)?;
    let action = format!("/o/{}/survey/ticket/{code}", org.slug);
    if let Some(why) = visits::ticket_not_ready(&t) {
        return Ok(Err(notice(state, org.clone(), action, StatusCode::CONFLICT, "ยังประเมินไม่ได้", why).await?));
    }
    let survey = store::main_survey(&state.db, org.id)
        .await?
        .ok_or_else(|| AppError::NotYet("หน่วยงานยังไม่ได้เปิดแบบประเมินความพึงพอใจ".into()))?;
    visit_target(state, org, visits::of_ticket(&t, survey.id), action, purpose).await
}

async fn ticket_form(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    match ticket_visit(&state, &org, &code, Purpose::Show).await? {
        Ok(target) => Ok(no_store(page(form_view(&state, org, &target, &[], Vec::new()).await?)?)),
        Err(response) => Ok(response),
    }
}

async fn ticket_answer(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let org = org_of(&state, &slug).await?;
    let target = ticket_visit(&state, &org, &code, Purpose::Store(answers::version_of(&fields))).await?;
    answer_visit(&state, org, target, &fields).await
}

async fn thanks(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let response = notice(
        &state,
        org,
        format!("/o/{slug}/survey/thanks"),
        StatusCode::OK,
        "ขอบคุณที่ตอบแบบประเมิน",
        "บันทึกความเห็นของท่านแล้ว หน่วยงานจะนำผลไปปรับปรุงการให้บริการ และเผยแพร่ผลการประเมินต่อสาธารณะ",
    )
    .await?;
    Ok(response.into_response())
}
