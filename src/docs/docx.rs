//! The measures report as an editable Word document (DOCX), written with docx-rs.
//!
//! Layout follows the printed report: an A4 landscape cover page, then the title block, the
//! introduction and the six-column table whose header row repeats on every page. The PDF comes
//! from Typst, not from this file; DOCX is for offices that want to edit the report.

use std::io::Cursor;

use anyhow::{Context, ensure};
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrText, LineSpacing, LineSpacingType, PageMargin, PageNumType,
    PageOrientationType, PageSize, Paragraph, Run, RunFonts, Section, Shading, ShdType, SpecialIndentType, Tab,
    TabValueType, Table, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::docx_fonts;
use super::report_data::MeasuresReportDoc;

/// The font every run names. Sarabun ships with Prongsai and is embedded in the file
/// (`docx_fonts`), so the file looks the same on any machine; offices usually have
/// "TH Sarabun New", which needs a larger size.
pub const DEFAULT_FONT: &str = "Sarabun";

/// Font choices for [`measures_report_docx_with`].
#[derive(Debug, Clone, PartialEq)]
pub struct DocxFont {
    /// Family name written into every run (ascii, hAnsi, eastAsia and cs slots).
    pub name: String,
    /// Body size in half-points (22 = 11 pt). Cover and title sizes scale from it.
    pub body_half_points: usize,
}

impl Default for DocxFont {
    fn default() -> Self {
        Self { name: DEFAULT_FONT.to_string(), body_half_points: 22 }
    }
}

// Page geometry in twips (1/20 pt; 567 twips = 1 cm).
const PAGE_W: u32 = 16838; // A4 landscape
const PAGE_H: u32 = 11906;
const MARGIN_SIDE: i32 = 1134; // 2 cm
const MARGIN_TOP: i32 = 1020; // 1.8 cm
const MARGIN_BOTTOM: i32 = 1134; // 2 cm, the footer sits inside it
const FOOTER_FROM_EDGE: i32 = 510; // 0.9 cm
const TEXT_W: usize = (PAGE_W as i32 - 2 * MARGIN_SIDE) as usize;

/// Column widths relative to each other, in the order of `headers`.
const COLUMN_SHARES: [f64; 6] = [1.3, 1.6, 0.9, 0.75, 1.5, 1.2];

// Cell padding. docx-rs writes none, and with zero padding Thai tone marks and the descenders
// of ญ ฐ touch the borders.
const CELL_PAD_X: usize = 100;
const CELL_PAD_Y: usize = 57;

const HEADER_FILL: &str = "D9D9D9";

/// Writes the report as a DOCX file in [`DEFAULT_FONT`] at 11 pt.
pub fn measures_report_docx(doc: &MeasuresReportDoc) -> anyhow::Result<Vec<u8>> {
    measures_report_docx_with(doc, &DocxFont::default())
}

/// Writes the report as a DOCX file in the given font.
pub fn measures_report_docx_with(doc: &MeasuresReportDoc, font: &DocxFont) -> anyhow::Result<Vec<u8>> {
    let t = Typo::new(font);
    let cover = Section::new()
        .page_size(PageSize::new().size(PAGE_W, PAGE_H))
        .page_orient(PageOrientationType::Landscape)
        .page_margin(page_margin());
    let cover = cover_paragraphs(doc, &t).into_iter().fold(cover, Section::add_paragraph);

    // The cover is its own section, so body pages are numbered from 1 and the cover has none.
    let mut docx = landscape_document(&t, &doc.footer).add_section(cover);
    if let Some(mark) = &doc.draft_mark {
        docx = docx.add_paragraph(draft_mark(mark, &t));
    }
    for (i, line) in doc.heading_lines.iter().enumerate() {
        let last = i + 1 == doc.heading_lines.len();
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .line_spacing(spacing(0, if last { 160 } else { 0 }))
                .add_run(t.run(line).size(t.heading).bold()),
        );
    }
    if !doc.intro.is_empty() {
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Left)
                .indent(None, Some(SpecialIndentType::FirstLine(1134)), None, None)
                .line_spacing(spacing(0, 160))
                .add_run(t.run(&doc.intro)),
        );
    }
    docx = match doc.no_measures() {
        Some(note) => docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(480, 0))
                .add_run(t.run(note).size(t.heading)),
        ),
        None => {
            let rows: Vec<Vec<Vec<String>>> = doc.rows.iter().map(|r| r.cells().map(|c| c.clone()).to_vec()).collect();
            docx.add_table(grid_table(&doc.headers, &rows, &COLUMN_SHARES, &t))
        }
    };
    docx = signature_paragraphs(&doc.signature, doc.version_note.as_deref(), &t)
        .into_iter()
        .fold(docx, Docx::add_paragraph);
    pack(docx, font, doc.thai_digits)
}

/// An A4 landscape document in the font of `t`, its pages numbered from 1 with `footer` on the
/// left of each page's foot.
pub(crate) fn landscape_document(t: &Typo, footer_text: &str) -> Docx {
    Docx::new()
        .default_fonts(t.fonts.clone())
        .default_size(t.body)
        .page_size(PAGE_W, PAGE_H)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(page_margin())
        .page_num_type(PageNumType::new().start(1))
        .footer(footer(footer_text, t))
}

/// A draft's mark, bold, at the right above the title.
pub(crate) fn draft_mark(mark: &str, t: &Typo) -> Paragraph {
    Paragraph::new().align(AlignmentType::Right).add_run(t.run(mark).bold())
}

/// Builds the file: tables' header rows repeat on every page, Thai page numbers when asked, and
/// the shipped font embedded when it is the one named.
pub(crate) fn pack(docx: Docx, font: &DocxFont, thai_digits: bool) -> anyhow::Result<Vec<u8>> {
    let mut xml = docx.build();
    xml.document = mark_header_rows(&xml.document)?;
    if thai_digits {
        xml.document = thai_page_numbers(&xml.document)?;
    }
    // Only the shipped font can travel with the file; another family is the reader's own.
    let embed = font.name == docx_fonts::EMBEDDED_FAMILY;
    if embed {
        docx_fonts::declare(&mut xml)?;
    }
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).context("zipping the DOCX parts")?;
    if embed { docx_fonts::repack_with_fonts(out.get_ref()) } else { Ok(out.into_inner()) }
}

/// Font name and sizes, and runs made with them.
pub(crate) struct Typo {
    pub(crate) fonts: RunFonts,
    pub(crate) body: usize,
    pub(crate) heading: usize,
    cover: usize,
}

impl Typo {
    pub(crate) fn new(font: &DocxFont) -> Self {
        let f = font.name.as_str();
        let body = font.body_half_points;
        Self {
            // Thai text is complex script: Word takes its font and size from the cs slot.
            fonts: RunFonts::new().ascii(f).hi_ansi(f).east_asia(f).cs(f),
            body,
            heading: body * 13 / 11, // 13 pt at the default size
            cover: body * 18 / 11,   // 18 pt
        }
    }

    /// A run in the report font at body size (sz and szCs). Every text of the document passes
    /// here, so characters XML forbids (a vertical tab pasted from Word, stored before input was
    /// checked) are filtered out here: one would make the whole file unreadable.
    pub(crate) fn run(&self, text: &str) -> Run {
        Run::new().fonts(self.fonts.clone()).size(self.body).add_text(crate::text::xml_safe(text))
    }
}

fn page_margin() -> PageMargin {
    PageMargin::new()
        .top(MARGIN_TOP)
        .bottom(MARGIN_BOTTOM)
        .left(MARGIN_SIDE)
        .right(MARGIN_SIDE)
        .header(FOOTER_FROM_EDGE)
        .footer(FOOTER_FROM_EDGE)
        .gutter(0)
}

/// Single line spacing with the given space before and after, in twips.
pub(crate) fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(before).after(after)
}

/// The cover lines, pushed down to about a third of the page.
fn cover_paragraphs(doc: &MeasuresReportDoc, t: &Typo) -> Vec<Paragraph> {
    let mut ps = vec![Paragraph::new().line_spacing(spacing(3400, 0))];
    for line in &doc.cover_lines {
        ps.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(0, 120))
                .add_run(t.run(line).size(t.cover).bold()),
        );
    }
    ps
}

/// Footer: the organization on the left, the page number on the right.
fn footer(text: &str, t: &Typo) -> Footer {
    let page = |r: Run| r.fonts(t.fonts.clone()).size(t.body);
    let p = Paragraph::new()
        .line_spacing(spacing(0, 0))
        .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_W))
        .add_run(t.run(text))
        .add_run(page(Run::new().add_tab().add_text("หน้า ")))
        .add_run(page(Run::new().add_field_char(FieldCharType::Begin, false)))
        .add_run(page(Run::new().add_instr_text(InstrText::Unsupported("PAGE".into()))))
        .add_run(page(Run::new().add_field_char(FieldCharType::Separate, false)))
        .add_run(page(Run::new().add_text("1")))
        .add_run(page(Run::new().add_field_char(FieldCharType::End, false)));
    Footer::new().add_paragraph(p)
}

/// The executive's approval at the end (centred in the right half, kept together), then the
/// version's publication note; nothing for a draft.
pub(crate) fn signature_paragraphs(signature: &[String], version_note: Option<&str>, t: &Typo) -> Vec<Paragraph> {
    let half = (TEXT_W / 2) as i32;
    let mut ps: Vec<Paragraph> = signature
        .iter()
        .enumerate()
        .map(|(i, line)| {
            Paragraph::new()
                .align(AlignmentType::Center)
                .indent(Some(half), None, None, None)
                .keep_next(i + 1 < signature.len())
                .line_spacing(spacing(if i == 0 { 480 } else { 0 }, 60))
                .add_run(t.run(line))
        })
        .collect();
    if let Some(note) = version_note {
        ps.push(Paragraph::new().align(AlignmentType::Right).line_spacing(spacing(240, 0)).add_run(t.run(note)));
    }
    ps
}

/// Widths in twips of columns in proportion to `shares`, summing to the text width.
fn column_widths(shares: &[f64]) -> Vec<usize> {
    let total: f64 = shares.iter().sum();
    let mut w: Vec<usize> = shares.iter().map(|s| (s / total * TEXT_W as f64).floor() as usize).collect();
    if let Some(last) = w.len().checked_sub(1) {
        w[last] = TEXT_W - w[..last].iter().sum::<usize>();
    }
    w
}

/// A table across the text width: a shaded header row (repeated on every page, see
/// [`pack`]) and one row per entry of `rows`, each cell one paragraph per line.
pub(crate) fn grid_table<H: AsRef<str>>(headers: &[H], rows: &[Vec<Vec<String>>], shares: &[f64], t: &Typo) -> Table {
    let widths = column_widths(shares);
    let header = TableRow::new(
        headers
            .iter()
            .zip(&widths)
            .map(|(h, w)| {
                TableCell::new()
                    .width(*w, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .shading(Shading::new().shd_type(ShdType::Clear).color("auto").fill(HEADER_FILL))
                    .add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .line_spacing(spacing(0, 0))
                            .add_run(t.run(h.as_ref()).bold()),
                    )
            })
            .collect(),
    )
    // Marked as the only unsplittable rows so `mark_header_rows` can find them.
    .cant_split();
    let mut table_rows = vec![header];
    for r in rows {
        table_rows.push(TableRow::new(r.iter().zip(&widths).map(|(lines, w)| body_cell(lines, *w, t)).collect()));
    }
    Table::new(table_rows)
        .set_grid(widths.clone())
        .width(TEXT_W, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(CELL_PAD_Y, CELL_PAD_X, CELL_PAD_Y, CELL_PAD_X))
}

/// One paragraph per line, left aligned: justified Thai gets stretched gaps between words.
fn body_cell(lines: &[String], width: usize, t: &Typo) -> TableCell {
    let cell = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top);
    let mut cell = lines.iter().fold(cell, |c, line| {
        c.add_paragraph(Paragraph::new().align(AlignmentType::Left).line_spacing(spacing(0, 0)).add_run(t.run(line)))
    });
    if lines.is_empty() {
        // A cell must hold a paragraph.
        cell = cell.add_paragraph(Paragraph::new().line_spacing(spacing(0, 0)));
    }
    cell
}

/// Marks the tables' header rows to repeat on every page (`w:tblHeader`), which docx-rs 0.4.22
/// cannot express. Header rows are the document's only rows with `w:cantSplit`.
fn mark_header_rows(document: &[u8]) -> anyhow::Result<Vec<u8>> {
    let xml = std::str::from_utf8(document).context("document.xml is not UTF-8")?;
    Ok(xml.replace("<w:trPr><w:cantSplit /></w:trPr>", "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>").into_bytes())
}

/// Page numbers in Thai digits (๑, ๒, …) for the body section: `w:fmt="thaiNumbers"`, which
/// docx-rs 0.4.22 cannot write. Word prints ๑, ๒; LibreOffice 7.4 prints 1, 2 (it maps neither
/// `thaiNumbers` nor `thaiCounting`). The PAGE field's `\* ThaiArabic` switch is left out on
/// purpose: LibreOffice reads it as Thai letters and would number the pages ก, ข, ค.
fn thai_page_numbers(document: &[u8]) -> anyhow::Result<Vec<u8>> {
    replace_once(document, r#"<w:pgNumType w:start="1" />"#, r#"<w:pgNumType w:start="1" w:fmt="thaiNumbers" />"#)
        .context("setting Thai page numbers")
}

fn replace_once(xml: &[u8], from: &str, to: &str) -> anyhow::Result<Vec<u8>> {
    let xml = std::str::from_utf8(xml).context("document.xml is not UTF-8")?;
    let n = xml.matches(from).count();
    ensure!(n == 1, "expected `{from}` once in document.xml, found it {n} times");
    Ok(xml.replacen(from, to, 1).into_bytes())
}
