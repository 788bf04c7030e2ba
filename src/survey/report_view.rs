//! The yearly satisfaction report, every string final (pure): what the public page, the staff
//! page and the executives' PDF print, so the three always show the same figures.

use std::collections::BTreeMap;

use serde::Serialize;

use super::analysis::Analysis;
use super::chart::{self, Bar};
use super::results::YearResults;
use super::scale::Scale;
use super::stats::{Tally, hundredths_text, sd_text, tenths_text};
use crate::thai::{Digits, format_int};

/// A table row: an aspect (in bold) or one of its items, or a service, point or month.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FigureRow {
    pub number: String,
    pub text: String,
    pub n: String,
    pub mean: String,
    pub sd: String,
    pub level: String,
    pub satisfied: String,
    pub heading: bool,
}

/// A comparison of an aspect (or the whole) with the previous year.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CompareRow {
    pub text: String,
    pub previous: String,
    pub this: String,
    /// "+0.12", "−0.05", "—" when either year has no answers.
    pub change: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FactRow {
    pub question: String,
    /// "option: count (percent)"
    pub options: Vec<(String, String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportView {
    pub org: String,
    pub survey: String,
    /// "ปีงบประมาณ พ.ศ. ๒๕๖๙"
    pub year: String,
    /// "ค่าเฉลี่ย ๔.๑๒ ระดับ มาก (n = ๔๑๒)", or that there are no answers.
    pub headline: String,
    pub answers: String,
    pub has_answers: bool,
    pub summary: Vec<(String, String)>,
    pub items: Vec<FigureRow>,
    pub services: Vec<FigureRow>,
    pub points: Vec<FigureRow>,
    pub months: Vec<FigureRow>,
    pub channels: Vec<(String, String)>,
    pub comparison: Vec<CompareRow>,
    pub facts: Vec<FactRow>,
    pub legend: String,
    /// Empty when no answer was flagged.
    pub bursts: String,
    pub comments: Vec<String>,
    /// In the organization's digits.
    pub comment_count: String,
    pub chart_svg: String,
}

/// The headline a measure cites: "ค่าเฉลี่ย ๔.๑๒ ระดับ มาก (n = ๔๑๒)".
pub fn headline(a: &Analysis, scale: Scale, digits: Digits) -> String {
    match a.overall.mean_hundredths() {
        Some(h) => format!(
            "ค่าเฉลี่ย {} ระดับ {} (n = {})",
            hundredths_text(h, digits),
            scale.level(h).label_th(),
            format_int(a.answers as i64, digits)
        ),
        None => "ยังไม่มีผู้ตอบแบบประเมิน".to_string(),
    }
}

fn row(number: String, text: &str, tally: &Tally, n: u64, scale: Scale, digits: Digits, heading: bool) -> FigureRow {
    let mean = tally.mean_hundredths();
    FigureRow {
        number,
        text: text.to_string(),
        n: format_int(n as i64, digits),
        mean: mean.map_or("–".into(), |h| hundredths_text(h, digits)),
        sd: tally.sd().map_or("–".into(), |s| sd_text(s, digits)),
        level: mean.map_or("–".into(), |h| scale.level(h).label_th().to_string()),
        satisfied: tally.satisfied_tenths().map_or("–".into(), |t| format!("{}%", tenths_text(t, digits))),
        heading,
    }
}

fn change(previous: Option<i64>, this: Option<i64>, digits: Digits) -> String {
    match (previous, this) {
        (Some(p), Some(t)) => {
            let d = t - p;
            let sign = if d > 0 {
                "+"
            } else if d < 0 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{}", hundredths_text(d.abs(), digits))
        }
        _ => "—".to_string(),
    }
}

fn percent(count: u64, of: u64, digits: Digits) -> String {
    if of == 0 {
        return "–".into();
    }
    let tenths = (2000 * count + of) / (2 * of);
    format!("{}%", tenths_text(tenths as i64, digits))
}

/// Names of services and points by id (the page looks them up; a deleted one reads "ไม่ระบุ").
pub struct Names<'a> {
    pub services: &'a BTreeMap<i64, String>,
    pub points: &'a BTreeMap<i64, String>,
}

fn named(id: Option<i64>, names: &BTreeMap<i64, String>, none: &str) -> String {
    id.and_then(|i| names.get(&i).cloned()).unwrap_or_else(|| none.to_string())
}

pub fn build(
    org: &str,
    survey: &str,
    survey_id: i64,
    scale: Scale,
    r: &YearResults,
    names: Names<'_>,
    digits: Digits,
) -> ReportView {
    let a = &r.this;
    let mut items = Vec::new();
    let mut number = 0;
    for (ai, aspect) in a.aspects.iter().enumerate() {
        items.push(row(
            format_int(ai as i64 + 1, digits),
            &aspect.title,
            &aspect.tally,
            aspect.respondents,
            scale,
            digits,
            true,
        ));
        for item in a.items.iter().filter(|i| i.aspect == aspect.key) {
            number += 1;
            items.push(row(format_int(number, digits), &item.text, &item.tally, item.tally.n(), scale, digits, false));
        }
    }
    items.push(row(String::new(), "ภาพรวม", &a.overall, a.answers, scale, digits, true));
    let group = |map: &BTreeMap<Option<i64>, (u64, Tally)>, names: &BTreeMap<i64, String>, none: &str| {
        let mut rows: Vec<FigureRow> = map
            .iter()
            .map(|(id, (n, t))| row(String::new(), &named(*id, names, none), t, *n, scale, digits, false))
            .collect();
        crate::thai::collate::sort_by_dictionary(&mut rows, |r| r.text.as_str());
        rows
    };
    let services = group(&a.by_service, names.services, "ไม่ระบุงานบริการ");
    let points = group(&a.by_point, names.points, "ไม่ระบุจุดบริการ");
    let months = a
        .by_month
        .iter()
        .map(|(m, (n, t))| {
            let (month, be) = if *m < 3 { (m + 10, r.year.be() - 1) } else { (m - 2, r.year.be()) };
            let label = format!("{} {}", crate::thai::month_full(month), crate::thai::format_year_be(be, digits));
            row(String::new(), &label, t, *n, scale, digits, false)
        })
        .collect();
    let channels = a
        .by_channel
        .iter()
        .map(|(c, n)| {
            let label = super::ingest::Channel::from_code(c).map_or(c.as_str(), |c| c.label_th());
            (label.to_string(), format_int(*n as i64, digits))
        })
        .collect();
    let mut comparison: Vec<CompareRow> = a
        .aspects
        .iter()
        .map(|aspect| {
            let before =
                r.previous.aspects.iter().find(|p| p.key == aspect.key).and_then(|p| p.tally.mean_hundredths());
            let now = aspect.tally.mean_hundredths();
            CompareRow {
                text: aspect.title.clone(),
                previous: before.map_or("–".into(), |h| hundredths_text(h, digits)),
                this: now.map_or("–".into(), |h| hundredths_text(h, digits)),
                change: change(before, now, digits),
            }
        })
        .collect();
    let (before, now) = (r.previous.overall.mean_hundredths(), a.overall.mean_hundredths());
    comparison.push(CompareRow {
        text: "ภาพรวม".into(),
        previous: before.map_or("–".into(), |h| hundredths_text(h, digits)),
        this: now.map_or("–".into(), |h| hundredths_text(h, digits)),
        change: change(before, now, digits),
    });
    let facts = a
        .facts
        .iter()
        .map(|f| {
            // Of the answers whose version asked it (a fact added mid-year was not asked before).
            let asked = f.options.iter().map(|(_, n)| n).sum::<u64>() + f.unsaid;
            FactRow {
                question: f.question.clone(),
                options: f
                    .options
                    .iter()
                    .map(|(o, n)| (o.clone(), format_int(*n as i64, digits), percent(*n, asked, digits)))
                    .chain(std::iter::once((
                        "ไม่ระบุ".to_string(),
                        format_int(f.unsaid as i64, digits),
                        percent(f.unsaid, asked, digits),
                    )))
                    .collect(),
            }
        })
        .collect();
    let mut summary = vec![("จำนวนผู้ตอบ".to_string(), format!("{} คน", format_int(a.answers as i64, digits)))];
    if let Some(h) = a.overall.mean_hundredths() {
        summary
            .push(("ค่าเฉลี่ยภาพรวม".into(), format!("{} ({})", hundredths_text(h, digits), scale.level(h).label_th())));
        if let Some(sd) = a.overall.sd() {
            summary.push(("ส่วนเบี่ยงเบนมาตรฐาน (S.D.)".into(), sd_text(sd, digits)));
        }
        if let Some(t) = a.overall.satisfied_tenths() {
            summary.push(("ร้อยละของคำตอบระดับมากขึ้นไป".into(), format!("{}%", tenths_text(t, digits))));
        }
        if let Some(t) = a.overall.of_full_score_tenths() {
            summary.push(("ค่าเฉลี่ยคิดเป็นร้อยละของคะแนนเต็ม".into(), format!("{}%", tenths_text(t, digits))));
        }
    }
    let bursts = if a.bursts == 0 {
        String::new()
    } else {
        let without = a.overall_without_bursts.mean_hundredths().map_or("–".into(), |h| hundredths_text(h, digits));
        format!(
            "มีคำตอบ {} รายการที่ส่งมาถี่ผิดปกติจากเครือข่ายเดียวกัน (ส่งเกิน {} ครั้งใน {} นาที) ระบบนับรวมไว้ในผลทุกตาราง และไม่ลบทิ้ง หากไม่นับคำตอบเหล่านี้ ค่าเฉลี่ยภาพรวมเป็น {}",
            format_int(a.bursts as i64, digits),
            format_int(super::ingest::BURST_ANSWERS, digits),
            format_int(super::ingest::BURST_SECONDS / 60, digits),
            without
        )
    };
    let bars: Vec<Bar> = a
        .aspects
        .iter()
        .map(|x| Bar { label: x.title.clone(), tally: x.tally })
        .chain(std::iter::once(Bar { label: "ภาพรวม".into(), tally: a.overall }))
        .collect();
    let chart_svg = chart::svg(
        &format!("chart-{survey_id}"),
        &format!("ค่าเฉลี่ยความพึงพอใจรายด้าน {}", r.year.label(digits)),
        &bars,
        scale,
        digits,
    );
    ReportView {
        org: org.to_string(),
        survey: survey.to_string(),
        year: r.year.label(digits),
        headline: headline(a, scale, digits),
        answers: format_int(a.answers as i64, digits),
        has_answers: a.answers > 0,
        summary,
        items,
        services,
        points,
        months,
        channels,
        comparison,
        facts,
        legend: scale.legend_th().to_string(),
        bursts,
        comments: a.comments.iter().map(|(_, c)| c.clone()).collect(),
        comment_count: format_int(a.comments.len() as i64, digits),
        chart_svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_from_last_year_is_signed_in_hundredths() {
        assert_eq!(change(Some(398), Some(412), Digits::Arabic), "+0.14");
        assert_eq!(change(Some(412), Some(398), Digits::Thai), "−๐.๑๔");
        assert_eq!(change(Some(400), Some(400), Digits::Arabic), "±0.00");
        assert_eq!(change(None, Some(400), Digits::Arabic), "—");
    }

    #[test]
    fn percent_rounds_half_up_in_tenths() {
        assert_eq!(percent(1, 3, Digits::Arabic), "33.3%");
        assert_eq!(percent(2, 3, Digits::Arabic), "66.7%");
        assert_eq!(percent(0, 0, Digits::Arabic), "–");
    }
}
