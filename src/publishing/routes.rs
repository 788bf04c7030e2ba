//! `/app/publishing`: the outbox with each row's status, retry and cancel (editors), and the
//! channels' settings (the admin): LINE's channel access token, Facebook's page and token. A token
//! is never shown back: the page says that it is set and its last four characters. LINE's form
//! also takes the channel secret (never shown back either) and the official account's LINE ID,
//! which let citizens follow their complaints in LINE (complaints/line_hook.rs).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::channels::{self, Change, ChannelSettings};
use super::outbox::{self, Row};
use super::{Channel, Status, keys};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, see_other};
use crate::thai::{Digits, format_instant_th, format_int};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/publishing", get(index))
        .route("/app/publishing/line", post(save_line))
        .route("/app/publishing/facebook", post(save_facebook))
        .route("/app/publishing/outbox/{id}/retry", post(retry))
        .route("/app/publishing/outbox/{id}/cancel", post(cancel))
}

const TOKEN_MAX_CHARS: usize = 1000;
const SECRET_MAX_CHARS: usize = 100;
const OA_ID_MAX_CHARS: usize = 30;

struct OutboxLine {
    id: i64,
    channel: &'static str,
    title: String,
    status: String,
    attempts: String,
    next: String,
    error: String,
    can_retry: bool,
    can_cancel: bool,
}

fn outbox_line(r: Row, digits: Digits) -> OutboxLine {
    let when = |t: Option<i64>| t.map(|t| format_instant_th(t, digits)).unwrap_or_default();
    let status = match r.status {
        Status::Sent => format!("ส่งแล้ว {}", when(r.sent_at)),
        Status::Sending => "กำลังส่ง".into(),
        Status::Cancelled => "ยกเลิกแล้ว".into(),
        Status::Waiting if r.last_error.is_empty() => "รอส่ง".into(),
        Status::Waiting => format!("ส่งไม่สำเร็จ จะลองใหม่ {}", when(r.due_at)),
    };
    OutboxLine {
        id: r.id,
        channel: r.channel.label_th(),
        title: r.title,
        status,
        attempts: format_int(r.attempts, digits),
        next: if r.status == Status::Waiting { when(r.due_at) } else { String::new() },
        can_retry: matches!(r.status, Status::Waiting | Status::Cancelled),
        can_cancel: r.status == Status::Waiting,
        error: if r.status == Status::Sent { String::new() } else { r.last_error },
    }
}

#[derive(Template)]
#[template(path = "publishing/index.html")]
struct IndexPage {
    me: CurrentUser,
    is_admin: bool,
    can_edit: bool,
    line: ChannelSettings,
    facebook: ChannelSettings,
    /// Where LINE is to send its webhook calls for this organization.
    webhook_url: String,
    errors: FieldErrors,
    saved: Option<&'static str>,
    rows: Vec<OutboxLine>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct IndexQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(flatten)]
    list: ListQuery,
}

fn saved_message(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "line" => Some("บันทึกการตั้งค่า LINE แล้ว"),
        "facebook" => Some("บันทึกการตั้งค่า Facebook แล้ว"),
        "retry" => Some("ตั้งให้ส่งใหม่ทันทีแล้ว"),
        "cancel" => Some("ยกเลิกการส่งแล้ว"),
        _ => None,
    }
}

/// The page; `refused` carries a refused channel form's errors and what was typed (not the token).
async fn view(
    state: &AppState,
    me: CurrentUser,
    request: &PageRequest,
    refused: Option<(FieldErrors, Channel, ChannelSettings)>,
    saved: Option<&'static str>,
) -> Result<Response, AppError> {
    let org = me.org_id();
    let (rows, total) = outbox::page(&state.db, org, request).await?;
    let digits = me.org.digits;
    let pager = Pager::new("/app/publishing", request, total, rows.len(), digits);
    let rows = rows.into_iter().map(|r| outbox_line(r, digits)).collect();
    let is_admin = me.user.role == Role::Admin;
    let mut line = ChannelSettings::default();
    let mut facebook = ChannelSettings::default();
    if is_admin {
        line = channels::settings(&state.db, org, Channel::Line).await?;
        facebook = channels::settings(&state.db, org, Channel::Facebook).await?;
    }
    let (errors, is_refused) = match refused {
        Some((errors, channel, typed)) => {
            let stored = if channel == Channel::Line { &mut line } else { &mut facebook };
            stored.enabled = typed.enabled;
            stored.target = typed.target;
            stored.oa_id = typed.oa_id;
            (errors, true)
        }
        None => (FieldErrors::new(), false),
    };
    let can_edit = me.user.role.can_edit();
    let webhook_url = format!("{}/hooks/line/{}", state.settings.public_url.trim_end_matches('/'), me.org.slug);
    form_page(IndexPage { me, is_admin, can_edit, line, facebook, webhook_url, errors, saved, rows, pager }, is_refused)
}

async fn index(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<IndexQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&q.list)?;
    view(&state, me, &request, None, saved_message(q.saved.as_deref())).await
}

#[derive(Deserialize, Default)]
struct ChannelForm {
    /// "1" when the box is ticked.
    #[serde(default)]
    enabled: Option<String>,
    /// Empty keeps the stored token.
    #[serde(default)]
    token: String,
    /// Facebook only.
    #[serde(default)]
    page_id: String,
    /// LINE only: the channel secret (empty keeps the stored one) and the official account's ID.
    #[serde(default)]
    secret: String,
    #[serde(default)]
    oa_id: String,
}

/// A channel form that passed its checks.
struct Checked {
    enabled: bool,
    page_id: String,
    /// A new token and the key that seals it; None keeps the stored token.
    token: Option<(keys::Key, String)>,
    /// LINE: a new channel secret (sealed by the same key), and the official account's ID.
    secret: Option<(keys::Key, String)>,
    oa_id: String,
}

/// What is wrong with a typed LINE channel secret (LINE's are 32 hexadecimal digits).
fn secret_error(secret: &str) -> Option<String> {
    if secret.chars().count() > SECRET_MAX_CHARS {
        Some(format!("Channel secret ยาวเกิน {SECRET_MAX_CHARS} ตัวอักษร"))
    } else if !secret.is_empty() && !secret.chars().all(|c| c.is_ascii_alphanumeric()) {
        Some("Channel secret มีได้เฉพาะตัวอักษรภาษาอังกฤษและตัวเลข กรุณาคัดลอกมาใหม่ทั้งหมด".into())
    } else {
        None
    }
}

/// The official account's LINE ID as stored (`@` and letters, digits, `.`, `_`, `-`), or what is wrong.
fn checked_oa_id(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(String::new());
    }
    let id = format!("@{}", typed.trim_start_matches('@'));
    let fine = id.chars().count() <= OA_ID_MAX_CHARS
        && id.len() > 1
        && id[1..].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if fine {
        Ok(id.to_lowercase())
    } else {
        Err("LINE ID ของบัญชีทางการต้องเป็นตัวอักษรภาษาอังกฤษ ตัวเลข . _ หรือ - ขึ้นต้นด้วย @ เช่น @maekhatuan".into())
    }
}

/// What the form asks for, or what is wrong with each field. The key is loaded only when a new
/// token is given.
fn check(
    state: &AppState,
    channel: Channel,
    form: &ChannelForm,
    stored: &ChannelSettings,
) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let prefix = channel.code();
    let token_field = format!("{prefix}_token");
    let enabled = form.enabled.is_some();
    let token = form.token.trim();
    if token.chars().count() > TOKEN_MAX_CHARS {
        errors.add(&token_field, format!("โทเค็นยาวเกิน {TOKEN_MAX_CHARS} ตัวอักษร"));
    } else if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.add(&token_field, "โทเค็นต้องไม่มีช่องว่างหรือขึ้นบรรทัดใหม่ กรุณาคัดลอกมาใหม่ทั้งหมด");
    } else if token.is_empty() && enabled && !stored.token_set {
        errors.add(&token_field, "กรุณากรอกโทเค็นก่อนเปิดใช้ช่องทางนี้");
    }
    let page_id = form.page_id.trim().to_string();
    if channel == Channel::Facebook
        && (enabled || !page_id.is_empty())
        && (page_id.is_empty() || page_id.len() > 30 || !page_id.chars().all(|c| c.is_ascii_digit()))
    {
        errors.add("facebook_page_id", "กรุณากรอกรหัสเพจ (Page ID) เป็นตัวเลข ดูได้ที่หน้าเกี่ยวกับของเพจ");
    }
    let secret = form.secret.trim();
    let mut oa_id = String::new();
    if channel == Channel::Line {
        if let Some(message) = secret_error(secret) {
            errors.add("line_secret", message);
        }
        match checked_oa_id(&form.oa_id) {
            Ok(id) => oa_id = id,
            Err(message) => errors.add("line_oa_id", message),
        }
    }
    let load = || keys::load(&state.settings.publishing, &state.settings.database_url, true);
    let mut key = None;
    if errors.is_empty() && !token.is_empty() {
        match load() {
            Ok(k) => key = Some((k, token.to_string())),
            Err(message) => errors.add(&token_field, message),
        }
    }
    let mut sealed_secret = None;
    if errors.is_empty() && channel == Channel::Line && !secret.is_empty() {
        match load() {
            Ok(k) => sealed_secret = Some((k, secret.to_string())),
            Err(message) => errors.add("line_secret", message),
        }
    }
    if errors.is_empty() {
        Ok(Checked { enabled, page_id, token: key, secret: sealed_secret, oa_id })
    } else {
        Err(errors)
    }
}

async fn save_channel(
    state: AppState,
    me: CurrentUser,
    channel: Channel,
    form: ChannelForm,
) -> Result<Response, AppError> {
    if me.user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let stored = channels::settings(&state.db, me.org_id(), channel).await?;
    let checked = match check(&state, channel, &form, &stored) {
        Ok(checked) => checked,
        Err(errors) => {
            let typed = ChannelSettings {
                enabled: form.enabled.is_some(),
                target: form.page_id.trim().to_string(),
                oa_id: form.oa_id.trim().to_string(),
                ..stored
            };
            return view(&state, me, &PageRequest::first(), Some((errors, channel, typed)), None).await;
        }
    };
    let change = Change {
        enabled: checked.enabled,
        target: &checked.page_id,
        token: checked.token.as_ref().map(|(k, t)| (k, t.as_str())),
        secret: checked.secret.as_ref().map(|(k, t)| (k, t.as_str())),
        oa_id: &checked.oa_id,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    channels::save(&mut tx, me.org_id(), channel, &change, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/publishing?saved={}", channel.code())))
}

async fn save_line(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<ChannelForm>,
) -> Result<Response, AppError> {
    save_channel(state, me, Channel::Line, form).await
}

async fn save_facebook(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<ChannelForm>,
) -> Result<Response, AppError> {
    save_channel(state, me, Channel::Facebook, form).await
}

#[derive(Deserialize)]
struct Empty {}

/// Retry or cancel a row: 404 when it is no row of the user's organization, 409 when its state
/// does not allow it (sent, or being sent).
async fn act(state: &AppState, me: &CurrentUser, id: i64, retry: bool) -> Result<Response, AppError> {
    me.require_editor()?;
    let org = me.org_id();
    if !outbox::exists(&state.db, org, id).await? {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.write(org).await?;
    let done = if retry {
        outbox::retry_now(&mut tx, org, id, &me.actor()).await?
    } else {
        outbox::cancel(&mut tx, org, id, &me.actor()).await?
    };
    if !done {
        tx.rollback().await?;
        return Err(AppError::Conflict(if retry {
            "รายการนี้ส่งแล้วหรือกำลังส่งอยู่ จึงส่งใหม่ไม่ได้".into()
        } else {
            "รายการนี้ส่งแล้ว กำลังส่ง หรือยกเลิกไปแล้ว จึงยกเลิกไม่ได้".into()
        }));
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/publishing?saved={}", if retry { "retry" } else { "cancel" })))
}

async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    act(&state, &me, id, true).await
}

async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    act(&state, &me, id, false).await
}
