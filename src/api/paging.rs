//! Lists a page at a time: `?page=N` (from 1) and, where a list allows it, `?per_page=N` (1–100).
//! The answer says where it is (`page`, `per_page`, `total`, `pages`) and its `Link` header names
//! the first, previous, next and last pages (RFC 8288). A page past the last is a 404; an empty
//! list still has its page 1.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Items on a page unless `per_page` says otherwise.
pub const DEFAULT_PER_PAGE: usize = 50;
/// The most items a page holds.
pub const MAX_PER_PAGE: usize = 100;
/// The highest page number read (a larger one is refused as a bad parameter).
const MAX_PAGE: usize = 1_000_000;

/// The query string as `T`; a query that does not read is a bad parameter.
pub fn query<T: DeserializeOwned + Default>(raw: Option<&str>) -> Result<T, ApiError> {
    match raw {
        None | Some("") => Ok(T::default()),
        Some(raw) => serde_html_form::from_str(raw).map_err(|_| ApiError::BadParameter {
            name: "query",
            takes_th: "พารามิเตอร์ตามเอกสาร OpenAPI แต่ละชื่อครั้งเดียว",
            takes_en: "the parameters of the OpenAPI document, each once",
        }),
    }
}

/// Which page of a list is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// From 1.
    pub page: usize,
    pub per_page: usize,
}

/// One page of a list, as the API writes it.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: usize,
    pub per_page: usize,
    pub total: usize,
    pub pages: usize,
}

fn number(text: Option<&str>, max: usize) -> Option<Option<usize>> {
    match text {
        None => Some(None),
        Some(t) => {
            let ok = !t.is_empty() && t.len() <= 7 && t.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| t.parse::<usize>().ok()).flatten().filter(|n| (1..=max).contains(n)).map(Some)
        }
    }
}

impl Paging {
    /// Reads `page` and `per_page` (None: the list has a fixed page size, `fixed`).
    pub fn parse(page: Option<&str>, per_page: Option<&str>, fixed: Option<usize>) -> Result<Self, ApiError> {
        let page = number(page, MAX_PAGE).ok_or(ApiError::BadParameter {
            name: "page",
            takes_th: "จำนวนเต็มตั้งแต่ 1 ขึ้นไป",
            takes_en: "a whole number from 1",
        })?;
        let per_page = number(per_page, MAX_PER_PAGE).ok_or(ApiError::BadParameter {
            name: "per_page",
            takes_th: "จำนวนเต็มตั้งแต่ 1 ถึง 100",
            takes_en: "a whole number from 1 to 100",
        })?;
        let per_page = match (fixed, per_page) {
            (Some(size), None) => size,
            (Some(size), Some(n)) if n == size => size,
            (Some(_), Some(_)) => {
                return Err(ApiError::BadParameter {
                    name: "per_page",
                    takes_th: "50 (รายการนี้แบ่งหน้าละ 50 รายการ)",
                    takes_en: "50 (this list has 50 items a page)",
                });
            }
            (None, n) => n.unwrap_or(DEFAULT_PER_PAGE),
        };
        Ok(Paging { page: page.unwrap_or(1), per_page })
    }

    /// Items to skip.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.per_page
    }

    /// How many pages `total` items fill (at least one).
    pub fn pages(&self, total: usize) -> usize {
        total.div_ceil(self.per_page).max(1)
    }

    /// This page of `items` (the whole list, in order).
    pub fn slice<T>(&self, items: Vec<T>) -> Result<Page<T>, ApiError> {
        let total = items.len();
        let page: Vec<T> = items.into_iter().skip(self.offset()).take(self.per_page).collect();
        self.page_of(page, total)
    }

    /// A page already read (`items`), of `total` items.
    pub fn page_of<T>(&self, items: Vec<T>, total: usize) -> Result<Page<T>, ApiError> {
        let pages = self.pages(total);
        if self.page > pages {
            return Err(ApiError::NoPage { pages });
        }
        Ok(Page { items, page: self.page, per_page: self.per_page, total, pages })
    }

    /// The `Link` header of a page of `pages`: `base` is the list's absolute URL with its own
    /// filters; `per_page` is repeated when the client chose it.
    pub fn link(&self, base: &str, pages: usize, chosen_per_page: bool) -> String {
        let separator = if base.contains('?') { '&' } else { '?' };
        let href = |page: usize| {
            let mut href = format!("{base}{separator}page={page}");
            if chosen_per_page {
                href.push_str(&format!("&per_page={}", self.per_page));
            }
            href
        };
        let mut links = vec![format!("<{}>; rel=\"first\"", href(1))];
        if self.page > 1 {
            links.push(format!("<{}>; rel=\"prev\"", href(self.page - 1)));
        }
        if self.page < pages {
            links.push(format!("<{}>; rel=\"next\"", href(self.page + 1)));
        }
        links.push(format!("<{}>; rel=\"last\"", href(pages)));
        links.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_and_per_page_are_whole_numbers_in_range() {
        assert_eq!(Paging::parse(None, None, None).unwrap(), Paging { page: 1, per_page: 50 });
        assert_eq!(Paging::parse(Some("3"), Some("10"), None).unwrap(), Paging { page: 3, per_page: 10 });
        for (page, per_page) in
            [(Some("0"), None), (Some("x"), None), (Some("-1"), None), (None, Some("101")), (None, Some(""))]
        {
            assert!(Paging::parse(page, per_page, None).is_err(), "{page:?} {per_page:?}");
        }
        assert!(Paging::parse(None, Some("10"), Some(50)).is_err(), "a fixed page size cannot be changed");
        assert_eq!(Paging::parse(Some("2"), Some("50"), Some(50)).unwrap().per_page, 50);
    }

    #[test]
    fn a_page_past_the_last_is_refused_and_an_empty_list_has_page_one() {
        let paging = Paging::parse(Some("3"), Some("2"), None).unwrap();
        let page = paging.slice(vec![1, 2, 3, 4, 5]).unwrap();
        assert_eq!((page.items, page.total, page.pages), (vec![5], 5, 3));
        assert!(matches!(
            Paging::parse(Some("4"), Some("2"), None).unwrap().slice(vec![1, 2, 3, 4, 5]),
            Err(ApiError::NoPage { pages: 3 })
        ));
        let empty = Paging::parse(None, None, None).unwrap().slice(Vec::<i32>::new()).unwrap();
        assert_eq!((empty.total, empty.pages), (0, 1));
    }

    #[test]
    fn links_name_the_neighbours_and_the_ends() {
        let paging = Paging { page: 2, per_page: 10 };
        assert_eq!(
            paging.link("http://x/api/v1/orgs?province=a", 3, true),
            "<http://x/api/v1/orgs?province=a&page=1&per_page=10>; rel=\"first\", \
             <http://x/api/v1/orgs?province=a&page=1&per_page=10>; rel=\"prev\", \
             <http://x/api/v1/orgs?province=a&page=3&per_page=10>; rel=\"next\", \
             <http://x/api/v1/orgs?province=a&page=3&per_page=10>; rel=\"last\""
        );
        assert_eq!(
            Paging { page: 1, per_page: 50 }.link("http://x/l", 1, false),
            "<http://x/l?page=1>; rel=\"first\", <http://x/l?page=1>; rel=\"last\""
        );
    }
}
