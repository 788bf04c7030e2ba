//! The O42 document as PDF: `AnalysisDoc` → the JSON `analysis.typ` reads, and the chart as
//! `chart.svg`, typeset by the shared engine within the typesetter's limits.

use serde_json::{Value, json};

use super::analysis_doc::AnalysisDoc;
use super::chart;
use crate::docs::pdf::{KEEP_TOGETHER, PdfEngine, known_names, line_items};
use crate::docs::typeset::{DocSize, RenderError, Typesetter};
use crate::thai::Digits;

const TEMPLATE: &str = include_str!("analysis.typ");

/// What a document says in place of an empty measures table.
pub const NO_MEASURES: &str = crate::docs::report_data::NO_MEASURES;

/// The JSON the template reads, every line as word items.
pub fn data(doc: &AnalysisDoc) -> Value {
    let mut names: Vec<&str> = vec![doc.org_name.as_str()];
    names.extend(doc.signature.get(1).map(String::as_str));
    let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
    keep.extend(known_names(&names));
    let line = |s: &str| Value::from(line_items(&crate::text::xml_safe(s), &keep));
    let lines =
        |ls: &[String]| ls.iter().map(|l| json!({ "indent": l.starts_with('-'), "w": line(l) })).collect::<Vec<_>>();
    json!({
        "title_text": doc.title_lines.join(" "),
        "title": doc.title_lines.iter().map(|l| line(l)).collect::<Vec<_>>(),
        "org": line(&doc.org_name),
        "draft_mark": doc.draft_mark.as_deref().map(line),
        "result_heading": line(&doc.result_heading),
        "result_lines": doc.result_lines.iter().map(|l| line(l)).collect::<Vec<_>>(),
        "score_headers": doc.score_headers.iter().map(|h| line(h)).collect::<Vec<_>>(),
        "score_rows": doc.score_rows.iter().map(|r| r.iter().map(|c| line(c)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "chart_title": line(&doc.chart_title),
        "analysis_heading": line(&doc.analysis_heading),
        "findings": doc.findings.iter().map(|f| json!({ "heading": line(&f.heading), "lines": lines(&f.lines) })).collect::<Vec<_>>(),
        "measures_heading": line(&doc.measures_heading),
        "measure_headers": doc.measure_headers.iter().map(|h| line(h)).collect::<Vec<_>>(),
        "measure_rows": doc.measure_rows.iter().map(|r| r.iter().map(|c| lines(c)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "no_measures": line(NO_MEASURES),
        "footer": line(&doc.footer),
        "thai_digits": doc.thai_digits,
        "page_placeholder": crate::docs::pdf::page_placeholder(doc.thai_digits),
        "signature": doc.signature.iter().map(|l| line(l)).collect::<Vec<_>>(),
        "version_note": doc.version_note.as_deref().map(line),
    })
}

/// Typesets the document with `engine` (the command line's and the worker's way in).
pub fn pdf(engine: &PdfEngine, doc: &AnalysisDoc) -> anyhow::Result<Vec<u8>> {
    let digits = if doc.thai_digits { Digits::Thai } else { Digits::Arabic };
    let svg = chart::svg(&doc.chart, &doc.pass_label, digits);
    engine.render_with_files(TEMPLATE, &data(doc), &[("chart.svg", svg.into_bytes())])
}

/// Typesets the document on the bounded pool, within the typesetter's limits.
pub async fn render(typesetter: &Typesetter, doc: AnalysisDoc) -> Result<Vec<u8>, RenderError> {
    let size = DocSize::of(doc.measure_rows.len(), "มาตรการ", &doc);
    typesetter.pdf("ita_analysis", size, move |engine| pdf(engine, &doc)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::pdf::pdf_words::{numbered, page_labels};

    /// An analysis with `measures` measures and nothing else to analyse.
    fn doc(measures: usize, thai_digits: bool) -> AnalysisDoc {
        let cell = |s: &str| vec![s.to_string()];
        AnalysisDoc {
            title_lines: vec!["รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส".into()],
            org_name: "องค์การบริหารส่วนตำบลแม่คะตวน".into(),
            draft_mark: None,
            result_heading: "ผลการประเมิน".into(),
            result_lines: Vec::new(),
            score_headers: vec!["ตัวชี้วัด".into(), "คะแนน".into()],
            score_rows: vec![vec!["๑ การปฏิบัติหน้าที่".into(), "๙๒.๕๐".into()]],
            chart_title: "คะแนนรายตัวชี้วัด".into(),
            chart: Vec::new(),
            pass_label: "เกณฑ์ ๘๕".into(),
            analysis_heading: "การวิเคราะห์".into(),
            findings: Vec::new(),
            measures_heading: "มาตรการ".into(),
            measure_headers: ["มาตรการ", "ตัวชี้วัด", "วิธีการ", "ผู้รับผิดชอบ", "ระยะเวลา"].map(String::from).to_vec(),
            measure_rows: (0..measures)
                .map(|i| {
                    vec![
                        cell(&format!("มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง ข้อ {i}")),
                        cell("๙ การเปิดเผยข้อมูล"),
                        vec!["จัดทำรายงานผลการจัดซื้อจัดจ้างประจำเดือน".into(), "- เผยแพร่บนเว็บไซต์หน่วยงาน".into()],
                        cell("กองคลัง"),
                        cell("ตุลาคม ๒๕๖๖ - กันยายน ๒๕๖๗"),
                    ]
                })
                .collect(),
            footer: "องค์การบริหารส่วนตำบลแม่คะตวน".into(),
            thai_digits,
            signature: Vec::new(),
            version_note: None,
        }
    }

    #[test]
    fn every_page_is_numbered_k_of_n_in_the_digits_asked() {
        // Written in after layout (docs/pdf/page_numbers.rs): read back as a reader reads it.
        let engine = PdfEngine::new();
        for thai in [true, false] {
            let labels = page_labels(&pdf(&engine, &doc(160, thai)).unwrap());
            assert!(labels.len() >= 10, "{} pages: two-digit numbers are tested too", labels.len());
            assert_eq!(labels, numbered(labels.len(), thai, false), "Thai digits: {thai}");
        }
    }
}
