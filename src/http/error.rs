//! One error type for the HTTP layer: a Thai message for people, a stable code for machines,
//! and internal details only in the log.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such record in this organization (also what another organization's ids get).
    #[error("not found")]
    NotFound,
    /// 303 to the login page.
    #[error("login required")]
    LoginRequired,
    /// 403: logged in, but the role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// 403: the form's CSRF token is missing or wrong.
    #[error("csrf")]
    Csrf,
    /// 422: the input is wrong; the message (Thai) says what and where.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// 413: an upload is too large.
    #[error("too large: {0}")]
    TooLarge(String),
    /// 408: the request's body stopped arriving (the connection is closed after it).
    #[error("request timeout")]
    RequestTimeout,
    /// 503: the server is too busy or took too long; the message (Thai) says to try again.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 500: logged with details, shown without them; 507 when the disk under the database is full,
    /// 503 when it failed (`db::storage_fault`).
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "ไม่พบข้อมูลที่ต้องการ".into()),
            AppError::LoginRequired => (StatusCode::SEE_OTHER, "login_required", "กรุณาเข้าสู่ระบบ".into()),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "ท่านไม่มีสิทธิ์ทำรายการนี้".into()),
            AppError::Csrf => {
                (StatusCode::FORBIDDEN, "csrf", "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง".into())
            }
            AppError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", m.clone()),
            AppError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", m.clone()),
            AppError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "ส่งข้อมูลมาไม่ครบภายในเวลาที่กำหนด กรุณาลองส่งใหม่อีกครั้ง".into(),
            ),
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", m.clone()),
            // A failed write on a full or failing disk: nothing of it was stored (db::WriteTx).
            AppError::Internal(e) => match crate::db::storage_fault(e) {
                Some(crate::db::StorageFault::Full) => (
                    StatusCode::INSUFFICIENT_STORAGE,
                    "storage_full",
                    "พื้นที่จัดเก็บข้อมูลเต็ม รายการนี้ยังไม่ได้บันทึก กรุณาแจ้งผู้ดูแลระบบ แล้วลองใหม่ภายหลัง".into(),
                ),
                Some(crate::db::StorageFault::Io) => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_error",
                    "ระบบจัดเก็บข้อมูลขัดข้อง รายการนี้ยังไม่ได้บันทึก กรุณาแจ้งผู้ดูแลระบบ แล้วลองใหม่ภายหลัง".into(),
                ),
                None => internal(),
            },
        }
    }
}

fn internal() -> (StatusCode, &'static str, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, "internal", "ระบบขัดข้อง กรุณาลองใหม่ หากยังพบปัญหาโปรดแจ้งผู้ดูแลระบบ".into())
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        if matches!(self, AppError::LoginRequired) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let (status, code, message) = self.parts();
        let body = format!(
            "<!doctype html><html lang=\"th\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
             <title>{title}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main class=\"error\">\
             <h1>{title}</h1><p role=\"alert\">{msg}</p><p><a href=\"/app\">หน้างานของเจ้าหน้าที่</a> · <a href=\"/\">หน้าแรก</a></p></main></body></html>",
            title = status.as_u16(),
            msg = escape(&message)
        );
        let mut response = (status, Html(body)).into_response();
        response.headers_mut().insert("x-error-code", axum::http::HeaderValue::from_static(code));
        response
    }
}

/// Minimal HTML escaping for the one page not built by a template.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
