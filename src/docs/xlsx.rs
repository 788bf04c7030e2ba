//! A small XLSX (Office Open XML spreadsheet) writer: sheets of text and number cells, strings
//! inline, nothing else. Enough for exports people open in LibreOffice or Excel and sum; no
//! dependency beyond the zip writer the DOCX export already uses.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

/// A named sheet of rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// The column letters of a zero-based index: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

fn escape(s: &str) -> String {
    let s = crate::text::xml_safe(s);
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, index: usize) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if clean.trim().is_empty() { format!("Sheet{}", index + 1) } else { clean }
}

fn sheet_xml(sheet: &Sheet) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in sheet.rows.iter().enumerate() {
        out.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                Cell::Text(t) => out.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                )),
                Cell::Number(n) if n.is_finite() => out.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                Cell::Number(_) | Cell::Empty => {}
            }
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out
}

/// The workbook's bytes.
pub fn write(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let overrides: String = (1..=sheets.len())
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    zip.start_file("[Content_Types].xml", options)?;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
    )?;
    zip.start_file("_rels/.rels", options)?;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    )?;
    let names: String = sheets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#, escape(&sheet_name(&s.name, i)), i + 1, i + 1)
        })
        .collect();
    zip.start_file("xl/workbook.xml", options)?;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>"#
    )?;
    let rels: String = (1..=sheets.len())
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    zip.start_file("xl/_rels/workbook.xml.rels", options)?;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    )?;
    for (i, sheet) in sheets.iter().enumerate() {
        zip.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), options)?;
        zip.write_all(sheet_xml(sheet).as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn cells_are_escaped_and_numbers_plain() {
        let sheet = Sheet { name: "a".into(), rows: vec![vec!["<ก&ข>".into(), Cell::from(5), Cell::Empty]] };
        let xml = sheet_xml(&sheet);
        assert!(
            xml.contains(r#"<c r="A1" t="inlineStr"><is><t xml:space="preserve">&lt;ก&amp;ข&gt;</t></is></c>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<c r="B1"><v>5</v></c>"#), "{xml}");
        assert!(!xml.contains(r#"r="C1""#));
        assert_eq!(sheet_name("ผล[2569]", 0), "ผล2569");
        assert_eq!(sheet_name("", 2), "Sheet3");
    }
}
