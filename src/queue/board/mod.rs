//! The queue's display board (issue 14): `/o/SLUG/queue/board`, its live stream and its voice.
//!
//! - `page.rs`: the board rendered whole by the server (works without JavaScript);
//! - `stream.rs`: server-sent events, resumable from the last event id (`Last-Event-ID`);
//! - `feed.rs`: one fan-out per organization per process, woken by the change clock
//!   (`db::changes`), so 200 boards cost one read per change;
//! - `store.rs`: the board's SQL; `wire.rs`: the JSON a board gets;
//! - `voice.rs` (pure): the Thai words of a call; `audio.rs`: the bundled clips.
//!
//! assets/static/queue-board.js keeps the page live and speaks; scripts/make-queue-voice.sh
//! makes the clips.

pub mod audio;
pub mod feed;
mod page;
pub mod store;
mod stream;
pub mod voice;
pub mod wire;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use feed::Boards;

use crate::app::AppState;

const BOARD_JS: &str = include_str!("../../../assets/static/queue-board.js");
const BOARD_CSS: &str = include_str!("../../../assets/static/queue-board.css");

/// The board's pages and files (under the request timeout).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/queue/board", get(page::board))
        .route("/static/queue-board.js", get(|| async { asset(BOARD_JS, "text/javascript; charset=utf-8") }))
        .route("/static/queue-board.css", get(|| async { asset(BOARD_CSS, "text/css; charset=utf-8") }))
        .route("/static/audio/queue/{file}", get(audio::serve))
}

/// The board's stream (long-lived: merged outside the request timeout).
pub fn streaming_router() -> Router<AppState> {
    Router::new().route("/o/{slug}/queue/board/events", get(stream::events))
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}
