//! The open, read-only JSON API of the public data of every organization on the install
//! (issue 18): organizations, published measures reports, ITA scores, the live figures measures
//! cite, documents and council meetings. Its OpenAPI 3.1 document is served at the stable path
//! `/api/v1/openapi.json`.
//!
//! Every answer is built from the same public functions the public site uses, so nothing private
//! leaks: drafts are never read, and no person's name, username or contact is emitted. Each `200`
//! carries a strong ETag (`If-None-Match` gets `304`) and is kept by the public page cache
//! (`portal::cache`) like a public page; `limit` counts every request per client address.

mod documents;
mod error;
mod figures;
mod ita;
pub mod limit;
mod meetings;
mod orgs;
mod paging;
mod reports;
mod respond;

use axum::Router;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use self::error::ApiError;
use crate::app::AppState;
use crate::portal::cache::Scope;

/// The document describing every path below (OpenAPI 3.1).
const OPENAPI: &str = include_str!("openapi.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/orgs", get(orgs::list))
        .route("/api/v1/orgs/{slug}", get(orgs::profile))
        .route("/api/v1/orgs/{slug}/reports", get(reports::years))
        .route("/api/v1/orgs/{slug}/reports/{year}", get(reports::report))
        .route("/api/v1/orgs/{slug}/ita-scores", get(ita::years))
        .route("/api/v1/orgs/{slug}/ita-scores/{year}", get(ita::result))
        .route("/api/v1/orgs/{slug}/figures/{year}", get(figures::year))
        .route("/api/v1/orgs/{slug}/documents", get(documents::list))
        .route("/api/v1/orgs/{slug}/meetings", get(meetings::list))
        .route("/api/v1/{*rest}", get(|| async { ApiError::NoSuchPath }))
}

async fn openapi(headers: HeaderMap) -> Response {
    respond::bytes(&headers, OPENAPI.as_bytes().to_vec(), respond::Keep::Until(Scope::Directory), None)
}

/// An organization's years of something (`/reports`, `/ita-scores`), newest first.
#[derive(serde::Serialize)]
struct Years<T> {
    org: String,
    years: Vec<T>,
}

/// The organization of a slug, or the API's 404.
async fn org_of(state: &AppState, slug: &str) -> Result<crate::orgs::Org, ApiError> {
    crate::orgs::store::find_by_slug(&state.db, slug).await?.ok_or(ApiError::NoOrg)
}

/// A fiscal year (Buddhist era) as the path writes it: four ASCII digits of a plausible year.
fn year_of(text: &str) -> Result<crate::thai::FiscalYear, ApiError> {
    text.parse::<i32>()
        .ok()
        .filter(|_| text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| crate::thai::FiscalYear::new(y).ok())
        .ok_or(ApiError::NoYear)
}

/// A score kept in hundredths as the API writes it: 8757 → 87.57.
fn score(x100: i64) -> f64 {
    x100 as f64 / 100.0
}

/// Epoch seconds as RFC 3339 in UTC ("2023-09-29T03:00:00Z").
fn instant(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// An absolute URL of the public site.
fn url(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.settings.public_url)
}

/// Everything of one organization.
fn of_org(org: &crate::orgs::Org) -> Scope {
    Scope::Org(org.id.0)
}
