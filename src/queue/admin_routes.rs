//! The queue's staff pages: the list of points and counters (/app/queue) and, for the admin, a
//! point's configuration: its published rule, the services it gives with their ticket letters,
//! its counters, its kiosk screens and its entrance QR.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::kiosk::{self, Kiosk};
use super::store::{self, ConfigProblem, Counter, Point, PointService, RuleInput};
use super::{CounterId, PointId};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, page, see_other};
use crate::services::{Service, ServiceId};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/queue", get(index))
        .route("/app/queue/points", post(create_point))
        .route("/app/queue/points/{id}", get(point_page).post(update_point))
        .route("/app/queue/points/{id}/services", post(set_service))
        .route("/app/queue/points/{id}/services/{service}/remove", post(remove_service))
        .route("/app/queue/points/{id}/counters", post(create_counter))
        .route("/app/queue/counters/{id}/settings", post(update_counter))
        .route("/app/queue/points/{id}/kiosks", post(authorise_kiosk))
        .route("/app/queue/kiosks/{id}/revoke", post(revoke_kiosk))
        .route("/app/queue/points/{id}/entrance-key", post(renew_entrance_key))
        .route("/app/queue/points/{id}/poster", get(poster))
}

fn require_admin(me: &CurrentUser) -> Result<(), AppError> {
    if me.user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A point with its counters, for the list.
struct PointRow {
    point: Point,
    counters: Vec<Counter>,
    rule: String,
}

#[derive(Template)]
#[template(path = "queue/index.html")]
struct IndexPage {
    me: CurrentUser,
    points: Vec<PointRow>,
    is_admin: bool,
    errors: FieldErrors,
    form: PointForm,
}

async fn index_page(
    state: &AppState,
    me: CurrentUser,
    errors: FieldErrors,
    form: PointForm,
) -> Result<Response, AppError> {
    let mut points = Vec::new();
    for point in store::points(&state.db, me.org_id()).await? {
        let counters = store::counters(&state.db, me.org_id(), point.id).await?;
        let rule = super::rules::rule_sentence(point.priority_every, point.recall_limit, me.org.digits);
        points.push(PointRow { point, counters, rule });
    }
    let refused = !errors.is_empty();
    form_page(IndexPage { is_admin: me.user.role == Role::Admin, me, points, errors, form }, refused)
}

async fn index(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    index_page(&state, me, FieldErrors::new(), PointForm::default()).await
}

#[derive(Deserialize, Clone)]
struct PointForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    priority_every: String,
    #[serde(default)]
    recall_limit: String,
    #[serde(default)]
    rule_note: String,
}

impl Default for PointForm {
    fn default() -> Self {
        PointForm {
            name: String::new(),
            priority_every: "2".into(),
            recall_limit: "2".into(),
            rule_note: String::new(),
        }
    }
}

/// The typed rule, or the fields' errors.
fn rule_of(form: &PointForm) -> Result<(i64, i64), FieldErrors> {
    let mut errors = FieldErrors::new();
    let number = |s: &str| crate::thai::parse_number(s.trim()).and_then(|n| i64::try_from(n).ok());
    let every = number(&form.priority_every);
    let recall = number(&form.recall_limit);
    if every.is_none() {
        errors.add("priority_every", ConfigProblem::BadPriorityEvery.to_string());
    }
    if recall.is_none() {
        errors.add("recall_limit", ConfigProblem::BadRecallLimit.to_string());
    }
    match (every, recall) {
        (Some(e), Some(r)) => Ok((e, r)),
        _ => Err(errors),
    }
}

async fn create_point(State(state): State<AppState>, form: CsrfForm<PointForm>) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    require_admin(&me)?;
    let (every, recall) = match rule_of(&form) {
        Ok(r) => r,
        Err(errors) => return index_page(&state, me, errors, form).await,
    };
    let input = RuleInput { name: &form.name, priority_every: every, recall_limit: recall, rule_note: &form.rule_note };
    let mut tx = state.db.write(me.org_id()).await?;
    match store::create_point(&mut tx, me.org_id(), &input, &me.actor()).await? {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/app/queue/points/{id}")))
        }
        Err(p) => {
            drop(tx);
            index_page(&state, me, FieldErrors::one(p.field(), p.to_string()), form).await
        }
    }
}

/// A counter's check boxes: each service of the point, and whether the counter serves it.
type CounterBoxes = Vec<(ServiceId, String, bool)>;

#[derive(Template)]
#[template(path = "queue/point.html")]
struct PointPage {
    me: CurrentUser,
    point: Point,
    form: PointForm,
    offered: Vec<PointService>,
    /// Catalogue services not yet given here.
    others: Vec<Service>,
    counters: Vec<(Counter, CounterBoxes)>,
    kiosks: Vec<(Kiosk, String)>,
    entrance_url: String,
    errors: FieldErrors,
    /// The form the errors belong to: "rule", "service", "counter".
    errors_in: &'static str,
}

async fn point_view(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    form: Option<PointForm>,
    errors: FieldErrors,
    errors_in: &'static str,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let org = me.org_id();
    let point = store::point(&state.db, org, PointId(id)).await?.ok_or(AppError::NotFound)?;
    let offered = store::point_services(&state.db, org, point.id).await?;
    let others = crate::services::store::list(&state.db, org, false)
        .await?
        .into_iter()
        .filter(|s| !offered.iter().any(|o| o.service_id == s.id))
        .collect();
    let counters = store::counters(&state.db, org, point.id)
        .await?
        .into_iter()
        .map(|c| {
            let boxes =
                offered.iter().map(|s| (s.service_id, s.name.clone(), c.services.contains(&s.service_id))).collect();
            (c, boxes)
        })
        .collect();
    let kiosks = kiosk::of_point(&state.db, org, point.id)
        .await?
        .into_iter()
        .map(|k| {
            let when = crate::thai::format_instant_th(k.created_at, me.org.digits);
            (k, when)
        })
        .collect();
    let form = form.unwrap_or_else(|| PointForm {
        name: point.name.clone(),
        priority_every: point.priority_every.to_string(),
        recall_limit: point.recall_limit.to_string(),
        rule_note: point.rule_note.clone(),
    });
    let entrance_url = entrance_url(state, &me.org.slug, &point);
    let refused = !errors.is_empty();
    form_page(
        PointPage { me, point, form, offered, others, counters, kiosks, entrance_url, errors, errors_in },
        refused,
    )
}

/// The entrance QR's link: the point's join page with its secret.
pub(super) fn entrance_url(state: &AppState, slug: &str, point: &Point) -> String {
    format!("{}/o/{slug}/queue/join/{}?k={}", state.settings.public_url, point.id, point.entrance_key)
}

async fn point_page(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    point_view(&state, me, id, None, FieldErrors::new(), "").await
}

async fn update_point(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<PointForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    require_admin(&me)?;
    let (every, recall) = match rule_of(&form) {
        Ok(r) => r,
        Err(errors) => return point_view(&state, me, id, Some(form), errors, "rule").await,
    };
    let input = RuleInput { name: &form.name, priority_every: every, recall_limit: recall, rule_note: &form.rule_note };
    match store::update_point(&state.db, me.org_id(), PointId(id), &input, &me.actor()).await? {
        None => Err(AppError::NotFound),
        Some(Ok(())) => Ok(see_other(&format!("/app/queue/points/{id}"))),
        Some(Err(p)) => {
            point_view(&state, me, id, Some(form), FieldErrors::one(p.field(), p.to_string()), "rule").await
        }
    }
}

#[derive(Deserialize, Default)]
struct ServiceForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    prefix: String,
}

async fn set_service(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<ServiceForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    require_admin(&me)?;
    let org = me.org_id();
    let point = store::point(&state.db, org, PointId(id)).await?.ok_or(AppError::NotFound)?;
    let Ok(service) = form.service_id.trim().parse::<i64>().map(ServiceId) else {
        let errors = FieldErrors::one("service_id", ConfigProblem::UnknownService.to_string());
        return point_view(&state, me, id, None, errors, "service").await;
    };
    let mut tx = state.db.write(org).await?;
    match store::set_point_service(&mut tx, org, point.id, service, &form.prefix, &me.actor()).await? {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/app/queue/points/{id}")))
        }
        Err(p) => {
            drop(tx);
            point_view(&state, me, id, None, FieldErrors::one(p.field(), p.to_string()), "service").await
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn remove_service(
    State(state): State<AppState>,
    Path((id, service)): Path<(i64, i64)>,
    form: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let me = form.user;
    require_admin(&me)?;
    if !store::remove_point_service(&state.db, me.org_id(), PointId(id), ServiceId(service), &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/app/queue/points/{id}")))
}

#[derive(Deserialize, Default)]
struct CounterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    services: Vec<i64>,
    #[serde(default)]
    active: String,
}

async fn create_counter(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<CounterForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    require_admin(&me)?;
    let org = me.org_id();
    let point = store::point(&state.db, org, PointId(id)).await?.ok_or(AppError::NotFound)?;
    let services: Vec<ServiceId> = form.services.iter().copied().map(ServiceId).collect();
    let mut tx = state.db.write(org).await?;
    match store::create_counter(&mut tx, org, point.id, &form.name, &services, &me.actor()).await? {
        Ok(_) => {
            tx.commit().await?;
            Ok(see_other(&format!("/app/queue/points/{id}")))
        }
        Err(p) => {
            drop(tx);
            let field = if p.field() == "name" { "counter_name" } else { "counter_services" };
            point_view(&state, me, id, None, FieldErrors::one(field, p.to_string()), "counter").await
        }
    }
}

async fn update_counter(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<CounterForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    require_admin(&me)?;
    let services: Vec<ServiceId> = form.services.iter().copied().map(ServiceId).collect();
    let counter = store::counter(&state.db, me.org_id(), CounterId(id)).await?.ok_or(AppError::NotFound)?;
    match store::update_counter(&state.db, me.org_id(), counter.id, &services, form.active == "1", &me.actor()).await? {
        None => Err(AppError::NotFound),
        Some(Ok(())) => Ok(see_other(&format!("/app/queue/points/{}", counter.point_id))),
        Some(Err(p)) => Err(AppError::Invalid(p.to_string())),
    }
}

#[derive(Deserialize, Default)]
struct KioskForm {
    #[serde(default)]
    name: String,
}

/// Makes the browser that sends this a kiosk of the point (the cookie goes to this browser only).
async fn authorise_kiosk(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<KioskForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    require_admin(&me)?;
    let token = kiosk::authorise(&state.db, me.org_id(), PointId(id), &form.name, &me.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut response = see_other(&format!("/o/{}/queue/kiosk", me.org.slug));
    let cookie = crate::auth::routes::cookie_header(
        state.settings.secure_cookies(),
        kiosk::COOKIE,
        &token,
        kiosk::COOKIE_MAX_AGE,
    );
    response.headers_mut().append(SET_COOKIE, cookie.parse().map_err(anyhow::Error::from)?);
    Ok(response)
}

async fn revoke_kiosk(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let me = form.user;
    require_admin(&me)?;
    let point = kiosk::revoke(&state.db, me.org_id(), id, &me.actor()).await?.ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("/app/queue/points/{point}")))
}

async fn renew_entrance_key(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let me = form.user;
    require_admin(&me)?;
    if !store::renew_entrance_key(&state.db, me.org_id(), PointId(id), &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/app/queue/points/{id}")))
}

#[derive(Template)]
#[template(path = "queue/poster.html")]
struct PosterPage {
    org_name: String,
    point: Point,
    qr: String,
    url: String,
}

/// The entrance poster: a QR to the join page, to print and put up at the door.
async fn poster(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    require_admin(&me)?;
    let point = store::point(&state.db, me.org_id(), PointId(id)).await?.ok_or(AppError::NotFound)?;
    let url = entrance_url(&state, &me.org.slug, &point);
    let qr = super::ticket_doc::qr_data_uri(&url);
    page(PosterPage { org_name: me.org.name.clone(), point, qr, url })
}
