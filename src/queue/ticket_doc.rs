//! The printed ticket: an 80 mm thermal-paper PDF (the print page in the browser is its twin in
//! CSS), and the QR codes of the ticket and the entrance poster.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;

use crate::docs::pdf::{KEEP_TOGETHER, PdfEngine, line_items};

const TEMPLATE: &str = include_str!("templates/ticket.typ");

/// Everything the ticket prints, every string final.
#[derive(Clone, Debug, Serialize)]
pub struct TicketDoc {
    pub org: String,
    pub point: String,
    pub label: String,
    pub service: String,
    /// "๓๐ พ.ย. ๒๕๖๙ ๑๔:๐๕ น."
    pub issued: String,
    /// "รอก่อนหน้า ๓ คิว"
    pub ahead: String,
    /// The priority group's name, or "".
    pub priority: String,
    /// The live status page the QR opens.
    pub url: String,
}

/// The QR code of `url` as SVG (error correction M, quiet zone). URLs here are short.
pub fn qr_svg(url: &str) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).expect("a short URL fits a QR code");
    code.render::<svg::Color>()
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .module_dimensions(4, 4)
        .build()
        .into_bytes()
}

/// The QR code as a `data:` URI for an `<img>` (the CSP allows `data:` images, nothing inline).
pub fn qr_data_uri(url: &str) -> String {
    format!("data:image/svg+xml;utf8,{}", urlencoding::encode(&String::from_utf8_lossy(&qr_svg(url))))
}

/// The ticket as a PDF, 80 mm wide.
pub fn pdf(engine: &PdfEngine, doc: &TicketDoc) -> anyhow::Result<Vec<u8>> {
    let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
    keep.extend(crate::docs::pdf::known_names(&[doc.org.as_str(), doc.point.as_str(), doc.service.as_str()]));
    let line = |s: &str| serde_json::Value::from(line_items(s, &keep));
    let data = serde_json::json!({
        "org": line(&doc.org),
        "point": line(&doc.point),
        "label": doc.label,
        "service": line(&doc.service),
        "issued": line(&doc.issued),
        "ahead": line(&doc.ahead),
        "priority": line(&doc.priority),
        "url": doc.url,
    });
    engine.render_with_files(TEMPLATE, &data, &[("qr.svg", qr_svg(&doc.url))])
}
