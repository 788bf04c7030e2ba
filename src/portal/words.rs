//! Our Thai word boundaries given to the browser, in as few bytes as possible.
//!
//! A browser breaks Thai lines with its own dictionary (ICU's in Chromium), which splits words our
//! dictionary keeps whole (`ผู้รับผิด|ชอบ`, `การปฏิบัติ|งาน`). The text is cut into the same units as
//! the PDF (`docs::pdf::line_items`: dictionary words, names the report holds kept whole, a short
//! last word glued to the one before) and compared with ICU4X's line breaks in dictionary mode
//! (the closest to Chromium's ICU4C): only a unit ICU would break inside is wrapped in
//! `<span class=w>` (an inline block: it moves to the next line whole, and wraps inside only when
//! it alone is wider than its cell), and only where we allow a break ICU does not is a `<wbr>`
//! added. Neither puts a character into the text, so what a citizen copies or searches for is the
//! text itself (a U+2060 WORD JOINER would ride along into every copy).

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use icu_segmenter::options::{LineBreakOptions, LineBreakStrictness};
use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};
use serde_json::Value;

use crate::docs::pdf::line_items;

/// CSS class of a unit the browser must not break inside (`assets/static/report.css`).
pub const UNBREAKABLE: &str = "w";

static ICU_LINES: LazyLock<LineSegmenterBorrowed<'static>> = LazyLock::new(|| {
    let mut options = LineBreakOptions::default();
    // CSS `line-break: auto`, what the page uses, is ICU's normal strictness.
    options.strictness = Some(LineBreakStrictness::Normal);
    LineSegmenter::new_dictionary(options)
});

/// Where ICU's dictionary line breaker may break `text` (byte offsets, 0 and the end left out).
pub fn icu_breaks(text: &str) -> Vec<usize> {
    ICU_LINES.segment_str(text).filter(|&b| b > 0 && b < text.len()).collect()
}

/// A line cut into the PDF's units, as byte ranges of the text.
#[derive(Debug)]
enum Node {
    Space(Range<usize>),
    /// A unit, never broken inside by the PDF.
    Unit(Range<usize>),
    /// A long unit (a name with the short word before it, a URL) with its fallback parts: whole
    /// when it fits its line, else broken between its parts, outermost first.
    Long(Range<usize>, Vec<Node>),
}

impl Node {
    fn range(&self) -> &Range<usize> {
        match self {
            Node::Space(r) | Node::Unit(r) | Node::Long(r, _) => r,
        }
    }
}

/// The node of one item of `line_items` starting at byte `at` of `text`; None if the item is not
/// the text there (then the line goes out as it is: the browser's breaks, never a changed text).
fn node(item: &Value, text: &str, at: usize) -> Option<Node> {
    match item {
        Value::String(s) if s == " " => {
            let len = text[at..].len() - text[at..].trim_start().len();
            (len > 0).then(|| Node::Space(at..at + len))
        }
        Value::String(s) => (!s.is_empty() && text[at..].starts_with(s.as_str())).then(|| Node::Unit(at..at + s.len())),
        Value::Array(parts) => {
            let mut children = Vec::new();
            let mut end = at;
            for part in parts {
                let child = node(part, text, end)?;
                end = child.range().end;
                children.push(child);
            }
            Some(Node::Long(at..end, children))
        }
        _ => None,
    }
}

fn nodes(text: &str, keep: &[String]) -> Option<Vec<Node>> {
    let mut out: Vec<Node> = Vec::new();
    let mut at = 0;
    for item in line_items(text, keep) {
        let n = node(&item, text, at)?;
        at = n.range().end;
        out.push(n);
    }
    (at == text.len()).then_some(out)
}

/// `text` as HTML, escaped, with our word boundaries marked where ICU's differ (see the module).
pub fn html(text: &str, keep: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    match nodes(text, keep) {
        Some(nodes) => render(&nodes, text, &icu_breaks(text), &mut out),
        None => escape_into(&mut out, text),
    }
    out
}

fn render(nodes: &[Node], text: &str, icu: &[usize], out: &mut String) {
    let breaks_inside = |r: &Range<usize>| icu.iter().any(|&b| r.start < b && b < r.end);
    // The previous node, if it was a word left unmarked.
    let mut prev_plain_word = false;
    for n in nodes {
        let r = n.range();
        let marked = !matches!(n, Node::Space(_)) && breaks_inside(r);
        // Two words touching may break there (an inline block already may).
        if prev_plain_word && !marked && !matches!(n, Node::Space(_)) && icu.binary_search(&r.start).is_err() {
            out.push_str("<wbr>");
        }
        if marked {
            let _ = write!(out, "<span class={UNBREAKABLE}>");
        }
        match n {
            Node::Long(_, children) if marked => render(children, text, icu, out),
            _ => escape_into(out, &text[r.clone()]),
        }
        if marked {
            out.push_str("</span>");
        }
        prev_plain_word = !marked && !matches!(n, Node::Space(_));
    }
}

/// HTML-escapes text for element content and quoted attributes.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::MeasuresReportDoc;
    use crate::docs::pdf::kept_words;

    fn keep() -> Vec<String> {
        kept_words(&MeasuresReportDoc::sample())
    }

    /// The text with the markup taken out, entities decoded.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn a_word_icu_splits_is_one_unbreakable_unit_and_a_word_it_keeps_is_left_alone() {
        assert!(icu_breaks("เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ").len() > 3, "ICU now keeps ผู้รับผิดชอบ: find another example");
        let html = html("เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ", &keep());
        assert!(html.contains("<span class=w>ผู้รับผิดชอบ</span>"), "{html}");
        assert!(html.contains("งาน"), "{html}");
        assert_eq!(text_of(&html), "เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ");
        // A line ICU already breaks our way gets no markup at all.
        assert_eq!(super::html("ประชาชน", &keep()), "ประชาชน");
    }

    #[test]
    fn the_organizations_place_is_kept_whole() {
        let html = html("เผยแพร่บนเว็บไซต์ อบต.แม่คะตวน", &keep());
        assert!(html.contains("<span class=w>อบต.แม่คะตวน</span>"), "{html}");
    }

    #[test]
    fn a_long_name_is_whole_when_it_fits_and_breaks_between_its_parts_when_not() {
        let html = html("การปรึกษา ของสภาองค์การบริหารส่วนตำบลแม่คะตวน", &keep());
        assert!(
            html.ends_with("<span class=w><span class=w>ของสภา</span><span class=w><span class=w>องค์การบริหารส่วนตำบล</span><span class=w>แม่คะตวน</span></span></span>"),
            "{html}"
        );
    }

    #[test]
    fn markup_in_the_text_is_escaped_and_comes_back_unchanged() {
        for text in [
            r#"<script>alert("x")</script> ผู้รับผิดชอบ & 'ข้อ' <b>"#,
            "ผู้รับผิดชอบ<img src=x onerror=alert(1)>การปฏิบัติงาน",
            "&amp; &lt;",
        ] {
            let html = html(text, &keep());
            assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "{html}");
            assert_eq!(text_of(&html), text);
        }
    }

    #[test]
    fn every_line_of_the_seed_comes_back_as_its_text() {
        let doc = MeasuresReportDoc::sample();
        let lines = doc.rows.iter().flat_map(|r| r.cells().into_iter().flatten());
        for line in lines.chain(&doc.heading_lines).chain([&doc.intro]) {
            assert_eq!(text_of(&html(line, &keep())), *line);
        }
    }
}
