//! The O42 document as an editable Word file, in the content order of the PDF, built from the
//! measures report's DOCX pieces (`docs::docx`). The chart is not drawn: Word has no SVG the way
//! all readers show it, and its figures are the indicator table's above it.

use docx_rs::{AlignmentType, Docx, Paragraph};

use super::analysis_doc::AnalysisDoc;
use super::analysis_pdf::NO_MEASURES;
use crate::docs::docx::{
    DocxFont, Typo, draft_mark, grid_table, landscape_document, pack, signature_paragraphs, spacing,
};

/// Column widths of the indicator table: the indicator wide, the figures narrow.
fn score_shares(columns: usize) -> Vec<f64> {
    std::iter::once(3.0).chain(std::iter::repeat_n(1.0, columns.saturating_sub(1))).collect()
}

const MEASURE_SHARES: [f64; 5] = [1.5, 1.0, 2.0, 1.0, 0.8];

/// Writes the document as DOCX in the shipped font.
pub fn docx(doc: &AnalysisDoc) -> anyhow::Result<Vec<u8>> {
    let font = DocxFont::default();
    let t = Typo::new(&font);
    let mut d = landscape_document(&t, &doc.footer);
    if let Some(mark) = &doc.draft_mark {
        d = d.add_paragraph(draft_mark(mark, &t));
    }
    for line in doc.title_lines.iter().chain([&doc.org_name]) {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .line_spacing(spacing(0, 0))
                .add_run(t.run(line).size(t.heading).bold()),
        );
    }
    d = heading(d, &doc.result_heading, &t);
    for line in &doc.result_lines {
        d = d.add_paragraph(plain(line, &t));
    }
    let scores: Vec<Vec<Vec<String>>> =
        doc.score_rows.iter().map(|r| r.iter().map(|c| vec![c.clone()]).collect()).collect();
    d = d.add_table(grid_table(&doc.score_headers, &scores, &score_shares(doc.score_headers.len()), &t));

    d = heading(d, &doc.analysis_heading, &t);
    for finding in &doc.findings {
        d = d.add_paragraph(
            Paragraph::new().keep_next(true).line_spacing(spacing(120, 40)).add_run(t.run(&finding.heading).bold()),
        );
        for line in &finding.lines {
            d = d.add_paragraph(plain(line, &t));
        }
    }

    d = heading(d, &doc.measures_heading, &t);
    d = if doc.measure_rows.is_empty() {
        d.add_paragraph(plain(NO_MEASURES, &t))
    } else {
        d.add_table(grid_table(&doc.measure_headers, &doc.measure_rows, &MEASURE_SHARES, &t))
    };
    d = signature_paragraphs(&doc.signature, doc.version_note.as_deref(), &t).into_iter().fold(d, Docx::add_paragraph);
    pack(d, &font, doc.thai_digits)
}

fn heading(d: Docx, text: &str, t: &Typo) -> Docx {
    d.add_paragraph(
        Paragraph::new().keep_next(true).line_spacing(spacing(240, 120)).add_run(t.run(text).size(t.heading).bold()),
    )
}

fn plain(text: &str, t: &Typo) -> Paragraph {
    Paragraph::new().align(AlignmentType::Left).line_spacing(spacing(0, 40)).add_run(t.run(text))
}
