//! `GET /o/SLUG/queue/board/events[?point=ID][&after=ID]`: the board's server-sent events.
//!
//! Each queue event goes out with its `queue_events` id as the SSE id, so a browser that
//! reconnects (after a network cut, or when this server stops and another starts) sends
//! `Last-Event-ID` and first gets exactly what it missed, read from the database, then the live
//! batches of the organization's feed (`feed.rs`). A connection holds at most one page of
//! events and a few messages: a board that reads slowly falls behind the feed's kept batches and
//! catches up from the database again. Comments every [`HEARTBEAT`] keep proxies from closing
//! an idle stream; when the server stops, every stream ends so the boards move to the next server.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{broadcast, mpsc, watch};

use super::feed::{Batch, Feed, PAGE};
use super::store;
use super::wire::{WireEvent, counts_by_point};
use crate::app::AppState;
use crate::db::Db;
use crate::http::AppError;
use crate::orgs::OrgId;
use crate::thai::Digits;

/// A comment this often keeps an idle stream open through proxies.
pub const HEARTBEAT: Duration = Duration::from_secs(15);
/// How soon a browser reconnects after the stream ends or breaks.
const RETRY: Duration = Duration::from_secs(2);
/// Messages waiting for a slow connection.
const OUTBOX: usize = 16;

#[derive(serde::Deserialize)]
pub struct StreamQuery {
    point: Option<String>,
    after: Option<String>,
}

/// Where a board's stream is: the organization, the point (None: every point) and its digits.
struct Board {
    db: Db,
    org: OrgId,
    point: Option<i64>,
    digits: Digits,
}

pub async fn events(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let point = super::page::point_of(&state.db, org.id, query.point.as_deref()).await?;
    // The browser's own position wins over the one the page was rendered with.
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(query.after.as_deref())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|&id| id >= 0);
    let after = match resume {
        Some(id) => id,
        None => store::last_event_id(&state.db, org.id).await?,
    };
    let feed = state.boards.follow(&state.db, org.id).await?;
    // Subscribed before the database is read for what came before: nothing falls between.
    let batches = feed.subscribe();
    let (outbox, out) = mpsc::channel(OUTBOX);
    let board = Board { db: state.db.clone(), org: org.id, point, digits: org.digits };
    let open = state.boards.open_stream();
    tokio::spawn(pump(board, after, (feed, open), batches, outbox, state.boards.closing()));
    let stream = futures_util::stream::unfold(out, |mut out| async move {
        out.recv().await.map(|event| (Ok::<Event, Infallible>(event), out))
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT)).into_response();
    // nginx would otherwise hold the events in its buffer.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Feeds one connection until the client leaves, the server closes or the database fails (the
/// browser then reconnects from its last id).
async fn pump(
    board: Board,
    mut after: i64,
    _held: (Arc<Feed>, super::feed::OpenStream),
    mut batches: broadcast::Receiver<Arc<Batch>>,
    outbox: mpsc::Sender<Event>,
    mut closing: watch::Receiver<bool>,
) {
    let run = async {
        outbox.send(Event::default().retry(RETRY).comment("ok")).await.ok()?;
        loop {
            after = catch_up(&board, after, &outbox).await?;
            for (_, counts) in waiting(&board).await? {
                outbox.send(Event::default().event("counts").data(counts)).await.ok()?;
            }
            // Live: the feed's batches, until this connection falls behind them.
            loop {
                match batches.recv().await {
                    Ok(batch) => after = forward(&board, after, &batch, &outbox).await?,
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    Err(broadcast::error::RecvError::Closed) => return None::<()>,
                }
            }
        }
    };
    tokio::select! {
        _ = run => {}
        () = outbox.closed() => {}
        _ = closing.wait_for(|closed| *closed) => {}
    }
}

/// Sends what the database holds after `after`, a page at a time; the last id sent.
async fn catch_up(board: &Board, mut after: i64, outbox: &mpsc::Sender<Event>) -> Option<i64> {
    let last = store::last_event_id(&board.db, board.org).await.map_err(warn).ok()?;
    if after > last {
        // A position this database never reached (restored from a backup): start over.
        outbox.send(Event::default().event("reload").data("")).await.ok()?;
        return None;
    }
    loop {
        let page = store::events_after(&board.db, board.org, after, board.point, PAGE).await.map_err(warn).ok()?;
        let now = store::now_ms();
        for event in &page {
            let json = WireEvent::new(event, board.digits, now).json();
            outbox.send(Event::default().id(event.id.to_string()).data(json)).await.ok()?;
            after = event.id;
        }
        if (page.len() as i64) < PAGE {
            return Some(after);
        }
    }
}

/// Sends a batch's events this board has not had (and that are of its point), then its counts.
async fn forward(board: &Board, mut after: i64, batch: &Batch, outbox: &mpsc::Sender<Event>) -> Option<i64> {
    for (id, point, json) in &batch.events {
        if *id <= after {
            continue;
        }
        after = *id;
        if board.point.is_none_or(|p| p == *point) {
            outbox.send(Event::default().id(id.to_string()).data(json.as_str())).await.ok()?;
        }
    }
    for (point, counts) in &batch.counts {
        if board.point.is_none_or(|p| p == *point) {
            outbox.send(Event::default().event("counts").data(counts.as_str())).await.ok()?;
        }
    }
    Some(after)
}

async fn waiting(board: &Board) -> Option<Vec<(i64, String)>> {
    let waiting = store::waiting(&board.db, board.org, board.point).await.map_err(warn).ok()?;
    Some(counts_by_point(&waiting, board.digits))
}

fn warn(error: anyhow::Error) {
    tracing::warn!(%error, "a board's stream stops: the browser reconnects from its last event");
}
