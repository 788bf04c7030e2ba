//! The OIT disclosure index (issue 16, item 3): the open-data items the ITA asks an agency's web
//! site to disclose in a fiscal year (versioned data: data/oit/YEAR.toml), each answered by
//! links to documents of the library or pages of the site. Staff see which items are missing
//! or stale before the assessment; the public page is the ITA menu by item code.
//! store.rs (links), routes.rs (staff), public.rs (/o/SLUG/ita/YEAR).

pub mod demo;
pub mod public;
pub mod routes;
pub mod store;

use serde::Deserialize;

/// One item of a year's list.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    pub group: String,
    pub title: String,
}

#[derive(Deserialize)]
struct Catalogue {
    fiscal_year: i32,
    item: Vec<Item>,
}

/// The shipped lists: (fiscal year, TOML).
const LISTS: &[(i32, &str)] =
    &[(2565, include_str!("../../data/oit/2565.toml")), (2566, include_str!("../../data/oit/2566.toml"))];

/// The items of a fiscal year, in order; None when no list is shipped for it.
pub fn items(year: i32) -> Option<Vec<Item>> {
    let (_, text) = LISTS.iter().find(|(y, _)| *y == year)?;
    let catalogue: Catalogue = toml::from_str(text).expect("the shipped OIT lists parse (tested)");
    // A file names its own year: one copied for a new year and not yet edited is not used.
    (catalogue.fiscal_year == year).then_some(catalogue.item)
}

/// The years with a list, newest first.
pub fn years() -> Vec<i32> {
    let mut years: Vec<i32> = LISTS.iter().map(|(y, _)| *y).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years
}

/// Where an item stands for the assessment of its year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing links to it.
    Missing,
    /// Only documents last changed before the fiscal year began: the ITA looks for this year's.
    Stale,
    Answered,
}

impl Status {
    pub fn label_th(self) -> &'static str {
        match self {
            Status::Missing => "ยังไม่มีข้อมูล",
            Status::Stale => "ข้อมูลไม่เป็นปัจจุบัน (ปรับปรุงก่อนปีงบประมาณนี้)",
            Status::Answered => "มีข้อมูลแล้ว",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Stale => "stale",
            Status::Answered => "answered",
        }
    }
}

/// An item's status from its links: for each, the epoch second its content last changed (a
/// document's latest version) or None for a page of the site (live, always current).
pub fn status(links: &[Option<i64>], year_starts_at: i64) -> Status {
    if links.is_empty() {
        Status::Missing
    } else if links.iter().any(|changed| changed.is_none_or(|t| t >= year_starts_at)) {
        Status::Answered
    } else {
        Status::Stale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_list_parses_with_unique_codes_o1_to_o43() {
        for year in years() {
            let items = items(year).unwrap();
            assert_eq!(items.len(), 43, "{year}");
            for (i, item) in items.iter().enumerate() {
                assert_eq!(item.code, format!("O{}", i + 1), "{year}");
                assert!(!item.title.is_empty() && !item.group.is_empty());
            }
            let catalogue: Catalogue = toml::from_str(LISTS.iter().find(|(y, _)| *y == year).unwrap().1).unwrap();
            assert_eq!(catalogue.fiscal_year, year, "the file says its own year");
        }
        assert!(items(2500).is_none());
    }

    #[test]
    fn an_item_is_missing_without_links_stale_with_only_old_documents_and_answered_otherwise() {
        assert_eq!(status(&[], 100), Status::Missing);
        assert_eq!(status(&[Some(50)], 100), Status::Stale);
        assert_eq!(status(&[Some(50), Some(150)], 100), Status::Answered);
        assert_eq!(status(&[None], 100), Status::Answered, "a page of the site is live");
    }
}
