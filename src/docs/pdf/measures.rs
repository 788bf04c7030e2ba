//! The measures report: `MeasuresReportDoc` → the JSON its template reads.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::linebreaks::unboxed;
use super::wordbox::{KEEP_TOGETHER, known_names, line_items};
use crate::docs::MeasuresReportDoc;

/// The template, compiled into the binary.
pub const TEMPLATE: &str = include_str!("templates/measures_report.typ");

/// A division's name as the responsible column writes it (`กองคลัง`, `สำนักปลัด`).
fn is_division(part: &str) -> bool {
    ["กอง", "สำนัก", "ฝ่าย"].iter().any(|p| part.trim().starts_with(p))
}

/// People named in a responsible line: the first name with its title and the surname after it
/// (`- นางสาวพรทิพย์ แสนสุขสวัสดิ์ เจ้าพนักงานธุรการ`). `นายก…` is a position, not a title.
fn people(line: &str) -> Vec<&str> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let is_title = |p: &str| ["นาย", "นาง"].iter().any(|t| p.starts_with(t)) && !p.starts_with("นายก");
    parts.windows(2).filter(|w| is_title(w[0])).flat_map(|w| [w[0], w[1]]).collect()
}

/// The words and names a line of the report never breaks inside: [`KEEP_TOGETHER`] and the names
/// the report holds (the footer is the organization's name; the divisions are named in the
/// responsible column). The web page keeps the same ones whole (`portal::words`).
pub fn kept_words(doc: &MeasuresReportDoc) -> Vec<String> {
    let mut names: Vec<&str> = vec![doc.footer.as_str()];
    // The approver's name (the signature's second line) is a person's name.
    names.extend(doc.signature.get(1).map(String::as_str));
    for row in &doc.rows {
        names.extend(row.responsible.iter().flat_map(|l| l.split(['/', ' '])).filter(|p| is_division(p)));
        names.extend(row.responsible.iter().flat_map(|l| people(l)));
    }
    let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
    keep.extend(known_names(&names));
    keep
}

/// Builds `data.json` for `templates/measures_report.typ`: every line as word items (see `wordbox`),
/// boxed only where a box is needed (see `linebreaks`).
pub fn data(doc: &MeasuresReportDoc) -> Value {
    let keep = kept_words(doc);
    // Characters XML forbids are no text either (old data may hold a pasted vertical tab).
    let items = |text: &str| Value::from(unboxed(&line_items(&crate::text::xml_safe(text), &keep)));
    let lines = |lines: &[String]| {
        lines.iter().map(|l| json!({ "indent": l.starts_with('-'), "w": items(l) })).collect::<Vec<_>>()
    };
    json!({
        "title": doc.heading_lines.join(" "),
        "cover": doc.cover_lines.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "heading": doc.heading_lines.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "intro": items(&doc.intro),
        "headers": doc.headers.iter().map(|h| items(h)).collect::<Vec<_>>(),
        // Rows are segmented on every core: a large register's words are most of this function's time.
        "rows": doc.rows.par_iter().map(|r| {
            r.cells().map(|cell| lines(cell))
        }).collect::<Vec<_>>(),
        "footer": items(&doc.footer),
        "no_measures": doc.no_measures().map(items),
        "thai_digits": doc.thai_digits,
        "page_placeholder": super::page_numbers::placeholder(doc.thai_digits),
        "draft_mark": doc.draft_mark.as_deref().map(items),
        "signature": doc.signature.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "version_note": doc.version_note.as_deref().map(items),
    })
}
