//! The measures report: `MeasuresReportDoc` → the JSON its template reads.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::cell_lines::{LineBreaker, TableGeometry};
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

/// Builds `data.json` for `templates/measures_report.typ` (every line outside the table as word
/// items, see `wordbox`, boxed only where a box is needed, see `linebreaks`) and the table's lines,
/// broken here (`cell_lines`), for `cell_text` to draw: the template never reads their text.
pub fn data(doc: &MeasuresReportDoc) -> (Value, Vec<u8>) {
    let keep = kept_words(doc);
    // Characters XML forbids are no text either (old data may hold a pasted vertical tab).
    let items_of = |text: &str| line_items(&crate::text::xml_safe(text), &keep);
    let items = |text: &str| Value::from(unboxed(&items_of(text)));
    let table = TableGeometry::MEASURES;
    let regular = super::FONTS[0];
    // Rows are segmented and broken into lines on every core: a large register's words are most of
    // this function's time. Each rayon job keeps the widths it has measured.
    let rows: Vec<Vec<Vec<CellLine>>> = doc
        .rows
        .par_iter()
        .map_init(
            || LineBreaker::new(regular, table.size),
            |breaker, row| {
                row.cells()
                    .into_iter()
                    .enumerate()
                    .map(|(column, cell)| {
                        cell.iter()
                            .map(|line| {
                                let indent = line.starts_with('-');
                                let width = table.line_width(column, indent);
                                CellLine { indent, lines: breaker.break_items(&items_of(line), width) }
                            })
                            .collect()
                    })
                    .collect()
            },
        )
        .collect();
    // The lines in order, each with its column: `cell_text` finds a column's blocks in this order.
    // Written straight to JSON: a large register has hundreds of thousands of pieces.
    let mut cell_lines = Vec::new();
    let counts: Vec<Vec<Vec<usize>>> = rows
        .iter()
        .map(|row| {
            let cells = row.iter().enumerate().map(|(column, cell)| {
                let paragraphs = cell.iter().map(|paragraph| {
                    let indent = if paragraph.indent { table.indent } else { 0.0 };
                    cell_lines.extend(paragraph.lines.iter().map(|pieces| LineOut { pieces, indent, column }));
                    paragraph.lines.len()
                });
                paragraphs.collect()
            });
            cells.collect()
        })
        .collect();
    let line_height = LineBreaker::new(regular, table.size).line_height();
    let data = json!({
        "title": doc.heading_lines.join(" "),
        "cover": doc.cover_lines.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "heading": doc.heading_lines.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "intro": items(&doc.intro),
        "headers": doc.headers.iter().map(|h| items(h)).collect::<Vec<_>>(),
        "table": {
            "margin_x": table.margin_x,
            "columns": table.columns,
            "inset": table.inset_x,
            "line_height": line_height,
            "leading": table.leading,
            "spacing": table.spacing,
        },
        "rows": counts,
        "footer": items(&doc.footer),
        "no_measures": doc.no_measures().map(items),
        "thai_digits": doc.thai_digits,
        "page_placeholder": super::page_numbers::placeholder(doc.thai_digits),
        "draft_mark": doc.draft_mark.as_deref().map(items),
        "signature": doc.signature.iter().map(|l| items(l)).collect::<Vec<_>>(),
        "version_note": doc.version_note.as_deref().map(items),
    });
    let lefts: Vec<f64> = (0..table.columns.len()).map(|c| table.line_left(c)).collect();
    let lines = LinesOut { size: table.size, line_height, lefts, lines: cell_lines };
    (data, serde_json::to_vec(&lines).expect("the lines serialize"))
}

/// What `cell_text` reads ([`super::cell_text::FILE`]).
#[derive(serde::Serialize)]
struct LinesOut<'a> {
    size: f64,
    line_height: f64,
    lefts: Vec<f64>,
    lines: Vec<LineOut<'a>>,
}

/// One line: its pieces, its indent (pt), its column.
#[derive(serde::Serialize)]
struct LineOut<'a> {
    pieces: &'a [String],
    indent: f64,
    column: usize,
}

/// One line of a cell as written (a paragraph) and the lines it was broken into.
struct CellLine {
    indent: bool,
    lines: Vec<Vec<String>>,
}
