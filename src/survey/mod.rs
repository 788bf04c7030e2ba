//! Satisfaction surveys (issue 15): questionnaires of 5-level items grouped in aspects, answered by
//! QR at a service point or once per visit, analysed with the Thai interpretation scales and
//! reported to the executives and the public.
//!
//! So far: the questionnaire's definition and its checks (`questionnaire.rs`), the two
//! interpretation scales (`scale.rs`), the statistics of answers (`stats.rs`) and their chart
//! (`chart.rs`, SVG), all pure; and
//! surveys with their published questionnaire versions (`store.rs`, the SQL).

pub mod analysis;
pub mod answers;
pub mod chart;
pub mod demo;
pub mod documents;
pub mod editor;
pub mod ingest;
pub mod questionnaire;
pub mod report_view;
pub mod results;
pub mod results_routes;
pub mod scale;
pub mod stats;
pub mod store;
pub mod visits;

mod public_routes;
mod staff_routes;

use axum::Router;

use crate::app::AppState;

/// The survey's pages: the citizen's form under /o/SLUG/survey.
pub fn router() -> Router<AppState> {
    Router::new().merge(public_routes::router()).merge(results_routes::router()).merge(staff_routes::router())
}
