//! Thai line breaks without a box per word: typst is told where a line may break, and lays out
//! whole runs of text.
//!
//! typst breaks Thai with ICU4X's LSTM model, which splits inside words (`ตำบ|ล`), so each unit of
//! [`line_items`](super::line_items) used to be drawn in an unbreakable `box`. Boxes are costly: each
//! is a paragraph of its own, and the LSTM still ran over every word (most of a render's time, see
//! docs/benchmarks.md, "issue 13: PDF"). Instead, the templates set the language of a line's words
//! to Chinese: typst then uses ICU4X's segmenter for non-complex scripts, which has no Thai model
//! and never breaks inside a run of Thai letters. We put a ZERO WIDTH SPACE (U+200B) where a unit
//! ends and the next begins, which is a break opportunity under every language's rules. A unit the
//! same rules would break inside (`ระดับ มาก`, a dash) stays boxed, as do long units with fallback
//! parts. After layout, [`restore_text`] takes the U+200B out of the text runs and gives them back
//! their Thai language, so the PDF's text and tags are what they were with boxes.

use icu_segmenter::LineSegmenter;
use icu_segmenter::options::LineBreakOptions;
use serde_json::{Value, json};
use typst::text::{Lang, TextItem};

/// Where a line may break between two units (no space between them).
pub const BREAK: char = '\u{200B}';
/// What typst's paragraph text holds for an inline box.
const OBJECT: char = '\u{FFFC}';

/// One item of a line as typst will see it.
enum Piece {
    Space,
    /// A unit, and whether it must be boxed.
    Unit(String, bool),
    /// A long unit with fallback parts: always boxes.
    Long(Value),
}

/// Turns the items of one line ([`line_items`](super::line_items): spaces, units, long units) into
/// what the templates' `words` draws: runs of plain text with [`BREAK`] between units, `(b: unit)`
/// for a unit that must stay boxed, and long units unchanged.
pub fn unboxed(items: &[Value]) -> Vec<Value> {
    let mut pieces: Vec<Piece> = items
        .iter()
        .map(|item| match item {
            Value::String(s) if s.trim().is_empty() => Piece::Space,
            // typst finds breaks of its own inside what looks like a web address.
            Value::String(s) => Piece::Unit(s.clone(), s.contains("://") || s.contains("www.")),
            other => Piece::Long(other.clone()),
        })
        .collect();
    // Boxing a unit changes its neighbours' context, so check again until nothing changes.
    while box_units_with_breaks_inside(&mut pieces) {}

    let mut out = Vec::new();
    let mut run = String::new();
    let mut after_unit = false;
    for piece in pieces {
        match piece {
            Piece::Space => {
                run.push(' ');
                after_unit = false;
            }
            Piece::Unit(text, false) => {
                if after_unit {
                    run.push(BREAK);
                }
                run.push_str(&text);
                after_unit = true;
            }
            boxed => {
                if !run.is_empty() {
                    out.push(Value::from(std::mem::take(&mut run)));
                }
                out.push(match boxed {
                    Piece::Unit(text, _) => json!({ "b": text }),
                    Piece::Long(value) => value,
                    Piece::Space => unreachable!("handled above"),
                });
                after_unit = false;
            }
        }
    }
    if !run.is_empty() {
        out.push(Value::from(run));
    }
    out
}

/// Lays out the line's text as typst's paragraph will hold it and boxes each plain unit that the
/// non-complex line breaker would break inside. Returns whether any unit was boxed.
fn box_units_with_breaks_inside(pieces: &mut [Piece]) -> bool {
    let mut text = String::new();
    // Byte ranges of the plain units, by piece index.
    let mut plain = Vec::new();
    let mut after_unit = false;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Space => {
                text.push(' ');
                after_unit = false;
            }
            Piece::Unit(unit, false) => {
                if after_unit {
                    text.push(BREAK);
                }
                plain.push((i, text.len(), text.len() + unit.len()));
                text.push_str(unit);
                after_unit = true;
            }
            _ => {
                text.push(OBJECT);
                after_unit = false;
            }
        }
    }
    let segmenter = LineSegmenter::new_for_non_complex_scripts(LineBreakOptions::default());
    let breaks: Vec<usize> = segmenter.segment_str(&text).collect();
    let mut changed = false;
    for (i, start, end) in plain {
        if breaks.iter().any(|&b| start < b && b < end)
            && let Piece::Unit(_, boxed) = &mut pieces[i]
        {
            *boxed = true;
            changed = true;
        }
    }
    changed
}

/// A text run as the PDF should carry it: without the [`BREAK`]s and in Thai (the templates set
/// Chinese only to choose typst's line breaker). None when the run needs no change.
pub fn restore_text(item: &TextItem) -> Option<TextItem> {
    if item.lang != Lang::CHINESE && !item.text.contains(BREAK) {
        return None;
    }
    let mut restored = item.clone();
    restored.lang = Lang::THAI;
    restored.region = None;
    if item.text.contains(BREAK) {
        // Byte offsets move left by the breaks before them; a break's own glyphs (none: typst
        // removes default-ignorable characters when shaping) would get an empty range.
        // Found once per run: counting them again for every glyph made long runs quadratic.
        let breaks: Vec<usize> = item.text.match_indices(BREAK).map(|(at, _)| at).collect();
        let removed_before = |at: u16| breaks.partition_point(|&b| b < at as usize) * BREAK.len_utf8();
        for glyph in &mut restored.glyphs {
            let (start, end) = (glyph.range.start, glyph.range.end);
            glyph.range = (start - removed_before(start) as u16)..(end - removed_before(end) as u16);
        }
        restored.text = item.text.as_str().replace(BREAK, "").into();
    }
    Some(restored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_become_one_run_with_a_break_between_touching_units() {
        let items = [json!("ขั้นตอน"), json!("การ"), json!(" "), json!("ยืม")];
        assert_eq!(unboxed(&items), vec![json!("ขั้นตอน\u{200B}การ ยืม")]);
    }

    #[test]
    fn a_unit_the_breaker_would_split_stays_boxed() {
        // The glued last word holds a space: a break opportunity inside the unit.
        let items = [json!("อยู่ใน"), json!("ระดับ มาก")];
        assert_eq!(unboxed(&items), vec![json!("อยู่ใน"), json!({ "b": "ระดับ มาก" })]);
        let long = json!(["องค์การ", "บริหาร"]);
        assert_eq!(unboxed(&[json!("ของ"), long.clone()]), vec![json!("ของ"), long]);
    }
}
