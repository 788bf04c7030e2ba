//! What every feature's routes share: the error type, extractors, CSRF and page helpers.

pub mod cache;
pub mod client;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod fields;
pub mod form_errors;
pub mod paging;
pub mod upload;

pub use csrf::{CsrfForm, CsrfFormKept, CsrfMultipart};
pub use error::AppError;
pub use extract::CurrentUser;
pub use form_errors::{FieldError, FieldErrors};
pub use upload::read_multipart;

use axum::response::{Html, IntoResponse, Redirect, Response};

/// Renders an askama template to an HTML response.
pub fn page<T: askama::Template>(template: T) -> Result<Response, AppError> {
    let body = template.render().map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))?;
    Ok(Html(body).into_response())
}

/// Renders a form page: 200, or 422 when it shows why the last post was refused.
pub fn form_page<T: askama::Template>(template: T, refused: bool) -> Result<Response, AppError> {
    let mut response = page(template)?;
    if refused {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// A 303 redirect: after a POST the browser GETs the target (no resubmission on reload).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A file download.
pub fn download(bytes: Vec<u8>, content_type: &str, file_name: &str, inline: bool) -> Response {
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        file_name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-', "_"),
        urlencoding::encode(file_name)
    );
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
