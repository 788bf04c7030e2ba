//! The public news pages: the list (a page at a time), one post, and the Atom feed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{Kind, atom, paragraphs, store};
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, page};
use crate::portal::cache::{Scope, cacheable};
use crate::portal::frame::{Frame, Section};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/news", get(list))
        .route("/o/{slug}/news/{id}", get(post_page))
        .route("/o/{slug}/feed.atom", get(feed))
}

/// A post in a list, every string final.
pub struct Listed {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub date: String,
}

pub fn listed(slug: &str, post: &store::Post, digits: crate::thai::Digits) -> Listed {
    Listed {
        href: format!("/o/{slug}/news/{}", post.id),
        title: post.title.clone(),
        kind: post.kind.label_th(),
        date: post.published_at.map(|t| crate::thai::format_instant_th(t, digits)).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "news/public_list.html")]
struct ListPage {
    frame: Frame,
    posts: Vec<Listed>,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&ListQuery { page: query.page, q: None })?;
    let frame = Frame::load(&state.db, &slug, Section::News).await?;
    let frame = frame.crumb(format!("/o/{slug}/news"), "ข่าวและประกาศ");
    let (posts, total) = store::page(&state.db, frame.org.id, &request, true).await?;
    let digits = frame.org.digits;
    let pager = Pager::new(&format!("/o/{slug}/news"), &request, total, posts.len(), digits);
    let frame = match posts.first() {
        Some(p) => frame.updated_at(p.updated_at.max(p.published_at.unwrap_or(0))),
        None => frame,
    };
    let scope = Scope::Org(frame.org.id.0);
    let posts = posts.iter().map(|p| listed(&slug, p, digits)).collect();
    Ok(cacheable(page(ListPage { frame, posts, pager })?, scope))
}

#[derive(Template)]
#[template(path = "news/public_post.html")]
struct PostPage {
    frame: Frame,
    title: String,
    kind: Kind,
    published: String,
    paragraphs: Vec<Vec<String>>,
}

async fn post_page(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::News).await?;
    let post = store::find_public(&state.db, frame.org.id, id).await?.ok_or(AppError::NotFound)?;
    let digits = frame.org.digits;
    let published = post.published_at.map(|t| crate::thai::format_instant_th(t, digits)).unwrap_or_default();
    let frame = frame
        .crumb(format!("/o/{slug}/news"), "ข่าวและประกาศ")
        .crumb(format!("/o/{slug}/news/{id}"), post.title.clone())
        .updated_at(post.updated_at);
    let scope = Scope::Org(frame.org.id.0);
    let body = PostPage { frame, paragraphs: paragraphs(&post.body), kind: post.kind, title: post.title, published };
    Ok(cacheable(page(body)?, scope))
}

/// The newest 50 posts as Atom.
async fn feed(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let org = crate::orgs::store::find_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let posts = store::latest_public(&state.db, org.id, 50).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let xml = atom::feed(&atom::FeedHead { base, slug: &org.slug, org_name: &org.name }, &posts);
    let response = ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response();
    Ok(cacheable(response, Scope::Org(org.id.0)))
}
