//! A `200` of the API: compact JSON with a strong ETag (the first 128 bits of its SHA-256),
//! `304 Not Modified` when `If-None-Match` names it, a short public `Cache-Control`, and the mark
//! that lets the public page cache keep it until the data it shows changes.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::ApiError;
use crate::portal::cache::{Scope, cacheable, cacheable_today, names_etag};

/// Browsers and proxies may reuse an answer this long without asking; after that they revalidate
/// with its ETag (cheap: `304`, or the kept copy).
const CACHE_CONTROL: &str = "public, max-age=60";

/// How long the public page cache may keep an answer.
#[derive(Clone, Copy, Debug)]
pub enum Keep {
    /// Until something in the scope changes.
    Until(Scope),
    /// Until something in the scope changes or the day ends in Thailand (it depends on today).
    Today(Scope),
}

/// `value` as the body of a `200` (or a `304`), with `link` as its `Link` header.
pub fn json<T: Serialize>(
    headers: &HeaderMap,
    value: &T,
    keep: Keep,
    link: Option<String>,
) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
    Ok(bytes(headers, body, keep, link))
}

/// A JSON body already serialized (the OpenAPI document).
pub fn bytes(headers: &HeaderMap, body: Vec<u8>, keep: Keep, link: Option<String>) -> Response {
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&body)[..16]));
    let named =
        headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| names_etag(v, &etag));
    let mut response = if named {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let set = response.headers_mut();
    set.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex in quotes"));
    set.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if let Some(value) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        set.insert(header::LINK, value);
    }
    if named {
        return response;
    }
    match keep {
        Keep::Until(scope) => cacheable(response, scope),
        Keep::Today(scope) => cacheable_today(response, scope),
    }
}
