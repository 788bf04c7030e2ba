//! Page numbers ("หน้า ๓ / ๖๑") written into the footers after layout.
//!
//! A footer that asks typst for its page number (`counter(page)`) makes typst lay the whole
//! document out a second time once the first pass has told it how many pages there are: 52 ms of the
//! 743 ms compile of a 200-measure register in typst's own trace (`prongsai bench --large-trace`).
//! A template that puts [`placeholder`] (or [`page_only_placeholder`], for "หน้า ๓" without the
//! count) in its footer instead, in a box of its own inside a box with the words before it,
//! labelled [`LABEL`], is laid out once; [`stamp`] then replaces each page's placeholder with its
//! number (and the number of numbered pages), keeping the box's right edge where it was, so a
//! right-aligned label stays right-aligned. Pages without a placeholder (a cover) are not counted.
//! The label, which data cannot carry, keeps a clerk's own "๐๐๐ / ๐๐๐" in a cell from being taken
//! for it.

use typst::layout::{Abs, Em, Frame, FrameItem, GroupItem, Point, Size};
use typst::text::{Glyph, TextItem};
use typst_layout::Page;

/// The typst label of the box that holds "หน้า" and the placeholder's box: `[#box(…) <page-number>]`.
const LABEL: &str = "page-number";
const THAI: &str = "๐๐๐ / ๐๐๐";
const ARABIC: &str = "000 / 000";
const THAI_PAGE_ONLY: &str = "๐๐๐";
const ARABIC_PAGE_ONLY: &str = "000";

/// Each placeholder, and what is written in its place: (text, in Thai digits, the page alone).
const FORMS: [(&str, bool, bool); 4] =
    [(THAI, true, false), (ARABIC, false, false), (THAI_PAGE_ONLY, true, true), (ARABIC_PAGE_ONLY, false, true)];

/// Whether `text` is a placeholder: (in Thai digits, the page alone).
fn form(text: &str) -> Option<(bool, bool)> {
    FORMS.iter().find(|(t, _, _)| *t == text).map(|&(_, thai, page_only)| (thai, page_only))
}

/// The text a template's footer lays out where "k / n" goes; as wide as the label of a document of
/// up to 999 pages.
pub fn placeholder(thai_digits: bool) -> &'static str {
    if thai_digits { THAI } else { ARABIC }
}

/// The text a template's footer lays out where the page's number alone goes (up to 999).
pub fn page_only_placeholder(thai_digits: bool) -> &'static str {
    if thai_digits { THAI_PAGE_ONLY } else { ARABIC_PAGE_ONLY }
}

/// Numbers the pages that carry a placeholder 1..=n: "k / n" or "k", in the placeholder's digits.
pub fn stamp(pages: &mut [Page]) {
    let numbered: Vec<(usize, Vec<usize>)> =
        pages.iter().enumerate().filter_map(|(i, page)| Some((i, find(&page.frame)?))).collect();
    let total = numbered.len();
    for (k, (i, path)) in numbered.into_iter().enumerate() {
        if let Some(frame) = rebuild(&pages[i].frame, &path, k + 1, total) {
            pages[i].frame = frame;
        }
    }
}

/// The placeholder's text run, if `frame` (a box's) holds nothing else but tags.
fn placeholder_run(frame: &Frame) -> Option<&TextItem> {
    let mut runs = frame.items().filter(|(_, item)| !matches!(item, FrameItem::Tag(_)));
    match (runs.next(), runs.next()) {
        (Some((_, FrameItem::Text(run))), None) if form(&run.text).is_some() => Some(run),
        _ => None,
    }
}

/// Whether `group` is the label's box: labelled [`LABEL`], holding the placeholder's box.
fn is_label(group: &GroupItem) -> bool {
    group.label.is_some_and(|label| label.resolve().as_str() == LABEL)
        && group
            .frame
            .items()
            .any(|(_, item)| matches!(item, FrameItem::Group(inner) if placeholder_run(&inner.frame).is_some()))
}

/// The path to the label's box, if the frame holds one: indices of the groups to go through.
fn find(frame: &Frame) -> Option<Vec<usize>> {
    // The footer is laid out last: look from the end.
    for (i, (_, item)) in frame.items().enumerate().rev() {
        if let FrameItem::Group(group) = item {
            if is_label(group) {
                return Some(vec![i]);
            }
            if let Some(mut path) = find(&group.frame) {
                path.insert(0, i);
                return Some(path);
            }
        }
    }
    None
}

/// `frame` with the label's box at the end of `path` numbered (see [`relabel`]); every frame on
/// the way is copied, the rest is shared.
fn rebuild(frame: &Frame, path: &[usize], number: usize, total: usize) -> Option<Frame> {
    let (&i, rest) = path.split_first()?;
    let mut items: Vec<(Point, FrameItem)> = frame.items().cloned().collect();
    let (pos, FrameItem::Group(group)) = &items[i] else { return None };
    let (pos, group) = if rest.is_empty() {
        relabel(group, *pos, number, total)?
    } else {
        (*pos, GroupItem { frame: rebuild(&group.frame, rest, number, total)?, ..group.clone() })
    };
    items[i] = (pos, FrameItem::Group(group));
    Some(with_items(frame, items, frame.width()))
}

/// A copy of `frame` (its kind, size and baseline) holding `items`, `width` wide.
fn with_items(frame: &Frame, items: Vec<(Point, FrameItem)>, width: Abs) -> Frame {
    let mut out = frame.clone();
    out.clear();
    out.push_multiple(items);
    out.set_size(Size::new(width, frame.height()));
    out
}

/// The label's box with the number written in: the box and the placeholder's box narrow by what
/// the number is narrower than the placeholder, and the label moves right by as much.
fn relabel(label: &GroupItem, pos: Point, number: usize, total: usize) -> Option<(Point, GroupItem)> {
    let mut items: Vec<(Point, FrameItem)> = label.frame.items().cloned().collect();
    let (inner_at, inner, run) = items.iter().enumerate().find_map(|(i, (_, item))| match item {
        FrameItem::Group(inner) => placeholder_run(&inner.frame).map(|run| (i, inner, run)),
        _ => None,
    })?;
    let (thai, page_only) = form(&run.text)?;
    let arabic = if page_only { number.to_string() } else { format!("{number} / {total}") };
    let text = if thai { crate::thai::digits::to_thai_digits(&arabic) } else { arabic };
    let numbered = written(run, &text)?;
    let narrower: Abs = run.width() - numbered.width();
    // The run keeps its place among the box's tags (the PDF's structure follows their order).
    let inner_items: Vec<(Point, FrameItem)> = inner
        .frame
        .items()
        .map(|(at, item)| match item {
            FrameItem::Text(_) => (*at, FrameItem::Text(numbered.clone())),
            _ => (*at, item.clone()),
        })
        .collect();
    let inner_frame = with_items(&inner.frame, inner_items, inner.frame.width() - narrower);
    items[inner_at].1 = FrameItem::Group(GroupItem { frame: inner_frame, ..inner.clone() });
    let frame = with_items(&label.frame, items, label.frame.width() - narrower);
    Some((Point::new(pos.x + narrower, pos.y), GroupItem { frame, ..label.clone() }))
}

/// `run` with `text` in its place: digits, spaces and a slash, one glyph each, at the font's own
/// advances (these characters are not kerned or shaped in Sarabun).
fn written(run: &TextItem, text: &str) -> Option<TextItem> {
    let face = run.font.ttf();
    let span = run.glyphs.first()?.span;
    let mut glyphs = Vec::with_capacity(text.chars().count());
    for (at, c) in text.char_indices() {
        let id = face.glyph_index(c)?;
        let advance: Em = run.font.to_em(face.glyph_hor_advance(id)?);
        let range = u16::try_from(at).ok()?..u16::try_from(at + c.len_utf8()).ok()?;
        glyphs.push(Glyph {
            id: id.0,
            x_advance: advance,
            x_offset: Em::zero(),
            y_advance: Em::zero(),
            y_offset: Em::zero(),
            range,
            span,
        });
    }
    Some(TextItem { text: text.into(), glyphs, ..run.clone() })
}
