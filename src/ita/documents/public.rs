//! Published ITA documents for everyone: /o/SLUG/ita/analysis/YEAR/vN.pdf (O42),
//! …/progress-6m/… and …/progress-12m/… (O43), served as the files stored when each version was
//! published, with their SHA-256 as a strong ETag. A version never changes, so it may be kept.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;

use super::{Format, Kind, store};
use crate::app::AppState;
use crate::http::{AppError, download};
use crate::portal::cache::{Scope, cacheable};
use crate::thai::{Digits, FiscalYear, format_int, format_year_be};

pub fn router() -> Router<AppState> {
    Kind::ALL.into_iter().fold(Router::new(), |router, kind| {
        router.route(
            &format!("/o/{{slug}}/ita/{}/{{year}}/{{file}}", kind.segment()),
            get(move |state: State<AppState>, path: Path<(String, String, String)>| version(state, path, kind)),
        )
    })
}

/// `vN.pdf` or `vN.docx`: version N of the kind and year.
async fn version(
    State(state): State<AppState>,
    Path((slug, year, file)): Path<(String, String, String)>,
    kind: Kind,
) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let year = i64::from(year.parse::<FiscalYear>().map_err(|_| AppError::NotFound)?.be());
    let (number, format) = file.strip_prefix('v').and_then(|f| f.split_once('.')).ok_or(AppError::NotFound)?;
    let number: i64 = number.parse().map_err(|_| AppError::NotFound)?;
    let format = Format::parse(format).ok_or(AppError::NotFound)?;
    let (bytes, sha256) =
        store::file(&state.db, org.id, (kind, year, number), format).await?.ok_or(AppError::NotFound)?;
    let name = kind.file_name(&org.slug, year, Some(number), format.extension());
    let mut response = download(bytes, format.content_type(), &name, true);
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(cacheable(response, Scope::Org(org.id.0)))
}

/// The organization's published documents for its public ITA page: (label, PDF link, Word link),
/// the latest version of each kind and year, the newest year first.
pub async fn listed(state: &AppState, org: &crate::orgs::Org) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let digits: Digits = org.digits;
    Ok(store::published(&state.db, org.id)
        .await?
        .into_iter()
        .map(|(kind, year, number)| {
            let base = format!("/o/{}/ita/{}/{year}/v{number}", org.slug, kind.segment());
            let label = format!(
                "{} ปีงบประมาณ พ.ศ. {} (ฉบับที่ {})",
                kind.name_th(digits),
                format_year_be(year as i32, digits),
                format_int(number, digits)
            );
            (label, format!("{base}.pdf"), format!("{base}.docx"))
        })
        .collect())
}
