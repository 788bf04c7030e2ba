//! Staff pages are never stored by browsers or proxies: a shared office computer's back button or
//! cache must not show the register, users or loans after logout.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Adds `Cache-Control: no-store` to staff pages (`/app…`), the login and logout, and every
/// response that sets a cookie.
pub async fn no_store_for_staff(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let staff = path.starts_with("/app") || path.starts_with("/login") || path.starts_with("/logout");
    let mut response = next.run(req).await;
    if staff || response.headers().contains_key(header::SET_COOKIE) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
