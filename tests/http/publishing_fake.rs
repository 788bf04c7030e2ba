//! A local stand-in for the LINE Messaging API and the Facebook Graph API: it checks the token,
//! honours `X-Line-Retry-Key` (409 for a key already accepted), records what it accepted, and can
//! be told to fail (500) or to accept the next post and drop the connection without answering.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

pub const LINE_TOKEN: &str = "line-channel-token-Zq81";
pub const FACEBOOK_TOKEN: &str = "fb-page-token-Wm47";
pub const PAGE_ID: &str = "1122334455";

#[derive(Clone, Debug)]
pub struct LineMessage {
    pub path: String,
    pub retry_key: String,
    pub text: String,
    pub to: Option<String>,
}

#[derive(Clone, Debug)]
pub struct FacebookPost {
    pub id: String,
    pub message: String,
    pub link: String,
}

#[derive(Default)]
pub struct Recorded {
    /// Answer 500 to every post (nothing is accepted).
    pub failing: bool,
    /// Accept the next LINE message / Facebook post, then drop the connection unanswered.
    pub drop_next_line: bool,
    pub drop_next_facebook: bool,
    pub line_requests: usize,
    /// Requests answered 409: a retry key sent again after it was accepted.
    pub line_conflicts: usize,
    pub line_accepted_keys: HashSet<String>,
    pub line: Vec<LineMessage>,
    pub facebook_requests: usize,
    pub facebook_feed_reads: usize,
    pub facebook: Vec<FacebookPost>,
}

#[derive(Clone)]
pub struct Fake {
    pub url: String,
    pub state: Arc<Mutex<Recorded>>,
}

impl Fake {
    pub async fn start() -> Fake {
        let state = Arc::new(Mutex::new(Recorded::default()));
        let app = Router::new()
            .route("/v2/bot/message/broadcast", post(line))
            .route("/v2/bot/message/push", post(line))
            .route("/fb/{page}/feed", post(facebook_post).get(facebook_feed))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Fake { url, state }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Recorded) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// The outbox's settings for this stand-in: short waits, the given key file.
    pub fn config(&self, key_file: Option<std::path::PathBuf>) -> prongsai::publishing::Config {
        prongsai::publishing::Config {
            line_api_url: self.url.clone(),
            facebook_api_url: format!("{}/fb", self.url),
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(2),
            poll_interval: Duration::from_millis(100),
            request_timeout: Duration::from_secs(2),
            secret_key_file: key_file,
        }
    }
}

/// Ends the connection without an answer: the request was accepted, the sender never learns it.
/// (`resume_unwind` skips the panic hook; the server's connection task ends, closing the socket.)
fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new("the fake API drops the connection"))
}

async fn line(
    State(state): State<Arc<Mutex<Recorded>>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let mut s = state.lock().unwrap();
    s.line_requests += 1;
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {LINE_TOKEN}")) {
        return (StatusCode::UNAUTHORIZED, r#"{"message":"Authentication failed"}"#).into_response();
    }
    let Some(key) = headers.get("x-line-retry-key").and_then(|v| v.to_str().ok()).map(str::to_string) else {
        return (StatusCode::BAD_REQUEST, r#"{"message":"no retry key"}"#).into_response();
    };
    if s.line_accepted_keys.contains(&key) {
        s.line_conflicts += 1;
        return (StatusCode::CONFLICT, [("x-line-accepted-request-id", format!("accepted-{key}"))], "{}")
            .into_response();
    }
    if s.failing {
        return (StatusCode::INTERNAL_SERVER_ERROR, r#"{"message":"Internal error"}"#).into_response();
    }
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    s.line_accepted_keys.insert(key.clone());
    s.line.push(LineMessage {
        path: uri.path().to_string(),
        retry_key: key.clone(),
        text: value["messages"][0]["text"].as_str().unwrap_or("").to_string(),
        to: value["to"].as_str().map(str::to_string),
    });
    if std::mem::take(&mut s.drop_next_line) {
        drop(s);
        drop_connection();
    }
    (StatusCode::OK, [("x-line-request-id", format!("req-{key}"))], "{}").into_response()
}

fn facebook_refusal() -> Response {
    (StatusCode::BAD_REQUEST, r#"{"error":{"message":"Invalid OAuth access token.","code":190}}"#).into_response()
}

async fn facebook_post(
    State(state): State<Arc<Mutex<Recorded>>>,
    Path(page): Path<String>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    s.facebook_requests += 1;
    if form.get("access_token").map(String::as_str) != Some(FACEBOOK_TOKEN) || page != PAGE_ID {
        return facebook_refusal();
    }
    if s.failing {
        return (StatusCode::INTERNAL_SERVER_ERROR, r#"{"error":{"message":"An unexpected error has occurred."}}"#)
            .into_response();
    }
    let id = format!("{PAGE_ID}_{}", s.facebook.len() + 1);
    s.facebook.push(FacebookPost {
        id: id.clone(),
        message: form.get("message").cloned().unwrap_or_default(),
        link: form.get("link").cloned().unwrap_or_default(),
    });
    if std::mem::take(&mut s.drop_next_facebook) {
        drop(s);
        drop_connection();
    }
    (StatusCode::OK, axum::Json(serde_json::json!({ "id": id }))).into_response()
}

async fn facebook_feed(
    State(state): State<Arc<Mutex<Recorded>>>,
    Path(page): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let mut s = state.lock().unwrap();
    s.facebook_feed_reads += 1;
    if q.get("access_token").map(String::as_str) != Some(FACEBOOK_TOKEN) || page != PAGE_ID {
        return facebook_refusal();
    }
    let data: Vec<serde_json::Value> = s
        .facebook
        .iter()
        .rev()
        .map(|p| serde_json::json!({ "id": p.id, "message": p.message, "link": p.link }))
        .collect();
    axum::Json(serde_json::json!({ "data": data })).into_response()
}
