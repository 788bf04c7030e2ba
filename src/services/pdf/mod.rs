//! The citizen manual as PDF: one service's, and the booklet of every published one with its table
//! of contents. The template (`manual.typ`) draws the flowchart with plain shapes, so it is vector.

mod data;

use anyhow::Context as _;

pub use data::{Printed, booklet_data, manual_data, version_th};

use crate::docs::pdf::PdfEngine;
use crate::docs::typeset::{DocSize, RenderError, Typesetter};

const TEMPLATE: &str = include_str!("manual.typ");

/// Typesets data made by [`manual_data`] or [`booklet_data`].
pub fn render(engine: &PdfEngine, data: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
    engine.render(TEMPLATE, data).context("rendering the citizen manual")
}

/// Typesets on the render pool within the process's limits; `steps` counts the rows.
pub async fn typeset(pdf: &Typesetter, steps: usize, data: serde_json::Value) -> Result<Vec<u8>, RenderError> {
    let size = DocSize::of(steps, "ขั้นตอน", &data);
    pdf.pdf("service_manual", size, move |engine| render(engine, &data)).await
}
