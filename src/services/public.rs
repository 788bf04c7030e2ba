//! The public catalogue: the services with a published manual, each service's page (its latest
//! version, dated; light for a cheap phone: no script, the flowchart inline as SVG with the steps'
//! table beside it), its PDF, every version's PDF, its forms, and the booklet. A draft never shows
//! here. Every page depends only on the organization's data (the booklet also on the day), so all
//! go through the public page cache.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;

use super::manual::{Manual, NO_DOCUMENTS, NO_FEE};
use super::pdf::version_th;
use super::versions::{self, Published};
use super::{ServiceId, flowchart, forms};
use crate::app::AppState;
use crate::http::{AppError, download, page};
use crate::orgs::Org;
use crate::portal::cache::{Scope, cacheable, cacheable_today};
use crate::thai::{Digits, format_int};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/services", get(catalogue))
        .route("/o/{slug}/services/booklet.pdf", get(booklet))
        .route("/o/{slug}/services/{id}", get(service_page))
        .route("/o/{slug}/services/{id}/flowchart.svg", get(service_flowchart))
        .route("/o/{slug}/services/{id}/manual.pdf", get(latest_pdf))
        .route("/o/{slug}/services/{id}/v/{file}", get(version_pdf))
        .route("/o/{slug}/services/{id}/forms/{form}", get(form_file))
}

async fn org_of(state: &AppState, slug: &str) -> Result<Org, AppError> {
    crate::orgs::store::find_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

fn id_of(id: &str) -> Result<ServiceId, AppError> {
    id.parse().map(ServiceId).map_err(|_| AppError::NotFound)
}

/// The latest published version, or a Thai 404 saying the manual is not published.
async fn published(state: &AppState, org: &Org, id: ServiceId) -> Result<Published, AppError> {
    versions::find(&state.db, org.id, id, None).await?.ok_or_else(|| not_published(org))
}

fn not_published(org: &Org) -> AppError {
    AppError::NotYet(format!("{}ยังไม่ได้ประกาศคู่มือสำหรับประชาชนของงานบริการนี้", org.name))
}

/// One service in the list, every string final.
struct Entry {
    id: i64,
    name: String,
    division: String,
    total: String,
    fee: String,
}

#[derive(Template)]
#[template(path = "services/public_list.html")]
struct CataloguePage {
    frame: crate::portal::frame::Frame,
    org: Org,
    entries: Vec<Entry>,
}

/// A fee summary for the list: the one amount, "ไม่มีค่าธรรมเนียม", or how many items.
fn fee_summary(m: &Manual, digits: Digits) -> String {
    match m.fees.as_slice() {
        [] => NO_FEE.into(),
        [one] => one.amount_th(digits),
        many => format!("{} รายการ", format_int(many.len() as i64, digits)),
    }
}

async fn catalogue(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let digits = org.digits;
    let entries = versions::catalogue(&state.db, org.id)
        .await?
        .into_iter()
        .map(|(s, p)| Entry {
            id: s.id.0,
            name: p.manual.name.clone(),
            division: p.manual.division.clone(),
            total: p.manual.total_th(digits),
            fee: fee_summary(&p.manual, digits),
        })
        .collect();
    let scope = Scope::Org(org.id.0);
    let frame = crate::portal::frame::Frame::of(&state.db, org.clone(), crate::portal::frame::Section::Services)
        .await?
        .crumb(format!("/o/{slug}/services"), "งานบริการ");
    Ok(cacheable(page(CataloguePage { frame, org, entries })?, scope))
}

/// A step as the page's table shows it.
struct StepView {
    n: String,
    what: String,
    who: String,
    time: String,
    counter: bool,
}

#[derive(Template)]
#[template(path = "services/public_service.html")]
struct ServicePage {
    frame: crate::portal::frame::Frame,
    /// The points that give it and what each offers while citizens wait: (name, facilities).
    points: Vec<(String, Vec<&'static str>)>,
    org: Org,
    id: i64,
    m: Manual,
    version: String,
    number: i64,
    earlier: Vec<(i64, String)>,
    steps: Vec<StepView>,
    total: String,
    counter: Option<String>,
    documents: Vec<(String, String, String, String)>,
    fees: Vec<(String, String, String)>,
    no_documents: &'static str,
    no_fee: &'static str,
    flowchart: String,
}

async fn service_page(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let id = id_of(&id)?;
    let all = versions::list(&state.db, org.id, id).await?;
    let Some(latest) = all.first().cloned() else { return Err(not_published(&org)) };
    let d = org.digits;
    let n = |v: i64| format_int(v, d);
    let m = latest.manual.clone();
    let points = crate::queue::facilities::points_of_service(&state.db, org.id, id.0)
        .await?
        .into_iter()
        .map(|(name, stored)| (name, crate::queue::facilities::labels(&stored)))
        .collect();
    let frame = crate::portal::frame::Frame::of(&state.db, org.clone(), crate::portal::frame::Section::Services)
        .await?
        .crumb(format!("/o/{slug}/services"), "งานบริการ")
        .crumb(format!("/o/{slug}/services/{}", id.0), m.name.clone())
        .updated_at(latest.published_at);
    let view = ServicePage {
        frame,
        points,
        id: id.0,
        version: version_th(Some((latest.number, latest.published_at)), d),
        number: latest.number,
        earlier: all.iter().skip(1).map(|v| (v.number, version_th(Some((v.number, v.published_at)), d))).collect(),
        steps: m
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                n: n(i as i64 + 1),
                what: d.apply(&s.what),
                who: d.apply(&s.who),
                time: s.time_th(d),
                counter: s.at_counter,
            })
            .collect(),
        total: m.total_th(d),
        counter: m.counter_minutes().map(|c| super::manual::duration_th(c, false, d)),
        documents: m
            .documents
            .iter()
            .enumerate()
            .map(|(i, x)| (n(i as i64 + 1), d.apply(&x.name), x.amount_th(d), d.apply(&x.issued_by)))
            .collect(),
        fees: m.fees.iter().map(|f| (d.apply(&f.what), f.amount_th(d), d.apply(&f.note))).collect(),
        no_documents: NO_DOCUMENTS,
        no_fee: NO_FEE,
        flowchart: flowchart::svg(&m, d),
        m: Manual {
            place: d.apply(&m.place),
            hours: d.apply(&m.hours),
            legal_basis: m.legal_basis.iter().map(|l| d.apply(l)).collect(),
            criteria: m.criteria.iter().map(|l| d.apply(l)).collect(),
            complaints: m.complaints.iter().map(|l| d.apply(l)).collect(),
            remarks: m.remarks.iter().map(|l| d.apply(l)).collect(),
            time_basis: d.apply(&m.time_basis),
            ..m.clone()
        },
        org,
    };
    let scope = Scope::Org(view.org.id.0);
    Ok(cacheable(page(view)?, scope))
}

async fn service_flowchart(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let latest = published(&state, &org, id_of(&id)?).await?;
    let svg = super::routes::svg_response(flowchart::svg(&latest.manual, org.digits));
    Ok(cacheable(svg, Scope::Org(org.id.0)))
}

async fn latest_pdf(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let id = id_of(&id)?;
    let latest = published(&state, &org, id).await?;
    let bytes = versions::pdf_of(&state.db, &state.pdf, &org, &latest).await?;
    let file = download(bytes, "application/pdf", &format!("service-{}-{id}.pdf", org.slug), true);
    Ok(cacheable(file, Scope::Org(org.id.0)))
}

/// `N.pdf`: version N, which never changes (so browsers may keep it).
async fn version_pdf(
    State(state): State<AppState>,
    Path((slug, id, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let id = id_of(&id)?;
    let number: i64 = file.strip_suffix(".pdf").and_then(|n| n.parse().ok()).ok_or(AppError::NotFound)?;
    let version = versions::find(&state.db, org.id, id, Some(number)).await?.ok_or(AppError::NotFound)?;
    let bytes = versions::pdf_of(&state.db, &state.pdf, &org, &version).await?;
    let mut file = download(bytes, "application/pdf", &format!("service-{}-{id}-v{number}.pdf", org.slug), true);
    file.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(cacheable(file, Scope::Org(org.id.0)))
}

/// A form, once a published version of its service offers it (a draft's upload stays private).
/// Sent as an attachment, with a policy that lets it run nothing if a browser opens it.
async fn form_file(
    State(state): State<AppState>,
    Path((slug, id, form)): Path<(String, String, i64)>,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let id = id_of(&id)?;
    let offered =
        versions::list(&state.db, org.id, id).await?.iter().any(|v| v.manual.forms.iter().any(|f| f.id == form));
    if !offered {
        return Err(AppError::NotFound);
    }
    let (form, bytes) = forms::file(&state.db, org.id, id, form).await?.ok_or(AppError::NotFound)?;
    let mut file = download(bytes, &form.content_type, &form.file_name, false);
    file.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(cacheable(file, Scope::Org(org.id.0)))
}

async fn booklet(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let bytes = versions::booklet(&state.db, &state.pdf, &org, crate::thai::today_in_thailand())
        .await?
        .ok_or_else(|| AppError::NotYet(format!("{}ยังไม่ได้ประกาศคู่มือสำหรับประชาชน", org.name)))?;
    let file = download(bytes, "application/pdf", &format!("services-{}.pdf", org.slug), true);
    // Its cover gives the day it was printed.
    Ok(cacheable_today(file, Scope::Org(org.id.0)))
}
