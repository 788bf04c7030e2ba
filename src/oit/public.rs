//! `/o/SLUG/ita/YEAR`: the ITA menu by item code, each item with the pages and documents that
//! answer it, as the assessors and citizens read it. The index it prints is also the staff's.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use super::store::{self, Target};
use super::{Status, items, status};
use crate::app::AppState;
use crate::db::Db;
use crate::http::{AppError, page};
use crate::orgs::Org;
use crate::portal::cache::{Scope, cacheable};
use crate::portal::frame::{Frame, Section};

pub fn router() -> Router<AppState> {
    Router::new().route("/o/{slug}/ita/{year}", get(menu))
}

/// One link of an item, every string final.
pub struct LinkView {
    pub id: i64,
    pub href: String,
    pub label: String,
}

pub struct ItemView {
    pub code: String,
    pub title: String,
    pub status: Status,
    pub links: Vec<LinkView>,
}

pub struct GroupView {
    pub name: String,
    pub items: Vec<ItemView>,
}

/// The first second of fiscal year `year` in Thailand.
pub fn year_starts_at(year: i32) -> anyhow::Result<i64> {
    let fy = crate::thai::FiscalYear::new(year).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(crate::council::routes::thai_instant(fy.start(), chrono::NaiveTime::MIN))
}

/// The year's items grouped as the list groups them, with their links and status; None when no
/// list is shipped for the year.
pub async fn index(db: &Db, org: &Org, year: i32) -> anyhow::Result<Option<Vec<GroupView>>> {
    let Some(items) = items(year) else { return Ok(None) };
    let links = store::links(db, org.id, i64::from(year)).await?;
    let starts = year_starts_at(year)?;
    let mut groups: Vec<GroupView> = Vec::new();
    for item in items {
        let mine: Vec<&store::Link> = links.iter().filter(|l| l.item_code == item.code).collect();
        let changed: Vec<Option<i64>> = mine.iter().map(|l| l.changed_at).collect();
        let views = mine
            .iter()
            .map(|l| LinkView {
                id: l.id,
                href: match &l.target {
                    Target::Document(id) => format!("/o/{}/documents/{id}", org.slug),
                    Target::Url(url) => url.clone(),
                },
                label: l.label.clone(),
            })
            .collect();
        let view = ItemView { status: status(&changed, starts), code: item.code, title: item.title, links: views };
        match groups.last_mut() {
            Some(g) if g.name == item.group => g.items.push(view),
            _ => groups.push(GroupView { name: item.group, items: vec![view] }),
        }
    }
    Ok(Some(groups))
}

#[derive(Template)]
#[template(path = "oit/menu.html")]
struct MenuPage {
    frame: Frame,
    year: String,
    groups: Vec<GroupView>,
    answered: String,
    total: String,
}

async fn menu(State(state): State<AppState>, Path((slug, year)): Path<(String, String)>) -> Result<Response, AppError> {
    let year: i32 = year.parse::<crate::thai::FiscalYear>().map(|y| y.be()).map_err(|_| AppError::NotFound)?;
    let frame = Frame::load(&state.db, &slug, Section::Ita).await?;
    let groups = index(&state.db, &frame.org, year).await?.ok_or_else(|| {
        AppError::NotYet(format!(
            "ยังไม่มีรายการข้อมูลสาธารณะ (OIT) ของปีงบประมาณ พ.ศ. {} ในระบบ",
            crate::thai::format_year_be(year, frame.org.digits)
        ))
    })?;
    let digits = frame.org.digits;
    let all: Vec<&ItemView> = groups.iter().flat_map(|g| g.items.iter()).collect();
    let answered = crate::thai::format_int(all.iter().filter(|i| i.status != Status::Missing).count() as i64, digits);
    let total = crate::thai::format_int(all.len() as i64, digits);
    let year_th = crate::thai::format_year_be(year, digits);
    let frame = frame
        .crumb(format!("/o/{slug}/ita"), "ITA / OIT")
        .crumb(format!("/o/{slug}/ita/{year}"), format!("OIT ปี {year_th}"));
    let scope = Scope::Org(frame.org.id.0);
    Ok(cacheable(page(MenuPage { frame, year: year_th, groups, answered, total })?, scope))
}
