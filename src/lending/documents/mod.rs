//! The lending module's printable documents: QR label sheets, the borrowing form, the SOP manual
//! (คู่มือการยืม-คืนพัสดุ, with its flowchart) and the loans report.
//!
//! Each renderer takes a plain, print-ready struct from [`data`], turns every line into word items
//! (`docs::pdf::line_items`, so Thai breaks only between words) and typesets a template from
//! `templates/` with the shared [`PdfEngine`]. The templates import `common.typ` for the drawing
//! helpers.

pub mod build;
pub mod data;
mod flow;
mod json;
pub mod manual;
pub mod regulation;
mod samples;

#[cfg(test)]
mod tests;

use anyhow::{Context as _, ensure};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::docs::pdf::PdfEngine;
pub use data::{
    FlowLabels, Label, LabelSheet, LegalClause, LoanForm, LoanFormItem, LoanRow, LoansReport, LoansSummary,
    OutstandingList, OutstandingLoan, PlaceKind, ReturnSection, Signatory, SopManual, SopStep, StepKind,
    UtilizationRow,
};
pub use manual::ManualApproval;

/// Helpers every template imports as `common.typ`.
const COMMON: &str = include_str!("templates/common.typ");
const LABEL_SHEET: &str = include_str!("templates/label_sheet.typ");
const LOAN_FORM: &str = include_str!("templates/loan_form.typ");
const SOP_MANUAL: &str = include_str!("templates/sop_manual.typ");
const LOANS_REPORT: &str = include_str!("templates/loans_report.typ");
const OUTSTANDING_LIST: &str = include_str!("templates/outstanding_list.typ");

/// The most bytes a QR code at level M holds (version 40, byte mode).
pub const QR_MAX_BYTES: usize = 2331;

/// The QR code of `url` as an SVG image: error correction M, with the 4-module quiet zone.
///
/// # Panics
/// If `url` is longer than [`QR_MAX_BYTES`]; [`label_sheet`] checks this first and returns an error.
pub fn qr_svg(url: &str) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .expect("a URL of at most QR_MAX_BYTES fits a QR code");
    code.render::<svg::Color>()
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .module_dimensions(4, 4)
        .build()
        .into_bytes()
}

/// A4 sheets of QR labels, 3 × 8 per page; label `n` (from 1) gets its code as `qr-n.svg`.
pub fn label_sheet(engine: &PdfEngine, sheet: &LabelSheet) -> anyhow::Result<Vec<u8>> {
    let names: Vec<String> = (1..=sheet.labels.len()).map(|n| format!("qr-{n}.svg")).collect();
    let mut files: Vec<(&str, Vec<u8>)> = Vec::with_capacity(names.len() + 1);
    for (n, (label, name)) in sheet.labels.iter().zip(&names).enumerate() {
        ensure!(
            label.url.len() <= QR_MAX_BYTES,
            "the URL of label {} ({}) is too long for a QR code",
            n + 1,
            label.asset_number
        );
        files.push((name, qr_svg(&label.url)));
    }
    files.push(("common.typ", COMMON.as_bytes().to_vec()));
    engine.render_with_files(LABEL_SHEET, &json::label_sheet(sheet), &files).context("rendering the QR label sheet")
}

/// "แบบฟอร์มการยืมพัสดุ" of one loan, with signature lines and the return section.
pub fn loan_form(engine: &PdfEngine, form: &LoanForm) -> anyhow::Result<Vec<u8>> {
    render(engine, LOAN_FORM, &json::loan_form(form)).context("rendering the loan form")
}

/// "คู่มือการยืม-คืนพัสดุ": cover, purpose and legal basis, rules, steps table, flowchart, monitoring
/// and the forms annex.
pub fn sop_manual(engine: &PdfEngine, manual: &SopManual) -> anyhow::Result<Vec<u8>> {
    render(engine, SOP_MANUAL, &json::sop_manual(manual)).context("rendering the SOP manual")
}

/// The SOP manual's JSON for the template: stored with an issued version, so the version can be
/// rendered again exactly as approved.
pub fn sop_manual_data(manual: &SopManual) -> serde_json::Value {
    json::sop_manual(manual)
}

/// Renders an SOP manual from data made by [`sop_manual_data`], by this release or an earlier one:
/// data kept before the page numbers were written in after layout has no placeholder for them, and
/// gets one in the digits it asks for.
pub fn sop_manual_from_data(engine: &PdfEngine, data: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
    let mut data = data.clone();
    if let Some(fields) = data.as_object_mut()
        && !fields.contains_key("page_placeholder")
    {
        let thai = fields.get("thai_digits").and_then(serde_json::Value::as_bool).unwrap_or(true);
        fields.insert("page_placeholder".into(), crate::docs::pdf::page_placeholder(thai).into());
    }
    render(engine, SOP_MANUAL, &data).context("rendering the SOP manual")
}

/// The staff list of loans still out before the stock count, with borrowers' names.
pub fn outstanding_list(engine: &PdfEngine, list: &OutstandingList) -> anyhow::Result<Vec<u8>> {
    render(engine, OUTSTANDING_LIST, &json::outstanding_list(list)).context("rendering the list of loans still out")
}

/// The loans report of a period (A4 landscape): summary counts, loans, utilization per item.
pub fn loans_report(engine: &PdfEngine, report: &LoansReport) -> anyhow::Result<Vec<u8>> {
    render(engine, LOANS_REPORT, &json::loans_report(report)).context("rendering the loans report")
}

fn render(engine: &PdfEngine, template: &str, data: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
    engine.render_with_files(template, data, &[("common.typ", COMMON.as_bytes().to_vec())])
}
