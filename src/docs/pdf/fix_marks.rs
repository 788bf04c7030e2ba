//! Post-layout repair of split-off raised marks, so Thai text extracts once. The same walk over
//! the pages gives text runs back their Thai language and text ([`linebreaks::restore_text`]); the
//! page numbers are written in after it ([`page_numbers::stamp`]).
//!
//! typst-layout 0.15.1 starts a new `TextItem` whenever a glyph's GPOS y-offset changes. With Sarabun,
//! mkmk raises the tone mark of `ขั้` above `ั`, so the mark becomes its own item whose text is the whole
//! cluster; krilla then maps that glyph to `ขั้` again and PDF readers extract `ขั้ขั้นตอน`. We merge such
//! an item back into the run before it, carrying its shift as the glyph's own `y_offset`. The page looks
//! the same (pixel-identical in tests, see `docs/notes/thai-fonts.md`). Belongs upstream
//! (typst#7610, typst#4225, krilla#411).

use rayon::prelude::*;
use typst::layout::{Em, Frame, FrameItem, GroupItem, Point};
use typst::text::TextItem;
use typst_layout::{Page, PagedDocument};

use super::{cell_text, linebreaks, page_numbers};

/// Positions closer than this are the same.
const EPS: f64 = 0.01;

/// Returns the document with every page repaired, pages on every core (they are independent), the
/// measures table's lines drawn into their blocks first when the render has them (`cell_text`;
/// fails when its blocks and lines do not add up, see `Prepared::starts`), and its page numbers written in
/// (`page_numbers`).
pub fn fix_document(
    mut doc: PagedDocument,
    lines: Option<&cell_text::Prepared>,
    blocks_optional: bool,
) -> Result<PagedDocument, String> {
    let starts = lines.map(|lines| lines.starts(doc.pages(), blocks_optional)).transpose()?.flatten();
    let mut pages: Vec<Page> = doc
        .pages()
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let frame = match (lines, &starts) {
                (Some(lines), Some(starts)) => fix_frame(&lines.fill(&p.frame, &mut starts[i].clone())),
                _ => fix_frame(&p.frame),
            };
            Page { frame, ..p.clone() }
        })
        .collect();
    page_numbers::stamp(&mut pages);
    let pages = pages.into_iter().collect();
    let info = doc.info_mut().clone();
    Ok(PagedDocument::new(pages, info))
}

/// Where the last merge left off: the output index of the run glyphs were merged into, and the
/// cluster text of the merged mark (a following run may start inside the same cluster).
struct Open {
    index: usize,
    cluster: String,
}

/// Rebuilds one frame (recursively), merging split-off mark runs into the run they belong to.
pub fn fix_frame(frame: &Frame) -> Frame {
    let mut out: Vec<(Point, FrameItem)> = Vec::with_capacity(frame.items().len());
    let mut open: Option<Open> = None;
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                open = None;
                let fixed = GroupItem { frame: fix_frame(&group.frame), ..group.clone() };
                out.push((*pos, FrameItem::Group(fixed)));
            }
            FrameItem::Text(b) => {
                // Runs lose the line-break marks of `linebreaks` first: merging compares their text.
                let restored = linebreaks::restore_text(b);
                let b = restored.as_ref().unwrap_or(b);
                let merged = match last_text(&out) {
                    Some(i) => {
                        let (apos, FrameItem::Text(a)) = &mut out[i] else { unreachable!() };
                        if let Some(cluster) = merge_raised(a, *apos, b, *pos) {
                            open = Some(Open { index: i, cluster });
                            true
                        } else {
                            // Only the run right after a merged mark continues it.
                            let cont = matches!(&open, Some(o) if o.index == i
                                && merge_continuation(a, *apos, b, *pos, &o.cluster));
                            open = None;
                            cont
                        }
                    }
                    None => false,
                };
                if !merged {
                    open = None;
                    out.push((*pos, FrameItem::Text(b.clone())));
                }
            }
            // Decorations (underline) sit between the runs of one line: keep them, stay open.
            FrameItem::Shape(..) => out.push((*pos, item.clone())),
            _ => {
                open = None;
                out.push((*pos, item.clone()));
            }
        }
    }
    let mut fixed = frame.clone();
    fixed.clear();
    fixed.push_multiple(out);
    fixed
}

/// Index of the last text run in `out`, looking back over decoration shapes only.
fn last_text(out: &[(Point, FrameItem)]) -> Option<usize> {
    for (i, (_, item)) in out.iter().enumerate().rev() {
        match item {
            FrameItem::Text(_) => return Some(i),
            FrameItem::Shape(..) => continue,
            _ => return None,
        }
    }
    None
}

fn same_style(a: &TextItem, b: &TextItem) -> bool {
    a.font == b.font && a.size == b.size && a.fill == b.fill && a.stroke == b.stroke
}

fn starts_where_ends(a: &TextItem, apos: Point, bpos: Point) -> bool {
    ((apos.x + a.width()) - bpos.x).to_pt().abs() < EPS
}

/// Merges `b` into `a` if `b` is a raised (or lowered) part of the cluster `a` ends with. Returns the
/// cluster text on success.
fn merge_raised(a: &mut TextItem, apos: Point, b: &TextItem, bpos: Point) -> Option<String> {
    if !same_style(a, b)
        || !starts_where_ends(a, apos, bpos)
        || (apos.y - bpos.y).to_pt().abs() <= EPS
        || b.text.is_empty()
        || !a.text.ends_with(b.text.as_str())
    {
        return None;
    }
    let shift = Em::from_abs(apos.y - bpos.y, a.size);
    let base = a.text.len() - b.text.len();
    let mut glyphs = Vec::with_capacity(b.glyphs.len());
    for g in &b.glyphs {
        let mut g = g.clone();
        g.y_offset += shift;
        g.range = shift_range(g.range.clone(), base)?;
        glyphs.push(g);
    }
    a.glyphs.extend(glyphs);
    Some(b.text.to_string())
}

/// Appends `c`, the run after a merged mark on `a`'s baseline, to `a`. Its first glyphs may belong to
/// the same cluster as the mark (their text is then already at the end of `a`).
fn merge_continuation(a: &mut TextItem, apos: Point, c: &TextItem, cpos: Point, cluster: &str) -> bool {
    if !same_style(a, c) || !starts_where_ends(a, apos, cpos) || (apos.y - cpos.y).to_pt().abs() > EPS {
        return false;
    }
    let overlap = match c.glyphs.first() {
        Some(g)
            if g.range.start == 0
                && usize::from(g.range.end) == cluster.len()
                && c.text.starts_with(cluster)
                && a.text.ends_with(cluster) =>
        {
            cluster.len()
        }
        _ => 0,
    };
    let base = a.text.len() - overlap;
    let mut glyphs = Vec::with_capacity(c.glyphs.len());
    for g in &c.glyphs {
        let mut g = g.clone();
        let Some(r) = shift_range(g.range.clone(), base) else { return false };
        g.range = r;
        glyphs.push(g);
    }
    a.glyphs.extend(glyphs);
    a.text.push_str(&c.text[overlap..]);
    true
}

fn shift_range(r: std::ops::Range<u16>, by: usize) -> Option<std::ops::Range<u16>> {
    let by = u16::try_from(by).ok()?;
    Some(r.start.checked_add(by)?..r.end.checked_add(by)?)
}
