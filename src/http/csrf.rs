//! CSRF protection: every state-changing request must carry the session's token, in the form
//! field `_csrf` (url-encoded forms) or the query parameter `_csrf` (multipart uploads, whose body
//! is streamed). The extractors below are the only way handlers read a form, so none can forget;
//! they also apply the input rule to every field (see `fields`).

use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use serde::de::DeserializeOwned;

use super::{AppError, CurrentUser};
use crate::app::AppState;
use crate::auth::sessions::tokens_match;

/// A url-encoded form whose `_csrf` field matched, with the user who sent it.
pub struct CsrfForm<T> {
    pub user: CurrentUser,
    pub form: T,
}

#[derive(serde::Deserialize)]
struct TokenOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// Largest url-encoded form accepted (a long measure with many items fits easily).
const FORM_LIMIT: usize = 1024 * 1024;

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = checked_body(body, &user).await?;
        let bytes = super::fields::clean_form(&bytes)?;
        let form =
            serde_html_form::from_bytes(&bytes).map_err(|e| AppError::Invalid(format!("ข้อมูลในแบบฟอร์มไม่ถูกต้อง: {e}")))?;
        Ok(CsrfForm { user, form })
    }
}

/// A url-encoded form whose `_csrf` field matched, for forms that show errors beside their fields:
/// a character the input rule refuses is taken out of its field and reported in `errors` (the
/// handler shows the form again with everything else as typed) instead of a bare 422 page.
pub struct CsrfFormKept<T> {
    pub user: CurrentUser,
    pub form: T,
    pub errors: super::FieldErrors,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfFormKept<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = checked_body(body, &user).await?;
        let (bytes, errors) = super::fields::clean_form_reporting(&bytes)?;
        let form =
            serde_html_form::from_bytes(&bytes).map_err(|e| AppError::Invalid(format!("ข้อมูลในแบบฟอร์มไม่ถูกต้อง: {e}")))?;
        Ok(CsrfFormKept { user, form, errors })
    }
}

/// The body of a url-encoded form whose `_csrf` field matches the session's token.
async fn checked_body(body: axum::body::Body, user: &CurrentUser) -> Result<axum::body::Bytes, AppError> {
    let bytes =
        axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| AppError::TooLarge("ข้อมูลในแบบฟอร์มยาวเกินไป".into()))?;
    let token: TokenOnly = serde_html_form::from_bytes(&bytes).map_err(|_| AppError::Csrf)?;
    if !tokens_match(&token.csrf, &user.csrf_token) {
        return Err(AppError::Csrf);
    }
    Ok(bytes)
}

/// A multipart upload whose `?_csrf=` query parameter matched.
pub struct CsrfMultipart {
    pub user: CurrentUser,
    pub multipart: Multipart,
}

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let query: TokenOnly =
            serde_html_form::from_str(parts.uri.query().unwrap_or("")).map_err(|_| AppError::Csrf)?;
        if !tokens_match(&query.csrf, &user.csrf_token) {
            return Err(AppError::Csrf);
        }
        let req = Request::from_parts(parts, body);
        let multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| AppError::Invalid(format!("การอัปโหลดไม่ถูกต้อง: {e}")))?;
        Ok(CsrfMultipart { user, multipart })
    }
}

/// The check of the forms citizens post without a session (the queue's kiosk and join forms, the
/// survey's form): a post from another site's page is refused. The browser names the page's
/// origin, which must be ours: the public URL's, or the host asked (a proxy that rewrites the Host
/// header still passes the public URL's origin).
pub fn same_origin(state: &AppState, headers: &axum::http::HeaderMap) -> Result<(), AppError> {
    use axum::http::header;
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return Ok(()) };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    if origin == state.settings.public_url || origin_host == host { Ok(()) } else { Err(AppError::Forbidden) }
}
