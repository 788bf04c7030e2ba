//! The DOCX export checked with real readers: the zip and its XML, then LibreOffice and poppler.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::docs::{MeasuresReportDoc, docx::measures_report_docx};

/// Every cell line of the report, row by row, cell by cell, top to bottom.
fn rows_of_lines(doc: &MeasuresReportDoc) -> Vec<Vec<&Vec<String>>> {
    doc.rows.iter().map(|r| r.cells().to_vec()).collect()
}

fn zip_part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the DOCX is a zip");
    let mut part = zip.by_name(name).unwrap_or_else(|_| panic!("the DOCX has {name}"));
    let mut s = String::new();
    part.read_to_string(&mut s).expect("the part is UTF-8");
    s
}

/// The text of every `<w:t>` element, entities decoded, in document order.
fn text_runs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<w:t") {
        let after = &rest[i + 4..];
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl…>`, `<w:tc>`, `<w:tr>`.
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let open_end = after.find('>').expect("tag closes");
        let body = &after[open_end + 1..];
        let close = body.find("</w:t>").expect("<w:t> is closed");
        out.push(
            body[..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &body[close..];
    }
    out
}

#[test]
fn the_docx_is_a_zip_whose_document_holds_every_cell_line_as_one_text_run() {
    let doc = MeasuresReportDoc::sample();
    let xml = zip_part(&measures_report_docx(&doc).unwrap(), "word/document.xml");
    let runs = text_runs(&xml);
    for line in rows_of_lines(&doc).into_iter().flatten().flatten().chain(&doc.headers) {
        assert!(runs.contains(line), "document.xml lacks the line {line:?}");
    }
}

#[test]
fn markup_characters_in_the_text_are_escaped_and_come_back_unchanged() {
    let mut doc = MeasuresReportDoc::sample();
    let tricky = r#"R&D <ข้อ ๑> "คำ" 'อ้าง' &amp;"#.to_string();
    doc.rows[0].methods.push(tricky.clone());
    doc.footer = "A & B <อบต.>".into();
    let docx = measures_report_docx(&doc).unwrap();
    let xml = zip_part(&docx, "word/document.xml");
    assert!(!xml.contains("<ข้อ"), "a raw < reached document.xml");
    assert!(text_runs(&xml).contains(&tricky));
    assert!(text_runs(&zip_part(&docx, "word/footer1.xml")).contains(&doc.footer));
}

#[test]
fn the_table_has_a_repeating_header_row_fixed_columns_and_cell_padding() {
    let xml = zip_part(&measures_report_docx(&MeasuresReportDoc::sample()).unwrap(), "word/document.xml");
    assert_eq!(xml.matches("<w:tblHeader").count(), 1, "exactly the first row repeats");
    assert!(xml.find("<w:tblHeader").unwrap() < xml.find("มาตรการ/แนวทาง</w:t>").unwrap());
    assert!(xml.contains(r#"<w:tblLayout w:type="fixed" />"#));
    assert!(xml.contains("<w:tblCellMar>"), "docx-rs writes no padding unless asked");
    let cols: Vec<usize> =
        xml.split(r#"<w:gridCol w:w=""#).skip(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).collect();
    assert_eq!(cols.len(), 6);
    let total: usize = cols.iter().sum();
    assert_eq!(total, 16838 - 2 * 1134, "the table fills the text width");
    // 1.3 : 1.6 : 0.9 : 0.75 : 1.5 : 1.2
    let share = |i: usize| cols[i] as f64 / total as f64 * 7.25;
    for (i, want) in [1.3, 1.6, 0.9, 0.75, 1.5, 1.2].into_iter().enumerate() {
        assert!((share(i) - want).abs() < 0.01, "column {i} is {:.3}, want {want}", share(i));
    }
    assert!(!xml.contains(r#"w:val="both""#), "Thai must not be justified");
}

#[test]
fn every_run_names_sarabun_in_all_four_font_slots_at_eleven_points() {
    let docx = measures_report_docx(&MeasuresReportDoc::sample()).unwrap();
    let fonts = r#"<w:rFonts w:ascii="Sarabun" w:hAnsi="Sarabun" w:cs="Sarabun" w:eastAsia="Sarabun" />"#;
    for part in ["word/document.xml", "word/footer1.xml"] {
        let xml = zip_part(&docx, part);
        let runs = xml.matches("<w:r>").count();
        assert!(runs > 0);
        assert_eq!(xml.matches(fonts).count(), runs, "a run in {part} lacks the font (Thai needs w:cs)");
    }
    let body = zip_part(&docx, "word/document.xml");
    assert!(body.contains(r#"<w:sz w:val="22" /><w:szCs w:val="22" />"#));
    assert!(zip_part(&docx, "word/styles.xml").contains(r#"w:cs="Sarabun""#), "defaults name Sarabun too");
}

#[test]
fn the_page_is_a4_landscape_and_body_pages_are_numbered_in_thai_digits_from_one() {
    let xml = zip_part(&measures_report_docx(&MeasuresReportDoc::sample()).unwrap(), "word/document.xml");
    assert_eq!(xml.matches(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#).count(), 2);
    assert!(xml.contains(r#"<w:pgNumType w:start="1" w:fmt="thaiNumbers" />"#));
    let mut arabic = MeasuresReportDoc::sample();
    arabic.thai_digits = false;
    let xml = zip_part(&measures_report_docx(&arabic).unwrap(), "word/document.xml");
    assert!(!xml.contains("thaiNumbers"));
}

#[test]
fn sarabun_regular_and_bold_travel_in_the_file_as_obfuscated_fonts_the_font_table_unlocks() {
    let docx = measures_report_docx(&MeasuresReportDoc::sample()).unwrap();
    let table = zip_part(&docx, "word/fontTable.xml");
    let rels = zip_part(&docx, "word/_rels/fontTable.xml.rels");
    assert!(zip_part(&docx, "[Content_Types].xml").contains(
        r#"<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont" />"#
    ));
    assert!(zip_part(&docx, "word/settings.xml").contains("<w:embedTrueTypeFonts />"));
    let sarabun = &table[table.find(r#"<w:font w:name="Sarabun">"#).expect("the table names Sarabun")..];
    let sarabun = &sarabun[..sarabun.find("</w:font>").unwrap()];
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    for (element, ttf) in [
        ("w:embedRegular", &include_bytes!("../../assets/fonts/Sarabun-Regular.ttf")[..]),
        ("w:embedBold", &include_bytes!("../../assets/fonts/Sarabun-Bold.ttf")[..]),
    ] {
        let attr = |name: &str| {
            let e = &sarabun[sarabun.find(element).unwrap_or_else(|| panic!("no {element}"))..];
            let v = &e[e.find(&format!("{name}=\"")).unwrap() + name.len() + 2..];
            v[..v.find('"').unwrap()].to_string()
        };
        let (id, key) = (attr("r:id"), attr("w:fontKey"));
        let rel = &rels[rels.find(&format!(r#"Id="{id}""#)).expect("the font's relationship")..];
        let target = &rel[rel.find("Target=\"").unwrap() + 8..];
        let target = format!("word/{}", &target[..target.find('"').unwrap()]);
        let mut font = Vec::new();
        zip.by_name(&target).unwrap().read_to_end(&mut font).unwrap();
        assert_ne!(font[..32], ttf[..32], "{target} is not obfuscated");
        // §17.8.1: the key's hex pairs from the last to the first, over the first 32 bytes.
        let hex: Vec<u8> = key.chars().filter(char::is_ascii_hexdigit).map(|c| c.to_digit(16).unwrap() as u8).collect();
        let key_bytes: Vec<u8> = hex.chunks(2).map(|p| p[0] * 16 + p[1]).rev().collect();
        for (i, b) in font.iter_mut().take(32).enumerate() {
            *b ^= key_bytes[i % 16];
        }
        assert!(font == ttf, "{target} does not unlock to the shipped font with its key {key}");
    }
}

#[test]
fn a_font_the_product_does_not_ship_is_named_but_not_embedded() {
    let font = crate::docs::docx::DocxFont { name: "TH Sarabun New".into(), body_half_points: 32 };
    let docx = crate::docs::docx::measures_report_docx_with(&MeasuresReportDoc::sample(), &font).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    assert!(zip.file_names().all(|n| !n.ends_with(".odttf")));
    assert!(!zip_part(&docx, "word/settings.xml").contains("embedTrueTypeFonts"));
}

// ---- LibreOffice and poppler -------------------------------------------------------------

/// Tests never skip: CI installs these tools, so a missing one is a failure with the fix.
fn require_tool(name: &str) {
    let found = Command::new(name).arg("-v").output().is_ok();
    assert!(found, "`{name}` not found: install libreoffice-writer-nogui and poppler-utils (see .ci/run)");
}

/// A fresh directory under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let p = std::env::temp_dir().join(format!("prongsai-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fontconfig for a computer without Sarabun or any Thai font (most Windows PCs, as far as
/// Sarabun goes): it lists one directory holding a single Latin font, and neither the system's
/// fonts nor the repository's `assets/fonts`. Checked with `fc-list` before it is used.
fn fontconfig_without_thai(dir: &Path) -> PathBuf {
    require_tool("fc-match");
    let fonts = dir.join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let latin = Command::new("fc-match").args(["-f", "%{file}", "DejaVu Sans:lang=en"]).output().unwrap();
    let latin = PathBuf::from(String::from_utf8(latin.stdout).unwrap());
    assert!(latin.is_file(), "fc-match found no Latin font ({}): install fonts-dejavu-core", latin.display());
    std::fs::copy(&latin, fonts.join(latin.file_name().unwrap())).unwrap();
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n\
             <fontconfig><dir>{}</dir><cachedir>{}</cachedir></fontconfig>\n",
            fonts.display(),
            dir.join("fontcache").display()
        ),
    )
    .unwrap();
    let list = |args: &[&str]| {
        let out = Command::new("fc-list").args(args).env("FONTCONFIG_FILE", &conf).output().expect("fc-list runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let all = list(&[]);
    assert!(!all.trim().is_empty(), "the test's fontconfig lists no font at all");
    assert!(!all.contains("Sarabun"), "Sarabun is installed in the test's fontconfig:\n{all}");
    assert_eq!(list(&[":lang=th"]).trim(), "", "a Thai font is installed in the test's fontconfig");
    conf
}

/// Converts with a private profile on a "computer" without Sarabun ([`fontconfig_without_thai`]):
/// the Thai text can only come out right in the fonts the DOCX carries.
fn libreoffice_pdf(docx: &[u8], dir: &Path) -> PathBuf {
    require_tool("soffice");
    let fonts_conf = fontconfig_without_thai(dir);
    let input = dir.join("report.docx");
    std::fs::write(&input, docx).unwrap();
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .env("FONTCONFIG_FILE", fonts_conf)
        .output()
        .expect("soffice runs");
    assert!(out.status.success(), "soffice failed: {}", String::from_utf8_lossy(&out.stderr));
    let pdf = dir.join("report.pdf");
    assert!(pdf.exists(), "soffice wrote no PDF: {}", String::from_utf8_lossy(&out.stdout));
    pdf
}

/// Runs a poppler tool on the PDF and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    require_tool(tool);
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(pdf);
    if tool == "pdftotext" {
        cmd.arg("-"); // to standard output
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Stands for a page break in squeezed pdftotext output.
const PAGE_MARK: &str = "¶";

/// Finds `line` (whitespace ignored) in `text` after byte `from`; returns the byte after it.
/// A line that a page break cuts shows up as two pieces with the rest of that page and the
/// repeated header between them: that counts too, if exactly one page break separates them.
fn find_line(text: &str, from: usize, line: &str) -> Option<usize> {
    let want = squeeze(line);
    if let Some(i) = text[from..].find(&want) {
        return Some(from + i + want.len());
    }
    let splits = want.char_indices().map(|(i, _)| i).skip(1);
    for k in splits.collect::<Vec<_>>().into_iter().rev() {
        let (head, tail) = want.split_at(k);
        let Some(h) = text[from..].find(head).map(|i| from + i + head.len()) else {
            continue;
        };
        let Some(t) = text[h..].find(tail).map(|i| h + i) else {
            continue;
        };
        if text[h..t].matches(PAGE_MARK).count() == 1 {
            return Some(t + tail.len());
        }
    }
    None
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The page number after "หน้า" in the footer of body page `n`: Thai digits as the section asks
/// (`w:fmt="thaiNumbers"`, what Word prints), or Arabic digits, all LibreOffice 7.4 can print for
/// a page number (it ignores `thaiNumbers`); never Thai letters (ก, ข), which is what LibreOffice
/// makes of the field switch `\* ThaiArabic`.
fn footer_numbers(n: usize) -> [String; 2] {
    let thai: String = n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0x0E50).unwrap()).collect();
    [n.to_string(), thai]
}

#[test]
fn a_computer_without_sarabun_prints_every_cell_line_in_order_on_landscape_a4_in_the_embedded_sarabun() {
    let doc = MeasuresReportDoc::sample();
    let dir = Scratch::new("docx-lo");
    let pdf = libreoffice_pdf(&measures_report_docx(&doc).unwrap(), &dir.0);

    // -raw keeps the content-stream order; the default layout mode moves Thai marks that sit
    // above or below a consonant (คู่, วิธี) onto a line of their own.
    let text = squeeze(&poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf).replace('\u{c}', PAGE_MARK));
    let find = |from: usize, line: &str| -> usize {
        find_line(&text, from, line)
            .unwrap_or_else(|| panic!("the PDF lacks {line:?} after byte {from} (lost in shaping or line breaking?)"))
    };
    let mut cursor = doc.cover_lines.iter().chain(&doc.heading_lines).fold(0, |at, l| find(at, l));
    cursor = find(cursor, &doc.intro);
    // Rows may break across pages, and a broken row interleaves its cells in the text stream;
    // so lines are checked in order within each cell, and each row after the one before.
    for row in rows_of_lines(&doc) {
        let row_start = cursor;
        for cell in row {
            let end = cell.iter().fold(row_start, |at, l| find(at, l));
            cursor = cursor.max(end);
        }
    }

    let info = poppler("pdfinfo", &[], &pdf);
    let field = |name: &str| {
        info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_else(|| panic!("pdfinfo lacks {name}"))
    };
    let pages: usize = field("Pages:").parse().unwrap();
    let size: Vec<f64> = field("Page size:").split_whitespace().filter_map(|t| t.parse().ok()).collect();
    assert!((size[0] - 841.89).abs() < 0.5 && (size[1] - 595.28).abs() < 0.5, "not landscape A4:\n{info}");
    assert!(pages >= 3, "cover + at least two table pages for the sample, got {pages}");
    // The header row repeats on every body page (the table starts on the first one).
    assert_eq!(squeeze(&text).matches(&squeeze(&doc.headers[5])).count(), pages - 1, "header row not repeated");
    // Body pages carry the footer and their number; the cover carries neither.
    for n in 1..pages {
        let found = footer_numbers(n).iter().any(|d| text.contains(&format!("{}หน้า{d}", squeeze(&doc.footer))));
        assert!(found, "no footer with page {n} in digits");
    }
    assert!(!text.contains("หน้าก") && !text.contains("หน้าข"), "pages numbered in Thai letters");
    assert!(footer_numbers(pages).iter().all(|d| !text.contains(&format!("หน้า{d}"))), "the cover is numbered");

    // Thai marks kept on their letters: with some fallback fonts LibreOffice loses the clusters,
    // and pdftotext puts a lone mark on a line of its own (`ที|่`).
    let raw = poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf);
    let is_mark = |c: char| matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}');
    let lone_mark = raw.lines().find(|l| l.chars().next().is_some_and(is_mark));
    assert!(lone_mark.is_none(), "a Thai mark apart from its letter: {lone_mark:?}");
    // The regular and the bold Sarabun came from the DOCX (the machine has neither), and are
    // embedded in the PDF. Columns: name type encoding emb sub uni object ID.
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    for face in ["Sarabun-Regular", "Sarabun-Bold"] {
        let row = rows.iter().find(|l| l.contains(face));
        assert!(row.is_some_and(|l| l.split_whitespace().nth(3) == Some("yes")), "{face} not used:\n{fonts}");
    }
    // A font other than Sarabun would be a fallback drawing the text the machine had no font for.
    assert!(rows.iter().all(|l| l.contains("Sarabun")), "a fallback font in the PDF:\n{fonts}");
}

/// Characters XML forbids, as old data may hold them (Word's Shift+Enter arrives as `\x0b`).
const FORBIDDEN: [char; 6] = ['\u{0b}', '\u{0c}', '\0', '\u{1b}', '\u{FFFE}', '\u{FFFF}'];

#[test]
fn characters_xml_forbids_in_stored_text_never_reach_the_file_and_libreoffice_opens_it() {
    let mut doc = MeasuresReportDoc::sample();
    let with_all = |s: &str| format!("{s}{}ท้าย", FORBIDDEN.iter().collect::<String>());
    doc.rows[0].methods[0] = with_all(&doc.rows[0].methods[0]);
    doc.rows[0].measure[0] = with_all("ทดสอบอักขระควบคุม");
    doc.intro = with_all(&doc.intro);
    doc.footer = with_all(&doc.footer);
    let docx = measures_report_docx(&doc).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().ends_with(".odttf") {
            continue; // the embedded fonts, binary
        }
        let mut s = String::new();
        part.read_to_string(&mut s).unwrap();
        assert!(!s.contains(FORBIDDEN), "{} holds a character XML forbids", part.name());
    }
    let dir = Scratch::new("docx-controls");
    let text = squeeze(&poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &libreoffice_pdf(&docx, &dir.0)));
    assert!(text.contains("ทดสอบอักขระควบคุมท้าย"), "the cell text is not in the PDF");
}

#[test]
fn a_report_without_measures_says_so_instead_of_an_empty_table() {
    let mut doc = MeasuresReportDoc::sample();
    doc.rows.clear();
    let docx = measures_report_docx(&doc).unwrap();
    assert!(!zip_part(&docx, "word/document.xml").contains("<w:tbl>"));
    let dir = Scratch::new("docx-empty");
    let text = squeeze(&poppler("pdftotext", &["-raw", "-enc", "UTF-8"], &libreoffice_pdf(&docx, &dir.0)));
    for line in doc.heading_lines.iter().map(String::as_str).chain([crate::docs::report_data::NO_MEASURES]) {
        assert!(text.contains(&squeeze(line)), "the PDF lacks {line:?}");
    }
}
