//! `GET /o/SLUG/queue/board[?point=ID]`: the display board, whole from the server.
//!
//! The page shows everything by itself (a screen without JavaScript refreshes it every
//! [`REFRESH_SECS`]); board.js then keeps it live from the stream, starting after the event id
//! the page was rendered at, and speaks each call. The page without a query is kept by the public
//! page cache until the organization's next change or midnight (it shows today only).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::store::{self, BoardState, QueueEvent};
use super::wire::time_of_day;
use crate::app::AppState;
use crate::db::Db;
use crate::http::{AppError, page};
use crate::orgs::{Org, OrgId};
use crate::portal::cache::{Scope, cacheable_today};
use crate::thai::Digits;

/// A screen without JavaScript reloads this often.
pub const REFRESH_SECS: u32 = 15;

#[derive(serde::Deserialize)]
pub struct BoardQuery {
    point: Option<String>,
}

/// The point a board asks for: None for every point; 404 for a point not of this organization
/// (or not a number), so another organization's point ids tell nothing.
pub async fn point_of(db: &Db, org: OrgId, asked: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(asked) = asked.map(str::trim).filter(|a| !a.is_empty()) else { return Ok(None) };
    let id = crate::thai::parse_number(asked).and_then(|n| i64::try_from(n).ok()).ok_or(AppError::NotFound)?;
    if store::points(db, org, Some(id)).await?.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Some(id))
}

struct CounterView {
    id: i64,
    name: String,
    /// The ticket it called last today, "A๐๑๒", or empty.
    label: String,
    service: String,
    time: String,
}

struct WaitingView {
    service_id: i64,
    name: String,
    count: String,
}

struct PointView {
    id: i64,
    name: String,
    counters: Vec<CounterView>,
    waiting: Vec<WaitingView>,
}

struct CallView {
    label: String,
    counter: String,
    service: String,
    time: String,
}

#[derive(Template)]
#[template(path = "queue/board.html")]
struct BoardPage {
    org: Org,
    /// The point's name when the board shows one point.
    title: String,
    points: Vec<PointView>,
    recent: Vec<CallView>,
    /// Where board.js follows the queue from (the stream, after the page's last event).
    stream: String,
    /// When the day shown ends (epoch ms): board.js reloads the page then.
    day_ends_ms: i64,
    refresh_secs: u32,
}

pub async fn board(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let point = point_of(&state.db, org.id, query.point.as_deref()).await?;
    let board = store::board_state(&state.db, org.id, point).await?;
    let mut stream = format!("/o/{}/queue/board/events?after={}", org.slug, board.last_event_id);
    if let Some(point) = point {
        stream.push_str(&format!("&point={point}"));
    }
    let title = match point {
        Some(_) => board.points.first().map(|p| p.name.clone()).unwrap_or_default(),
        None => String::new(),
    };
    let day_ends_ms = store::day_start_ms(store::thai_day(store::now_ms()) + 1);
    let (points, recent) = views(&board, org.digits);
    let scope = Scope::Org(org.id.0);
    let response = page(BoardPage { org, title, points, recent, stream, day_ends_ms, refresh_secs: REFRESH_SECS })?;
    Ok(cacheable_today(response, scope))
}

fn views(board: &BoardState, digits: Digits) -> (Vec<PointView>, Vec<CallView>) {
    let call = |e: &QueueEvent| CallView {
        // The label is a code the citizen matches against the paper ticket, character for
        // character: shown as printed, whatever the organization's digits.
        label: e.label.clone(),
        counter: digits.apply(e.counter.as_deref().unwrap_or_default()),
        service: e.service.clone(),
        time: time_of_day(e.at_ms, digits),
    };
    let points = board
        .points
        .iter()
        .map(|p| PointView {
            id: p.id,
            name: p.name.clone(),
            counters: board
                .counters
                .iter()
                .filter(|c| c.point_id == p.id)
                .map(|c| {
                    let last = board.current.iter().find(|e| e.counter_id == Some(c.id)).map(call);
                    let (label, service, time) = last.map(|v| (v.label, v.service, v.time)).unwrap_or_default();
                    CounterView { id: c.id, name: digits.apply(&c.name), label, service, time }
                })
                .collect(),
            waiting: board
                .waiting
                .iter()
                .filter(|w| w.point_id == p.id)
                .map(|w| WaitingView {
                    service_id: w.service_id,
                    name: w.service.clone(),
                    count: crate::thai::format_grouped(w.count, digits),
                })
                .collect(),
        })
        .collect();
    (points, board.recent.iter().map(call).collect())
}
