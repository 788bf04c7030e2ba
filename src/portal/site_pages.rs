//! The site's own pages: home (what is new), the ITA menu, contact, the audit chain head, and
//! the emblem.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::cache::{Scope, cacheable, cacheable_today};
use super::frame::{Frame, Section};
use crate::app::AppState;
use crate::http::{AppError, page};

/// Entries of each kind on the home page.
const HOME_ENTRIES: i64 = 5;

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    frame: Frame,
    news: Vec<crate::news::public::Listed>,
    documents: Vec<crate::documents::public::Listed>,
    /// The latest published measures report: (year, year in the org's digits).
    report: Option<(i64, String)>,
    has_services: bool,
}

pub async fn home(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Home).await?;
    let (org, digits) = (frame.org.id, frame.org.digits);
    let posts = crate::news::store::latest_public(&state.db, org, HOME_ENTRIES).await?;
    let news = posts.iter().map(|p| crate::news::public::listed(&slug, p, digits)).collect();
    let docs = crate::documents::store::latest(&state.db, org, HOME_ENTRIES).await?;
    let documents = docs
        .iter()
        .map(|d| crate::documents::public::Listed {
            href: format!("/o/{slug}/documents/{}", d.id),
            title: d.details.title.clone(),
            category: d.details.category.label_th(),
            issued: crate::documents::issued_th(d.details.issued_on, digits),
        })
        .collect();
    let report = crate::measures::publication::store::published_years(&state.db, org)
        .await?
        .into_iter()
        .max()
        .map(|y| (y, crate::thai::format_year_be(y as i32, digits)));
    let has_services = !crate::services::versions::catalogue(&state.db, org).await?.is_empty();
    let newest = posts.iter().map(|p| p.updated_at).chain(docs.iter().map(|d| d.updated_at)).max();
    let frame = frame.updated_at_any(newest);
    let scope = Scope::Org(frame.org.id.0);
    Ok(cacheable(page(HomePage { frame, news, documents, report, has_services })?, scope))
}

#[derive(Template)]
#[template(path = "portal/ita.html")]
struct ItaPage {
    frame: Frame,
    /// Years with a published measures report: (year, in the org's digits).
    years: Vec<(i64, String)>,
    /// Satisfaction results by fiscal year (this year and the last).
    satisfaction: Vec<(i32, String)>,
    /// Years with an OIT index: (year, in the org's digits).
    oit: Vec<(i32, String)>,
    /// Published O42/O43 documents: (label, PDF, Word).
    documents: Vec<(String, String, String)>,
}

/// The ITA menu: each year's measures report and the satisfaction results.
pub async fn ita(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Ita).await?;
    let (org, digits) = (frame.org.id, frame.org.digits);
    // Only years with a published version: a draft is not public.
    let mut years: Vec<(i64, String)> = crate::measures::publication::store::published_years(&state.db, org)
        .await?
        .into_iter()
        .map(|y| (y, crate::thai::format_year_be(y as i32, digits)))
        .collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    let satisfaction = if crate::survey::store::main_survey(&state.db, org).await?.is_some() {
        let now = crate::thai::FiscalYear::of(crate::thai::today_in_thailand());
        [now.be(), now.be() - 1].into_iter().map(|y| (y, crate::thai::format_year_be(y, digits))).collect()
    } else {
        Vec::new()
    };
    let oit = crate::oit::years().into_iter().map(|y| (y, crate::thai::format_year_be(y, digits))).collect();
    let documents = crate::ita::documents::public::listed(&state, &frame.org).await?;
    let frame = frame.crumb(format!("/o/{slug}/ita"), "ITA / OIT");
    let scope = Scope::Org(frame.org.id.0);
    // The fiscal years offered move with the date.
    Ok(cacheable_today(page(ItaPage { frame, years, satisfaction, oit, documents })?, scope))
}

#[derive(Template)]
#[template(path = "portal/contact.html")]
struct ContactPage {
    frame: Frame,
}

pub async fn contact(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Contact).await?;
    let updated = super::frame::load(&state.db, frame.org.id).await?.updated_at;
    let frame = frame.crumb(format!("/o/{slug}/contact"), "ติดต่อเรา");
    let frame = frame.updated_at_any(updated);
    let scope = Scope::Org(frame.org.id.0);
    Ok(cacheable(page(ContactPage { frame })?, scope))
}

#[derive(Template)]
#[template(path = "portal/audit.html")]
struct AuditPage {
    frame: Frame,
    /// Entries (in the org's digits) and the last hash.
    head: Option<(String, String)>,
}

/// The audit chain head, for anyone who wants to note it and check later that nothing was rewritten.
pub async fn audit(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Other).await?;
    let head = crate::audit::head(&state.db, frame.org.id)
        .await?
        .map(|(n, h)| (crate::thai::format_grouped(n, frame.org.digits), h));
    let frame = frame.crumb(format!("/o/{slug}/audit"), "บันทึกการเปลี่ยนแปลงข้อมูล");
    let scope = Scope::Org(frame.org.id.0);
    Ok(cacheable(page(AuditPage { frame, head })?, scope))
}

/// The emblem, at a URL named by its SHA-256: it never changes, so it is kept a year.
pub async fn emblem(
    State(state): State<AppState>,
    Path((slug, sha)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (content_type, bytes) = super::frame::emblem(&state.db, org.id, &sha).await?.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_string()),
        ],
        bytes,
    )
        .into_response())
}
