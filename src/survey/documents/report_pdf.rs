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
