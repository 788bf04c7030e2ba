//! Running the service: health and readiness checks, metrics, request ids and timeouts.

pub mod malloc;
pub mod metrics;
pub mod timeouts;

use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tracing::Instrument as _;

use crate::app::AppState;

/// The header that carries a request's id, to the client and in every log line of the request.
pub const REQUEST_ID: &str = "x-request-id";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page))
}

/// 200 when the database answers and every migration this binary knows is applied; else 503.
async fn readyz(State(state): State<AppState>) -> Response {
    match crate::db::pending_migrations(&state.db).await {
        Ok(pending) if pending.is_empty() => "ready".into_response(),
        Ok(pending) => {
            (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: migrations not applied: {}", pending.join(", ")))
                .into_response()
        }
        Err(e) => {
            tracing::warn!(error = ?e, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready: database unreachable").into_response()
        }
    }
}

/// Metrics for the operator's Prometheus: from this machine (loopback, not forwarded by a proxy on
/// it), or with `Authorization: Bearer` and the token of `PRONGSAI_METRICS_TOKEN`.
async fn metrics_page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !metrics_allowed(&peer, &headers, state.settings.metrics_token.as_ref().map(|t| t.expose())) {
        return (StatusCode::FORBIDDEN, "metrics are served to this machine or with the metrics token\n")
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        metrics::render(&state.db) + &state.public_cache.metrics() + &state.boards.metrics(),
    )
        .into_response()
}

fn metrics_allowed(peer: &SocketAddr, headers: &HeaderMap, token: Option<&str>) -> bool {
    if let Some(token) = token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if given.is_some_and(|g| crate::auth::sessions::tokens_match(g, token)) {
            return true;
        }
    }
    // A reverse proxy on this machine connects from loopback too: what it forwards is not local.
    let forwarded = headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
    peer.ip().is_loopback() && !forwarded
}

/// A request id: the client's `x-request-id` when it is short and plain, else a new random one.
fn request_id(headers: &HeaderMap) -> HeaderValue {
    let given = headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| {
        (1..=64).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    match given {
        Some(v) => HeaderValue::from_str(v).expect("checked to be plain ASCII"),
        None => {
            let bytes: [u8; 8] = rand::random();
            let mut id = [0u8; 16];
            hex::encode_to_slice(bytes, &mut id).expect("16 hex digits for 8 bytes");
            HeaderValue::from_bytes(&id).expect("hex is a valid header value")
        }
    }
}

/// Inside the router: puts the route's pattern on the answer, for [`observe`] outside it (which
/// runs before routing, so that a page kept in memory is answered without it).
pub async fn mark_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(req).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// Gives each request an id (header, log span, response header), logs its answer and counts it
/// in the metrics by route pattern (from [`mark_route`], or the kept page's).
pub async fn observe(mut req: Request, next: Next) -> Response {
    let id = request_id(req.headers());
    req.headers_mut().insert(REQUEST_ID, id.clone());
    let method = metrics::method_label(req.method());
    let span = tracing::info_span!("request", id = id.to_str().unwrap_or_default(), method, path = req.uri().path(),);
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let route = response.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
    metrics::record_request(method, route, status, elapsed);
    span.in_scope(
        || tracing::info!(target: "prongsai::access", status, ms = elapsed.as_secs_f64() * 1000.0, "answered"),
    );
    response.headers_mut().insert(REQUEST_ID, id);
    response
}
