//! The survey's documents: the executives' yearly report (PDF), the QR posters (PDF), and the
//! anonymised answers (CSV, XLSX).

pub mod build;
pub mod export;
pub mod poster;
pub mod report_pdf;
