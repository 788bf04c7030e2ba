//! The satisfaction chart: a horizontal bar per aspect (or per service, or the whole), drawn from
//! 1 to its mean on the 1–5 scale, with the mean and its level written beside it. SVG, for the
//! public results page and the executives' PDF; the same figures are in a table beside it, and
//! the chart's own description lists them for screen readers.

use super::scale::Scale;
use super::stats::{Tally, hundredths_text};
use crate::http::error::escape;
use crate::thai::Digits;

/// One bar: what it is, and its answers.
pub struct Bar {
    pub label: String,
    pub tally: Tally,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 16.0;
/// Where the axis ends (5.00); the mean and its level are written to the right of it.
const AXIS_END: f64 = 470.0;
const ROW: f64 = 50.0;
const TOP: f64 = 40.0;
const BAR: f64 = 18.0;

/// The x of a mean given in hundredths (100 → the axis start, 500 → its end).
fn x_of(hundredths: i64) -> f64 {
    LEFT + (hundredths.clamp(100, 500) - 100) as f64 / 400.0 * (AXIS_END - LEFT)
}

/// "4.21 มากที่สุด", or "ไม่มีคำตอบ".
fn figure(tally: &Tally, scale: Scale, digits: Digits) -> String {
    match tally.mean_hundredths() {
        Some(h) => format!("{} {}", hundredths_text(h, digits), scale.level(h).label_th()),
        None => "ไม่มีคำตอบ".to_string(),
    }
}

/// The chart of `bars`, titled `title`, levels read by `scale`. `id` names its title and
/// description, unique on the page that holds several charts.
pub fn svg(id: &str, title: &str, bars: &[Bar], scale: Scale, digits: Digits) -> String {
    let height = TOP + ROW * bars.len() as f64 + 24.0;
    let described: Vec<String> =
        bars.iter().map(|b| format!("{}: {}", b.label, figure(&b.tally, scale, digits))).collect();
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Sarabun, sans-serif">
<title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>
<text x="{LEFT}" y="20" font-size="15" font-weight="bold">{t}</text>
"#,
        t = escape(title),
        d = escape(&described.join("; ")),
    );
    // The scale's whole levels: a line and its number at each.
    let axis_bottom = height - 20.0;
    for level in 1..=5 {
        let x = x_of(level * 100);
        out.push_str(&format!(
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{axis_bottom}" stroke="#c8c8c8"/><text x="{x:.1}" y="{y:.1}" font-size="12" text-anchor="middle">{n}</text>
"##,
            y = axis_bottom + 14.0,
            n = digits.apply(&level.to_string()),
        ));
    }
    for (row, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * row as f64;
        out.push_str(&format!(
            r#"<text class="bar-label" x="{LEFT}" y="{ly:.1}" font-size="13">{label}</text>
"#,
            ly = y + 14.0,
            label = escape(&bar.label),
        ));
        let by = y + 20.0;
        if let Some(h) = bar.tally.mean_hundredths() {
            out.push_str(&format!(
                r##"<rect class="bar" data-mean="{h}" x="{LEFT}" y="{by:.1}" width="{w:.1}" height="{BAR}" fill="#2b6cb0"/>
"##,
                w = x_of(h) - LEFT,
            ));
        }
        out.push_str(&format!(
            r#"<text class="bar-figure" x="{fx:.1}" y="{fy:.1}" font-size="13">{f}</text>
"#,
            fx = AXIS_END + 8.0,
            fy = by + 14.0,
            f = escape(&figure(&bar.tally, scale, digits)),
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(counts: [u64; 5]) -> Tally {
        Tally { counts }
    }

    #[test]
    fn each_bar_runs_from_one_to_its_mean_with_the_figure_and_level_beside_it() {
        let bars = [
            // 3 fives and 1 four: 4.75.
            Bar {
                label: "ด้านเจ้าหน้าที่ผู้ให้บริการ".into(), tally: tally([0, 0, 0, 1, 3])
            },
            // 2 threes: 3.00, the middle of the axis.
            Bar {
                label: "ด้าน <สิ่งอำนวยความสะดวก> & ที่จอดรถ".into(), tally: tally([0, 0, 2, 0, 0])
            },
            Bar {
                label: "ด้านที่ยังไม่มีผู้ตอบ".into(), tally: Tally::default()
            },
        ];
        let svg = svg("chart", "ค่าเฉลี่ยความพึงพอใจรายด้าน", &bars, Scale::EqualWidth, Digits::Thai);
        let doc = roxmltree::Document::parse(&svg).expect("the chart is well-formed XML");
        let texts = |class: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.attribute("class") == Some(class))
                .map(|n| n.text().unwrap_or_default().to_string())
                .collect()
        };
        assert_eq!(texts("bar-label"), ["ด้านเจ้าหน้าที่ผู้ให้บริการ", "ด้าน <สิ่งอำนวยความสะดวก> & ที่จอดรถ", "ด้านที่ยังไม่มีผู้ตอบ"]);
        assert_eq!(texts("bar-figure"), ["๔.๗๕ มากที่สุด", "๓.๐๐ ปานกลาง", "ไม่มีคำตอบ"]);
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar"))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        let axis = AXIS_END - LEFT;
        // No bar for no answers; 4.75 is 15/16 of the axis, 3.00 half of it.
        assert_eq!(widths.len(), 2);
        assert!((widths[0] - axis * 0.9375).abs() < 0.1 && (widths[1] - axis * 0.5).abs() < 0.1, "{widths:?}");
        let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap().text().unwrap();
        assert!(desc.starts_with("ด้านเจ้าหน้าที่ผู้ให้บริการ: ๔.๗๕ มากที่สุด; "), "{desc}");
    }

    #[test]
    fn the_level_follows_the_chosen_scale() {
        let bars = [Bar { label: "ภาพรวม".into(), tally: tally([0, 0, 0, 7, 3]) }];
        // 4.30: มากที่สุด by the 0.80 bands, มาก by the nearest level.
        assert!(svg("chart", "ภาพรวม", &bars, Scale::EqualWidth, Digits::Arabic).contains(">4.30 มากที่สุด<"));
        assert!(svg("chart", "ภาพรวม", &bars, Scale::NearestLevel, Digits::Arabic).contains(">4.30 มาก<"));
    }
}
