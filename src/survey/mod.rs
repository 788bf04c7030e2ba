//! Satisfaction surveys (issue 15): questionnaires of 5-level items grouped in aspects, answered by
//! QR at a service point or once per visit, analysed with the Thai interpretation scales and
//! reported to the executives and the public.
//!
//! So far: the questionnaire's definition and its checks (`questionnaire.rs`), the two
//! interpretation scales (`scale.rs`), the statistics of answers (`stats.rs`) and their chart
//! (`chart.rs`, SVG), all pure; and
//! surveys with their published questionnaire versions (`store.rs`, the SQL).

pub mod chart;
pub mod questionnaire;
pub mod scale;
pub mod stats;
pub mod store;
