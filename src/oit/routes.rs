//! Staff pages of the OIT index: the year's items with what is missing or stale, and each item's
//! page where a document of the library or a page of the site is linked to it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::public::{GroupView, ItemView, index};
use super::store::{self, Target};
use super::{Status, items};
use crate::app::AppState;
use crate::http::paging::PageRequest;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, page, see_other};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/oit", get(latest))
        .route("/app/oit/{year}", get(year_page))
        .route("/app/oit/{year}/{code}", get(item_page).post(add_link))
        .route("/app/oit/links/{id}/remove", post(remove_link))
}

fn year_of(year: &str) -> Result<i32, AppError> {
    let year = year.parse::<crate::thai::FiscalYear>().map(|y| y.be()).map_err(|_| AppError::NotFound)?;
    items(year).map(|_| year).ok_or(AppError::NotFound)
}

/// The newest year with a list.
async fn latest(_me: CurrentUser) -> Result<Response, AppError> {
    let year = super::years().first().copied().ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("/app/oit/{year}")))
}

#[derive(Template)]
#[template(path = "oit/index.html")]
struct IndexPage {
    me: CurrentUser,
    year: i32,
    year_th: String,
    years: Vec<(i32, String)>,
    groups: Vec<GroupView>,
    /// "ยังไม่มีข้อมูล ๓๐ รายการ · ไม่เป็นปัจจุบัน ๑ · มีข้อมูลแล้ว ๑๒"
    summary: String,
}

async fn year_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(year): Path<String>,
) -> Result<Response, AppError> {
    let year = year_of(&year)?;
    let groups = index(&state.db, &me.org, year).await?.ok_or(AppError::NotFound)?;
    let digits = me.org.digits;
    let count = |s: Status| {
        crate::thai::format_int(
            groups.iter().flat_map(|g| g.items.iter()).filter(|i| i.status == s).count() as i64,
            digits,
        )
    };
    let summary = format!(
        "ยังไม่มีข้อมูล {} รายการ · ไม่เป็นปัจจุบัน {} รายการ · มีข้อมูลแล้ว {} รายการ",
        count(Status::Missing),
        count(Status::Stale),
        count(Status::Answered)
    );
    let years = super::years().into_iter().map(|y| (y, crate::thai::format_year_be(y, digits))).collect();
    let year_th = crate::thai::format_year_be(year, digits);
    page(IndexPage { me, year, year_th, years, groups, summary })
}

#[derive(Template)]
#[template(path = "oit/item.html")]
struct ItemPage {
    me: CurrentUser,
    year: i32,
    year_th: String,
    item: ItemView,
    group: String,
    /// The library's documents to choose from: (id, "title · date").
    documents: Vec<(i64, String)>,
    /// Pages of the site that often answer an item: (path, label).
    pages: Vec<(String, &'static str)>,
    errors: FieldErrors,
    url: String,
    can_edit: bool,
}

/// Pages of the product that answer common items (the office picks which).
fn site_pages(slug: &str, year: i32) -> Vec<(String, &'static str)> {
    vec![
        (format!("/o/{slug}/contact"), "หน้าติดต่อเรา"),
        (format!("/o/{slug}/news"), "หน้าข่าวและประกาศ"),
        (format!("/o/{slug}/services"), "คู่มือสำหรับประชาชน (งานบริการ)"),
        (format!("/o/{slug}/ita/{year}/satisfaction"), "ผลการประเมินความพึงพอใจ"),
        (format!("/o/{slug}/ita/{year}/measures"), "รายงานมาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
        (format!("/o/{slug}/council"), "หน้าสภา (การประชุมและการเข้าฟังของประชาชน)"),
        (format!("/o/{slug}/documents"), "หน้าเอกสารเผยแพร่"),
    ]
}

async fn item_view(
    state: &AppState,
    me: CurrentUser,
    year: i32,
    code: &str,
    errors: FieldErrors,
    url: String,
) -> Result<Response, AppError> {
    let groups = index(&state.db, &me.org, year).await?.ok_or(AppError::NotFound)?;
    let (group, item) = groups
        .into_iter()
        .flat_map(|g| {
            let name = g.name;
            g.items.into_iter().map(move |i| (name.clone(), i))
        })
        .find(|(_, i)| i.code == code)
        .ok_or(AppError::NotFound)?;
    let digits = me.org.digits;
    let (docs, _) =
        crate::documents::store::page(&state.db, me.org_id(), &PageRequest { number: 1, search: String::new() })
            .await?;
    let documents = docs
        .into_iter()
        .map(|d| (d.id, format!("{} · {}", d.details.title, crate::documents::issued_th(d.details.issued_on, digits))))
        .collect();
    let pages = site_pages(&me.org.slug, year);
    let refused = !errors.is_empty();
    let can_edit = me.user.role.can_edit();
    let year_th = crate::thai::format_year_be(year, digits);
    form_page(ItemPage { me, year, year_th, item, group, documents, pages, errors, url, can_edit }, refused)
}

async fn item_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((year, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let year = year_of(&year)?;
    item_view(&state, me, year, &code, FieldErrors::new(), String::new()).await
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    document_id: String,
    #[serde(default)]
    url: String,
}

async fn add_link(
    State(state): State<AppState>,
    Path((year, code)): Path<(String, String)>,
    CsrfForm { user: me, form }: CsrfForm<LinkForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let year = year_of(&year)?;
    if !items(year).unwrap_or_default().iter().any(|i| i.code == code) {
        return Err(AppError::NotFound);
    }
    let url = form.url.trim();
    let own_page = format!("/o/{}/", me.org.slug);
    let target = match (form.document_id.trim().parse::<i64>().ok(), url.is_empty()) {
        (Some(id), true) => Target::Document(id),
        (None, false)
            if (url.starts_with(&own_page) || url.starts_with("https://")) && !url.contains(char::is_whitespace) =>
        {
            Target::Url(url.to_string())
        }
        (None, false) => {
            let errors = FieldErrors::one(
                "url",
                format!("ลิงก์ \"{url}\" ไม่ถูกต้อง: ใช้หน้าของเว็บไซต์นี้ (ขึ้นต้นด้วย {own_page}) หรือที่อยู่ที่ขึ้นต้นด้วย https://"),
            );
            return item_view(&state, me, year, &code, errors, url.to_string()).await;
        }
        _ => {
            let errors = FieldErrors::one("document_id", "กรุณาเลือกเอกสารหนึ่งรายการ หรือกรอกลิงก์หนึ่งรายการ (อย่างใดอย่างหนึ่ง)");
            return item_view(&state, me, year, &code, errors, url.to_string()).await;
        }
    };
    let mut tx = state.db.write(me.org_id()).await?;
    if store::add(&mut tx, me.org_id(), i64::from(year), &code, &target, &me.actor()).await?.is_none() {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/oit/{year}/{code}")))
}

#[derive(Deserialize)]
struct Empty {}

async fn remove_link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let (year, code) = store::item_of(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let mut tx = state.db.write(me.org_id()).await?;
    if !store::remove(&mut tx, me.org_id(), id, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/oit/{year}/{code}")))
}
