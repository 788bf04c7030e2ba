//! The public measures report: only published versions, served as the files stored when each was
//! published (`measures::publication::publish`), with a strong ETag (their SHA-256). The plain URLs serve the
//! latest version and are revalidated on every visit (a new version shows at once); a numbered
//! version never changes, so browsers and proxies may keep it.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::cache::{Scope, cacheable, names_etag};
use super::{org_of, parse_year};
use crate::app::AppState;
use crate::http::{AppError, download};
use crate::measures::publication::publish::{self, PublishedFile};
use crate::measures::report::{self, Format};
use crate::orgs::Org;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/o/{slug}/ita/{year}/measures",
            get(|s: State<AppState>, p: Params, h: HeaderMap| latest(s, p, h, Format::Html)),
        )
        .route(
            "/o/{slug}/ita/{year}/measures.pdf",
            get(|s: State<AppState>, p: Params, h: HeaderMap| latest(s, p, h, Format::Pdf)),
        )
        .route(
            "/o/{slug}/ita/{year}/measures.docx",
            get(|s: State<AppState>, p: Params, h: HeaderMap| latest(s, p, h, Format::Docx)),
        )
        .route("/o/{slug}/ita/{year}/measures/v/{file}", get(version))
}

type Params = Path<(String, String)>;

async fn latest(
    State(state): State<AppState>,
    Path((slug, year)): Params,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let year = parse_year(&year)?;
    let file = publish::file(&state.db, &state.pdf, &org, year, None, format)
        .await?
        .ok_or_else(|| not_published(&org, year))?;
    Ok(cacheable(serve(&org, year, file, format, false, &headers), Scope::Org(org.id.0)))
}

/// `N`, `N.pdf` or `N.docx`: version N of the year.
async fn version(
    State(state): State<AppState>,
    Path((slug, year, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let org = org_of(&state, &slug).await?;
    let year = parse_year(&year)?;
    let (number, format) = match file.split_once('.') {
        None => (file.as_str(), Format::Html),
        Some((n, "pdf")) => (n, Format::Pdf),
        Some((n, "docx")) => (n, Format::Docx),
        Some(_) => return Err(AppError::NotFound),
    };
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let file =
        publish::file(&state.db, &state.pdf, &org, year, Some(number), format).await?.ok_or(AppError::NotFound)?;
    Ok(cacheable(serve(&org, year, file, format, true, &headers), Scope::Org(org.id.0)))
}

fn not_published(org: &Org, year: i64) -> AppError {
    AppError::NotYet(format!(
        "{}ยังไม่ได้เผยแพร่รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {} \
         เมื่อผู้บริหารเห็นชอบและหน่วยงานเผยแพร่แล้ว รายงานจะแสดงที่นี่",
        org.name,
        crate::thai::format_year_be(year as i32, org.digits)
    ))
}

/// Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 asks for this header).
fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| names_etag(v, etag))
}

fn serve(org: &Org, year: i64, file: PublishedFile, format: Format, numbered: bool, headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", file.sha256);
    let cache = if numbered { "public, max-age=31536000, immutable" } else { "public, no-cache" };
    let mut response = if not_modified(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if format == Format::Html {
        ([(header::CONTENT_TYPE, format.content_type())], file.bytes).into_response()
    } else {
        let name = report::file_name(org, year, format);
        let name = if numbered {
            name.replace(&format!(".{}", format.extension()), &format!("-v{}.{}", file.number, format.extension()))
        } else {
            name
        };
        download(file.bytes, format.content_type(), &name, true)
    };
    let set = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        set.insert(header::ETAG, value);
    }
    set.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            h
        };
        assert!(not_modified(&with("\"ab\""), "\"ab\""));
        assert!(not_modified(&with("\"x\", W/\"ab\""), "\"ab\""));
        assert!(not_modified(&with("*"), "\"ab\""));
        assert!(!not_modified(&with("\"abc\""), "\"ab\""));
        assert!(!not_modified(&HeaderMap::new(), "\"ab\""));
    }
}
