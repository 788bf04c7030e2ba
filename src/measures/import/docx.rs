//! Reading the measures report from a Word file (.docx): the heading paragraphs, the intro and the
//! six-column table of the official layout, into the same [`ParsedReport`] the Markdown reader gives.
//!
//! What Word files hold that Markdown does not, and how it is read:
//! - a header row repeated on each page (typed again, or several tables one per page): any row
//!   that reads as the header is skipped;
//! - a measure continued over several rows: a row with an empty first cell continues the measure
//!   above, as in Markdown ([`markdown::add_row`]);
//! - vertically merged cells (`w:vMerge`): a continued cell belongs to the same measure (empty
//!   there) unless its row starts a new measure, which then gets the merged text too (one
//!   responsible office or period written once for several measures);
//! - `w:gridSpan` and `w:gridBefore`: cells are placed by grid column under the header's cells,
//!   whose names say which column is which (a "ที่" or "หมายเหตุ" column is skipped);
//! - Word's own list numbering (`w:numPr`): a numbered paragraph becomes "1. …", a bullet "- …".
//!
//! Inside a cell, lists follow the staff form's rule (`rules::items_from_text`): a numbered line
//! starts an item, a line starting with "-" or "•" continues it, any other line is an item of its
//! own. Word has no Markdown `<br><br>`, and this is the rule the edit page already uses, so a
//! register exported to DOCX reads back to the same items.

use std::collections::HashMap;
use std::io::Read;

use roxmltree::{Document, Node};

use super::ImportProblem;
use crate::measures::markdown::{self, COLUMNS, ImportErrorKind, ParsedMeasure, ParsedReport};
use crate::measures::rules::items_from_text;

const W_MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MARKUP_COMPAT: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The most bytes one part of the file may unpack to: a report's document.xml is a few MB; this
/// bounds what a crafted zip can make us allocate.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Whether the bytes are a zip archive (DOCX), by content rather than the file's name.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn problem(th: impl Into<String>, en: impl Into<String>) -> ImportProblem {
    ImportProblem { line: None, rows: false, column: None, message_th: th.into(), message_en: en.into() }
}

fn corrupt(detail: impl std::fmt::Display) -> ImportProblem {
    problem(
        "อ่านไฟล์ Word (.docx) ไม่ได้: ไฟล์เสียหายหรือไม่ครบ (อาจดาวน์โหลดหรือคัดลอกมาไม่หมด) กรุณาเปิดไฟล์ใน Word แล้วบันทึกใหม่เป็น .docx",
        format!("cannot read the .docx file: it is damaged or incomplete ({detail})"),
    )
}

/// Reads a .docx file.
pub fn read(bytes: &[u8]) -> Result<ParsedReport, ImportProblem> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(corrupt)?;
    let document = part(&mut zip, "word/document.xml")?.ok_or_else(|| {
        problem(
            "ไฟล์นี้เป็นไฟล์ zip แต่ไม่ใช่เอกสาร Word (.docx): ไม่พบเนื้อหาเอกสาร",
            "the file is a zip archive but not a Word document (no word/document.xml)",
        )
    })?;
    let numbering = part(&mut zip, "word/numbering.xml")?;
    let formats = match &numbering {
        Some(xml) => list_formats(&Document::parse(xml).map_err(corrupt)?),
        None => HashMap::new(),
    };
    let doc = Document::parse(&document).map_err(corrupt)?;
    read_document(&doc, &formats)
}

/// One part of the archive as text; None when the archive has no such part.
fn part(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ImportProblem> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(e)),
    };
    let mut text = String::new();
    let read = file.take(MAX_PART_BYTES + 1).read_to_string(&mut text).map_err(corrupt)?;
    if read as u64 > MAX_PART_BYTES {
        return Err(problem(
            "ไฟล์ Word มีเนื้อหาใหญ่เกินกว่าจะเป็นรายงานมาตรการ จึงไม่ได้นำเข้า",
            format!("{name} unpacks to more than {MAX_PART_BYTES} bytes"),
        ));
    }
    Ok(Some(text))
}

fn is_w(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && matches!(node.tag_name().namespace(), Some(W_MAIN) | Some(W_STRICT))
}

fn w_child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is_w(*c, name))
}

/// The `w:val` attribute (namespaced in real files, sometimes plain in hand-made ones).
fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == "val").map(|a| a.value())
}

/// The children of `node`, with content controls (`w:sdt`) opened up.
fn blocks<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for c in node.children().filter(Node::is_element) {
        if is_w(c, "sdt") {
            if let Some(content) = w_child(c, "sdtContent") {
                out.extend(blocks(content));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// How each list (numId, level) is numbered: true for numbers, false for bullets.
type ListFormats = HashMap<(String, String), bool>;

fn list_formats(numbering: &Document) -> ListFormats {
    let root = numbering.root_element();
    let mut abstracts: HashMap<&str, Vec<(String, bool)>> = HashMap::new();
    for a in root.children().filter(|c| is_w(*c, "abstractNum")) {
        let id = a.attributes().find(|x| x.name() == "abstractNumId").map(|x| x.value()).unwrap_or_default();
        let levels = a
            .children()
            .filter(|c| is_w(*c, "lvl"))
            .map(|l| {
                let level = l.attributes().find(|x| x.name() == "ilvl").map(|x| x.value()).unwrap_or("0");
                let format = w_child(l, "numFmt").and_then(val).unwrap_or("decimal");
                (level.to_string(), !matches!(format, "bullet" | "none"))
            })
            .collect();
        abstracts.insert(id, levels);
    }
    let mut out = HashMap::new();
    for n in root.children().filter(|c| is_w(*c, "num")) {
        let id = n.attributes().find(|x| x.name() == "numId").map(|x| x.value()).unwrap_or_default();
        let Some(levels) = w_child(n, "abstractNumId").and_then(val).and_then(|a| abstracts.get(a)) else { continue };
        for (level, numbered) in levels {
            out.insert((id.to_string(), level.clone()), *numbered);
        }
    }
    out
}

/// A paragraph's text: line breaks inside it become '\n', tabs spaces. Deleted text (tracked
/// changes), field codes and the fallback copies of drawings are not text of the paragraph.
fn paragraph_text(p: Node, formats: &ListFormats) -> String {
    let mut text = String::new();
    collect_text(p, &mut text);
    let Some(num) = w_child(p, "pPr").and_then(|ppr| w_child(ppr, "numPr")) else { return text };
    let id = w_child(num, "numId").and_then(val).unwrap_or("0");
    if id == "0" || text.trim().is_empty() {
        return text;
    }
    let level = w_child(num, "ilvl").and_then(val).unwrap_or("0");
    let numbered = formats.get(&(id.to_string(), level.to_string())).copied().unwrap_or(true);
    let trimmed = text.trim_start();
    if numbered {
        // The number itself is recomputed on print; only "numbered" matters.
        if markdown::numbered_item_rest(trimmed).is_some() { text } else { format!("1. {trimmed}") }
    } else if trimmed.starts_with(['-', '•']) {
        text
    } else {
        format!("- {trimmed}")
    }
}

fn collect_text(node: Node, out: &mut String) {
    for c in node.children() {
        if !c.is_element() {
            continue;
        }
        if c.tag_name().namespace() == Some(MARKUP_COMPAT) && c.tag_name().name() == "Fallback" {
            continue;
        }
        if !matches!(c.tag_name().namespace(), Some(W_MAIN) | Some(W_STRICT)) {
            collect_text(c, out);
            continue;
        }
        match c.tag_name().name() {
            "t" => out.push_str(c.text().unwrap_or_default()),
            "tab" | "ptab" => out.push(' '),
            "br" | "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            // Text boxes and nested paragraphs are not this paragraph's line.
            "del" | "delText" | "instrText" | "txbxContent" | "pPr" | "rPr" | "footnoteReference" => {}
            _ => collect_text(c, out),
        }
    }
}

/// Whether every run with visible text is bold (a heading line).
fn is_bold(p: Node) -> bool {
    let mut any = false;
    for r in p.descendants().filter(|n| is_w(*n, "r")) {
        let has_text = r.children().any(|t| is_w(t, "t") && t.text().is_some_and(|s| !s.trim().is_empty()));
        if !has_text {
            continue;
        }
        any = true;
        let bold = w_child(r, "rPr")
            .and_then(|rpr| w_child(rpr, "b").or_else(|| w_child(rpr, "bCs")))
            .is_some_and(|b| !matches!(val(b), Some("0" | "false" | "off")));
        if !bold {
            return false;
        }
    }
    any
}

/// A cell's lines, trimmed, empty ones dropped.
fn cell_lines(tc: Node, formats: &ListFormats) -> Vec<String> {
    tc.descendants()
        .filter(|n| is_w(*n, "p"))
        .flat_map(|p| paragraph_text(p, formats).split('\n').map(|l| l.trim().to_string()).collect::<Vec<_>>())
        .map(|l| crate::text::clean(&l, crate::text::Lines::One).map(|c| c.into_owned()).unwrap_or(l))
        .filter(|l| !l.is_empty())
        .collect()
}

/// One cell of a row, placed on the table grid.
struct GridCell {
    start: usize,
    span: usize,
    lines: Vec<String>,
    /// `w:vMerge` without "restart": continues the cell above.
    continues: bool,
}

fn row_cells(tr: Node, formats: &ListFormats) -> Vec<GridCell> {
    let mut column = w_child(tr, "trPr")
        .and_then(|p| w_child(p, "gridBefore"))
        .and_then(val)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0usize);
    let mut cells = Vec::new();
    for tc in blocks(tr).into_iter().filter(|c| is_w(*c, "tc")) {
        let props = w_child(tc, "tcPr");
        let span = props
            .and_then(|p| w_child(p, "gridSpan"))
            .and_then(val)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1usize)
            .max(1);
        let continues = props.and_then(|p| w_child(p, "vMerge")).is_some_and(|m| !matches!(val(m), Some("restart")));
        cells.push(GridCell { start: column, span, lines: cell_lines(tc, formats), continues });
        column += span;
    }
    cells
}

fn squeezed(lines: &[String]) -> String {
    lines.concat().chars().filter(|c| *c != '/' && !c.is_whitespace()).collect()
}

/// The header row of the official layout: a cell reads "มาตรการ/แนวทาง" (or "มาตรการ").
fn is_header(cells: &[GridCell]) -> bool {
    cells.iter().any(|c| matches!(squeezed(&c.lines).as_str(), "มาตรการแนวทาง" | "มาตรการ"))
}

/// Which of the six columns a header cell names; None for a column the report format does not
/// have (a "ที่" number column, "หมายเหตุ"), which is skipped.
fn column_named(header: &str) -> Option<usize> {
    let named = |words: &[&str]| words.iter().any(|w| header.contains(w));
    if header.starts_with("มาตรการ") {
        Some(0)
    } else if named(&["วิธีดำเนินการ", "วิธีการดำเนินการ"]) {
        Some(1)
    } else if named(&["ผู้รับผิดชอบ"]) {
        Some(2)
    } else if named(&["ระยะเวลา"]) {
        Some(3)
    } else if named(&["ผลลัพธ์", "ความสำเร็จ"]) {
        Some(5)
    } else if named(&["ผลการดำเนิน"]) {
        Some(4)
    } else {
        None
    }
}

/// The header's cells as (grid start, column): by their names, or by place when a six-cell
/// header words its columns otherwise; an error naming the missing columns when neither works.
fn header_columns(cells: &[GridCell], row: usize) -> Result<Vec<(usize, Option<usize>)>, ImportProblem> {
    let named: Vec<Option<usize>> = cells.iter().map(|c| column_named(&squeezed(&c.lines))).collect();
    let complete = (0..6).all(|i| named.iter().filter(|n| **n == Some(i)).count() == 1);
    if complete {
        return Ok(cells.iter().zip(named).map(|(c, n)| (c.start, n)).collect());
    }
    if cells.len() == 6 {
        return Ok(cells.iter().enumerate().map(|(i, c)| (c.start, Some(i))).collect());
    }
    let missing: Vec<&str> = (0..6).filter(|i| !named.contains(&Some(*i))).map(|i| COLUMNS[i]).collect();
    Err(row_problem(
        row,
        None,
        format!("ตารางมาตรการต้องมี ๖ คอลัมน์ตามแบบรายงาน แต่พบ {} คอลัมน์ และไม่พบคอลัมน์ {}", cells.len(), missing.join(", ")),
        format!("the measures table has {} columns; missing: {}", cells.len(), missing.join(", ")),
    ))
}

fn row_problem(row: usize, column: Option<&'static str>, th: String, en: String) -> ImportProblem {
    ImportProblem { line: Some(row), rows: true, column, message_th: th, message_en: en }
}

fn kind_problem(row: usize, column: Option<&'static str>, kind: ImportErrorKind) -> ImportProblem {
    row_problem(row, column, kind.message_th(), kind.to_string())
}

fn read_document(doc: &Document, formats: &ListFormats) -> Result<ParsedReport, ImportProblem> {
    let body = doc
        .root_element()
        .children()
        .find(|c| is_w(*c, "body"))
        .ok_or_else(|| corrupt("document.xml has no w:body"))?;
    let mut front: Vec<(String, bool)> = Vec::new();
    let mut reader = TableReader::default();
    for block in blocks(body) {
        if is_w(block, "p") && reader.columns.is_none() {
            let text = paragraph_text(block, formats).split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                front.push((text, is_bold(block)));
            }
        } else if is_w(block, "tbl") {
            reader.table(block, formats)?;
        }
    }
    if reader.columns.is_none() {
        return Err(problem(
            "ไม่พบตารางมาตรการในไฟล์ Word: ต้องมีตาราง ๖ คอลัมน์ที่หัวคอลัมน์แรกเป็น \"มาตรการ/แนวทาง\"",
            "no measures table in the Word file (six columns, the first headed 'มาตรการ/แนวทาง')",
        ));
    }
    let (heading_lines, intro) = front_matter(front);
    Ok(ParsedReport { heading_lines, intro, measures: reader.measures })
}

/// Heading: the bold paragraphs (a repeated line once); intro: the last other paragraph that
/// does not merely repeat the heading (the Markdown reader's rule).
fn front_matter(front: Vec<(String, bool)>) -> (Vec<String>, String) {
    let mut heading: Vec<String> = Vec::new();
    for (text, _) in front.iter().filter(|(_, bold)| *bold) {
        if !heading.contains(text) {
            heading.push(text.clone());
        }
    }
    let heading_text = heading.join(" ");
    let intro = front
        .iter()
        .rev()
        .find(|(text, bold)| !bold && *text != heading_text && !heading.contains(text))
        .map(|(text, _)| text.clone())
        .unwrap_or_default();
    (heading, intro)
}

#[derive(Default)]
struct TableReader {
    /// (grid start, which of the six columns) of each header cell, from the first header row.
    columns: Option<Vec<(usize, Option<usize>)>>,
    measures: Vec<ParsedMeasure>,
    /// Rows read so far in the whole document, for messages.
    row_number: usize,
    /// The text of the cell a vertical merge started in, by grid column.
    merged: HashMap<usize, Vec<String>>,
}

impl TableReader {
    fn table(&mut self, tbl: Node, formats: &ListFormats) -> Result<(), ImportProblem> {
        for tr in blocks(tbl).into_iter().filter(|r| is_w(*r, "tr")) {
            self.row_number += 1;
            let cells = row_cells(tr, formats);
            if is_header(&cells) {
                if self.columns.is_none() {
                    self.columns = Some(header_columns(&cells, self.row_number)?);
                }
                continue;
            }
            // Rows before the first header belong to another table (a cover layout).
            let Some(columns) = self.columns.clone() else { continue };
            self.row(&columns, cells)?;
        }
        Ok(())
    }

    fn row(&mut self, columns: &[(usize, Option<usize>)], cells: Vec<GridCell>) -> Result<(), ImportProblem> {
        let total: usize = cells.iter().map(|c| c.span).sum();
        // One cell across the whole table is a label between measures, not a measure.
        if cells.len() == 1 && total > 1 {
            return Ok(());
        }
        let column_of = |start: usize| columns.iter().rev().find(|(c, _)| *c <= start).and_then(|(_, n)| *n);
        let mut text: [Vec<String>; 6] = Default::default();
        let mut continued = [false; 6];
        for cell in &cells {
            let Some(column) = column_of(cell.start) else { continue };
            if cell.continues {
                continued[column] = true;
            } else {
                self.merged.insert(cell.start, cell.lines.clone());
                text[column].extend(cell.lines.iter().cloned());
            }
        }
        let starts_measure = !continued[0] && !text[0].is_empty();
        if starts_measure {
            for cell in cells.iter().filter(|c| c.continues) {
                let Some(column) = column_of(cell.start) else { continue };
                text[column].extend(self.merged.get(&cell.start).cloned().unwrap_or_default());
            }
        }
        if text.iter().all(Vec::is_empty) {
            return Ok(());
        }
        let row = self.row_number;
        let (title, indicators) =
            markdown::plain_title(&text[0].join(" ")).map_err(|k| kind_problem(row, Some(COLUMNS[0]), k))?;
        let parsed = ParsedMeasure {
            line: row,
            title,
            indicators,
            methods: items_from_text(&text[1].join("\n")),
            responsible: text[2].clone(),
            period: text[3].join(" "),
            results: items_from_text(&text[4].join("\n")),
            outcomes: items_from_text(&text[5].join("\n")),
        };
        markdown::add_row(&mut self.measures, parsed).map_err(|k| kind_problem(row, Some(COLUMNS[0]), k))
    }
}

#[cfg(test)]
#[path = "docx_tests.rs"]
mod tests;
