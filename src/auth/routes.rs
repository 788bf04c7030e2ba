//! Login and logout pages.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::login::{self, Outcome};
use super::{secrets, sessions, throttle};
use crate::app::AppState;
use crate::http::client::ClientIp;
use crate::http::extract::cookie;
use crate::http::{AppError, CsrfForm, page, see_other};
use crate::orgs::{Org, store as orgs};

/// The login form's pre-session cookie; its CSRF token is an HMAC of this cookie's value.
const LOGIN_COOKIE: &str = "prongsai_login";
/// Behind HTTPS the `__Host-` prefix makes browsers refuse the cookie from a sibling subdomain
/// or over plain HTTP, so another site cannot plant one.
const LOGIN_COOKIE_SECURE: &str = "__Host-prongsai_login";
/// The name of the secret the login form's tokens are made with.
const LOGIN_SECRET: &str = "login_csrf";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/o/{slug}/login", get(org_login))
        .route("/logout", post(logout))
        .route("/logout/everywhere", post(logout_everywhere))
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    username: String,
    /// The organization's slug, as typed or given by the link.
    org: String,
    /// The organization's name when the link or the installation fixes it (the field is hidden).
    org_name: Option<String>,
}

fn login_cookie_name(state: &AppState) -> &'static str {
    if state.settings.secure_cookies() { LOGIN_COOKIE_SECURE } else { LOGIN_COOKIE }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, and `Secure` when the public URL is https.
pub fn cookie_header(secure: bool, name: &str, value: &str, max_age: i64) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}", if secure { "; Secure" } else { "" })
}

/// The organization a login is for: the one named, or the only one the installation holds.
async fn resolve_org(state: &AppState, typed: &str) -> Result<Option<Org>, AppError> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        let all = orgs::list(&state.db).await?;
        return Ok(if all.len() == 1 { all.into_iter().next() } else { None });
    }
    Ok(orgs::find_by_slug(&state.db, &typed).await?)
}

/// The login form; keeps the browser's pre-session cookie when it has one (two tabs both work).
async fn login_form(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    error: Option<String>,
    username: String,
    typed_org: &str,
) -> Result<Response, AppError> {
    let name = login_cookie_name(state);
    let nonce = cookie(headers, name).filter(|n| sessions::is_nonce(n)).unwrap_or_else(sessions::login_nonce);
    let secret = secrets::get_or_create(&state.db, LOGIN_SECRET).await?;
    let org = resolve_org(state, typed_org).await?;
    let mut response = page(LoginPage {
        csrf: sessions::login_csrf_token(&secret, &nonce),
        error,
        username,
        org: org.as_ref().map_or(typed_org.trim().to_string(), |o| o.slug.clone()),
        org_name: org.map(|o| o.name),
    })?;
    let header = cookie_header(state.settings.secure_cookies(), name, &nonce, 3600);
    response.headers_mut().append(SET_COOKIE, header.parse().map_err(anyhow::Error::from)?);
    Ok(response)
}

#[derive(serde::Deserialize, Default)]
struct OrgQuery {
    #[serde(default)]
    org: String,
}

async fn login_page(
    State(state): State<AppState>,
    Query(q): Query<OrgQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    login_form(&state, &headers, None, String::new(), &q.org).await
}

/// `/o/SLUG/login`: the organization's own login link.
async fn org_login(Path(slug): Path<String>) -> Response {
    see_other(&format!("/login?org={}", urlencoding::encode(&slug)))
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// The same words for a wrong organization, username or password and a deactivated account, so
/// that the answer says nothing about which accounts exist.
const REFUSED: &str = "รหัสหน่วยงาน ชื่อผู้ใช้ หรือรหัสผ่านไม่ถูกต้อง";

async fn login(State(state): State<AppState>, ClientIp(addr): ClientIp, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    let nonce = cookie(&parts.headers, login_cookie_name(&state)).unwrap_or_default();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.map_err(|_| AppError::Csrf)?;
    let bytes = crate::http::fields::clean_form(&bytes)?;
    let form: LoginForm = serde_html_form::from_bytes(&bytes).map_err(|_| AppError::Csrf)?;
    let secret = secrets::get_or_create(&state.db, LOGIN_SECRET).await?;
    if !sessions::is_nonce(&nonce) || !sessions::tokens_match(&form.csrf, &sessions::login_csrf_token(&secret, &nonce))
    {
        return Err(AppError::Csrf);
    }
    let org = resolve_org(&state, &form.org).await?;
    let outcome = login::attempt(&state.db, org.as_ref(), &form.org, &form.username, &form.password, addr).await?;
    let user = match outcome {
        Outcome::LoggedIn(user) => user,
        Outcome::Refused => {
            let mut r = login_form(&state, &parts.headers, Some(REFUSED.into()), form.username, &form.org).await?;
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            return Ok(r);
        }
        Outcome::Locked { until } => {
            let message = throttle::message_th(until);
            let mut r = login_form(&state, &parts.headers, Some(message), form.username, &form.org).await?;
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            r.headers_mut().insert(RETRY_AFTER, (until - crate::db::now()).max(1).into());
            r.headers_mut().insert("x-error-code", axum::http::HeaderValue::from_static("throttled"));
            return Ok(r);
        }
    };
    let token = sessions::create(&state.db, user.id).await?;
    let mut response = see_other(if user.must_change_password { "/app/password" } else { "/app" });
    let header = cookie_header(state.settings.secure_cookies(), sessions::COOKIE, &token, sessions::LIFETIME_SECS);
    response.headers_mut().append(SET_COOKIE, header.parse().map_err(anyhow::Error::from)?);
    Ok(response)
}

#[derive(serde::Deserialize)]
struct Empty {}

async fn logout(State(state): State<AppState>, ClientIp(addr): ClientIp, req: Request) -> Result<Response, AppError> {
    let token = cookie(req.headers(), sessions::COOKIE);
    let CsrfForm { user: me, .. } = CsrfForm::<Empty>::from_request(req, &state).await?;
    if let Some(token) = token {
        sessions::delete(&state.db, &token).await?;
    }
    login::record(&state.db, me.org_id(), &me.user, &me.actor(), "logout", addr).await?;
    ended(&state)
}

/// Ends every session of the user, on every device.
async fn logout_everywhere(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    CsrfForm { user: me, .. }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    sessions::delete_all_of_user(&state.db, me.user.id).await?;
    login::record(&state.db, me.org_id(), &me.user, &me.actor(), "logout_everywhere", addr).await?;
    ended(&state)
}

fn ended(state: &AppState) -> Result<Response, AppError> {
    let mut response = see_other("/login");
    let header = cookie_header(state.settings.secure_cookies(), sessions::COOKIE, "", 0);
    response.headers_mut().append(SET_COOKIE, header.parse().map_err(anyhow::Error::from)?);
    Ok(response.into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn cookies_are_secure_when_the_public_site_is_https() {
        assert!(super::cookie_header(true, "c", "v", 60).ends_with("; Secure"));
        assert!(!super::cookie_header(false, "c", "v", 60).contains("Secure"));
    }
}
