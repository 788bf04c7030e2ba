//! `/api/v1/orgs` (every organization, a page at a time, in Thai dictionary order as on the
//! site's root page; `province` filters) and `/api/v1/orgs/{slug}` (one organization's profile).

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::paging::{self, Paging};
use super::respond::{self, Keep};
use crate::app::AppState;
use crate::orgs::Org;
use crate::portal::cache::Scope;

/// An organization's public profile: what the site's directory and header show of it.
#[derive(Serialize)]
pub struct Profile {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub province: String,
    pub district: String,
    /// Its public site.
    pub site_url: String,
    /// Its data in this API.
    pub api_url: String,
}

impl Profile {
    fn of(state: &AppState, org: Org) -> Self {
        Profile {
            site_url: super::url(state, &format!("/o/{}/", org.slug)),
            api_url: super::url(state, &format!("/api/v1/orgs/{}", org.slug)),
            slug: org.slug,
            name: org.name,
            short_name: org.short_name,
            kind: org.kind,
            province: org.province,
            district: org.district,
        }
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    page: Option<String>,
    per_page: Option<String>,
    province: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query: ListQuery = paging::query(raw.as_deref())?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref(), None)?;
    let province = query.province.as_deref().map(str::trim).filter(|p| !p.is_empty());
    // The same list as the root page (sorted in Thai dictionary order by name).
    let all = crate::orgs::store::list(&state.db).await?;
    let found: Vec<Org> = match province {
        Some(p) => all.into_iter().filter(|o| o.province == p).collect(),
        None => all,
    };
    let page = paging.slice(found)?;
    let base = match province {
        Some(p) => super::url(&state, &format!("/api/v1/orgs?province={}", urlencoding::encode(p))),
        None => super::url(&state, "/api/v1/orgs"),
    };
    let link = paging.link(&base, page.pages, query.per_page.is_some());
    let page = paging::Page {
        items: page.items.into_iter().map(|o| Profile::of(&state, o)).collect::<Vec<_>>(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
        pages: page.pages,
    };
    respond::json(&headers, &page, Keep::Until(Scope::Directory), Some(link))
}

/// What `/api/v1/orgs/{slug}` answers: the profile and where the rest of its data is.
#[derive(Serialize)]
struct ProfileWithLinks {
    #[serde(flatten)]
    profile: Profile,
    links: Links,
}

#[derive(Serialize)]
struct Links {
    reports: String,
    ita_scores: String,
    documents: String,
    meetings: String,
}

pub async fn profile(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let scope = super::of_org(&org);
    let api = |rest: &str| super::url(&state, &format!("/api/v1/orgs/{}/{rest}", org.slug));
    let links = Links {
        reports: api("reports"),
        ita_scores: api("ita-scores"),
        documents: api("documents"),
        meetings: api("meetings"),
    };
    let body = ProfileWithLinks { links, profile: Profile::of(&state, org) };
    respond::json(&headers, &body, Keep::Until(scope), None)
}
