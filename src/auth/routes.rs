//! Login and logout pages.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{sessions, users};
use crate::app::AppState;
use crate::http::extract::cookie;
use crate::http::{AppError, CsrfForm, page, see_other};

/// The login form's CSRF cookie (double submit: no session exists yet).
const LOGIN_CSRF_COOKIE: &str = "prongsai_login_csrf";

pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(login_page).post(login)).route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    username: String,
}

fn cookie_header(state: &AppState, name: &str, value: &str, max_age: i64) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if state.settings.secure_cookies() { "; Secure" } else { "" }
    )
}

fn login_form(state: &AppState, error: Option<String>, username: String) -> Result<Response, AppError> {
    let csrf = sessions::login_csrf_token();
    let mut response = page(LoginPage { csrf: csrf.clone(), error, username })?;
    let header = cookie_header(state, LOGIN_CSRF_COOKIE, &csrf, 3600);
    response.headers_mut().append(SET_COOKIE, header.parse().map_err(anyhow::Error::from)?);
    Ok(response)
}

async fn login_page(State(state): State<AppState>) -> Result<Response, AppError> {
    login_form(&state, None, String::new())
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    let expected = cookie(&parts.headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.map_err(|_| AppError::Csrf)?;
    let bytes = crate::http::fields::clean_form(&bytes)?;
    let form: LoginForm = serde_html_form::from_bytes(&bytes).map_err(|_| AppError::Csrf)?;
    if expected.is_empty() || !sessions::tokens_match(&form.csrf, &expected) {
        return Err(AppError::Csrf);
    }
    let Some(user) = users::authenticate(&state.db, &form.username, &form.password).await? else {
        tracing::info!(username = %form.username, "failed login");
        let mut response = login_form(&state, Some("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง".into()), form.username.clone())?;
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    let token = sessions::create(&state.db, user.id).await?;
    let mut response = see_other("/app");
    let header = cookie_header(&state, sessions::COOKIE, &token, sessions::LIFETIME_SECS);
    response.headers_mut().append(SET_COOKIE, header.parse().map_err(anyhow::Error::from)?);
    Ok(response)
}

#[derive(serde::Deserialize)]
struct Empty {}

async fn logout(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let token = cookie(req.headers(), sessions::COOKIE);
    CsrfForm::<Empty>::from_request(req, &state).await?;
    if let Some(token) = token {
        sessions::delete(&state.db, &token).await?;
    }
    let mut response = see_other("/login");
    let header = cookie_header(&state, sessions::COOKIE, "", 0);
    response.headers_mut().append(SET_COOKIE, header.parse().map_err(anyhow::Error::from)?);
    Ok(response.into_response())
}
