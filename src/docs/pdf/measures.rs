//! The measures report: `MeasuresReportDoc` → the JSON its template reads.

use serde_json::{Value, json};

use super::wordbox::{KEEP_TOGETHER, line_items};
use crate::docs::MeasuresReportDoc;

/// The template, compiled into the binary.
pub const TEMPLATE: &str = include_str!("templates/measures_report.typ");

/// Builds `data.json` for `templates/measures_report.typ`: every line as word items (see `wordbox`).
pub fn data(doc: &MeasuresReportDoc) -> Value {
    // The footer is the organization's name: keep it whole wherever it appears.
    let mut keep: Vec<&str> = KEEP_TOGETHER.to_vec();
    let name = doc.footer.trim();
    if !name.is_empty() && !name.contains(char::is_whitespace) {
        keep.push(name);
    }
    // Characters XML forbids are no text either (old data may hold a pasted vertical tab).
    let items = |text: &str| Value::from(line_items(&crate::text::xml_safe(text), &keep));
    let lines = |lines: &[String]| {
        lines.iter().map(|l| json!({ "indent": l.starts_with('-'), "w": items(l) })).collect::<Vec<_>>()
    };
    json!({
        "title": doc.heading_lines.join(" "),
        "cover": doc.cover_lines.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "heading": doc.heading_lines.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "intro": items(&doc.intro),
        "headers": doc.headers.iter().map(|h| items(h)).collect::<Vec<_>>(),
        "rows": doc.rows.iter().map(|r| {
            [&r.measure, &r.methods, &r.responsible, &r.period, &r.results, &r.outcomes]
                .map(|cell| lines(cell))
        }).collect::<Vec<_>>(),
        "footer": items(&doc.footer),
        "no_measures": doc.no_measures().map(items),
        "thai_digits": doc.thai_digits,
    })
}
