//! The measures report: `MeasuresReportDoc` → the JSON its template reads.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::cell_lines::{LineBreaker, TableGeometry};
use super::line_cache::{Broken, LineCache};
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
/// `cache`: where lines broken by earlier renders are kept (the server's
/// [`LINES`](super::line_cache::LINES); a process that ends after one render keeps none).
pub fn data(doc: &MeasuresReportDoc, cache: &LineCache) -> (Value, Vec<u8>) {
    let keep = kept_words(doc);
    // Characters XML forbids are no text either (old data may hold a pasted vertical tab).
    let items_of = |text: &str| line_items(&crate::text::xml_safe(text), &keep);
    let items = |text: &str| Value::from(unboxed(&items_of(text)));
    let table = TableGeometry::MEASURES;
    let regular = super::FONTS[0];
    let rows = broken_rows(doc, &keep, &table, cache);
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

/// A cell's paragraph as written: its text (XML-safe) and whether it is indented (`- …`).
type Paragraph<'a> = (Cow<'a, str>, bool);

/// Every row's cells, each paragraph broken into lines: those an earlier render broke from the
/// cache (see `line_cache`), the others segmented and broken here on every core (a large
/// register's words are most of the data stage's time).
fn broken_rows(
    doc: &MeasuresReportDoc,
    keep: &[String],
    table: &TableGeometry,
    cache: &LineCache,
) -> Vec<Vec<Vec<CellLine>>> {
    // Characters XML forbids are no text either (old data may hold a pasted vertical tab).
    let texts: Vec<Vec<Vec<Paragraph>>> = doc
        .rows
        .iter()
        .map(|row| {
            let cells = row.cells().into_iter();
            cells
                .map(|cell| cell.iter().map(|line| (crate::text::xml_safe(line), line.starts_with('-'))).collect())
                .collect()
        })
        .collect();
    let mut wanted: Vec<(&str, f64)> = Vec::new();
    for row in &texts {
        for (column, cell) in row.iter().enumerate() {
            wanted.extend(cell.iter().map(|(text, indent)| (text.as_ref(), table.line_width(column, *indent))));
        }
    }
    let cached = cache.takes(wanted.iter().map(|(text, _)| text.len()).sum());
    let mut found = if cached { cache.get(keep, table.size, &wanted) } else { vec![None; wanted.len()] };
    let missing: Vec<usize> = (0..wanted.len()).filter(|&i| found[i].is_none()).collect();
    // Each rayon job keeps the widths it has measured.
    let broken: Vec<Broken> = missing
        .par_iter()
        .with_min_len(16)
        .map_init(
            || LineBreaker::new(super::FONTS[0], table.size),
            |breaker, &i| {
                let (text, width) = wanted[i];
                Arc::new(breaker.break_items(&line_items(text, keep), width))
            },
        )
        .collect();
    if cached {
        cache.put(
            keep,
            table.size,
            missing.iter().zip(&broken).map(|(&i, lines)| (wanted[i].0, wanted[i].1, lines.clone())).collect(),
        );
    }
    for (i, lines) in missing.into_iter().zip(broken) {
        found[i] = Some(lines);
    }
    let mut found = found.into_iter().map(|lines| lines.expect("every line is found or broken"));
    texts
        .iter()
        .map(|row| {
            let mut paragraph = |indent: bool| CellLine { indent, lines: found.next().expect("one per line") };
            row.iter().map(|cell| cell.iter().map(|(_, indent)| paragraph(*indent)).collect()).collect()
        })
        .collect()
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
    lines: Broken,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::MeasureRow;

    /// Every paragraph's lines, row by row.
    fn lines(rows: &[Vec<Vec<CellLine>>]) -> Vec<Vec<Vec<String>>> {
        rows.iter().flatten().flatten().map(|paragraph| paragraph.lines.to_vec()).collect()
    }

    fn paragraphs(rows: &[Vec<Vec<CellLine>>]) -> Vec<&Broken> {
        rows.iter().flatten().flatten().map(|paragraph| &paragraph.lines).collect()
    }

    #[test]
    fn a_warm_render_takes_the_unchanged_lines_from_the_cache_and_breaks_the_edited_one_anew() {
        let cache = LineCache::new(4 << 20);
        let no_cache = LineCache::new(0);
        let table = TableGeometry::MEASURES;
        let mut doc = MeasuresReportDoc::sample();
        let keep = kept_words(&doc);
        let cold = broken_rows(&doc, &keep, &table, &cache);
        assert!(cache.bytes() > 0);
        let warm = broken_rows(&doc, &keep, &table, &cache);
        assert_eq!(lines(&warm), lines(&cold));
        let warm_paragraphs = paragraphs(&warm);
        // A line written twice in one render is broken twice and kept once: the next render has it.
        let again = broken_rows(&doc, &keep, &table, &cache);
        assert!(paragraphs(&again).iter().zip(&warm_paragraphs).all(|(a, b)| Arc::ptr_eq(a, b)), "all from the cache");

        doc.rows[0].methods[0].push_str(" และรายงานผลต่อผู้บริหารท้องถิ่นทุกไตรมาส");
        let edited = broken_rows(&doc, &keep, &table, &cache);
        assert_eq!(lines(&edited), lines(&broken_rows(&doc, &keep, &table, &no_cache)));
        let edited_paragraphs = paragraphs(&edited);
        let anew = (0..warm_paragraphs.len()).filter(|&i| !Arc::ptr_eq(warm_paragraphs[i], edited_paragraphs[i]));
        assert_eq!(anew.count(), 1, "only the edited line is broken again");
    }

    #[test]
    fn a_line_broken_under_other_kept_names_is_not_reused() {
        let name = "กองคลัง";
        let table = TableGeometry::MEASURES;
        let with = vec![name.to_string()];
        let without: Vec<String> = Vec::new();
        let doc_of = |text: String| MeasuresReportDoc {
            rows: vec![MeasureRow {
                measure: vec![text],
                methods: vec![],
                responsible: vec![],
                period: vec![],
                results: vec![],
                outcomes: vec![],
            }],
            ..MeasuresReportDoc::sample()
        };
        let no_cache = LineCache::new(0);
        // Words before the name until it reaches a line's end, where keeping it whole matters.
        let doc = (1..60)
            .map(|n| doc_of(format!("{}ประชุม{name}ทุกเดือน", "ประชุม ".repeat(n))))
            .find(|doc| {
                lines(&broken_rows(doc, &with, &table, &no_cache))
                    != lines(&broken_rows(doc, &without, &table, &no_cache))
            })
            .expect("the name reaches a line's end");
        let cache = LineCache::new(4 << 20);
        for keep in [&without, &with, &without, &with] {
            assert_eq!(
                lines(&broken_rows(&doc, keep, &table, &cache)),
                lines(&broken_rows(&doc, keep, &table, &no_cache)),
                "kept: {keep:?}"
            );
        }
    }
}
