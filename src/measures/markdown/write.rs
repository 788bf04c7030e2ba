//! Writing a report in the one canonical shape of the seed reports.
//!
//! Escapes, chosen so that `parse(write(r)) == r` (texts trimmed, without control characters or
//! empty lines) while ordinary Thai text comes out untouched:
//! - `\` and `|` get a backslash everywhere (`\|` is GFM's escaped pipe);
//! - `&` becomes `&amp;` only where it would start an entity the parser decodes, and in cells `<`
//!   becomes `&lt;` where it may start a `<br>`/`<p>` tag with what follows in the cell
//!   ([`may_start_tag`]: a title's "<p" is followed by " (ตัวชี้วัดที่ …)");
//! - a line that is not an item's first line but would read as one ("1. …", "๒.x") is written
//!   "1\. …", as Markdown does;
//! - an unnumbered item after another item is preceded by an empty line (`<br><br>`), which ends
//!   the item above; without it the parser would take it as a sub-line. Lines starting with "-" need
//!   nothing: they are sub-lines after an item and items of their own after the empty line;
//! - in titles, a `(` that would open an indicator reference is written `\(`; in indicator names,
//!   `)` is written `\)`; in the heading and intro, `*` is written `\*`;
//! - control characters (line breaks inside a one-line text) are written as spaces, and empty
//!   sub-lines are dropped: a table row is one physical line.

use std::borrow::Cow;

use super::{
    Item, ParsedMeasure, ParsedReport, entity_at, format_number, may_start_tag, numbered_item_rest, opens_indicator,
};

const HEADER: &str =
    "| มาตรการ/<br>แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลา<br>ดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือ<br>ความสำเร็จ |";
const SEPARATOR: &str = "|---|---|---|---|---|---|";

/// The report as Markdown: bold heading, intro, then one table with a row per measure. Item and
/// indicator numbers use Thai digits when `thai_digits`; the texts themselves are not converted.
pub fn write(report: &ParsedReport, thai_digits: bool) -> String {
    let mut out = String::new();
    let heading = paragraph_lines(report.heading_lines.iter().map(String::as_str));
    if !heading.is_empty() {
        out.push_str(&format!("**{}**\n\n", heading.join("  \n")));
    }
    let intro = paragraph_lines(std::iter::once(report.intro.as_str()));
    if !intro.is_empty() {
        out.push_str(&format!("{}\n\n", intro.join("  \n")));
    }
    out.push_str(HEADER);
    out.push('\n');
    out.push_str(SEPARATOR);
    out.push('\n');
    for measure in &report.measures {
        out.push_str(&row(measure, thai_digits));
        out.push('\n');
    }
    out
}

/// The printed lines of one method/result/outcome cell, without Markdown escapes (for the PDF):
/// numbered items as "๑. text", sub-lines as they are, and an empty line before an unnumbered item
/// that follows another item.
pub fn write_item_lines(items: &[Item], thai_digits: bool) -> Vec<String> {
    // The gap that keeps items apart in markdown is not printed: on paper the unnumbered item
    // simply starts on its own line.
    item_pieces(items)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Gap => None,
            Piece::Numbered(n, text) => Some(numbered(n, thai_digits, text)),
            Piece::Plain(text) => Some(text.to_string()),
        })
        .collect()
}

enum Piece<'a> {
    /// An empty line that ends the item above.
    Gap,
    /// The first line of the n-th numbered item (1-based among the numbered items).
    Numbered(usize, &'a str),
    /// The first line of an unnumbered item, or a sub-line.
    Plain(&'a str),
}

fn item_pieces(items: &[Item]) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut number = 0;
    for (index, item) in items.iter().enumerate() {
        let mut lines = item.text.split('\n');
        let first = lines.next().unwrap_or_default();
        if item.numbered {
            number += 1;
            pieces.push(Piece::Numbered(number, first));
        } else {
            if index > 0 {
                pieces.push(Piece::Gap);
            }
            pieces.push(Piece::Plain(first));
        }
        pieces.extend(lines.filter(|l| !l.trim().is_empty()).map(Piece::Plain));
    }
    pieces
}

fn numbered(n: usize, thai_digits: bool, text: &str) -> String {
    let number = format_number(n, thai_digits);
    if text.is_empty() { format!("{number}.") } else { format!("{number}. {text}") }
}

fn items_cell(items: &[Item], thai_digits: bool) -> String {
    item_pieces(items)
        .into_iter()
        .map(|piece| match piece {
            Piece::Gap => String::new(),
            Piece::Numbered(n, text) => numbered(n, thai_digits, &escape(text, Context::Cell)),
            Piece::Plain(text) => escape_plain_line(text),
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A line that must not be read as the start of a numbered item.
fn escape_plain_line(text: &str) -> String {
    let mut escaped = escape(text, Context::Cell);
    if numbered_item_rest(text).is_some()
        && let Some(dot) = escaped.find('.')
    {
        escaped.insert(dot, '\\');
    }
    escaped
}

fn row(measure: &ParsedMeasure, thai_digits: bool) -> String {
    let mut title = escape(&measure.title, Context::Title);
    for indicator in &measure.indicators {
        let number = format_number(usize::from(indicator.number), thai_digits);
        title.push_str(&format!(" (ตัวชี้วัดที่ {number}"));
        if !indicator.name.is_empty() {
            title.push(' ');
            title.push_str(&escape(&indicator.name, Context::IndicatorName));
        }
        title.push(')');
    }
    let responsible = measure
        .responsible
        .iter()
        .flat_map(|l| l.lines())
        .filter(|l| !l.trim().is_empty())
        .map(|l| escape(l, Context::Cell))
        .collect::<Vec<_>>()
        .join("<br>");
    let cells = [
        title,
        items_cell(&measure.methods, thai_digits),
        responsible,
        escape(&measure.period, Context::Cell),
        items_cell(&measure.results, thai_digits),
        items_cell(&measure.outcomes, thai_digits),
    ];
    format!("| {} |", cells.join(" | "))
}

/// Non-empty lines of the heading or intro, escaped.
fn paragraph_lines<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    texts.flat_map(str::lines).map(str::trim).filter(|l| !l.is_empty()).map(|l| escape(l, Context::Paragraph)).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Text in a table cell.
    Cell,
    /// A measure's title (a cell that also holds indicator references).
    Title,
    /// An indicator's name, inside "(…)".
    IndicatorName,
    /// A heading or intro line, outside the table.
    Paragraph,
}

fn escape(text: &str, context: Context) -> String {
    // Control characters are written as spaces; the escapes are decided on the text as written
    // ("<p\tx>" is written "<p x>", a tag).
    let text = if text.contains(char::is_control) {
        Cow::Owned(text.replace(char::is_control, " "))
    } else {
        Cow::Borrowed(text)
    };
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let rest = &text[i..];
        match c {
            '\\' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '&' if entity_at(rest).is_some() => out.push_str("&amp;"),
            '<' if context != Context::Paragraph && may_start_tag(rest) => {
                out.push_str("&lt;");
            }
            '(' if context == Context::Title && opens_indicator(&rest[1..]) => {
                out.push_str("\\(");
            }
            ')' if context == Context::IndicatorName => out.push_str("\\)"),
            '*' if context == Context::Paragraph => out.push_str("\\*"),
            _ => out.push(c),
        }
    }
    out
}
