//! The admin's page of the organization's users: create them, set their lending duties and the
//! address reminders are e-mailed to.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::Role;
use super::users::{self, NewUser, UserRow};
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, CsrfForm, CurrentUser, form_page, page, see_other};
use crate::lending::rules::Duty;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/users", get(users_page).post(create_user))
        .route("/app/users/settings", axum::routing::post(save_settings))
        .route("/app/users/active", axum::routing::post(set_active))
        .route("/app/users/reset-password", axum::routing::post(reset_password))
        .route("/app/organization/digits", axum::routing::post(set_digits))
        .route("/app/password", get(password_page).post(change_password))
}

fn require_admin(me: &CurrentUser) -> Result<(), AppError> {
    if me.user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

struct Row {
    user: UserRow,
    role: &'static str,
    duties: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "auth/users.html")]
struct UsersPage {
    me: CurrentUser,
    users: Vec<Row>,
    pager: Pager,
    search_label: &'static str,
    roles: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    /// A temporary password just set, shown to the admin this once.
    notice: Option<String>,
    arabic: bool,
}

async fn view(state: &AppState, me: CurrentUser, error: Option<String>) -> Result<Response, AppError> {
    view_with(state, me, error, None).await
}

async fn view_with(
    state: &AppState,
    me: CurrentUser,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    view_at(state, me, &PageRequest::first(), error, notice).await
}

async fn view_at(
    state: &AppState,
    me: CurrentUser,
    request: &PageRequest,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    // One office's staff, read whole and sorted by username in code order, then cut to the page.
    let found = users::list(&state.db, me.org_id())
        .await?
        .into_iter()
        .filter(|u| request.finds_in(&u.username) || request.finds_in(&u.display_name))
        .collect();
    let (found, total) = request.slice(found);
    let pager = Pager::new("/app/users", request, total, found.len(), me.org.digits);
    let users = found
        .into_iter()
        .map(|u| Row {
            role: u.role.label_th(),
            duties: Duty::ALL
                .iter()
                .map(|d| (d.code(), d.label_th(), u.duties.split(',').any(|x| x.trim() == d.code())))
                .collect(),
            user: u,
        })
        .collect();
    let refused = error.is_some();
    form_page(
        UsersPage {
            pager,
            search_label: "ค้นหาผู้ใช้ตามชื่อ-สกุลหรือชื่อผู้ใช้",
            arabic: me.org.digits == crate::thai::Digits::Arabic,
            users,
            roles: [Role::Staff, Role::Executive, Role::Admin].iter().map(|r| (r.code(), r.label_th())).collect(),
            error,
            notice,
            me,
        },
        refused,
    )
}

async fn users_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let request = PageRequest::from_query(&query)?;
    view_at(&state, me, &request, None, None).await
}

#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

async fn create_user(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<NewUserForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let role = Role::parse(&form.role).unwrap_or(Role::Staff);
    if form.display_name.trim().is_empty() {
        return view(&state, me, Some("กรุณากรอกชื่อ-สกุลของผู้ใช้".into())).await;
    }
    let new = NewUser {
        org: me.org_id(),
        username: &form.username,
        display_name: form.display_name.trim(),
        password: &form.password,
        role,
        division_id: None,
    };
    match users::create(&state.db, &new, &me.actor()).await {
        Ok(_) => Ok(see_other("/app/users")),
        Err(users::UserError::Db(e)) => Err(AppError::Internal(e)),
        Err(e) => view(&state, me, Some(e.to_string())).await,
    }
}

#[derive(Deserialize)]
struct SettingsForm {
    user_id: i64,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    email: String,
}

async fn save_settings(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let org = me.org_id();
    let duties: Vec<Duty> = form.duties.iter().filter_map(|d| Duty::parse(d)).collect();
    // Both or neither: the e-mail is checked before the duties are written.
    let email = form.email.trim();
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        return view(&state, me, Some(format!("อีเมล “{email}” ไม่ถูกต้อง"))).await;
    }
    if !crate::lending::set_duties(&state.db, org, form.user_id, &duties, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    users::set_email(&state.db, org, form.user_id, email, &me.actor())
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(see_other("/app/users"))
}

#[derive(Deserialize)]
struct DigitsForm {
    digits: String,
}

/// Thai digits (the official default) or Arabic digits in every page and document of the org.
async fn set_digits(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<DigitsForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let digits = match form.digits.as_str() {
        "thai" => crate::thai::Digits::Thai,
        "arabic" => crate::thai::Digits::Arabic,
        _ => return Err(AppError::Invalid("เลือกเลขไทยหรือเลขอารบิก".into())),
    };
    crate::orgs::store::set_digits(&state.db, me.org_id(), digits, &me.actor()).await?;
    Ok(see_other("/app/users"))
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    me: CurrentUser,
    message: Option<String>,
}

async fn password_page(me: CurrentUser) -> Result<Response, AppError> {
    page(PasswordPage { me, message: None })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

async fn change_password(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let refuse =
        |me: CurrentUser, message: &str| form_page(PasswordPage { me, message: Some(message.to_string()) }, true);
    if form.new != form.repeat {
        return refuse(me, "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน");
    }
    match users::change_password(&state.db, &me.user, &form.current, &form.new).await {
        Ok(true) => Ok(see_other("/login")),
        Ok(false) => refuse(me, "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
        Err(users::UserError::WeakPassword(m)) => refuse(me, m),
        Err(e) => Err(AppError::Internal(anyhow::anyhow!("{e}"))),
    }
}

#[derive(Deserialize)]
struct UserIdForm {
    user_id: i64,
    #[serde(default)]
    active: String,
}

/// Deactivates (`active=0`) or reactivates (`active=1`) a user of the organization.
async fn set_active(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<UserIdForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let active = match form.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid("เลือกเปิดหรือปิดการใช้งานผู้ใช้".into())),
    };
    match super::accounts::set_active(&state.db, me.org_id(), form.user_id, active, &me.actor()).await {
        Ok(()) => Ok(see_other("/app/users")),
        Err(users::UserError::NotFound) => Err(AppError::NotFound),
        Err(e @ users::UserError::LastAdmin) => {
            let mut r = view(&state, me, Some(e.to_string())).await?;
            *r.status_mut() = axum::http::StatusCode::CONFLICT;
            r.headers_mut().insert("x-error-code", axum::http::HeaderValue::from_static("conflict"));
            Ok(r)
        }
        Err(e) => Err(AppError::Internal(anyhow::anyhow!("{e}"))),
    }
}

/// Gives a user a temporary password (shown once) that must be changed at the next login.
async fn reset_password(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<UserIdForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let Some(user) = users::find_by_id_and_org(&state.db, form.user_id, me.org_id()).await? else {
        return Err(AppError::NotFound);
    };
    match super::accounts::reset_password(&state.db, me.org_id(), user.id, &me.actor()).await {
        Ok(temporary) => {
            let notice = format!(
                "รหัสผ่านชั่วคราวของ {} คือ {temporary} — แจ้งผู้ใช้โดยตรง ผู้ใช้ต้องเปลี่ยนรหัสผ่านเมื่อเข้าสู่ระบบครั้งถัดไป (แสดงครั้งนี้ครั้งเดียว)",
                user.username
            );
            view_with(&state, me, None, Some(notice)).await
        }
        Err(users::UserError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(AppError::Internal(anyhow::anyhow!("{e}"))),
    }
}
