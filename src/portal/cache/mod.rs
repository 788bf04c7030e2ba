//! Public pages rendered once per change: a layer that keeps the answers of the public site in
//! memory, already compressed, and serves them again without touching the database.
//!
//! A handler opts in by marking its answer [`cacheable`] with the [`Scope`] it depends on (one
//! organization, or the directory of them) and, when it also depends on the day, when it
//! expires. The layer stamps each render with the change clock read before it ran
//! (`db::changes`); a kept page is served while nothing in its scope changed after that stamp, on
//! this process or any other. Only `200` answers without cookies are kept, only for paths without
//! a query (or with `?page=N`), within a total byte bound: unknown slugs, drafts (404) and
//! arbitrary query strings cannot make it grow.
//!
//! Each kept page holds its body as sent (identity) and, for text, gzip and brotli bodies made
//! once when it was kept; the client's `Accept-Encoding` picks one, with `Vary: Accept-Encoding`,
//! a strong ETag per body and `304 Not Modified` for a matching `If-None-Match`.
//!
//! A kept page gone stale is rendered again once, however many ask for it meanwhile ([`flight`]).

pub mod encoding;
mod flight;
mod store;

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use self::encoding::Coding;
use self::flight::{Flights, Turn};
use self::store::{Bounded, Weighed};
use crate::app::AppState;
pub use crate::db::changes::Scope;

/// Bodies at least this long are compressed off the async threads.
const COMPRESS_INLINE_UP_TO: usize = 64 * 1024;
/// Shorter text is sent as is: compression would gain too little.
const COMPRESS_FROM: usize = 256;
/// The Cache-Control of a public page that may change: stored, revalidated at each visit.
const REVALIDATE: &str = "public, no-cache";
/// The longest path (with its query) kept.
const MAX_KEY: usize = 512;

/// The mark a handler puts on an answer that may be kept (see the module's doc).
#[derive(Clone, Copy, Debug)]
pub struct Cacheable {
    pub scope: Scope,
    /// Epoch seconds after which the page is rendered again (a page that shows today's state).
    pub until: Option<i64>,
}

/// Marks `response` as one the cache may keep until `scope` changes.
pub fn cacheable(mut response: Response, scope: Scope) -> Response {
    response.extensions_mut().insert(Cacheable { scope, until: None });
    response
}

/// Marks `response` as one the cache may keep until `scope` changes or the day ends in Thailand
/// (the page shows what is true today).
pub fn cacheable_today(mut response: Response, scope: Scope) -> Response {
    response.extensions_mut().insert(Cacheable { scope, until: Some(next_thai_midnight(crate::db::now())) });
    response
}

/// The first second of tomorrow in Thailand (UTC+7, no daylight saving).
fn next_thai_midnight(now: i64) -> i64 {
    const OFFSET: i64 = 7 * 3600;
    ((now + OFFSET).div_euclid(86_400) + 1) * 86_400 - OFFSET
}

/// The kept pages and their counters (one per server process).
pub struct PublicCache {
    pages: Bounded<Entry>,
    flights: Flights,
    hits: AtomicU64,
    misses: AtomicU64,
    evictions: AtomicU64,
    waits: AtomicU64,
}

impl PublicCache {
    pub fn new(max_bytes: usize) -> Self {
        PublicCache {
            pages: Bounded::new(max_bytes),
            flights: Flights::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            waits: AtomicU64::new(0),
        }
    }

    /// A page's bodies together take at most an eighth of the cache (a big PDF is served from
    /// the database rather than pushing out many pages).
    fn max_entry(&self) -> usize {
        self.pages.max_bytes() / 8
    }

    /// The page kept under `key` when nothing it shows changed since it was rendered.
    fn fresh(&self, key: &str, changes: &crate::db::changes::Changes) -> Option<std::sync::Arc<Entry>> {
        self.pages.get(key).filter(|entry| entry.fresh(changes))
    }

    /// The counters in Prometheus' text format, for `/metrics`.
    pub fn metrics(&self) -> String {
        let (entries, bytes) = self.pages.usage();
        let counter = |name: &str, help: &str, value: u64| {
            format!("# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n")
        };
        let gauge = |name: &str, help: &str, value: usize| {
            format!("# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n")
        };
        [
            counter(
                "prongsai_public_cache_hits_total",
                "Public pages served from memory.",
                self.hits.load(Ordering::Relaxed),
            ),
            counter(
                "prongsai_public_cache_misses_total",
                "Public pages that could be kept, rendered afresh.",
                self.misses.load(Ordering::Relaxed),
            ),
            counter(
                "prongsai_public_cache_evictions_total",
                "Pages dropped to stay within the size bound.",
                self.evictions.load(Ordering::Relaxed),
            ),
            counter(
                "prongsai_public_cache_waits_total",
                "Requests that waited for another request's render of the same stale page.",
                self.waits.load(Ordering::Relaxed),
            ),
            gauge("prongsai_public_cache_entries", "Pages kept now.", entries),
            gauge("prongsai_public_cache_bytes", "Bytes kept now.", bytes),
            gauge(
                "prongsai_public_cache_max_bytes",
                "The size bound (PRONGSAI_PUBLIC_CACHE_MB).",
                self.pages.max_bytes(),
            ),
        ]
        .concat()
    }
}

/// One body of a kept page, with the headers it goes out with.
struct Representation {
    coding: Coding,
    body: Bytes,
    headers: HeaderMap,
}

struct Entry {
    /// The route that rendered it, for the request log's count of the answers served from here.
    route: Option<MatchedPath>,
    scope: Scope,
    stamp: u64,
    until: Option<i64>,
    /// Brotli, gzip (when made), then identity.
    bodies: Vec<Representation>,
    codings: Vec<Coding>,
}

impl Weighed for Entry {
    fn bytes(&self) -> usize {
        self.bodies.iter().map(|r| r.body.len() + 64 * r.headers.len()).sum()
    }
}

impl Entry {
    fn fresh(&self, changes: &crate::db::changes::Changes) -> bool {
        changes.still_valid(self.scope, self.stamp) && self.until.is_none_or(|until| crate::db::now() < until)
    }

    fn respond(&self, accept: Option<&str>, if_none_match: Option<&str>) -> Response {
        let coding = encoding::choose(accept, &self.codings);
        let chosen = self.bodies.iter().find(|r| r.coding == coding).unwrap_or_else(|| {
            self.bodies.last().expect("a kept page has its identity body") // identity is always last
        });
        let etag = chosen.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if if_none_match.is_some_and(|given| names_etag(given, etag)) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                if let Some(value) = chosen.headers.get(&name) {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            return self.mark(response);
        }
        let mut response = Response::new(Body::from(chosen.body.clone()));
        *response.headers_mut() = chosen.headers.clone();
        self.mark(response)
    }

    fn mark(&self, mut response: Response) -> Response {
        if let Some(route) = &self.route {
            response.extensions_mut().insert(route.clone());
        }
        response
    }
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header).
pub(crate) fn names_etag(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The key of a request the cache may answer: its path, with a query only of the form `page=N`.
fn key_of(uri: &axum::http::Uri) -> Option<&str> {
    let key = uri.path_and_query()?.as_str();
    if key.len() > MAX_KEY {
        return None;
    }
    match uri.query() {
        None => Some(key),
        Some(query) => {
            let page = query.strip_prefix("page=")?;
            let plain =
                (1..=4).contains(&page.len()) && !page.starts_with('0') && page.bytes().all(|b| b.is_ascii_digit());
            plain.then_some(key)
        }
    }
}

/// The layer (in `app::app`, before routing and inside the request log so hits are counted there
/// too).
pub async fn serve_cached(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some(key) = key_of(req.uri()) else { return next.run(req).await };
    let cache = &state.public_cache;
    let changes = state.db.changes();
    let headers = req.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let serve = |entry: std::sync::Arc<Entry>| {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        entry.respond(text(header::ACCEPT_ENCODING), text(header::IF_NONE_MATCH))
    };
    let kept = cache.pages.get(key);
    if let Some(entry) = kept.as_ref().filter(|entry| entry.fresh(changes)) {
        return serve(std::sync::Arc::clone(entry));
    }
    // A kept page gone stale is rendered again by one request at a time; the others wait for it.
    // Only such a page: a path never kept (a staff page, an unknown slug) makes no one wait, nor
    // does any page while the change watcher is down (nothing is kept then).
    let flight = kept.is_some() && changes.stamp().is_some();
    let _turn = match flight.then(|| cache.flights.begin(key)) {
        Some(Turn::Follow(render)) => {
            cache.waits.fetch_add(1, Ordering::Relaxed);
            render.finished().await;
            if let Some(entry) = cache.fresh(key, changes) {
                return serve(entry);
            }
            None
        }
        Some(Turn::Lead(leader)) => Some(leader),
        None => None,
    };
    let key = key.to_string();
    let accept = text(header::ACCEPT_ENCODING).map(str::to_string);
    let if_none_match = text(header::IF_NONE_MATCH).map(str::to_string);
    // Read before the render: a change committed while it runs leaves the page stale.
    let stamp = changes.stamp();
    let mut response = next.run(req).await;
    let Some(&mark) = response.extensions().get::<Cacheable>() else { return response };
    cache.misses.fetch_add(1, Ordering::Relaxed);
    // Kept or not, a public page is revalidated at each visit, so a change shows at once.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    }
    let Some(stamp) = stamp else { return response };
    let fits = http_body::Body::size_hint(response.body()).upper().is_some_and(|n| n as usize <= cache.max_entry());
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) || !fits {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, cache.max_entry()).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "reading a public page to keep it");
            return crate::http::AppError::Internal(anyhow::anyhow!("reading a page: {error}")).into_response();
        }
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let route = parts.extensions.get::<MatchedPath>().cloned();
    // Only compressing is worth a blocking thread; a PDF is kept as it is. When the pool is busy
    // the page is sent as rendered, just not kept.
    let entry = if body.len() > COMPRESS_INLINE_UP_TO && encoding::compressible(content_type) {
        let (headers, kept_body) = (parts.headers.clone(), body.clone());
        match crate::blocking::run(crate::blocking::Lane::Render, move || keep(headers, kept_body, route, mark, stamp))
            .await
        {
            Ok(entry) => entry,
            Err(error) => {
                tracing::warn!(%error, "not keeping a public page: no thread to compress it");
                return Response::from_parts(parts, axum::body::Body::from(body));
            }
        }
    } else {
        keep(parts.headers, body, route, mark, stamp)
    };
    let response = entry.respond(accept.as_deref(), if_none_match.as_deref());
    let evicted = cache.pages.put(&key, entry);
    cache.evictions.fetch_add(evicted as u64, Ordering::Relaxed);
    response
}

/// A rendered page as it is kept: its bodies (compressed once here), each with its headers.
fn keep(mut headers: HeaderMap, body: Bytes, route: Option<MatchedPath>, mark: Cacheable, stamp: u64) -> Entry {
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::TRANSFER_ENCODING);
    // The handler's own strong tag (a report's SHA-256) names the identity body; else ours.
    let tag = headers
        .remove(header::ETAG)
        .and_then(|v| v.to_str().ok().map(|t| t.trim_start_matches("W/").trim_matches('"').to_string()))
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
        .unwrap_or_else(|| hex::encode(&Sha256::digest(&body)[..16]));
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut bodies = Vec::new();
    if encoding::compressible(content_type) && body.len() >= COMPRESS_FROM {
        for (coding, compressed) in [(Coding::Brotli, encoding::brotli(&body)), (Coding::Gzip, encoding::gzip(&body))] {
            if compressed.len() < body.len() {
                bodies.push((coding, Bytes::from(compressed)));
            }
        }
    }
    bodies.push((Coding::Identity, body));
    let several = bodies.len() > 1;
    let bodies: Vec<Representation> = bodies
        .into_iter()
        .map(|(coding, body)| {
            let mut headers = headers.clone();
            if let Some(name) = coding.header() {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
            }
            if several {
                headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            let etag = format!("\"{tag}{}\"", coding.etag_suffix());
            headers.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex and ASCII"));
            Representation { coding, body, headers }
        })
        .collect();
    let codings = bodies.iter().map(|r| r.coding).collect();
    Entry { route, scope: mark.scope, stamp, until: mark.until, bodies, codings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_and_page_numbers_are_keys() {
        let key = |s: &str| key_of(&s.parse().unwrap()).map(str::to_string);
        assert_eq!(key("/o/x/").as_deref(), Some("/o/x/"));
        assert_eq!(key("/?page=2").as_deref(), Some("/?page=2"));
        assert_eq!(key("/?page=02"), None);
        assert_eq!(key("/?page=99999"), None);
        assert_eq!(key("/?q=x"), None);
        assert_eq!(key("/o/x/?utm=1"), None);
        assert_eq!(key(&format!("/o/{}/", "a".repeat(600))), None);
    }

    #[test]
    fn the_day_ends_at_midnight_in_thailand() {
        // 2026-11-30 16:59:59 UTC is 23:59:59 in Thailand; 17:00:00 UTC is the next day.
        let before = 1_796_057_999;
        assert_eq!(next_thai_midnight(before), before + 1);
        assert_eq!(next_thai_midnight(before + 1), before + 1 + 86_400);
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        assert!(names_etag("\"ab\"", "\"ab\""));
        assert!(names_etag("\"x\", W/\"ab\"", "\"ab\""));
        assert!(names_etag("*", "\"ab\""));
        assert!(!names_etag("\"abc\"", "\"ab\""));
    }
}
