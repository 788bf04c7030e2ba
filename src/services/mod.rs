//! The service catalogue (issue 14): the services the office gives citizens, each with its citizen
//! manual (คู่มือสำหรับประชาชน) and time standard. The queue issues tickets per service and measures
//! service against the standard kept here.
//!
//! `manual` is the manual's data and `rules` what it must hold (pure); `store` (the catalogue's
//! rows), `drafts`, `versions` and `forms` hold the SQL; `flowchart` draws the SVG and `pdf` the
//! printed manual and booklet; `exchange` reads and writes the JSON and CSV files; `routes`
//! (staff), `public` and `exchange_routes` are the pages.

pub mod demo;
pub mod drafts;
pub mod exchange;
mod exchange_routes;
pub mod flowchart;
mod form_page;
pub mod forms;
pub mod manual;
pub mod pdf;
pub mod public;
mod routes;
pub mod rules;
pub mod store;
pub mod versions;

/// The staff pages, the import and export and the public pages of the catalogue.
pub fn router() -> axum::Router<crate::app::AppState> {
    routes::router().merge(exchange_routes::router()).merge(public::router())
}

/// A service's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct ServiceId(pub i64);

impl std::fmt::Display for ServiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A service as the catalogue lists it and the queue offers it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub division_id: Option<i64>,
    pub position: i64,
    /// Minutes at the counter by the published manual; `None` when no standard is published.
    pub standard_minutes: Option<i64>,
    pub archived: bool,
}
