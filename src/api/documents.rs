//! `/api/v1/orgs/{slug}/documents`: the public documents library (`documents::store::page`, as the
//! library page lists it), newest date first, 50 a page. Files are linked at their stable public
//! URLs; who uploaded a version is not emitted.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::paging::{self, Page, Paging};
use super::respond::{self, Keep};
use crate::app::AppState;
use crate::http::paging::{PAGE_SIZE, PageRequest};

#[derive(Serialize)]
struct Document {
    id: i64,
    title: String,
    category: &'static str,
    category_th: &'static str,
    description: String,
    fiscal_year: Option<i64>,
    /// The date on the document (ISO 8601, Common Era).
    issued_on: Option<String>,
    latest_version: i64,
    updated_at: String,
    page_url: String,
    file_url: String,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    page: Option<String>,
    per_page: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query: ListQuery = paging::query(raw.as_deref())?;
    let page_size = PAGE_SIZE as usize;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref(), Some(page_size))?;
    let org = super::org_of(&state, &slug).await?;
    let request = PageRequest { number: paging.page as i64, search: String::new() };
    let (documents, total) = crate::documents::store::page(&state.db, org.id, &request).await?;
    let public = |rest: String| super::url(&state, &format!("/o/{}/documents/{rest}", org.slug));
    let items = documents
        .into_iter()
        .map(|d| Document {
            page_url: public(d.id.to_string()),
            file_url: public(format!("{}/file", d.id)),
            id: d.id,
            category: d.details.category.code(),
            category_th: d.details.category.label_th(),
            issued_on: crate::documents::date_of(d.details.issued_on).map(|day| day.to_string()),
            title: d.details.title,
            description: d.details.description,
            fiscal_year: d.details.fiscal_year,
            latest_version: d.latest_version,
            updated_at: super::instant(d.updated_at),
        })
        .collect();
    let page: Page<Document> = paging.page_of(items, total as usize)?;
    let base = super::url(&state, &format!("/api/v1/orgs/{}/documents", org.slug));
    let link = paging.link(&base, page.pages, false);
    respond::json(&headers, &page, Keep::Until(super::of_org(&org)), Some(link))
}
