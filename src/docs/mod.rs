//! Typesetting of documents: PDF (embedded Typst with the shipped Thai font) and DOCX.

pub mod bench;
pub mod docx;
mod docx_fonts;
pub mod first_print;
pub mod pdf;
pub mod report_data;
pub mod typeset;
pub mod xlsx;

#[cfg(test)]
mod docx_tests;
mod report_samples;

pub use report_data::{Cell, MeasureRow, MeasuresReportDoc};
