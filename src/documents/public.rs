//! The public documents library: every uploaded document (a page at a time), with the documents
//! the product generates listed beside them (the measures reports, the lending manual, the citizen
//! manuals); a document's page with its versions; its file at a stable URL.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::store;
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, download, page};
use crate::orgs::Org;
use crate::portal::cache::{Scope, cacheable};
use crate::portal::frame::{Frame, Section};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/documents", get(list))
        .route("/o/{slug}/documents/{id}", get(document_page))
        .route("/o/{slug}/documents/{id}/file", get(latest_file))
        .route("/o/{slug}/documents/{id}/v/{version}", get(version_file))
}

/// A document in a list, every string final.
pub struct Listed {
    pub href: String,
    pub title: String,
    pub category: &'static str,
    pub issued: String,
}

/// A document the product generates: (href, title).
pub type Generated = (String, String);

/// What the product itself publishes for `org`: the measures report of each published year, the
/// lending manual once issued, the citizen manuals' booklet once one is published.
pub async fn generated(state: &AppState, org: &Org) -> Result<Vec<Generated>, AppError> {
    let slug = &org.slug;
    let mut out = Vec::new();
    for year in crate::measures::publication::store::published_years(&state.db, org.id).await?.into_iter().rev() {
        out.push((
            format!("/o/{slug}/ita/{year}/measures.pdf"),
            format!(
                "รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {}",
                crate::thai::format_year_be(year as i32, org.digits)
            ),
        ));
    }
    if !crate::lending::manuals::list(&state.db, org.id).await?.is_empty() {
        out.push((format!("/o/{slug}/lending/manual.pdf"), "คู่มือการยืม-คืนพัสดุของทางราชการ".into()));
    }
    if !crate::services::versions::catalogue(&state.db, org.id).await?.is_empty() {
        out.push((format!("/o/{slug}/services/booklet.pdf"), "คู่มือสำหรับประชาชน (เล่มรวมทุกงานบริการ)".into()));
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "documents/public_list.html")]
struct ListPage {
    frame: Frame,
    documents: Vec<Listed>,
    pager: Pager,
    generated: Vec<Generated>,
}

async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&ListQuery { page: query.page, q: None })?;
    let frame = Frame::load(&state.db, &slug, Section::Documents).await?;
    let frame = frame.crumb(format!("/o/{slug}/documents"), "เอกสารเผยแพร่");
    let (documents, total) = store::page(&state.db, frame.org.id, &request).await?;
    let digits = frame.org.digits;
    let pager = Pager::new(&format!("/o/{slug}/documents"), &request, total, documents.len(), digits);
    let generated = if request.number == 1 { generated(&state, &frame.org).await? } else { Vec::new() };
    let frame = frame.updated_at_any(documents.iter().map(|d| d.updated_at).max());
    let documents = documents
        .into_iter()
        .map(|d| Listed {
            href: format!("/o/{slug}/documents/{}", d.id),
            category: d.details.category.label_th(),
            issued: super::issued_th(d.details.issued_on, digits),
            title: d.details.title,
        })
        .collect();
    let scope = Scope::Org(frame.org.id.0);
    Ok(cacheable(page(ListPage { frame, documents, pager, generated })?, scope))
}

struct VersionRow {
    href: String,
    label: String,
    file: String,
    note: String,
}

#[derive(Template)]
#[template(path = "documents/public_document.html")]
struct DocumentPage {
    frame: Frame,
    title: String,
    category: &'static str,
    description: Vec<String>,
    issued: String,
    fiscal_year: Option<String>,
    file_href: String,
    file_label: String,
    versions: Vec<VersionRow>,
    /// For a document meant for staff: "เจ้าหน้าที่รับทราบแล้ว ๒๘ จาก ๓๐ คน".
    acks: Option<String>,
}

async fn document_page(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Documents).await?;
    let document = store::find(&state.db, frame.org.id, id).await?.ok_or(AppError::NotFound)?;
    let versions = store::versions(&state.db, frame.org.id, id).await?;
    let digits = frame.org.digits;
    let latest = versions.first().ok_or(AppError::NotFound)?;
    let file_label = format!(
        "{} ({}, ฉบับที่ {})",
        latest.file_name,
        super::routes::size_th(latest.size_bytes, digits),
        crate::thai::format_int(latest.version, digits)
    );
    let rows = versions
        .iter()
        .map(|v| VersionRow {
            href: format!("/o/{slug}/documents/{id}/v/{}", v.version),
            label: format!(
                "ฉบับที่ {} · {}",
                crate::thai::format_int(v.version, digits),
                crate::thai::format_instant_th(v.created_at, digits)
            ),
            file: v.file_name.clone(),
            note: v.note.clone(),
        })
        .collect();
    let acks = super::acks::tally(&state.db, frame.org.id, id).await?.map(|t| {
        format!(
            "เจ้าหน้าที่อ่านและรับทราบฉบับที่ {} แล้ว {} จาก {} คน",
            crate::thai::format_int(t.version, digits),
            crate::thai::format_int(t.acknowledged, digits),
            crate::thai::format_int(t.staff, digits)
        )
    });
    let d = document.details;
    let frame = frame
        .crumb(format!("/o/{slug}/documents"), "เอกสารเผยแพร่")
        .crumb(format!("/o/{slug}/documents/{id}"), d.title.clone())
        .updated_at(document.updated_at);
    let body = DocumentPage {
        title: d.title,
        category: d.category.label_th(),
        description: d.description.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
        issued: super::issued_th(d.issued_on, digits),
        fiscal_year: d.fiscal_year.map(|y| crate::thai::format_year_be(y as i32, digits)),
        file_href: format!("/o/{slug}/documents/{id}/file"),
        file_label,
        versions: rows,
        acks,
        frame,
    };
    let scope = Scope::Org(body.frame.org.id.0);
    Ok(cacheable(page(body)?, scope))
}

/// A file as stored, with its SHA-256 as the ETag (`If-None-Match` naming it gets 304).
fn file_response(
    headers: &HeaderMap,
    name: &str,
    content_type: &str,
    sha: &str,
    bytes: Vec<u8>,
    immutable: bool,
) -> Response {
    let etag = format!("\"{sha}\"");
    let cache_control = if immutable { "public, max-age=31536000, immutable" } else { "public, no-cache" };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response =
        if matches { StatusCode::NOT_MODIFIED.into_response() } else { download(bytes, content_type, name, true) };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    response
}

/// The document's latest file: the URL to cite, which follows new versions.
async fn latest_file(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (name, content_type, sha, bytes) = store::file(&state.db, org.id, id, None).await?.ok_or(AppError::NotFound)?;
    Ok(file_response(&headers, &name, &content_type, &sha, bytes, false))
}

/// One version's file, which never changes.
async fn version_file(
    State(state): State<AppState>,
    Path((slug, id, version)): Path<(String, i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (name, content_type, sha, bytes) =
        store::file(&state.db, org.id, id, Some(version)).await?.ok_or(AppError::NotFound)?;
    Ok(file_response(&headers, &name, &content_type, &sha, bytes, true))
}
