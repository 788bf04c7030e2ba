//! The organization's public transparency site: open to every citizen, no login.

pub mod cache;
pub mod demo;
mod directory;
pub mod frame;
mod reports;
pub mod search;
mod settings_routes;
mod site_pages;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use self::cache::{Scope, cacheable, cacheable_today};
use crate::app::AppState;
use crate::docs::MeasuresReportDoc;
use crate::http::{AppError, download, page};
use crate::measures::report::ReportSource;
use crate::orgs::{Org, store};
use crate::thai::FiscalYear;

pub mod words;

/// The report template's filter: a line with our word boundaries for the browser (`words`).
mod filters {
    use crate::docs::MeasuresReportDoc;

    #[askama::filter_fn]
    pub fn thai_words(
        line: impl std::fmt::Display,
        _: &dyn askama::Values,
        doc: &MeasuresReportDoc,
    ) -> askama::Result<askama::filters::Safe<String>> {
        let keep = crate::docs::pdf::kept_words(doc);
        Ok(askama::filters::Safe(super::words::html(&line.to_string(), &keep)))
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(directory::index))
        .route("/static/app.css", get(|| async { css(APP_CSS) }))
        .route("/static/report.css", get(|| async { css(REPORT_CSS) }))
        .route("/static/thai-date.js", get(|| async { script(THAI_DATE_JS) }))
        .route("/static/unsaved.js", get(|| async { script(UNSAVED_JS) }))
        .route("/static/fonts/Sarabun-Regular.ttf", get(|| async { font(SARABUN_REGULAR) }))
        .route("/static/fonts/Sarabun-Bold.ttf", get(|| async { font(SARABUN_BOLD) }))
        .route("/static/site.js", get(|| async { script(SITE_JS) }))
        .route("/o/{slug}/", get(site_pages::home))
        .route("/o/{slug}/ita", get(site_pages::ita))
        .route("/o/{slug}/contact", get(site_pages::contact))
        .route("/o/{slug}/audit", get(site_pages::audit))
        .route("/o/{slug}/emblem/{sha}", get(site_pages::emblem))
        .route("/o/{slug}/search", get(search::search))
        .route(
            "/o/{slug}",
            get(|Path(slug): Path<String>| async move { crate::http::see_other(&format!("/o/{slug}/")) }),
        )
        .route("/o/{slug}/evidence/{id}", get(evidence_file))
        .route("/o/{slug}/audit/head", get(audit_head))
        .route("/o/{slug}/items/{asset_number}", get(item_page))
        .route("/o/{slug}/lending/manual.pdf", get(lending_manual))
        .merge(reports::router())
        .merge(settings_routes::router())
}

const APP_CSS: &str = include_str!("../../assets/static/app.css");
const REPORT_CSS: &str = include_str!("../../assets/static/report.css");
/// The date fields' echo while typing (progressive: the server echoes after submitting anyway).
const THAI_DATE_JS: &str = include_str!("../../assets/static/thai-date.js");
/// The warning before leaving a form with unsaved typing (progressive: forms work without it).
const UNSAVED_JS: &str = include_str!("../../assets/static/unsaved.js");
/// The public site's view switches remembered between pages (progressive: they work without it).
const SITE_JS: &str = include_str!("../../assets/static/site.js");

/// The shipped Thai font, so pages read the same as the PDF on machines without a Thai font.
const SARABUN_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Regular.ttf");
const SARABUN_BOLD: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Bold.ttf");

fn font(body: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, "font/ttf"), (header::CACHE_CONTROL, "public, max-age=604800, immutable")], body)
        .into_response()
}

fn css(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

fn script(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

async fn org_of(state: &AppState, slug: &str) -> Result<Org, AppError> {
    store::find_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

fn parse_year(year: &str) -> Result<i64, AppError> {
    year.parse::<FiscalYear>().map(|y| y.be() as i64).map_err(|_| AppError::NotFound)
}

#[derive(Template)]
#[template(path = "portal/report.html")]
struct ReportPage<'a> {
    doc: &'a MeasuresReportDoc,
    /// A downloaded file carries its stylesheet; the served page links it (strict CSP).
    inline_css: Option<&'static str>,
    evidence: Vec<(String, String)>,
    /// A published version's page: its number, date, files and the versions before it.
    published: Option<&'a PublishedView>,
}

/// What a published version's web page shows around the report, every string final.
pub struct PublishedView {
    /// "ฉบับที่ ๒"
    pub version: String,
    /// When it was published: "๓๐ พ.ย. ๒๕๖๙ ๑๗:๐๕ น." (shown as ปรับปรุงล่าสุด).
    pub updated: String,
    pub pdf: String,
    pub docx: String,
    /// The year's latest version and the organization's home page.
    pub latest: String,
    pub home: String,
    /// The versions published before it: (link, "ฉบับที่ ๑ เผยแพร่เมื่อ …").
    pub earlier: Vec<(String, String)>,
}

/// A published version's web page, rendered once when it is published (and served as stored).
pub fn published_report_html(
    doc: &MeasuresReportDoc,
    evidence: Vec<(String, String)>,
    view: &PublishedView,
) -> anyhow::Result<String> {
    ReportPage { doc, inline_css: None, evidence, published: Some(view) }
        .render()
        .map_err(|e| anyhow::anyhow!("template: {e}"))
}

/// The report as a standalone HTML file (for `report --format html` and downloads).
pub fn report_html(source: &ReportSource) -> anyhow::Result<String> {
    let doc = source.to_doc();
    ReportPage { doc: &doc, inline_css: Some(REPORT_CSS), evidence: Vec::new(), published: None }
        .render()
        .map_err(|e| anyhow::anyhow!("template: {e}"))
}

async fn evidence_file(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let (e, bytes) = crate::measures::evidence::file(&state.db, org.id, id).await?.ok_or(AppError::NotFound)?;
    let file = download(
        bytes,
        e.content_type.as_deref().unwrap_or("application/octet-stream"),
        e.file_name.as_deref().unwrap_or("evidence"),
        true,
    );
    Ok(cacheable(file, Scope::Org(org.id.0)))
}

#[derive(Template)]
#[template(path = "portal/item.html")]
struct ItemPage {
    frame: frame::Frame,
    item: crate::lending::items::Item,
    class: &'static str,
    /// Whether it is on the shelf and how many units are free, from `lending::availability`.
    status: String,
}

/// What a QR label opens: the item, whether it is in, and how to borrow it.
async fn item_page(
    State(state): State<AppState>,
    Path((slug, asset)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let frame = frame::Frame::of(&state.db, org.clone(), frame::Section::Other).await?;
    let item =
        crate::lending::items::find_by_asset_number(&state.db, org.id, &asset).await?.ok_or(AppError::NotFound)?;
    // The same answer as the booking check and the staff pages: lending's availability.
    let shelf = crate::lending::availability::today(&state.db, org.id, item.id).await?.ok_or(AppError::NotFound)?;
    let scope = Scope::Org(org.id.0);
    // It shows what is free today: kept until a change or the end of the day.
    Ok(cacheable_today(
        page(ItemPage { class: item.class.label_th(), status: shelf.label_th(org.digits), item, frame })?,
        scope,
    ))
}

async fn lending_manual(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    // The issued version, byte for byte; nothing is rendered from today's data here.
    let bytes = crate::lending::manuals::pdf_of(&state.db, &state.pdf, org.id, None).await?.ok_or_else(|| {
        AppError::NotYet(format!(
            "{}ยังไม่ได้ประกาศใช้คู่มือการยืม-คืนพัสดุ เมื่อหัวหน้าหน่วยงานอนุมัติและประกาศแล้ว คู่มือจะแสดงที่นี่",
            org.name
        ))
    })?;
    let file = download(bytes, "application/pdf", &format!("lending-manual-{}.pdf", org.slug), true);
    Ok(cacheable(file, Scope::Org(org.id.0)))
}

/// The audit chain head as JSON, for anyone who wants to record it and check the log later.
async fn audit_head(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let head = crate::audit::published_head(&state.db, &org, state.settings.audit_signer.as_deref())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(axum::Json(head).into_response())
}
