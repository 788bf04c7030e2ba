//! The API's errors: a status and a JSON body `{"error": {"code", "message_th", "message_en"}}`
//! (the `Error` schema of the OpenAPI document). Internal details go to the log only.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404: no organization has this slug.
    #[error("no such organization")]
    NoOrg,
    /// 404: the year is not a fiscal year (four digits, Buddhist era) this API knows.
    #[error("no such year")]
    NoYear,
    /// 404: the organization published no measures report for the year (drafts are not public).
    #[error("no published report")]
    NotPublished,
    /// 404: the organization has no ITA result for the year.
    #[error("no ITA result")]
    NoResult,
    /// 404: the page is past the last one; `pages` there are.
    #[error("page out of range")]
    NoPage { pages: usize },
    /// 404: no such path in the API.
    #[error("no such path")]
    NoSuchPath,
    /// 400: a query parameter is not what the document says; names it and what it takes.
    #[error("bad parameter {name}")]
    BadParameter { name: &'static str, takes_th: &'static str, takes_en: &'static str },
    /// 429: too many requests from this address; try again after `retry_after` seconds.
    #[error("rate limited")]
    TooMany { retry_after: u64 },
    /// 500: logged with details, answered without them.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl ApiError {
    /// Status, stable code, Thai and English messages.
    fn parts(&self) -> (StatusCode, &'static str, String, String) {
        let not_found = StatusCode::NOT_FOUND;
        match self {
            ApiError::NoOrg => {
                (not_found, "org_not_found", "ไม่พบหน่วยงานนี้".into(), "No organization has this slug.".into())
            }
            ApiError::NoYear => (
                not_found,
                "year_not_found",
                "ไม่พบปีงบประมาณนี้ (ระบุเป็นปีพุทธศักราช ๔ หลัก เช่น 2566)".into(),
                "No such fiscal year (four digits, Buddhist era, e.g. 2566).".into(),
            ),
            ApiError::NotPublished => (
                not_found,
                "report_not_published",
                "หน่วยงานยังไม่ได้เผยแพร่รายงานมาตรการของปีงบประมาณนี้".into(),
                "The organization has published no measures report for this fiscal year.".into(),
            ),
            ApiError::NoResult => (
                not_found,
                "ita_result_not_found",
                "ไม่มีผลการประเมิน ITA ของหน่วยงานในปีงบประมาณนี้".into(),
                "The organization has no ITA result for this fiscal year.".into(),
            ),
            ApiError::NoPage { pages } => (
                not_found,
                "page_out_of_range",
                format!("ไม่มีหน้านี้: มีทั้งหมด {pages} หน้า"),
                format!("No such page: there are {pages} pages."),
            ),
            ApiError::NoSuchPath => (
                not_found,
                "path_not_found",
                "ไม่มีเส้นทางนี้ใน API ดูรายการที่ /api/v1/openapi.json".into(),
                "No such path in the API; see /api/v1/openapi.json.".into(),
            ),
            ApiError::BadParameter { name, takes_th, takes_en } => (
                StatusCode::BAD_REQUEST,
                "bad_parameter",
                format!("ค่า {name} ไม่ถูกต้อง: ต้องเป็น{takes_th}"),
                format!("Bad {name}: it takes {takes_en}."),
            ),
            ApiError::TooMany { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("เรียกใช้บ่อยเกินกำหนด กรุณาลองใหม่ใน {retry_after} วินาที"),
                format!("Too many requests from this address; try again in {retry_after} s."),
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "ระบบขัดข้อง กรุณาลองใหม่ภายหลัง".into(),
                "The server failed; please try again later.".into(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = ?e, "api request failed");
        }
        let (status, code, message_th, message_en) = self.parts();
        let body = serde_json::json!({ "error": { "code": code, "message_th": message_th, "message_en": message_en } });
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let ApiError::TooMany { retry_after } = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}
