//! The measures table's cell lines written into their blocks after layout.
//!
//! `cell_lines` broke the cells' text into lines before layout, and the template laid out one
//! empty block per line. Here each block gets its line's text, one run set on the block's bottom
//! edge (a text line's baseline, as typst sets it) and moved right by the line's indent: its
//! units' glyphs one after the other, each distinct unit shaped once with the font typst uses, as
//! `cell_lines` measured them. One run per line also keeps Sarabun's raised tone marks in their
//! run, so they extract once (see `fix_marks`).
//!
//! A block is known by its place: an empty frame of a line's height whose left edge is where a
//! column's lines start. Across the pages, a column's blocks come in the order of its lines (rows
//! in order, a row split between pages continuing at the top of the next), so the k-th block of
//! column c is column c's k-th line. Labels would say it directly, but labelled blocks are
//! locatable elements, and they cost typst more than the table's whole layout without them.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Deserialize;
use typst::layout::{Abs, Em, Frame, FrameItem, GroupItem, Point};
use typst::syntax::Span;
use typst::text::{Font, FontInstance, FontVariations, Glyph, Lang, TextItem};
use typst::visualize::{Color, Paint};
use typst_layout::Page;

use super::cell_lines::Shaper;

/// The virtual file with the lines' text (see `measures::data`), beside `data.json`.
pub const FILE: &str = "cell-lines.json";

/// Positions closer than this are the same, in pt.
const EPS: f64 = 0.05;

/// What [`FILE`] holds: the text's size and a line's height, where each column's lines start on
/// the page, and the lines in order.
#[derive(Deserialize)]
struct Lines {
    size: f64,
    line_height: f64,
    lefts: Vec<f64>,
    lines: Vec<LineText>,
}

/// One line: its pieces (units and spaces), its indent (pt) and its column.
#[derive(Deserialize)]
struct LineText {
    pieces: Vec<String>,
    indent: f64,
    column: usize,
}

/// The lines of one render, ready to draw: each column's lines in order, and each distinct
/// piece's glyphs, shaped once.
pub struct Prepared {
    lines: Vec<LineText>,
    by_column: Vec<Vec<usize>>,
    lefts: Vec<f64>,
    line_height: f64,
    glyphs: HashMap<String, Vec<Glyph>>,
    font: FontInstance,
    size: Abs,
}

impl Prepared {
    /// Reads the [`FILE`] a render was given (`json`) and shapes its distinct pieces on every core.
    pub fn new(json: &[u8], font: &Font) -> Result<Self, String> {
        let data: Lines = serde_json::from_slice(json).map_err(|e| format!("{FILE}: {e}"))?;
        let size = Abs::pt(data.size);
        let font = font.clone().instantiate(font.info().variant, size, &FontVariations::default());
        let mut pieces: Vec<&str> = data.lines.iter().flat_map(|l| l.pieces.iter().map(String::as_str)).collect();
        pieces.sort_unstable();
        pieces.dedup();
        let glyphs = pieces
            .par_iter()
            .map_init(Shaper::default, |shaper, piece| (piece.to_string(), shaped(piece, shaper, &font)))
            .collect();
        let mut by_column = vec![Vec::new(); data.lefts.len()];
        for (id, line) in data.lines.iter().enumerate() {
            by_column.get_mut(line.column).ok_or_else(|| format!("line {id}: no column {}", line.column))?.push(id);
        }
        Ok(Prepared {
            lines: data.lines,
            by_column,
            lefts: data.lefts,
            line_height: data.line_height,
            glyphs,
            font,
            size,
        })
    }

    /// For each page, how many blocks of each column come before it: where its lines start. Fails
    /// when the layout's blocks and the data's lines do not add up, column by column; a template
    /// other than the report's own (`prongsai bench --template`) may lay out no blocks at all
    /// (`blocks_optional`), and then gets None.
    pub fn starts(&self, pages: &[Page], blocks_optional: bool) -> Result<Option<Vec<Vec<usize>>>, String> {
        let counts: Vec<Vec<usize>> = pages
            .par_iter()
            .map(|page| {
                let mut count = vec![0; self.lefts.len()];
                self.walk(&page.frame, 0.0, &mut |column| count[column] += 1);
                count
            })
            .collect();
        let mut next = vec![0; self.lefts.len()];
        let mut starts = Vec::with_capacity(pages.len());
        for count in counts {
            starts.push(next.clone());
            next.iter_mut().zip(count).for_each(|(n, c)| *n += c);
        }
        if blocks_optional && next.iter().all(|&found| found == 0) {
            return Ok(None);
        }
        for (column, (found, lines)) in next.iter().zip(&self.by_column).enumerate() {
            if *found != lines.len() {
                return Err(format!("column {}: {found} line blocks laid out for {} lines", column + 1, lines.len()));
            }
        }
        Ok(Some(starts))
    }

    /// The column of a line's block at `x` on the page, if `group` is one.
    fn column(&self, group: &GroupItem, x: f64) -> Option<usize> {
        let frame = &group.frame;
        if frame.items().next().is_some() || (frame.height().to_pt() - self.line_height).abs() > EPS {
            return None;
        }
        self.lefts.iter().position(|left| (left - x).abs() < EPS)
    }

    /// Calls `visit` with the column of each line's block in `frame` (at `x` on the page), in order.
    fn walk(&self, frame: &Frame, x: f64, visit: &mut impl FnMut(usize)) {
        for (pos, item) in frame.items() {
            if let FrameItem::Group(group) = item {
                let at = x + pos.x.to_pt() + group.transform.tx.to_pt();
                match self.column(group, at) {
                    Some(column) => visit(column),
                    None => self.walk(&group.frame, at, visit),
                }
            }
        }
    }

    /// The page's frame with each line's block holding its text; `next`: the index, in each
    /// column's lines, of the page's first block (from [`starts`](Self::starts)).
    pub fn fill(&self, frame: &Frame, next: &mut [usize]) -> Frame {
        self.fill_at(frame, 0.0, next).unwrap_or_else(|| frame.clone())
    }

    /// `frame` (at `x` on the page) with its lines' blocks filled, in one walk; None when it holds
    /// no block (its caller keeps it as it is).
    fn fill_at(&self, frame: &Frame, x: f64, next: &mut [usize]) -> Option<Frame> {
        let mut filled: Vec<(usize, Frame)> = Vec::new();
        for (i, (pos, item)) in frame.items().enumerate() {
            let FrameItem::Group(group) = item else { continue };
            let at = x + pos.x.to_pt() + group.transform.tx.to_pt();
            let inner = match self.column(group, at) {
                Some(column) => {
                    let id = self.by_column[column].get(next[column]).copied();
                    next[column] += 1;
                    id.map(|id| self.with_text(&group.frame, id))
                }
                None => self.fill_at(&group.frame, at, next),
            };
            filled.extend(inner.map(|inner| (i, inner)));
        }
        if filled.is_empty() {
            return None;
        }
        let mut filled = filled.into_iter().peekable();
        let items = frame.items().enumerate().map(|(i, (pos, item))| match (filled.next_if(|(j, _)| *j == i), item) {
            (Some((_, inner)), FrameItem::Group(group)) => {
                (*pos, FrameItem::Group(GroupItem { frame: inner, ..group.clone() }))
            }
            _ => (*pos, item.clone()),
        });
        let items: Vec<_> = items.collect();
        let mut out = frame.clone();
        out.clear();
        out.push_multiple(items);
        Some(out)
    }

    /// A line's block with its text on the block's bottom edge.
    fn with_text(&self, block: &Frame, id: usize) -> Frame {
        let line = &self.lines[id];
        let mut out = block.clone();
        if !line.pieces.is_empty() {
            out.push(Point::new(Abs::pt(line.indent), block.height()), FrameItem::Text(self.run(&line.pieces)));
        }
        out
    }

    /// A line's run: its pieces' glyphs in order, each glyph's range moved to where its piece
    /// starts in the line's text.
    fn run(&self, pieces: &[String]) -> TextItem {
        let mut text = String::new();
        let mut glyphs = Vec::new();
        for piece in pieces {
            // `cell_lines` keeps a line's text short; text past 16-bit offsets (none) would only
            // lose its mapping to glyphs, not the glyphs.
            let at = u16::try_from(text.len()).unwrap_or(u16::MAX);
            text.push_str(piece);
            let shaped = &self.glyphs[piece];
            let moved = |g: &Glyph| g.range.start.saturating_add(at)..g.range.end.saturating_add(at);
            glyphs.extend(shaped.iter().map(|g| Glyph { range: moved(g), ..g.clone() }));
        }
        TextItem {
            font: self.font.clone(),
            size: self.size,
            fill: Paint::Solid(Color::BLACK),
            stroke: None,
            lang: Lang::THAI,
            region: None,
            text: text.into(),
            glyphs,
        }
    }
}

/// `text` shaped as one run (see [`Shaper`]), each glyph given its cluster's text, as typst
/// does for the PDF's text.
fn shaped(text: &str, shaper: &mut Shaper, font: &FontInstance) -> Vec<Glyph> {
    let output = shaper.shape(font.rusty(), text);
    let (infos, positions) = (output.glyph_infos(), output.glyph_positions());
    infos
        .iter()
        .zip(positions)
        .enumerate()
        .map(|(i, (info, pos))| {
            let start = info.cluster as usize;
            let end = infos[i..].iter().map(|next| next.cluster as usize).find(|&c| c != start).unwrap_or(text.len());
            Glyph {
                id: info.glyph_id as u16,
                x_advance: font.to_em(pos.x_advance),
                x_offset: font.to_em(pos.x_offset),
                y_advance: Em::zero(),
                y_offset: font.to_em(pos.y_offset),
                range: u16::try_from(start).unwrap_or(u16::MAX)..u16::try_from(end).unwrap_or(u16::MAX),
                span: (Span::detached(), 0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::docs::MeasuresReportDoc;
    use crate::docs::pdf::cell_lines::TableGeometry;
    use crate::docs::pdf::pdf_words::{WordBox, boxes_by_page};
    use crate::docs::pdf::{PdfEngine, measures};

    /// Every word of the table's body, on every page, lies inside one column's text area (its
    /// cell less the inset), a column's lines are a line apart, and read in order they give the
    /// column's cells, row by row: the text drawn after layout is where typst laid out its blocks,
    /// in its own cell, and no block was split or squeezed at a page's end.
    #[test]
    fn every_word_of_the_table_lies_inside_its_column_and_its_lines_a_line_apart() {
        for thai_digits in [true, false] {
            // No signature or version note: everything between the header row and the footer is a cell.
            let doc = MeasuresReportDoc {
                signature: Vec::new(),
                version_note: None,
                thai_digits,
                ..MeasuresReportDoc::with_measures(12)
            };
            let pdf = PdfEngine::new().measures_report(&doc).unwrap();
            let g = TableGeometry::MEASURES;
            let total: f64 = g.columns.iter().sum();
            let text_width = g.page_width - 2.0 * g.margin_x;
            let mut left = g.margin_x;
            let areas: Vec<(f64, f64)> = g
                .columns
                .iter()
                .map(|share| {
                    let width = share / total * text_width;
                    left += width;
                    (left - width + g.inset_x, left - g.inset_x)
                })
                .collect();
            let pages = boxes_by_page(&pdf);
            let mut checked = 0;
            // Each column's words in reading order, page after page: its cells' text, row by row.
            let mut read: Vec<String> = vec![String::new(); areas.len()];
            for (p, words) in pages.iter().enumerate().skip(1) {
                let header =
                    words.iter().find(|w| w.text == "ผลลัพธ์หรือความสำเร็จ").expect("the header row on every page");
                // The footer: the organization's name and the page number, on one line.
                let footer = words.iter().rfind(|w| w.text == "หน้า").expect("a numbered page");
                let body: Vec<_> =
                    words.iter().filter(|w| w.y_min > header.y_max + 5.0 && w.y_max < footer.y_min - 1.0).collect();
                // A word's column is where it starts; it ends inside it unless it is wider than
                // the column (a name kept whole overflows, as it did when typst set the text).
                let column_of = |w: &WordBox| {
                    let c = areas.iter().position(|&(l, r)| w.x_min >= l - 0.5 && w.x_min < r)?;
                    let (l, r) = areas[c];
                    (w.x_max <= r + 0.5 || w.x_max - w.x_min > r - l - g.indent).then_some(c)
                };
                for w in &body {
                    let column = column_of(w);
                    assert!(
                        column.is_some(),
                        "page {}: {:?} at x {:.1}–{:.1} is in no column",
                        p + 1,
                        w.text,
                        w.x_min,
                        w.x_max
                    );
                    // Lines of one column are a whole line apart (12.1 pt between paragraphs, 13.75 pt
                    // inside one), or on the same line.
                    for o in &body {
                        let same_column = column_of(o) == column;
                        let apart = (o.y_min - w.y_min).abs();
                        assert!(
                            !same_column || !(0.01..=12.0).contains(&apart),
                            "page {}: {:?} is {apart:.2} pt from {:?}",
                            p + 1,
                            w.text,
                            o.text
                        );
                    }
                    checked += 1;
                }
                let mut in_order = body.clone();
                in_order.sort_by(|a, b| (a.y_min, a.x_min).partial_cmp(&(b.y_min, b.x_min)).unwrap());
                for w in in_order {
                    read[column_of(w).expect("checked above")].push_str(&w.text);
                }
            }
            assert!(checked > 500, "{checked} words checked");
            for (c, read) in read.iter().enumerate() {
                let written: String =
                    doc.rows.iter().flat_map(|r| r.cells()[c].iter()).flat_map(|l| l.split(' ')).collect();
                assert_eq!(read, &written, "column {}: its lines in another order than its cells'", c + 1);
            }
        }
    }

    /// A layout whose blocks do not match the lines (here one line short in every paragraph) fails
    /// the render with a message, rather than giving a PDF with text missing or in the wrong cell.
    #[test]
    fn blocks_and_lines_that_do_not_add_up_fail_the_render() {
        let short = measures::TEMPLATE.replace("range(n)", "range(n - 1)");
        assert_ne!(short, measures::TEMPLATE, "the template lays out range(n) blocks per paragraph");
        let error = PdfEngine::new().measures_report_paged_with(&MeasuresReportDoc::sample(), &short).unwrap_err();
        assert!(format!("{error:#}").contains("line blocks laid out for"), "{error:#}");
    }
}
