//! The flowchart of a service (แผนผังแสดงขั้นตอนและระยะเวลา) as SVG for the web, drawn from the
//! manual's steps (pure). One column, top to bottom, so that it reads on a phone and scales to an
//! A4 print: the request, a box per step (number, what, officer, time; yellow when the citizen
//! waits at the counter), arrows, and the total at the end. The SVG carries a title and a
//! description; the page shows the same steps as a table beside it.

use std::fmt::Write as _;

use super::manual::{Manual, duration_th};
use crate::thai::{Digits, format_int};

const WIDTH: f64 = 360.0;
const MARGIN: f64 = 16.0;
const PAD: f64 = 10.0;
const ARROW: f64 = 30.0;
const LINE: f64 = 1.35;
const BIG: f64 = 15.0;
const SMALL: f64 = 13.0;

/// How wide a text is drawn, estimated: Thai marks above and below take no width; other
/// characters take about 0.6 em (Sarabun and the usual Thai fallbacks), wide enough to never
/// overflow a box.
fn width_of(text: &str, size: f64) -> f64 {
    let advancing = text.chars().filter(|c| !is_thai_mark(*c)).count();
    advancing as f64 * size * 0.6
}

fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Breaks `text` into lines at most `width` wide, between words (`thai::words`); a word longer
/// than a line is cut between characters.
pub fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in crate::thai::words::words(text.trim()) {
        if word.trim().is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            continue;
        }
        if width_of(&format!("{current}{word}"), size) <= width {
            current.push_str(word);
            continue;
        }
        if !current.trim().is_empty() {
            lines.push(current.trim_end().to_string());
        }
        current = String::new();
        for c in word.chars() {
            if !is_thai_mark(c) && !current.is_empty() && width_of(&format!("{current}{c}"), size) > width {
                lines.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        lines.push(current.trim_end().to_string());
    }
    lines
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A box of lines (each with its size and weight) at `y`; returns its height.
fn text_box(out: &mut String, y: f64, lines: &[(String, f64, bool)], fill: &str, rounded: bool, class: &str) -> f64 {
    let height = PAD * 2.0 + lines.iter().map(|(_, size, _)| size * LINE).sum::<f64>();
    let rx = if rounded { height.min(40.0) / 2.0 } else { 4.0 };
    let _ = write!(
        out,
        r##"<g class="{class}"><rect x="{MARGIN}" y="{y:.1}" width="{w:.1}" height="{height:.1}" rx="{rx:.1}" fill="{fill}" stroke="#1f2937" stroke-width="1.5"/><text x="{cx:.1}" text-anchor="middle">"##,
        w = WIDTH - 2.0 * MARGIN,
        cx = WIDTH / 2.0,
    );
    let mut baseline = y + PAD;
    for (line, size, bold) in lines {
        baseline += size * LINE;
        let weight = if *bold { r#" font-weight="bold""# } else { "" };
        let _ = write!(
            out,
            r#"<tspan x="{cx:.1}" y="{b:.1}" font-size="{size}"{weight}>{t}</tspan>"#,
            cx = WIDTH / 2.0,
            b = baseline - size * (LINE - 1.0) - 2.0,
            t = escape(line)
        );
    }
    out.push_str("</text></g>");
    height
}

fn arrow(out: &mut String, y: f64) {
    let x = WIDTH / 2.0;
    let _ = write!(
        out,
        r##"<line x1="{x}" y1="{y:.1}" x2="{x}" y2="{end:.1}" stroke="#1f2937" stroke-width="2"/><path d="M{l},{tip_base:.1} L{r},{tip_base:.1} L{x},{tip:.1} Z" fill="#1f2937"/>"##,
        end = y + ARROW - 8.0,
        l = x - 6.0,
        r = x + 6.0,
        tip_base = y + ARROW - 9.0,
        tip = y + ARROW,
    );
}

/// The flowchart of `manual` as a standalone SVG document (also valid inline in HTML).
pub fn svg(manual: &Manual, digits: Digits) -> String {
    let inner = WIDTH - 2.0 * MARGIN - 2.0 * PAD;
    let lines = |text: &str, size: f64, bold: bool| -> Vec<(String, f64, bool)> {
        wrap(text, inner, size).into_iter().map(|l| (l, size, bold)).collect()
    };
    let total = format!("รวมระยะเวลาดำเนินการ {}", manual.total_th(digits));
    let mut body = String::new();
    let mut y = MARGIN;
    y += text_box(&mut body, y, &lines("ผู้รับบริการยื่นคำขอ", BIG, true), "#e3eefb", true, "start");
    let mut desc = Vec::new();
    for (i, step) in manual.steps.iter().enumerate() {
        arrow(&mut body, y);
        y += ARROW;
        let n = format_int(i as i64 + 1, digits);
        let what = digits.apply(step.what.trim());
        let who = digits.apply(step.who.trim());
        let time = step.time_th(digits);
        let mut content = lines(&format!("ขั้นตอนที่ {n}"), SMALL, true);
        content.extend(lines(&what, BIG, false));
        content.extend(lines(&format!("ผู้รับผิดชอบ: {who}"), SMALL, false));
        let counter = if step.at_counter { " (รอที่จุดบริการ)" } else { "" };
        content.extend(lines(&format!("{time}{counter}"), SMALL, true));
        let fill = if step.at_counter { "#fff4d6" } else { "#ffffff" };
        y += text_box(&mut body, y, &content, fill, false, "step");
        desc.push(format!("ขั้นตอนที่ {n} {what} ผู้รับผิดชอบ {who} ใช้เวลา {time}{counter}"));
    }
    arrow(&mut body, y);
    y += ARROW;
    y += text_box(&mut body, y, &lines(&total, BIG, true), "#e3eefb", true, "total");
    if let Some(minutes) = manual.counter_minutes() {
        let note = format!("กรอบสีเหลือง: ผู้รับบริการรอที่จุดบริการ รวม {}", duration_th(minutes, false, digits));
        for line in wrap(&note, WIDTH - 2.0 * MARGIN, SMALL - 1.0) {
            y += (SMALL - 1.0) * LINE;
            let _ = write!(
                body,
                r##"<text x="{MARGIN}" y="{y:.1}" font-size="{s}" fill="#374151">{t}</text>"##,
                s = SMALL - 1.0,
                t = escape(&line)
            );
        }
    }
    let height = y + MARGIN;
    let title = format!("แผนผังแสดงขั้นตอนและระยะเวลา: {}", manual.name.trim());
    desc.push(total);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.1}" width="{WIDTH}" height="{height:.1}" role="img" aria-labelledby="flow-title flow-desc" font-family="Sarabun, 'Noto Sans Thai', Tahoma, sans-serif" class="flowchart"><title id="flow-title">{t}</title><desc id="flow-desc">{d}</desc>{body}</svg>"#,
        t = escape(&title),
        d = escape(&desc.join(" → ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::manual::{Step, TimeUnit};

    #[test]
    fn lines_break_between_words_and_fit_the_box() {
        let text = "ตรวจสอบความครบถ้วนของเอกสารหลักฐานและออกใบรับคำขอให้แก่ผู้ยื่นคำขอ";
        let lines = wrap(text, 150.0, 15.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.concat(), text, "nothing lost");
        for l in &lines {
            assert!(width_of(l, 15.0) <= 150.0, "{l}");
        }
        assert!(
            lines[0].ends_with("ความ") || lines[0].ends_with("ครบถ้วน") || lines[0].ends_with("ตรวจสอบ"),
            "{lines:?}"
        );
    }

    #[test]
    fn the_svg_parses_and_holds_the_steps_in_order_with_the_total() {
        let manual = Manual {
            name: "การขอใช้น้ำประปา <ทดสอบ>".into(),
            steps: vec![
                Step {
                    what: "รับคำขอ & ตรวจเอกสาร".into(),
                    who: "งานประปา".into(),
                    amount: 15,
                    unit: TimeUnit::Minutes,
                    at_counter: true,
                },
                Step {
                    what: "ติดตั้งมาตรวัดน้ำ".into(),
                    who: "กองช่าง".into(),
                    amount: 3,
                    unit: TimeUnit::WorkingDays,
                    at_counter: false,
                },
            ],
            ..Manual::default()
        };
        let svg = svg(&manual, Digits::Thai);
        let doc = roxmltree::Document::parse(&svg).expect("valid XML");
        let steps: Vec<String> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("step"))
            .map(|g| g.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect::<String>())
            .collect();
        assert_eq!(steps.len(), 2);
        assert!(
            steps[0].starts_with("ขั้นตอนที่ ๑") && steps[0].contains("รับคำขอ & ตรวจเอกสาร") && steps[0].contains("๑๕ นาที"),
            "{}",
            steps[0]
        );
        assert!(steps[1].contains("ติดตั้งมาตรวัดน้ำ") && steps[1].contains("กองช่าง") && steps[1].contains("๓ วันทำการ"));
        let all: String = doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
        assert!(all.contains("รวมระยะเวลาดำเนินการ ๔ วันทำการ"), "{all}");
        assert!(all.contains("<ทดสอบ>"), "escaped, read back as typed");
    }
}
