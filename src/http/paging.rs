//! Listing pages that grow without bound (items, loans, users, notifications, the audit log) are
//! read a page at a time: `?page=N` (from 1) and `?q=` (a search). The store asks for one page's
//! rows (`LIMIT`/`OFFSET` on a stable order) and their total; [`Pager`] gives the template the
//! count ("รายการที่ ๑–๕๐ จาก ๓๒๐") and page links that work without JavaScript
//! (templates/paging/pages.html, with `aria-current="page"` on the current one).

use serde::Deserialize;

use crate::http::AppError;
use crate::thai::Digits;

/// Rows on one page.
pub const PAGE_SIZE: i64 = 50;

/// The longest search kept: a clerk types a name or a number, not a paragraph.
const SEARCH_MAX_CHARS: usize = 100;

/// `?page=&q=` as the browser sends them.
#[derive(Deserialize, Default, Debug)]
pub struct ListQuery {
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

/// Which page a list shows, and what it is searched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// From 1.
    pub number: i64,
    /// The search as typed (trimmed); empty = every row.
    pub search: String,
}

impl PageRequest {
    /// Reads the query: no page is page 1; a page that is not a whole number from 1 (Thai digits
    /// allowed) is refused, saying so.
    pub fn from_query(query: &ListQuery) -> Result<Self, AppError> {
        let raw = query.page.as_deref().unwrap_or("").trim();
        let number = if raw.is_empty() {
            1
        } else {
            crate::thai::to_arabic_digits(raw)
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=i64::from(i32::MAX)).contains(n))
                .ok_or_else(|| AppError::Invalid(format!("เลขหน้า “{raw}” ไม่ถูกต้อง: ต้องเป็นจำนวนเต็มตั้งแต่ ๑ ขึ้นไป")))?
        };
        let search: String = query.q.as_deref().unwrap_or("").trim().chars().take(SEARCH_MAX_CHARS).collect();
        Ok(PageRequest { number, search })
    }

    /// The first page of every row (a list shown again under a refused form).
    pub fn first() -> Self {
        PageRequest { number: 1, search: String::new() }
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        (self.number - 1) * PAGE_SIZE
    }

    pub fn limit(&self) -> i64 {
        PAGE_SIZE
    }

    /// This page of rows already read and sorted in Rust, with how many there are: for lists that
    /// stay the size of one office (its users), sorted in Thai or code order, which the engines'
    /// collations would not give alike.
    pub fn slice<T>(&self, rows: Vec<T>) -> (Vec<T>, i64) {
        let total = rows.len() as i64;
        let page = rows.into_iter().skip(self.offset() as usize).take(PAGE_SIZE as usize).collect();
        (page, total)
    }

    /// Whether `text` holds the search (letters compared without case).
    pub fn finds_in(&self, text: &str) -> bool {
        text.to_lowercase().contains(&self.search.to_lowercase())
    }

    /// The search as a `LIKE` pattern that matches it anywhere (`%` and `_` typed by the clerk
    /// match themselves: the statement says `ESCAPE '\'`).
    pub fn like_pattern(&self) -> String {
        let escaped = self.search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    }
}

/// One link of the page list.
#[derive(Debug, PartialEq, Eq)]
pub struct PageLink {
    pub href: String,
    /// The page number as the organization writes digits.
    pub label: String,
    pub current: bool,
}

/// What the template shows around one page of a list.
#[derive(Debug)]
pub struct Pager {
    /// The search as typed, for the search box.
    pub search: String,
    /// "รายการที่ ๕๑–๑๐๐ จาก ๓๒๐", or why the page is empty.
    pub summary: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Every page when there are few; else the first, the last and those near the current one
    /// (None = a gap, shown as "…").
    pub links: Vec<Option<PageLink>>,
}

impl Pager {
    /// `path` is the list's address, with the list's own filters in its query if it has any (the
    /// page links keep them); `shown` the rows on this page.
    pub fn new(path: &str, request: &PageRequest, total: i64, shown: usize, digits: Digits) -> Self {
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        let n = |v: i64| crate::thai::format_int(v, digits);
        let separator = if path.contains('?') { '&' } else { '?' };
        let href = |page: i64| {
            let mut href = format!("{path}{separator}page={page}");
            if !request.search.is_empty() {
                href.push_str("&q=");
                href.push_str(&urlencoding::encode(&request.search));
            }
            href
        };
        let summary = if shown == 0 && request.number > 1 {
            format!("ไม่มีหน้าที่ {}: มีทั้งหมด {} หน้า ({} รายการ)", n(request.number), n(pages), n(total))
        } else if total == 0 && request.search.is_empty() {
            "ยังไม่มีรายการ".to_string()
        } else if total == 0 {
            format!("ไม่พบรายการที่ตรงกับ “{}”", request.search)
        } else {
            let first = request.offset() + 1;
            let last = request.offset() + shown as i64;
            format!("รายการที่ {}–{} จาก {}", n(first), n(last), n(total))
        };
        let current = request.number;
        let links = if pages <= 1 {
            Vec::new()
        } else {
            let mut links = Vec::new();
            let mut last_shown = 0;
            for page in 1..=pages {
                let near = (page - current).abs() <= 2;
                if page == 1 || page == pages || near {
                    if page > last_shown + 1 {
                        links.push(None);
                    }
                    links.push(Some(PageLink { href: href(page), label: n(page), current: page == current }));
                    last_shown = page;
                }
            }
            links
        };
        Pager {
            search: request.search.clone(),
            summary,
            previous: (current > 1).then(|| href((current - 1).min(pages))),
            next: (current < pages).then(|| href(current + 1)),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(page: Option<&str>, q: Option<&str>) -> Result<PageRequest, AppError> {
        PageRequest::from_query(&ListQuery { page: page.map(str::to_string), q: q.map(str::to_string) })
    }

    #[test]
    fn a_page_number_is_a_whole_number_from_one_in_either_digits() {
        assert_eq!(request(None, None).unwrap().number, 1);
        assert_eq!(request(Some("๓"), None).unwrap().number, 3);
        for bad in ["0", "-1", "abc", "1.5", "99999999999999999999"] {
            assert!(matches!(request(Some(bad), None), Err(AppError::Invalid(_))), "{bad}");
        }
    }

    #[test]
    fn the_summary_counts_the_rows_shown_in_the_organizations_digits() {
        let second = request(Some("2"), None).unwrap();
        let pager = Pager::new("/app/x", &second, 320, 50, Digits::Thai);
        assert_eq!(pager.summary, "รายการที่ ๕๑–๑๐๐ จาก ๓๒๐");
        assert_eq!(pager.previous.as_deref(), Some("/app/x?page=1"));
        assert_eq!(pager.next.as_deref(), Some("/app/x?page=3"));
        let current: Vec<&PageLink> = pager.links.iter().flatten().filter(|l| l.current).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].label, "๒");
    }

    #[test]
    fn a_page_past_the_end_says_how_many_pages_there_are() {
        let far = request(Some("9"), None).unwrap();
        let pager = Pager::new("/app/x", &far, 120, 0, Digits::Arabic);
        assert_eq!(pager.summary, "ไม่มีหน้าที่ 9: มีทั้งหมด 3 หน้า (120 รายการ)");
        assert_eq!(pager.previous.as_deref(), Some("/app/x?page=3"));
        assert_eq!(pager.next, None);
    }

    #[test]
    fn page_links_keep_the_search_and_skip_far_pages() {
        let request = request(Some("10"), Some("เก้าอี้")).unwrap();
        let pager = Pager::new("/app/x", &request, 50 * 20, 50, Digits::Arabic);
        let labels: Vec<String> =
            pager.links.iter().map(|l| l.as_ref().map_or("…".into(), |l| l.label.clone())).collect();
        assert_eq!(labels, ["1", "…", "8", "9", "10", "11", "12", "…", "20"]);
        assert!(
            pager.links[0]
                .as_ref()
                .unwrap()
                .href
                .ends_with("&q=%E0%B9%80%E0%B8%81%E0%B9%89%E0%B8%B2%E0%B8%AD%E0%B8%B5%E0%B9%89")
        );
    }

    #[test]
    fn a_list_read_whole_is_cut_to_the_page() {
        let second = request(Some("2"), None).unwrap();
        let (rows, total) = second.slice((1..=120).collect::<Vec<i64>>());
        assert_eq!((rows.first(), rows.last(), total), (Some(&51), Some(&100), 120));
    }

    #[test]
    fn a_search_with_like_wildcards_matches_them_literally() {
        assert_eq!(request(None, Some(" 50%_a\\ ")).unwrap().like_pattern(), "%50\\%\\_a\\\\%");
    }
}
