//! At the door: the staff member scans the QR on a citizen's phone (it opens this page for the
//! code), sees the name, the meeting and whether the seat is theirs, and checks them in; a code
//! read aloud can be typed instead.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::registrations::{self, CheckIn, Status};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CurrentUser, page, see_other};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/council/checkin", get(lookup))
        .route("/app/council/checkin/{code}", get(checkin_page).post(check_in))
}

#[derive(Deserialize)]
struct Lookup {
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "council/checkin.html")]
struct CheckinPage {
    me: CurrentUser,
    /// The code as typed, when it is not a code.
    typed: String,
    found: Option<Found>,
    result: Option<String>,
}

struct Found {
    code: String,
    name: String,
    meeting: String,
    status: Status,
    arrived: Option<String>,
}

/// The form where a code is typed; a code that reads opens its page.
async fn lookup(me: CurrentUser, Query(q): Query<Lookup>) -> Result<Response, AppError> {
    let typed = q.code.unwrap_or_default();
    if let Some(code) = super::normalize_code(&typed) {
        return Ok(see_other(&format!("/app/council/checkin/{}", super::display_code(&code))));
    }
    page(CheckinPage { me, typed, found: None, result: None })
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn checkin_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, AppError> {
    let code = super::normalize_code(&code).ok_or(AppError::NotFound)?;
    let r = registrations::by_code(&state.db, me.org_id(), &code).await?.ok_or(AppError::NotFound)?;
    let meeting = super::store::find(&state.db, me.org_id(), r.meeting_id).await?.ok_or(AppError::NotFound)?;
    let digits = me.org.digits;
    let found = Found {
        code: super::display_code(&code),
        name: r.name,
        meeting: format!(
            "{} · {}",
            meeting.details.title,
            crate::thai::format_instant_th(meeting.details.starts_at, digits)
        ),
        status: r.status,
        arrived: r.checked_in_at.map(|t| crate::thai::format_instant_th(t, digits)),
    };
    let result = match q.done.as_deref() {
        Some("1") => Some("ลงชื่อเข้าร่วมแล้ว".to_string()),
        _ => None,
    };
    page(CheckinPage { me, typed: String::new(), found: Some(found), result })
}

#[derive(Deserialize)]
struct Empty {}

async fn check_in(
    State(state): State<AppState>,
    Path(code): Path<String>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let code = super::normalize_code(&code).ok_or(AppError::NotFound)?;
    match registrations::check_in(&state.db, me.org_id(), &code, &me.actor()).await?.ok_or(AppError::NotFound)? {
        CheckIn::Done | CheckIn::Already(_) => {
            Ok(see_other(&format!("/app/council/checkin/{}?done=1", super::display_code(&code))))
        }
        CheckIn::NoSeat(status) => Err(AppError::Conflict(format!(
            "ลงชื่อเข้าร่วมไม่ได้: การลงทะเบียนนี้{}",
            match status {
                Status::Waitlisted => "อยู่ในรายชื่อสำรอง ยังไม่ได้ที่นั่ง",
                _ => "ถูกยกเลิกแล้ว",
            }
        ))),
    }
}
