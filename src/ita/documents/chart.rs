//! The O42 chart: a vertical bar per indicator (0–100), its score above it, and a dashed line at
//! the pass mark. SVG, typeset into the PDF as the survey report's chart is (`chart.svg`).

use super::analysis_doc::Bar;
use crate::http::error::escape;
use crate::ita::scores::{PASS_MARK_X100, format_score};
use crate::thai::Digits;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 80.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 28.0;

/// The y of a score in hundredths (0 at the axis, 100.00 at the top).
fn y_of(x100: i64) -> f64 {
    let plot = HEIGHT - TOP - BOTTOM;
    HEIGHT - BOTTOM - x100.clamp(0, 10_000) as f64 / 10_000.0 * plot
}

/// The chart of `bars`; `pass_label` is written at the end of the mark's line.
pub fn svg(bars: &[Bar], pass_label: &str, digits: Digits) -> String {
    let described: Vec<String> =
        bars.iter().map(|b| format!("{}: {}", b.label, format_score(b.score, digits))).collect();
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" font-family="Sarabun, sans-serif"><desc>{d}</desc>
"#,
        d = escape(&described.join("; ")),
    );
    for level in [0, 25, 50, 75, 100] {
        let y = y_of(level * 100);
        out.push_str(&format!(
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="#d0d0d0"/><text x="{tx:.1}" y="{ty:.1}" font-size="11" text-anchor="end">{n}</text>
"##,
            x2 = WIDTH - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0,
            n = digits.apply(&level.to_string()),
        ));
    }
    let slot = (WIDTH - LEFT - RIGHT) / bars.len().max(1) as f64;
    for (i, bar) in bars.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.2;
        let (top, w) = (y_of(bar.score), slot * 0.6);
        let passed = bar.score >= PASS_MARK_X100;
        let fill = if passed { "#2b6cb0" } else { "#dd6b20" };
        // A score just under the mark would sit on the mark's line: it is written inside its bar.
        let (sy, ink) = if passed { (top - 4.0, "#000000") } else { (top + 14.0, "#ffffff") };
        out.push_str(&format!(
            r#"<rect x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"/><text x="{cx:.1}" y="{sy:.1}" font-size="11" text-anchor="middle" fill="{ink}">{s}</text><text x="{cx:.1}" y="{ly:.1}" font-size="12" text-anchor="middle">{l}</text>
"#,
            h = (HEIGHT - BOTTOM - top).max(0.0),
            cx = x + w / 2.0,
            s = format_score(bar.score, digits),
            ly = HEIGHT - BOTTOM + 16.0,
            l = escape(&bar.label),
        ));
    }
    let mark = y_of(PASS_MARK_X100);
    out.push_str(&format!(
        r##"<line x1="{LEFT}" y1="{mark:.1}" x2="{x2:.1}" y2="{mark:.1}" stroke="#c53030" stroke-width="2" stroke-dasharray="6 4"/><text x="{tx:.1}" y="{ty:.1}" font-size="12" fill="#c53030">{label}</text>
</svg>"##,
        x2 = WIDTH - RIGHT,
        tx = WIDTH - RIGHT + 6.0,
        ty = mark + 4.0,
        label = escape(pass_label),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_indicator_gets_a_bar_coloured_by_the_mark_and_the_mark_is_a_line_at_85() {
        let bars = vec![Bar { label: "๑".into(), score: 9245 }, Bar { label: "๒".into(), score: 7625 }];
        let svg = svg(&bars, "เกณฑ์ ๘๕", Digits::Thai);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("#2b6cb0") && svg.contains("#dd6b20"), "one passes, one fails");
        assert!(svg.contains("๙๒.๔๕") && svg.contains("๗๖.๒๕"));
        assert!(svg.contains(&format!("y1=\"{:.1}\"", y_of(8500))) && svg.contains("เกณฑ์ ๘๕"));
        assert!(y_of(8500) < y_of(7625), "a higher score is drawn higher");
    }
}
