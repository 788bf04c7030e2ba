//! The executives' yearly satisfaction report as PDF (`report.typ`), from the same
//! [`ReportView`] the public page prints, so the figures agree.

use serde_json::{Value, json};

use crate::docs::pdf::{KEEP_TOGETHER, PdfEngine, known_names, line_items};
use crate::survey::report_view::{FigureRow, ReportView};
use crate::thai::Digits;

const TEMPLATE: &str = include_str!("report.typ");

/// The report's title.
pub const TITLE: &str = "รายงานผลการประเมินความพึงพอใจของผู้รับบริการ";

fn rows(rows: &[FigureRow], line: &impl Fn(&str) -> Value) -> Value {
    rows.iter()
        .map(|r| {
            json!({
                "number": r.number, "text": line(&r.text), "n": r.n, "mean": r.mean, "sd": r.sd,
                "level": line(&r.level), "satisfied": r.satisfied, "heading": r.heading,
            })
        })
        .collect()
}

/// The JSON the template reads, every line as word items.
pub fn data(view: &ReportView, digits: Digits) -> Value {
    let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
    keep.extend(known_names(&[view.org.as_str(), view.survey.as_str()]));
    let line = |s: &str| Value::from(line_items(s, &keep));
    json!({
        "title_text": format!("{TITLE} {}", view.year),
        "title": line(TITLE),
        "survey": line(&view.survey),
        "org": line(&view.org),
        "year": line(&view.year),
        "thai_digits": digits == Digits::Thai,
        "page_placeholder": crate::docs::pdf::page_only_placeholder(digits == Digits::Thai),
        "headline": line(&view.headline),
        "has_answers": view.has_answers,
        "summary": view.summary.iter().map(|(k, v)| json!([line(k), line(v)])).collect::<Vec<_>>(),
        "bursts": line(&view.bursts),
        "items": rows(&view.items, &line),
        "services": rows(&view.services, &line),
        "points": rows(&view.points, &line),
        "months": rows(&view.months, &line),
        "comparison": view.comparison.iter().map(|c| json!({
            "text": line(&c.text), "previous": c.previous, "this": c.this, "change": c.change,
        })).collect::<Vec<_>>(),
        "facts": view.facts.iter().map(|f| json!({
            "question": line(&f.question),
            "options": f.options.iter().map(|(o, n, p)| json!([line(o), n, p])).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "comments": view.comments.iter().map(|c| line(c)).collect::<Vec<_>>(),
        "legend": line(&view.legend),
    })
}

pub fn pdf(engine: &PdfEngine, view: &ReportView, digits: Digits) -> anyhow::Result<Vec<u8>> {
    engine.render_with_files(TEMPLATE, &data(view, digits), &[("chart.svg", view.chart_svg.clone().into_bytes())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::pdf::pdf_words::{numbered, page_labels};

    /// A year's report with `comments` comments and no other answers' tables: enough pages for
    /// two-digit numbers.
    fn view(comments: usize) -> ReportView {
        ReportView {
            org: "องค์การบริหารส่วนตำบลแม่คะตวน".into(),
            survey: "แบบประเมินความพึงพอใจ งานทะเบียนราษฎร".into(),
            year: "ปีงบประมาณ พ.ศ. ๒๕๖๙".into(),
            headline: "ค่าเฉลี่ย ๔.๑๒ ระดับ มาก (n = ๔๑๒)".into(),
            answers: "๔๑๒".into(),
            has_answers: true,
            summary: Vec::new(),
            items: Vec::new(),
            services: Vec::new(),
            points: Vec::new(),
            months: Vec::new(),
            channels: Vec::new(),
            comparison: Vec::new(),
            facts: Vec::new(),
            legend: "ระดับ ๕ มากที่สุด".into(),
            bursts: String::new(),
            comments: (0..comments)
                .map(|i| format!("เจ้าหน้าที่ให้บริการด้วยความสุภาพ รวดเร็ว และอธิบายขั้นตอนชัดเจน ความเห็นที่ {i}"))
                .collect(),
            comment_count: comments.to_string(),
            chart_svg: r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#.into(),
        }
    }

    #[test]
    fn every_page_is_numbered_with_its_number_alone_in_the_digits_asked() {
        // Written in after layout (docs/pdf/page_numbers.rs): read back as a reader reads it.
        let engine = PdfEngine::new();
        for digits in [Digits::Thai, Digits::Arabic] {
            let labels = page_labels(&pdf(&engine, &view(500), digits).unwrap());
            assert!(labels.len() >= 10, "{} pages: two-digit numbers are tested too", labels.len());
            assert_eq!(labels, numbered(labels.len(), digits == Digits::Thai, true), "{digits:?}");
        }
    }
}
