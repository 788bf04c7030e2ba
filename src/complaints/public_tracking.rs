//! The tracking page /o/SLUG/complaints/CODE: the status, the public history, the deadline and
//! how it was counted; adding information while the complaint is open, and after closing the
//! question "was it resolved?" (แก้ไขแล้วหรือไม่), whose "no" reopens it.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::filing::{self, Refusal};
use super::public::{FORM_BODY_LIMIT, client_key, guessed_wrong, lines, refuse_if_locked, too_many};
use super::public_form::{body_errors, check_photos};
use super::store::{self, Complaint};
use super::{Status, code};
use crate::app::AppState;
use crate::http::client::ClientIp;
use crate::http::csrf::same_origin;
use crate::http::upload::read_multipart_files;
use crate::http::{AppError, FieldErrors, form_page, see_other};
use crate::portal::frame::{Frame, Section};
use crate::thai::format_int;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/o/{slug}/complaints/{code}", axum::routing::get(tracking))
        .route(
            "/o/{slug}/complaints/{code}/info",
            axum::routing::post(add_info).layer(axum::extract::DefaultBodyLimit::max(FORM_BODY_LIMIT)),
        )
        .route("/o/{slug}/complaints/{code}/answer", axum::routing::post(answer))
}

/// A step as the citizen's history shows it.
struct Step {
    when: String,
    what: &'static str,
    text: Vec<String>,
    photos: String,
}

pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "filed" => "ยื่นเรื่องร้องเรียน",
        "received" => "เจ้าหน้าที่ลงรับเรื่อง",
        "assigned" => "ส่งเรื่องให้หน่วยงานผู้รับผิดชอบ",
        "replied" => "หน่วยงานตอบผู้ร้องเรียน",
        "closed" => "ปิดเรื่อง",
        "info" => "ผู้ร้องเรียนเพิ่มข้อมูล",
        "resolved" => "ผู้ร้องเรียนตอบว่าได้รับการแก้ไขแล้ว",
        "reopened" => "ผู้ร้องเรียนตอบว่ายังไม่ได้รับการแก้ไข จึงเปิดเรื่องอีกครั้ง",
        _ => "ดำเนินการ",
    }
}

#[derive(Template)]
#[template(path = "complaints/track.html")]
struct TrackPage {
    frame: Frame,
    code: String,
    shown_code: String,
    filed: bool,
    subject: String,
    category: &'static str,
    status: Status,
    filed_on: String,
    due: String,
    due_note: String,
    overdue: bool,
    steps: Vec<Step>,
    resolved: Option<bool>,
    errors: FieldErrors,
    info_body: String,
    photos_max: String,
    photo_mb: String,
    /// The official account to add, when LINE can tell the citizen of progress.
    line_oa: Option<String>,
}

#[derive(Deserialize, Default)]
struct Filed {
    filed: Option<String>,
}

async fn complaint_of(
    state: &AppState,
    slug: &str,
    typed: &str,
    ip: std::net::IpAddr,
) -> Result<Result<(Frame, Complaint), Response>, AppError> {
    let frame = Frame::load(&state.db, slug, Section::Complaints).await?;
    refuse_if_locked(state, frame.org.id, ip).await?;
    let found = match code::normalize(typed) {
        Some(code) => store::find_by_code(&state.db, frame.org.id, &code).await?,
        None => None,
    };
    match found {
        Some(c) => Ok(Ok((frame, c))),
        None => Ok(Err(guessed_wrong(state, frame, ip, typed).await?)),
    }
}

async fn track_view(
    state: &AppState,
    frame: Frame,
    c: Complaint,
    filed: bool,
    errors: FieldErrors,
    info_body: String,
) -> Result<Response, AppError> {
    let digits = frame.org.digits;
    let events = store::events(&state.db, frame.org.id, c.id, true).await?;
    let photos = store::photos(&state.db, frame.org.id, c.id).await?;
    let steps = events
        .iter()
        .map(|e| {
            let n = photos.iter().filter(|p| p.event_id == e.id).count() as i64;
            Step {
                when: crate::thai::format_instant_th(e.at, digits),
                what: event_label(&e.kind),
                text: lines(&e.body),
                photos: if n > 0 {
                    format!("แนบรูป {} รูป", format_int(n, digits))
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let slug = frame.org.slug.clone();
    let shown_code = code::display(&c.code);
    let frame = frame
        .crumb(format!("/o/{slug}/complaints"), "ร้องเรียน/ร้องทุกข์")
        .crumb(format!("/o/{slug}/complaints/{}", c.code), format!("เรื่อง {shown_code}"));
    let refused = !errors.is_empty();
    let line_oa = crate::publishing::channels::line_oa_id(&state.db, frame.org.id).await?;
    let body = TrackPage {
        code: c.code.clone(),
        shown_code,
        filed,
        subject: c.subject.clone(),
        category: c.category.label_th(),
        status: c.status,
        filed_on: crate::thai::format_instant_th(c.filed_at, digits),
        due: crate::documents::issued_th(c.due_on, digits),
        due_note: c.due_note.clone(),
        overdue: super::is_overdue(c.status, c.due_on, super::today()),
        steps,
        resolved: c.resolved,
        errors,
        info_body,
        photos_max: format_int(filing::PHOTOS_MAX as i64, digits),
        photo_mb: format_int((filing::PHOTO_MAX_BYTES / (1024 * 1024)) as i64, digits),
        line_oa,
        frame,
    };
    form_page(body, refused)
}

async fn tracking(
    State(state): State<AppState>,
    Path((slug, typed)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    Query(q): Query<Filed>,
) -> Result<Response, AppError> {
    let (frame, c) = match complaint_of(&state, &slug, &typed, ip).await? {
        Ok(found) => found,
        Err(not_found) => return Ok(not_found),
    };
    if c.code != typed {
        // Typed in lower case or with dashes: the one address of the complaint.
        return Ok(see_other(&format!("/o/{slug}/complaints/{}", c.code)));
    }
    track_view(&state, frame, c, q.filed.is_some(), FieldErrors::new(), String::new()).await
}

async fn add_info(
    State(state): State<AppState>,
    Path((slug, typed)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let (frame, c) = match complaint_of(&state, &slug, &typed, ip).await? {
        Ok(found) => found,
        Err(not_found) => return Ok(not_found),
    };
    let digits = frame.org.digits;
    let (fields, files) = read_multipart_files(multipart, FORM_BODY_LIMIT).await?;
    let body = fields.get("body").map(|b| b.trim().to_string()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let photos = check_photos(files, digits, &mut errors);
    if body.is_empty() && photos.is_empty() && errors.is_empty() {
        errors.add("body", "กรุณากรอกข้อมูลที่ต้องการเพิ่ม หรือแนบรูป");
    } else if !body.is_empty() {
        body_errors(&body, "body", "", digits, &mut errors);
    }
    if !errors.is_empty() {
        return track_view(&state, frame, c, false, errors, body).await;
    }
    let key = client_key(&state, ip).await?;
    match filing::add_info(&state.db, frame.org.id, c.id, &body, &photos, &key).await? {
        Ok(()) => Ok(see_other(&format!("/o/{slug}/complaints/{}", c.code))),
        Err(Refusal::TooMany { retry_after }) => Err(too_many(retry_after, "เพิ่มข้อมูล", filing::ADDITIONS_PER_HOUR)),
        Err(Refusal::OutOfOrder(why)) => track_view(&state, frame, c, false, FieldErrors::one("body", why), body).await,
    }
}

#[derive(Deserialize, Default)]
struct AnswerForm {
    #[serde(default)]
    resolved: String,
    #[serde(default)]
    reason: String,
}

async fn answer(
    State(state): State<AppState>,
    Path((slug, typed)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<AnswerForm>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let (frame, c) = match complaint_of(&state, &slug, &typed, ip).await? {
        Ok(found) => found,
        Err(not_found) => return Ok(not_found),
    };
    let reason = form.reason.trim();
    let resolved = match form.resolved.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let errors = FieldErrors::one("resolved", "กรุณาเลือกว่าเรื่องนี้ได้รับการแก้ไขแล้วหรือไม่");
            return track_view(&state, frame, c, false, errors, String::new()).await;
        }
    };
    if !resolved && reason.is_empty() {
        let errors = FieldErrors::one("reason", "กรุณาบอกเหตุผลที่ยังไม่ได้รับการแก้ไข เพื่อให้หน่วยงานดำเนินการต่อ");
        return track_view(&state, frame, c, false, errors, String::new()).await;
    }
    if reason.chars().count() > filing::BODY_MAX_CHARS {
        let errors = FieldErrors::one("reason", "เหตุผลยาวเกิน ๕,๐๐๐ ตัวอักษร");
        return track_view(&state, frame, c, false, errors, String::new()).await;
    }
    let holidays = super::holidays::from_day(&state.db, frame.org.id, super::today()).await?;
    match filing::answer(&state.db, frame.org.id, c.id, resolved, reason, &holidays, frame.org.digits).await? {
        Ok(()) => Ok(see_other(&format!("/o/{slug}/complaints/{}", c.code))),
        Err(Refusal::TooMany { .. }) => Err(AppError::Conflict("ลองใหม่ภายหลัง".into())),
        Err(Refusal::OutOfOrder(why)) => {
            track_view(&state, frame, c, false, FieldErrors::one("resolved", why), String::new()).await
        }
    }
}
