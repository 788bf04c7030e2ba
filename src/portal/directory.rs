//! The root page: every organization on the site, in Thai dictionary order, a page of them at a
//! time, with a search by name, province, district or slug that works without JavaScript.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::cache::{Scope, cacheable};
use crate::app::AppState;
use crate::http::{AppError, page};
use crate::orgs::{Org, store};

/// Organizations per page.
pub const PER_PAGE: usize = 50;
/// The longest search kept (longer text is cut: no name is that long).
const MAX_SEARCH_CHARS: usize = 100;

#[derive(Deserialize)]
pub struct DirectoryQuery {
    page: Option<String>,
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/index.html")]
struct IndexPage {
    orgs: Vec<Org>,
    /// The search as typed (trimmed), empty without one.
    q: String,
    /// How many organizations the page's list is drawn from (all, or those found).
    found: usize,
    page: usize,
    pages: usize,
    /// Links of the page numbers: (number, number in Thai digits, href).
    links: Vec<(usize, String, String)>,
    previous: Option<String>,
    next: Option<String>,
    /// `found`, the page and the page count in the site's Thai digits.
    found_th: String,
    page_th: String,
    pages_th: String,
}

pub async fn index(State(state): State<AppState>, Query(query): Query<DirectoryQuery>) -> Result<Response, AppError> {
    let q: String = query.q.as_deref().unwrap_or("").trim().chars().take(MAX_SEARCH_CHARS).collect();
    let number = match query.page.as_deref() {
        None | Some("") => 1,
        Some(n) => n.parse::<usize>().ok().filter(|n| *n >= 1).ok_or(AppError::NotFound)?,
    };
    let all = store::list(&state.db).await?;
    let found: Vec<Org> = if q.is_empty() { all } else { all.into_iter().filter(|o| matches(o, &q)).collect() };
    let pages = found.len().div_ceil(PER_PAGE).max(1);
    if number > pages {
        return Err(AppError::NotFound);
    }
    let href = |n: usize| {
        let mut href = String::from("/");
        let mut sep = '?';
        if !q.is_empty() {
            href.push_str(&format!("?q={}", urlencoding::encode(&q)));
            sep = '&';
        }
        if n > 1 {
            href.push_str(&format!("{sep}page={n}"));
        }
        href
    };
    let digits = crate::thai::Digits::Thai;
    let count = found.len();
    let orgs = found.into_iter().skip((number - 1) * PER_PAGE).take(PER_PAGE).collect();
    let view = IndexPage {
        orgs,
        found: count,
        page: number,
        pages,
        links: (1..=pages)
            .filter(|n| shown_link(*n, number, pages))
            .map(|n| (n, crate::thai::format_grouped(n as i64, digits), href(n)))
            .collect(),
        previous: (number > 1).then(|| href(number - 1)),
        next: (number < pages).then(|| href(number + 1)),
        found_th: crate::thai::format_grouped(count as i64, digits),
        page_th: crate::thai::format_grouped(number as i64, digits),
        pages_th: crate::thai::format_grouped(pages as i64, digits),
        q,
    };
    let searched = !view.q.is_empty();
    let response = page(view)?;
    // Searches are not kept (their text is the visitor's); the plain pages are, until an
    // organization is added.
    Ok(if searched { response } else { cacheable(response, Scope::Directory) })
}

/// Page links shown: the first, the last and two either side of the current one.
fn shown_link(n: usize, current: usize, pages: usize) -> bool {
    n == 1 || n == pages || n.abs_diff(current) <= 2
}

/// Whether every word of the search is in the organization's name, short name, province,
/// district or slug (Latin letters in any case).
fn matches(org: &Org, search: &str) -> bool {
    let haystack = format!(
        "{} {} จังหวัด{} อำเภอ{} {}",
        org.name,
        org.short_name,
        org.province,
        org.district,
        org.slug.to_lowercase()
    );
    search.split_whitespace().all(|word| haystack.contains(&word.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::OrgId;

    fn org(name: &str, province: &str, slug: &str) -> Org {
        Org {
            id: OrgId(1),
            slug: slug.into(),
            name: name.into(),
            short_name: crate::orgs::short_name_of(name),
            kind: "อบต.".into(),
            province: province.into(),
            district: "เมือง".into(),
            digits: crate::thai::Digits::Thai,
        }
    }

    #[test]
    fn every_word_must_be_found_in_name_province_or_slug() {
        let o = org("องค์การบริหารส่วนตำบลแม่คะตวน", "ลำพูน", "mae-khatuan");
        assert!(matches(&o, "แม่คะตวน"));
        assert!(matches(&o, "ลำพูน แม่"));
        assert!(matches(&o, "จังหวัดลำพูน"));
        assert!(matches(&o, "MAE-khatuan"));
        assert!(!matches(&o, "เชียงใหม่"));
        assert!(!matches(&o, "แม่ เชียงใหม่"));
    }

    #[test]
    fn page_links_around_the_current_one() {
        let shown: Vec<usize> = (1..=20).filter(|n| shown_link(*n, 10, 20)).collect();
        assert_eq!(shown, vec![1, 8, 9, 10, 11, 12, 20]);
    }
}
