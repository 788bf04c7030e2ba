//! The API's rate limit per client address (`http::client::client_ip`, which believes
//! `X-Forwarded-For` only from a trusted proxy), and its CORS headers: a layer in `app::app`
//! outside the public page cache, so that answers served from memory are counted too.
//!
//! Each address may send `PRONGSAI_API_REQUESTS_PER_MINUTE` requests at once, and then one per
//! sixtieth of a minute as they come back; a request over it gets `429` with `Retry-After`. The
//! counts live in this process: behind several `prongsai serve` processes an address gets the
//! limit from each.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::app::AppState;

/// Addresses kept before those back to a full allowance are dropped.
const MAX_ADDRESSES: usize = 50_000;

/// Each client address's place in its allowance, by the generic cell rate algorithm: an address
/// is "ahead" by the time its requests so far would take at the steady rate (one per
/// `interval`), and may run up to a minute ahead.
pub struct RateLimiter {
    /// Requests a minute; 0 turns the limit off.
    per_minute: u32,
    /// When each address would be back to a full allowance (its theoretical arrival time).
    due: Mutex<HashMap<IpAddr, Instant>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter { per_minute, due: Mutex::new(HashMap::new()) }
    }

    /// Counts a request of `ip` at `now`; Err(whole seconds until one is allowed) when over.
    pub fn take(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let interval = Duration::from_secs(60) / self.per_minute;
        let tolerance = interval * (self.per_minute - 1);
        let mut due = self.due.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if due.len() >= MAX_ADDRESSES && !due.contains_key(&ip) {
            // An address back to its full allowance is the same as one never seen.
            due.retain(|_, at| *at > now);
        }
        let at = due.get(&ip).copied().filter(|at| *at > now).unwrap_or(now);
        let ahead = at - now;
        if ahead > tolerance {
            let wait = ahead - tolerance;
            return Err((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1));
        }
        due.insert(ip, at + interval);
        Ok(())
    }
}

/// The headers every API answer carries: open data, readable from any origin.
fn open_to_every_origin(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Link, Retry-After, Cache-Control"),
    );
}

/// The layer: counts and opens `/api/` requests; every other path passes untouched.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    // A browser asks before a cross-origin GET that sends If-None-Match.
    if req.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        open_to_every_origin(&mut response);
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match"));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        return response;
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let mut response = match peer {
        Some(peer) => {
            let forwarded: Vec<&str> =
                req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
            let ip = crate::http::client::client_ip(peer, &forwarded, &state.settings.trusted_proxies);
            match state.api_limiter.take(ip, Instant::now()) {
                Ok(()) => next.run(req).await,
                Err(retry_after) => ApiError::TooMany { retry_after }.into_response(),
            }
        }
        // Served without connect info (never by `app::serve`): nothing to count by.
        None => next.run(req).await,
    };
    open_to_every_origin(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_minute_at_once_then_one_request_per_share_of_it() {
        let limiter = RateLimiter::new(6);
        let (a, b): (IpAddr, IpAddr) = ("203.0.113.1".parse().unwrap(), "203.0.113.2".parse().unwrap());
        let start = Instant::now();
        for _ in 0..6 {
            assert_eq!(limiter.take(a, start), Ok(()));
        }
        // Six a minute: one back every ten seconds.
        assert_eq!(limiter.take(a, start), Err(10));
        assert_eq!(limiter.take(b, start), Ok(()), "another address has its own allowance");
        assert_eq!(limiter.take(a, start + Duration::from_secs(4)), Err(6));
        assert_eq!(limiter.take(a, start + Duration::from_secs(10)), Ok(()));
        assert_eq!(limiter.take(a, start + Duration::from_secs(10)), Err(10));
        // A quiet hour gives the whole allowance back, never more than a minute's worth.
        for _ in 0..6 {
            assert_eq!(limiter.take(a, start + Duration::from_secs(3600)), Ok(()));
        }
        assert!(limiter.take(a, start + Duration::from_secs(3600)).is_err());
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let limiter = RateLimiter::new(0);
        let ip: IpAddr = "203.0.113.1".parse().unwrap();
        assert!((0..1000).all(|_| limiter.take(ip, Instant::now()).is_ok()));
    }
}
