//! One error type for the HTTP layer: a Thai page in the site's frame for people, a stable English
//! code in the `x-error-code` header for machines, and internal details only in the log.

use askama::Template;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such record in this organization (also what another organization's ids get).
    #[error("not found")]
    NotFound,
    /// 404 for something that exists once someone makes it (an unpublished document); the
    /// message (Thai) says what is missing and why.
    #[error("not yet there: {0}")]
    NotYet(String),
    /// 303 to the login page.
    #[error("login required")]
    LoginRequired,
    /// 303 to the change-password page: the user holds a temporary password.
    #[error("password change required")]
    PasswordChangeRequired,
    /// 403: logged in, but the role (or duty) does not allow it. Only for permission.
    #[error("forbidden")]
    Forbidden,
    /// 403: the form's CSRF token is missing or wrong.
    #[error("csrf")]
    Csrf,
    /// 409: the record's state does not allow it, or what it needs is taken; the message (Thai)
    /// says which.
    #[error("conflict: {0}")]
    Conflict(String),
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
    /// 429: too many attempts; try again after `retry_after` seconds (sent as `Retry-After`).
    #[error("throttled for {retry_after} s")]
    Throttled { retry_after: i64, message: String },
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
    /// Status, stable code, Thai title and Thai message.
    fn parts(&self) -> (StatusCode, &'static str, &'static str, String) {
        match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "ไม่พบข้อมูล", "ไม่พบข้อมูลที่ต้องการ".into()),
            AppError::NotYet(m) => (StatusCode::NOT_FOUND, "not_yet", "ยังไม่มีเอกสารนี้", m.clone()),
            AppError::LoginRequired => (StatusCode::SEE_OTHER, "login_required", "เข้าสู่ระบบ", "กรุณาเข้าสู่ระบบ".into()),
            AppError::PasswordChangeRequired => (
                StatusCode::SEE_OTHER,
                "password_change_required",
                "เปลี่ยนรหัสผ่าน",
                "กรุณาเปลี่ยนรหัสผ่านชั่วคราวก่อนใช้งาน".into(),
            ),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "ไม่มีสิทธิ์", "ท่านไม่มีสิทธิ์ทำรายการนี้".into()),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "แบบฟอร์มหมดอายุ",
                "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง".into(),
            ),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", "ทำรายการนี้ไม่ได้ในขณะนี้", m.clone()),
            AppError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "ข้อมูลไม่ถูกต้อง", m.clone()),
            AppError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", "ข้อมูลใหญ่เกินไป", m.clone()),
            AppError::Throttled { message, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "throttled", "ลองใหม่ภายหลัง", message.clone())
            }
            AppError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "หมดเวลารอข้อมูล",
                "ส่งข้อมูลมาไม่ครบภายในเวลาที่กำหนด กรุณาลองส่งใหม่อีกครั้ง".into(),
            ),
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "ระบบไม่ว่าง", m.clone()),
            // A failed write on a full or failing disk: nothing of it was stored (db::WriteTx).
            AppError::Internal(e) => match crate::db::storage_fault(e) {
                Some(crate::db::StorageFault::Full) => (
                    StatusCode::INSUFFICIENT_STORAGE,
                    "storage_full",
                    "พื้นที่จัดเก็บข้อมูลเต็ม",
                    "พื้นที่จัดเก็บข้อมูลเต็ม รายการนี้ยังไม่ได้บันทึก กรุณาแจ้งผู้ดูแลระบบ แล้วลองใหม่ภายหลัง".into(),
                ),
                Some(crate::db::StorageFault::Io) => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_error",
                    "ระบบจัดเก็บข้อมูลขัดข้อง",
                    "ระบบจัดเก็บข้อมูลขัดข้อง รายการนี้ยังไม่ได้บันทึก กรุณาแจ้งผู้ดูแลระบบ แล้วลองใหม่ภายหลัง".into(),
                ),
                None => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "ระบบขัดข้อง",
                    "ระบบขัดข้อง กรุณาลองใหม่ หากยังพบปัญหาโปรดแจ้งผู้ดูแลระบบ".into(),
                ),
            },
        }
    }
}

/// The error page, on the site's base layout.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        match self {
            AppError::LoginRequired => return axum::response::Redirect::to("/login").into_response(),
            AppError::PasswordChangeRequired => return axum::response::Redirect::to("/app/password").into_response(),
            _ => {}
        }
        let (status, code, title, message) = self.parts();
        let body = ErrorPage { title, message: &message }.render().unwrap_or_else(|e| {
            // The template is checked at compile time; this is the last resort, still escaped.
            tracing::error!(error = %e, "error page did not render");
            format!("<!doctype html><html lang=\"th\"><title>{title}</title><p>{}</p></html>", escape(&message))
        });
        let mut response = (status, Html(body)).into_response();
        response.headers_mut().insert("x-error-code", HeaderValue::from_static(code));
        if let AppError::Throttled { retry_after, .. } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
        }
        response
    }
}

/// Minimal HTML escaping for text not rendered by a template.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(r: Response) -> String {
        String::from_utf8(axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn every_refusal_is_a_thai_page_in_the_sites_frame_with_its_status_and_code() {
        let cases = [
            (AppError::NotFound, 404, "not_found"),
            (AppError::Forbidden, 403, "forbidden"),
            (AppError::Conflict("อนุมัติไปแล้ว".into()), 409, "conflict"),
            (AppError::Invalid("<b>ปีไม่ถูกต้อง</b>".into()), 422, "invalid"),
            (AppError::TooLarge("ไฟล์ใหญ่เกิน 20 MB".into()), 413, "too_large"),
            (AppError::Throttled { retry_after: 120, message: "ลองใหม่ภายหลัง".into() }, 429, "throttled"),
        ];
        for (error, status, code) in cases {
            let r = error.into_response();
            assert_eq!(r.status().as_u16(), status);
            assert_eq!(r.headers()["x-error-code"], code);
            if status == 429 {
                assert_eq!(r.headers()["retry-after"], "120");
            }
            let page = body(r).await;
            assert!(page.contains("class=\"brand\"") && page.contains("href=\"/app\""), "{page}");
            assert!(!page.contains("<b>"), "messages are escaped");
        }
    }
}
