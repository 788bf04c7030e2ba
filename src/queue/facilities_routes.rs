//! Facilities of service points: the admin's page (tick what the point offers, add photos) and
//! the public page of the organization's service points.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::PointId;
use super::facilities::{self, FACILITIES};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{AppError, CsrfMultipart, CurrentUser, FieldErrors, form_page, page, see_other};
use crate::portal::cache::{Scope, cacheable};
use crate::portal::frame::{Frame, Section};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/queue/points/{id}/facilities", get(staff_page).post(save))
        .route("/app/queue/points/{id}/photos", post(add_photo))
        .route("/app/queue/photos/{photo}/remove", post(remove_photo))
        .route("/o/{slug}/points", get(public_page))
        .route("/o/{slug}/points/photos/{photo}", get(photo))
}

fn require_admin(me: &CurrentUser) -> Result<(), AppError> {
    if me.user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

#[derive(Template)]
#[template(path = "queue/facilities.html")]
struct StaffPage {
    me: CurrentUser,
    point: i64,
    name: String,
    /// (code, Thai, ticked)
    boxes: Vec<(&'static str, &'static str, bool)>,
    photos: Vec<facilities::Photo>,
    errors: FieldErrors,
    caption: String,
}

async fn staff_view(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    errors: FieldErrors,
    caption: String,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let point = super::store::point(&state.db, me.org_id(), PointId(id)).await?.ok_or(AppError::NotFound)?;
    let stored = facilities::of_point(&state.db, me.org_id(), point.id).await?.unwrap_or_default();
    let ticked: Vec<&str> = stored.split(',').collect();
    let boxes = FACILITIES.iter().map(|(c, l)| (*c, *l, ticked.contains(c))).collect();
    let photos = facilities::photos(&state.db, me.org_id(), Some(point.id)).await?;
    let refused = !errors.is_empty();
    form_page(StaffPage { me, point: id, name: point.name, boxes, photos, errors, caption }, refused)
}

async fn staff_page(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    staff_view(&state, me, id, FieldErrors::new(), String::new()).await
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    crate::http::CsrfForm { user: me, form }: crate::http::CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let ticked: Vec<String> = form.into_iter().filter(|(k, _)| k == "facility").map(|(_, v)| v).collect();
    let mut tx = state.db.write(me.org_id()).await?;
    if !facilities::set(&mut tx, me.org_id(), PointId(id), &ticked, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/queue/points/{id}/facilities")))
}

async fn add_photo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let (fields, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let caption = fields.get("caption").map(|c| c.trim().to_string()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    if caption.is_empty() {
        errors.add("caption", "กรุณาเขียนคำบรรยายรูป เช่น ที่นั่งรอหน้าช่องบริการ (ผู้ใช้โปรแกรมอ่านหน้าจอจะได้ยินคำนี้)");
    }
    let checked = match &file {
        None => Err("กรุณาเลือกรูป".to_string()),
        Some((name, bytes)) => facilities::check_photo(name, bytes, state.settings.max_upload_bytes),
    };
    if let Err(message) = &checked {
        errors.add("photo", message.clone());
    }
    let (Ok(content_type), Some((_, bytes)), true) = (checked, &file, errors.is_empty()) else {
        return staff_view(&state, me, id, errors, caption).await;
    };
    let mut tx = state.db.write(me.org_id()).await?;
    facilities::add_photo(&mut tx, me.org_id(), PointId(id), &caption, content_type, bytes, &me.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/queue/points/{id}/facilities")))
}

#[derive(serde::Deserialize)]
struct Empty {}

async fn remove_photo(
    State(state): State<AppState>,
    Path(photo): Path<i64>,
    crate::http::CsrfForm { user: me, form: Empty {} }: crate::http::CsrfForm<Empty>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let mut tx = state.db.write(me.org_id()).await?;
    let point = facilities::remove_photo(&mut tx, me.org_id(), photo, &me.actor()).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/queue/points/{point}/facilities")))
}

/// A point as the public page shows it.
struct PointView {
    name: String,
    facilities: Vec<&'static str>,
    /// (src, caption)
    photos: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "queue/points_public.html")]
struct PublicPage {
    frame: Frame,
    points: Vec<PointView>,
}

async fn public_page(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Services).await?;
    let org = frame.org.id;
    let photos = facilities::photos(&state.db, org, None).await?;
    let points = facilities::points(&state.db, org)
        .await?
        .into_iter()
        .map(|(id, name, stored)| PointView {
            name,
            facilities: facilities::labels(&stored),
            photos: photos
                .iter()
                .filter(|p| p.point_id == id)
                .map(|p| (format!("/o/{slug}/points/photos/{}", p.id), p.caption.clone()))
                .collect(),
        })
        .collect();
    let frame = frame.crumb(format!("/o/{slug}/services"), "งานบริการ").crumb(format!("/o/{slug}/points"), "จุดบริการ");
    let scope = Scope::Org(org.0);
    Ok(cacheable(page(PublicPage { frame, points })?, scope))
}

async fn photo(State(state): State<AppState>, Path((slug, photo)): Path<(String, i64)>) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (content_type, bytes) = facilities::photo_file(&state.db, org.id, photo).await?.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400".to_string())], bytes)
        .into_response())
}
