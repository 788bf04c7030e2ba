//! The counter page (/app/queue/counters/ID): call next, call a ticket by hand, recall, skip,
//! transfer, start and finish; staff issue tickets here too. A refused step shows the counter
//! page again with the reason in Thai.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::rules::{PriorityGroup, Status};
use super::store::{self, Counter, Point, PointService};
use super::tickets::{self, Channel, NewTicket, QueueRefusal, StepResult, Ticket};
use super::{CounterId, TicketId, clock_th, now_ms, thai_day};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CurrentUser, page, see_other};
use crate::services::ServiceId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/queue/counters/{id}", get(counter_page))
        .route("/app/queue/counters/{id}/next", post(call_next))
        .route("/app/queue/counters/{id}/issue", post(issue))
        .route("/app/queue/counters/{id}/tickets/{ticket}/{step}", post(step))
}

/// A ticket as a line of the counter page, every string final.
pub(super) struct TicketLine {
    pub id: i64,
    pub label: String,
    pub service: String,
    pub priority: String,
    pub issued: String,
    pub status: &'static str,
    pub counter: String,
    /// The ticket's public code (its print page).
    pub code: String,
}

pub(super) fn line(t: &Ticket, digits: crate::thai::Digits) -> TicketLine {
    TicketLine {
        id: t.id.0,
        label: t.label.clone(),
        service: t.service_name.clone(),
        priority: t.priority_group.map_or(String::new(), |g| g.label_th().to_string()),
        issued: clock_th(t.issued_at, digits),
        status: t.status.label_th(),
        counter: t.counter_name.clone().unwrap_or_default(),
        code: t.code.clone(),
    }
}

#[derive(Template)]
#[template(path = "queue/counter.html")]
struct CounterPage {
    me: CurrentUser,
    counter: Counter,
    point: Point,
    /// The services of the point (transfer targets, staff issue).
    services: Vec<PointService>,
    /// The counters of the point (transfer targets).
    counters: Vec<Counter>,
    current: Option<TicketLine>,
    serving: bool,
    waiting: Vec<TicketLine>,
    skipped: Vec<TicketLine>,
    groups: Vec<(&'static str, &'static str)>,
    rule_line: String,
    error: Option<String>,
    done: Option<String>,
}

async fn load(state: &AppState, me: &CurrentUser, id: i64) -> Result<(Counter, Point), AppError> {
    let counter = store::counter(&state.db, me.org_id(), CounterId(id)).await?.ok_or(AppError::NotFound)?;
    let point = store::point(&state.db, me.org_id(), counter.point_id).await?.ok_or(AppError::NotFound)?;
    Ok((counter, point))
}

async fn render(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    error: Option<String>,
    done: Option<String>,
) -> Result<Response, AppError> {
    let (counter, point) = load(state, &me, id).await?;
    let org = me.org_id();
    let digits = me.org.digits;
    let day = thai_day(now_ms());
    let current = tickets::current(&state.db, org, counter.id).await?;
    let serving = current.as_ref().is_some_and(|t| t.status == Status::Serving);
    let mine = |t: &Ticket| match t.counter_id {
        Some(c) => c == counter.id,
        None => counter.services.contains(&t.service_id),
    };
    let waiting = tickets::of_point_today(&state.db, org, point.id, Status::Waiting, day)
        .await?
        .iter()
        .filter(|t| mine(t))
        .map(|t| line(t, digits))
        .collect();
    let skipped = tickets::of_point_today(&state.db, org, point.id, Status::Skipped, day)
        .await?
        .iter()
        .map(|t| line(t, digits))
        .collect();
    let services = store::point_services(&state.db, org, point.id).await?;
    let counters = store::counters(&state.db, org, point.id).await?;
    let refused = error.is_some();
    let mut response = page(CounterPage {
        current: current.as_ref().map(|t| line(t, digits)),
        serving,
        waiting,
        skipped,
        services,
        counters,
        counter,
        groups: PriorityGroup::ALL.iter().map(|g| (g.code(), g.label_th())).collect(),
        rule_line: super::rules::rule_sentence(point.priority_every, point.recall_limit, digits),
        point,
        error,
        done,
        me,
    })?;
    if refused {
        *response.status_mut() = StatusCode::CONFLICT;
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    /// What the last step did (after its redirect).
    #[serde(default)]
    done: String,
}

async fn counter_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let done = (!q.done.is_empty()).then(|| q.done.chars().take(120).collect());
    render(&state, me, id, None, done).await
}

/// What a step did, for the line at the top of the page after it.
fn done_line(step: &str, t: &Ticket) -> String {
    let what = match step {
        "call" => "เรียกคิว",
        "recall" => "เรียกซ้ำคิว",
        "skip" => "ข้ามคิว",
        "start" => "เริ่มให้บริการคิว",
        "finish" => "ให้บริการเสร็จ คิว",
        "transfer" => "ส่งต่อคิว",
        _ => "บันทึกคิว",
    };
    format!("{what} {} แล้ว", t.label)
}

/// Answers a step: back to the counter page (with the result), or the page with the refusal.
async fn answer(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    step: &str,
    result: StepResult,
) -> Result<Response, AppError> {
    match result? {
        None => Err(AppError::NotFound),
        Some(Ok(t)) => {
            Ok(see_other(&format!("/app/queue/counters/{id}?done={}", urlencoding::encode(&done_line(step, &t)))))
        }
        Some(Err(refusal)) => {
            let status_for = matches!(refusal, QueueRefusal::Reason(_));
            let mut response = render(state, me, id, Some(refusal.to_string()), None).await?;
            if status_for {
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn call_next(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let me = form.user;
    me.require_editor()?;
    let result = tickets::call_next(&state.db, &me.org, CounterId(id), &me.actor(), now_ms()).await;
    answer(&state, me, id, "call", result).await
}

#[derive(Deserialize, Default)]
struct StepForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    to_service: String,
    #[serde(default)]
    to_counter: String,
}

async fn step(
    State(state): State<AppState>,
    Path((id, ticket, step)): Path<(i64, i64, String)>,
    form: CsrfForm<StepForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    me.require_editor()?;
    let (db, org, counter, ticket, actor, at) =
        (&state.db, &me.org, CounterId(id), TicketId(ticket), me.actor(), now_ms());
    let result = match step.as_str() {
        "call" => tickets::call_chosen(db, org, counter, ticket, &form.reason, &actor, at).await,
        "recall" => tickets::recall(db, org, counter, ticket, &form.reason, &actor, at).await,
        "skip" => tickets::skip(db, org, counter, ticket, &form.reason, &actor, at).await,
        "start" => tickets::start(db, org, counter, ticket, &actor, at).await,
        "finish" => tickets::finish(db, org, counter, ticket, &actor, at).await,
        "transfer" => {
            let to_service = form
                .to_service
                .trim()
                .parse::<i64>()
                .map(ServiceId)
                .map_err(|_| AppError::Invalid("กรุณาเลือกงานบริการที่จะส่งต่อ (ช่อง \"ส่งต่อไปงานบริการ\")".into()))?;
            let to_counter = match form.to_counter.trim() {
                "" => None,
                c => Some(CounterId(c.parse().map_err(|_| AppError::Invalid("ช่องบริการที่เลือกไม่ถูกต้อง".into()))?)),
            };
            tickets::transfer(db, org, counter, ticket, to_service, to_counter, &form.reason, &actor, at).await
        }
        _ => return Err(AppError::NotFound),
    };
    answer(&state, me, id, &step, result).await
}

#[derive(Deserialize, Default)]
struct IssueForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    priority: String,
}

/// Staff issue a ticket for a citizen at the counter (no kiosk needed).
async fn issue(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<IssueForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    me.require_editor()?;
    let (counter, point) = load(&state, &me, id).await?;
    let service = form
        .service_id
        .trim()
        .parse::<i64>()
        .map(ServiceId)
        .map_err(|_| AppError::Invalid("กรุณาเลือกงานบริการ".into()))?;
    let priority = parse_priority(&form.priority)?;
    let new = NewTicket { point: point.id, service, priority, channel: Channel::Staff, client_key: "" };
    match tickets::issue(&state.db, &me.org, &new, &me.actor(), now_ms()).await? {
        Ok(t) => Ok(see_other(&format!(
            "/app/queue/counters/{}?done={}",
            counter.id,
            urlencoding::encode(&format!("ออกบัตรคิว {} แล้ว", t.label))
        ))),
        Err(refusal) => render(&state, me, id, Some(refusal.to_string()), None).await,
    }
}

/// The priority choice of a form: "" for none, else a group's code.
pub(super) fn parse_priority(code: &str) -> Result<Option<PriorityGroup>, AppError> {
    match code.trim() {
        "" => Ok(None),
        c => PriorityGroup::parse(c).map(Some).ok_or_else(|| AppError::Invalid("กลุ่มลำดับพิเศษไม่ถูกต้อง".into())),
    }
}
