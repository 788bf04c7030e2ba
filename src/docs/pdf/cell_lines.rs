//! The measures table's cell lines, broken and measured here instead of by typst.
//!
//! typst shapes each paragraph's text and breaks it first-fit, and a large register's table was
//! most of its layout (docs/benchmarks.md, "the table's text set by us"). A cell's width is known
//! before layout (the columns are fractions of the page's width), so its lines are broken here,
//! with the shaper and font typst uses (rustybuzz, Sarabun) and typst's rule: a unit goes on the
//! line while the line still fits, lines break only between units (see `wordbox`), and a long unit
//! falls back to its parts when it is wider than a whole line. A line is as wide as its units and
//! spaces added up: each distinct unit is shaped once, and `cell_text` draws the line from the same
//! shaped units (a word's glyphs do not depend on its neighbours; kerning across a join is left
//! out). typst then lays out one empty block per line, which is cheap, and `cell_text` writes each
//! line's text into its block after layout.

use std::collections::HashMap;

use icu_segmenter::LineSegmenter;
use icu_segmenter::options::LineBreakOptions;
use rustybuzz::{BufferFlags, Direction, Face, GlyphBuffer, Language, Script, ShapePlan, UnicodeBuffer};
use serde_json::Value;

/// The table's geometry, which the template reads from `data.json` (so the widths measured here
/// are the widths typst lays out).
#[derive(Clone, Copy, Debug)]
pub struct TableGeometry {
    /// The page's width (A4 landscape), in pt.
    pub page_width: f64,
    /// The page's left and right margins, in pt.
    pub margin_x: f64,
    /// The columns' shares of that width (typst `fr`).
    pub columns: [f64; 6],
    /// A cell's padding left and right, in pt.
    pub inset_x: f64,
    /// How far a line starting with "-" is indented, in pt.
    pub indent: f64,
    /// The text's size, in pt.
    pub size: f64,
    /// Between the lines of one paragraph, and between paragraphs, in pt (typst's `leading`
    /// and `spacing` of the report's cells: 0.55 em and 0.4 em).
    pub leading: f64,
    pub spacing: f64,
}

impl TableGeometry {
    /// The measures report's table: A4 landscape (297 mm) with margins of 1.8 cm, Sarabun 11 pt.
    pub const MEASURES: TableGeometry = TableGeometry {
        page_width: 297.0 * 72.0 / 25.4,
        margin_x: 18.0 * 72.0 / 25.4,
        columns: [1.3, 1.6, 0.85, 0.7, 1.6, 1.2],
        inset_x: 4.0,
        indent: 0.7 * 11.0,
        size: 11.0,
        leading: 0.55 * 11.0,
        spacing: 0.4 * 11.0,
    };

    /// Where column `column`'s lines start on the page (its cell's left edge plus the inset), in pt.
    pub fn line_left(&self, column: usize) -> f64 {
        let before: f64 = self.columns[..column].iter().sum();
        self.margin_x
            + before / self.columns.iter().sum::<f64>() * (self.page_width - 2.0 * self.margin_x)
            + self.inset_x
    }

    /// The width a line of column `column` has, indented or not.
    pub fn line_width(&self, column: usize, indented: bool) -> f64 {
        let share = self.columns[column] / self.columns.iter().sum::<f64>();
        share * (self.page_width - 2.0 * self.margin_x) - 2.0 * self.inset_x - if indented { self.indent } else { 0.0 }
    }
}

/// typst's tolerance when it asks whether a line fits (`Abs::fits`).
const FITS_EPSILON: f64 = 1e-4;
/// A line holds at most this much text, however narrow it is (characters of no width, pasted by
/// the thousand): a run's glyphs address its text with 16-bit offsets.
const MAX_LINE_BYTES: usize = 4096;

/// Shapes text as the table's lines are set: default features, in Thai, default-ignorable
/// characters removed. Keeps a shape plan per script (building one is slow), so one `Shaper`
/// serves one font face.
pub struct Shaper {
    plans: Vec<(Option<Script>, ShapePlan)>,
    language: Language,
}

impl Default for Shaper {
    fn default() -> Self {
        Self { plans: Vec::new(), language: "th".parse().expect("a valid language tag") }
    }
}

impl Shaper {
    pub fn shape(&mut self, face: &Face, text: &str) -> GlyphBuffer {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_language(self.language.clone());
        buffer.guess_segment_properties();
        buffer.set_flags(BufferFlags::REMOVE_DEFAULT_IGNORABLES);
        let script = Some(buffer.script());
        let at = match self.plans.iter().position(|(s, _)| *s == script) {
            Some(at) => at,
            None => {
                let plan = ShapePlan::new(face, Direction::LeftToRight, script, Some(&self.language), &[]);
                self.plans.push((script, plan));
                self.plans.len() - 1
            }
        };
        rustybuzz::shape_with_plan(face, &self.plans[at].1, buffer)
    }
}

/// Breaks lines in the regular face of the shipped font. One per rayon job: it keeps its shape
/// plans and the widths it has measured.
pub struct LineBreaker {
    face: Face<'static>,
    scale: f64,
    shaper: Shaper,
    widths: HashMap<String, f64>,
}

impl LineBreaker {
    pub fn new(font: &'static [u8], size: f64) -> Self {
        let face = Face::from_slice(font, 0).expect("the shipped font parses");
        let scale = size / f64::from(face.units_per_em());
        Self { face, scale, shaper: Shaper::default(), widths: HashMap::new() }
    }

    /// The height of a line as typst sets it (from the cap height down to the baseline), in pt.
    pub fn line_height(&self) -> f64 {
        let cap = self.face.capital_height().filter(|&h| h > 0);
        f64::from(cap.unwrap_or_else(|| self.face.ascender())) * self.scale
    }

    /// The width of `text` shaped as one run, in pt.
    pub fn shaped_width(&mut self, text: &str) -> f64 {
        let shaped = self.shaper.shape(&self.face, text);
        shaped.glyph_positions().iter().map(|p| f64::from(p.x_advance)).sum::<f64>() * self.scale
    }

    /// A unit's width, measured once.
    fn unit_width(&mut self, unit: &str) -> f64 {
        if let Some(&width) = self.widths.get(unit) {
            return width;
        }
        let width = self.shaped_width(unit);
        self.widths.insert(unit.to_string(), width);
        width
    }

    /// Breaks one line of items ([`line_items`](super::wordbox::line_items): spaces, units, long
    /// units with fallback parts) into lines of at most `width` pt, as typst's first fit would.
    /// Each line is its pieces: units, and `" "` for a space between two of them.
    pub fn break_items(&mut self, items: &[Value], width: f64) -> Vec<Vec<String>> {
        let mut lines = Lines { done: Vec::new(), pieces: Vec::new(), width: 0.0, space_pending: false };
        for item in items {
            self.place(&mut lines, item, width);
        }
        if !lines.pieces.is_empty() {
            lines.done.push(lines.pieces);
        }
        lines.done
    }

    fn place(&mut self, lines: &mut Lines, item: &Value, width: f64) {
        match item {
            Value::String(s) if s.trim().is_empty() => lines.space_pending = !lines.pieces.is_empty(),
            // A unit no line can hold breaks where the line breaker for non-complex scripts may
            // break it (a glued last word at its space, a date range after its dash), as typst's
            // box of it wrapped inside; a run of Thai letters has no such break and stays whole.
            Value::String(s) if self.unit_width(s) > width + FITS_EPSILON => {
                let segmenter = LineSegmenter::new_for_non_complex_scripts(LineBreakOptions::default());
                let breaks: Vec<usize> = segmenter.segment_str(s).collect();
                for pair in breaks.windows(2) {
                    let segment = &s[pair[0]..pair[1]];
                    let part = segment.trim_end();
                    if !part.is_empty() {
                        self.place_unit(lines, part, width);
                    }
                    if part.len() < segment.len() {
                        lines.space_pending = !lines.pieces.is_empty();
                    }
                }
            }
            Value::String(s) => self.place_unit(lines, s, width),
            // A long unit: whole when it fits a line of its own, else its parts, each tried whole.
            Value::Array(parts) => {
                let whole = flatten(item);
                if self.unit_width(&whole) <= width + FITS_EPSILON {
                    self.place_unit(lines, &whole, width);
                } else {
                    for part in parts {
                        self.place(lines, part, width);
                    }
                }
            }
            _ => {}
        }
    }

    fn place_unit(&mut self, lines: &mut Lines, unit: &str, width: f64) {
        let unit_width = self.unit_width(unit);
        let space = if lines.space_pending { self.unit_width(" ") } else { 0.0 };
        let full = lines.width + space + unit_width > width + FITS_EPSILON
            || lines.pieces.iter().map(String::len).sum::<usize>() + unit.len() > MAX_LINE_BYTES;
        if !lines.pieces.is_empty() && full {
            // The line is full; the space before the break is dropped, as typst drops it.
            lines.done.push(std::mem::take(&mut lines.pieces));
            lines.width = 0.0;
        } else if lines.space_pending {
            lines.pieces.push(" ".to_string());
            lines.width += space;
        }
        lines.pieces.push(unit.to_string());
        lines.width += unit_width;
        lines.space_pending = false;
    }
}

/// The lines done and the line being filled, with its width so far.
struct Lines {
    done: Vec<Vec<String>>,
    pieces: Vec<String>,
    width: f64,
    space_pending: bool,
}

/// A long unit's text, its parts joined.
fn flatten(item: &Value) -> String {
    match item {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().map(flatten).collect(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::MeasuresReportDoc;
    use crate::docs::pdf::{FONTS, kept_words, line_items};

    /// Every cell line of the seed report, with its column, as the report breaks it.
    fn seed_lines() -> Vec<(usize, bool, Vec<Value>)> {
        let doc = MeasuresReportDoc::sample();
        let keep = kept_words(&doc);
        let mut out = Vec::new();
        for row in &doc.rows {
            for (column, cell) in row.cells().into_iter().enumerate() {
                for line in cell {
                    out.push((column, line.starts_with('-'), line_items(line, &keep)));
                }
            }
        }
        out
    }

    /// The units of a line of items in order (long units whole), each with whether a space comes
    /// before it.
    fn units(items: &[Value]) -> Vec<(bool, String)> {
        let mut out = Vec::new();
        let mut space = false;
        for item in items {
            match item.as_str() {
                Some(s) if s.trim().is_empty() => space = true,
                _ => out.push((std::mem::take(&mut space), flatten(item))),
            }
        }
        out
    }

    /// A line's width as it is drawn: its pieces' widths added up.
    fn drawn_width(breaker: &mut LineBreaker, line: &[String]) -> f64 {
        line.iter().map(|piece| breaker.shaped_width(piece)).sum()
    }

    #[test]
    fn lines_fit_their_width_break_between_units_only_and_are_filled_first_fit() {
        let geometry = TableGeometry::MEASURES;
        let mut breaker = LineBreaker::new(FONTS[0], geometry.size);
        let mut breaks = 0;
        let without_spaces = |s: &str| s.replace(' ', "");
        for (column, indent, items) in seed_lines() {
            let width = geometry.line_width(column, indent);
            let lines = breaker.break_items(&items, width);
            let units = units(&items);
            // Nothing lost or added but the spaces at the breaks.
            let all: String = units.iter().map(|(_, u)| u.as_str()).collect();
            let drawn: String = lines.iter().flatten().map(String::as_str).collect();
            assert_eq!(without_spaces(&drawn), without_spaces(&all), "{lines:?}");
            // Where each unit starts, in the text without spaces.
            let mut starts = Vec::new();
            let mut at = 0;
            for (space, unit) in &units {
                starts.push((at, *space, unit.as_str()));
                at += without_spaces(unit).len();
            }
            let mut at = 0;
            for (i, line) in lines.iter().enumerate() {
                assert!(line.first().is_some_and(|p| p != " ") && line.last().is_some_and(|p| p != " "), "{line:?}");
                at += line.iter().map(|p| without_spaces(p).len()).sum::<usize>();
                // The line fits, unless it is one unit alone, wider than the column.
                let line_width = drawn_width(&mut breaker, line);
                assert!(line_width <= width + FITS_EPSILON || line.len() == 1, "{line:?}: {line_width} pt of {width}");
                let Some(next) = lines.get(i + 1) else { break };
                breaks += 1;
                // Each break is where a unit starts (or between a long unit's parts).
                let Some(&(_, space, unit)) = starts.iter().find(|(start, _, _)| *start == at) else {
                    assert!(long_unit_part_end(&items, at), "line {i} of {lines:?} ends inside a unit");
                    continue;
                };
                // First fit: the next unit (or, of a long unit, its first part) would not have fitted.
                assert!(unit.starts_with(next[0].as_str()), "{lines:?}");
                let space = if space { breaker.shaped_width(" ") } else { 0.0 };
                assert!(line_width + space + breaker.shaped_width(&next[0]) > width, "{line:?} had room for {unit:?}");
            }
        }
        assert!(breaks > 20, "the seed's cells are broken into lines: {breaks} breaks");
    }

    /// Whether `at` (bytes, spaces left out) ends a part of a long unit.
    fn long_unit_part_end(items: &[Value], at: usize) -> bool {
        fn parts(v: &Value, out: &mut Vec<usize>, pos: &mut usize) {
            match v {
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) => {
                    *pos += s.replace(' ', "").len();
                    out.push(*pos);
                }
                Value::Array(a) => a.iter().for_each(|p| parts(p, out, pos)),
                _ => {}
            }
        }
        let (mut out, mut pos) = (Vec::new(), 0);
        items.iter().for_each(|i| parts(i, &mut out, &mut pos));
        out.contains(&at)
    }

    #[test]
    fn a_long_unit_wider_than_its_line_falls_back_to_its_parts() {
        let mut breaker = LineBreaker::new(FONTS[0], 11.0);
        let url = "https://www.maekhatuan.go.th/public/list/data/detail/id/12345/menu/1557";
        let items = line_items(&format!("ดูได้ที่ {url}"), &[] as &[&str]);
        assert!(items.iter().any(Value::is_array), "the address is a long unit: {items:?}");
        let width = TableGeometry::MEASURES.line_width(3, false);
        let lines = breaker.break_items(&items, width);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat().concat().replace(' ', ""), format!("ดูได้ที่{url}"));
        // Each line fits, but a part with no finer parts (which overflows, as a box would in typst).
        for line in &lines {
            assert!(drawn_width(&mut breaker, line) <= width + FITS_EPSILON || line.len() == 1, "{line:?}: {width} pt");
        }
    }

    #[test]
    fn a_unit_wider_than_its_line_breaks_where_typst_would_break_it() {
        let mut breaker = LineBreaker::new(FONTS[0], 11.0);
        // The last word is glued to the one before it: one unit, with a space inside.
        let items = line_items("ดำเนินการตลอด ปีงบประมาณ (๑๑)", &[] as &[&str]);
        assert!(items.iter().any(|i| i.as_str().is_some_and(|s| s.trim().contains(' '))), "{items:?}");
        let width = TableGeometry::MEASURES.line_width(3, false);
        let lines = breaker.break_items(&items, width);
        for line in &lines {
            assert!(drawn_width(&mut breaker, line) <= width + FITS_EPSILON, "{lines:?}: {width} pt");
        }
        assert_eq!(lines.last().unwrap(), &["(๑๑)"], "{lines:?}");
        // A date range is one unit: wider than the column, it breaks after its dash.
        let items = line_items("ต.ค.๒๕๖๖-ก.ย.๒๕๖๗", &[] as &[&str]);
        assert_eq!(items.len(), 1, "{items:?}");
        let lines = breaker.break_items(&items, width);
        assert_eq!(lines, [vec!["ต.ค.๒๕๖๖-".to_string()], vec!["ก.ย.๒๕๖๗".to_string()]]);
        // A line of characters with no width still ends: its text stays addressable.
        let items = vec![Value::from("\u{200B}".repeat(1000)); 4];
        let lines = breaker.break_items(&items, width);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.concat().len() <= MAX_LINE_BYTES), "{}", lines.len());
    }

    #[test]
    fn the_columns_share_the_page_width_between_the_margins() {
        let g = TableGeometry::MEASURES;
        let total: f64 = (0..6).map(|c| g.line_width(c, false) + 2.0 * g.inset_x).sum();
        assert!((total - (841.89 - 2.0 * 51.02)).abs() < 0.02, "{total}");
        assert!((g.line_width(0, false) - g.line_width(0, true) - 7.7).abs() < 1e-9);
    }
}
