//! Reading a report. Forgiving where people differ (header wording, dash counts, `<br>` spellings,
//! page breaks that split a measure over two tables), strict where guessing would lose data.

use std::borrow::Cow;

use super::{
    COLUMNS, INDICATOR_ORDINAL, INDICATOR_WORD, ImportError, ImportErrorKind, IndicatorRef, Item, ParsedMeasure,
    ParsedReport, Tag, collapse_spaces, decode_inline, digits_value, is_digit, numbered_item_rest, split_unescaped,
    tag_at,
};
use crate::text::{self, Lines};

const TITLE: Option<&str> = Some(COLUMNS[0]);

/// Reads a measures report written in Markdown (see the module docs for the shape).
///
/// Text between tables (page footers, notes) is ignored; so is a row whose cells are all empty.
/// Every table row must end with its closing `|`: a file cut off mid-row is refused, not read
/// short. Control characters follow the input rule of [`crate::text`].
pub fn parse(input: &str) -> Result<ParsedReport, ImportError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    if input.trim().is_empty() {
        return Err(ImportError::new(1, None, ImportErrorKind::EmptyFile));
    }
    let cleaned = input.lines().enumerate().map(|(i, l)| clean_line(l, i + 1)).collect::<Result<Vec<_>, _>>()?;
    let lines: Vec<&str> = cleaned.iter().map(|l| l.as_ref()).collect();
    let Some(first_table) = lines.iter().position(|l| is_table_line(l)) else {
        return Err(ImportError::new(1, None, ImportErrorKind::NoTable));
    };
    let (heading_lines, intro) = parse_front(&lines[..first_table]);
    let measures = parse_tables(&lines, first_table)?;
    Ok(ParsedReport { heading_lines, intro, measures })
}

fn is_table_line(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

/// The input rule for one line: a pasted line separator (Word's Shift+Enter) is a line break
/// inside a cell (`<br>`) and a space elsewhere; another control character refuses the file.
fn clean_line(line: &str, line_no: usize) -> Result<Cow<'_, str>, ImportError> {
    let cleaned = text::clean(line, Lines::One).map_err(|bad| {
        ImportError::new(line_no, None, ImportErrorKind::ControlCharacter { code: bad.code(), position: bad.column })
    })?;
    if is_table_line(line) && line.contains(text::is_line_separator) {
        return Ok(Cow::Owned(line.replace(text::is_line_separator, "<br>")));
    }
    Ok(cleaned)
}

/// A row ends with an unescaped `|`; without it the row (usually the file) was cut off.
fn check_closed(line: &str, line_no: usize) -> Result<(), ImportError> {
    let line = line.trim();
    // The opening '|' does not close the row it opens.
    if ends_with_unescaped(line.strip_prefix('|').unwrap_or(line), "|") {
        Ok(())
    } else {
        Err(ImportError::new(line_no, None, ImportErrorKind::UnclosedRow))
    }
}

/// The heading (all bold paragraphs) and the intro (the last other paragraph that does not merely
/// repeat the heading, as the plain cover title does).
fn parse_front(lines: &[&str]) -> (Vec<String>, String) {
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut current = Vec::new();
    for line in lines.iter().map(|l| l.trim()) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }

    let mut heading = Vec::new();
    let mut plain = Vec::new();
    for paragraph in &paragraphs {
        match strip_bold(paragraph) {
            Some(inner) => heading.extend(decoded_lines(inner)),
            None => plain.push(decoded_lines(paragraph.clone())),
        }
    }
    let heading_text = collapse_spaces(&heading.join(" "));
    let intro = plain
        .into_iter()
        .rev()
        .find(|p| !p.is_empty() && collapse_spaces(&p.join(" ")) != heading_text)
        .map(|p| p.join("\n"))
        .unwrap_or_default();
    (heading, intro)
}

fn decoded_lines(raw: Vec<&str>) -> Vec<String> {
    raw.into_iter().map(|l| decode_inline(l).trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// The paragraph's lines without the `**` markers, if it is bold: either wrapped as a whole
/// (`**a  ⏎ b**`) or line by line (`**a**⏎**b**`).
fn strip_bold<'a>(paragraph: &[&'a str]) -> Option<Vec<&'a str>> {
    let bold_line = |l: &str| l.len() >= 4 && l.starts_with("**") && ends_with_unescaped(l, "**");
    if paragraph.iter().all(|l| bold_line(l)) {
        return Some(paragraph.iter().map(|l| &l[2..l.len() - 2]).collect());
    }
    let (first, last) = (paragraph.first()?, paragraph.last()?);
    if paragraph.len() < 2 || !first.starts_with("**") || !ends_with_unescaped(last, "**") {
        return None;
    }
    let mut lines = paragraph.to_vec();
    let end = lines.len() - 1;
    lines[0] = &first[2..];
    lines[end] = &last[..last.len() - 2];
    Some(lines)
}

fn ends_with_unescaped(s: &str, suffix: &str) -> bool {
    s.strip_suffix(suffix).is_some_and(|before| (before.len() - before.trim_end_matches('\\').len()) % 2 == 0)
}

fn parse_tables(lines: &[&str], first: usize) -> Result<Vec<ParsedMeasure>, ImportError> {
    let mut measures = Vec::new();
    let mut i = first;
    while i < lines.len() {
        if !is_table_line(lines[i]) {
            i += 1;
            continue;
        }
        check_closed(lines[i], i + 1)?;
        check_header(lines[i], i + 1)?;
        match lines.get(i + 1) {
            Some(l) if is_separator(l) => {
                check_closed(l, i + 2)?;
                expect_six(&split_row(l), i + 2)?;
            }
            _ => {
                return Err(ImportError::new(i + 2, None, ImportErrorKind::MissingSeparator));
            }
        }
        i += 2;
        while let Some(row) = lines.get(i).filter(|l| is_table_line(l)) {
            // A header row directly under the previous table (no blank line) starts a new table.
            if lines.get(i + 1).is_some_and(|next| is_separator(next)) {
                break;
            }
            check_closed(row, i + 1)?;
            read_row(row, i + 1, &mut measures)?;
            i += 1;
        }
    }
    Ok(measures)
}

/// The raw cells of a row, escapes kept; a trailing `|` closes the row rather than opening a cell.
fn split_row(line: &str) -> Vec<&str> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let mut cells = split_unescaped(line, '|');
    if cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
}

fn expect_six<'a>(cells: &[&'a str], line: usize) -> Result<[&'a str; 6], ImportError> {
    <[&str; 6]>::try_from(cells).map_err(|_| {
        ImportError::new(line, None, ImportErrorKind::WrongColumnCount { expected: 6, found: cells.len() })
    })
}

fn is_separator(line: &str) -> bool {
    is_table_line(line)
        && split_row(line).iter().all(|cell| {
            let cell = cell.trim();
            let cell = cell.strip_prefix(':').unwrap_or(cell);
            let cell = cell.strip_suffix(':').unwrap_or(cell);
            !cell.is_empty() && cell.chars().all(|c| c == '-')
        })
}

/// Headers are compared loosely: only the first must mention มาตรการ once `<br>`, `/` and spaces
/// are gone; the others vary too much between organizations to be worth refusing a file over.
fn check_header(line: &str, line_no: usize) -> Result<(), ImportError> {
    let cells = expect_six(&split_row(line), line_no)?;
    let first = text_lines(cells[0]).join(" ");
    let squeezed: String = first.chars().filter(|c| *c != '/' && !c.is_whitespace()).collect();
    if squeezed.contains("มาตรการ") {
        Ok(())
    } else {
        Err(ImportError::new(line_no, TITLE, ImportErrorKind::NotMeasuresTable { found: first }))
    }
}

fn read_row(line: &str, line_no: usize, measures: &mut Vec<ParsedMeasure>) -> Result<(), ImportError> {
    let cells = expect_six(&split_row(line), line_no)?;
    if cells.iter().all(|c| text_lines(c).is_empty()) {
        return Ok(());
    }
    let (title, indicators) = parse_title(cells[0], line_no)?;
    let methods = parse_items(cells[1]);
    let responsible = text_lines(cells[2]);
    let period = text_lines(cells[3]).join(" ");
    let results = parse_items(cells[4]);
    let outcomes = parse_items(cells[5]);

    let row = ParsedMeasure { line: line_no, title, indicators, methods, responsible, period, results, outcomes };
    add_row(measures, row).map_err(|kind| ImportError::new(line_no, TITLE, kind))
}

/// Adds one table row: a row with a title starts a measure, a row without one continues the
/// measure above it (a measure split over pages). Shared by the Markdown and DOCX readers.
pub(crate) fn add_row(measures: &mut Vec<ParsedMeasure>, row: ParsedMeasure) -> Result<(), ImportErrorKind> {
    if !row.title.is_empty() {
        measures.push(row);
        return Ok(());
    }
    if !row.indicators.is_empty() {
        return Err(ImportErrorKind::EmptyTitle);
    }
    let Some(measure) = measures.last_mut() else {
        return Err(ImportErrorKind::ContinuationWithoutMeasure);
    };
    measure.methods.extend(row.methods);
    measure.results.extend(row.results);
    measure.outcomes.extend(row.outcomes);
    for unit in row.responsible {
        if !measure.responsible.contains(&unit) {
            measure.responsible.push(unit);
        }
    }
    // A continuation usually leaves the period empty; one that differs is kept, not dropped.
    if !row.period.is_empty() && row.period != measure.period {
        if !measure.period.is_empty() {
            measure.period.push(' ');
        }
        measure.period.push_str(&row.period);
    }
    Ok(())
}

/// A title cell of plain text (no Markdown escapes, as a DOCX cell holds): the title and its
/// indicator references.
pub(crate) fn plain_title(text: &str) -> Result<(String, Vec<IndicatorRef>), ImportErrorKind> {
    // Escape what `parse_title` would read as markup, so the text is read as written.
    let mut raw = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => raw.push_str("\\\\"),
            '&' => raw.push_str("&amp;"),
            '<' => raw.push_str("&lt;"),
            _ => raw.push(c),
        }
    }
    parse_title(&raw, 0).map_err(|e| e.kind)
}

/// A cell's raw lines (escapes kept). `<br>` always ends a line, so two in a row give an empty
/// line; `<p>`/`</p>` only end a non-empty one.
fn cell_lines(raw: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(c) = raw[i..].chars().next() {
        if c == '\\' {
            i += 1;
            i += raw[i..].chars().next().map_or(0, char::len_utf8);
            continue;
        }
        if c == '<'
            && let Some((tag, len)) = tag_at(&raw[i..])
        {
            let piece = &raw[start..i];
            if tag == Tag::Break || !piece.trim().is_empty() {
                lines.push(piece);
            }
            i += len;
            start = i;
            continue;
        }
        i += c.len_utf8();
    }
    if !raw[start..].trim().is_empty() {
        lines.push(&raw[start..]);
    }
    lines
}

/// Decoded, trimmed, non-empty lines of a cell.
fn text_lines(raw: &str) -> Vec<String> {
    decoded_lines(cell_lines(raw))
}

/// Items of a method/result/outcome cell. A numbered line starts an item; other lines belong to
/// the item above them; an empty line (`<br><br>`) closes the item, so that the next plain line
/// starts an unnumbered item of its own (the writer relies on this).
fn parse_items(raw: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut open = false;
    for line in cell_lines(raw) {
        if let Some(rest) = numbered_item_rest(line) {
            items.push(Item { text: decode_inline(rest).trim().to_string(), numbered: true });
            open = true;
            continue;
        }
        let text = decode_inline(line).trim().to_string();
        match items.last_mut() {
            _ if text.is_empty() => open = false,
            Some(item) if open => {
                item.text.push('\n');
                item.text.push_str(&text);
            }
            _ => {
                items.push(Item { text, numbered: false });
                open = true;
            }
        }
    }
    items
}

/// The title without its "(ตัวชี้วัดที่ N name)" references, and the references.
fn parse_title(raw: &str, line_no: usize) -> Result<(String, Vec<IndicatorRef>), ImportError> {
    let joined = cell_lines(raw).join(" ");
    let mut kept = String::new();
    let mut indicators = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(c) = joined[i..].chars().next() {
        if c == '\\' {
            i += 1;
            i += joined[i..].chars().next().map_or(0, char::len_utf8);
            continue;
        }
        i += c.len_utf8();
        if c != '(' {
            continue;
        }
        let Some(found) = indicator_after_paren(&joined[i..]) else {
            continue;
        };
        let number = found
            .number
            .map_err(|found| ImportError::new(line_no, TITLE, ImportErrorKind::IndicatorOutOfRange { found }))?;
        indicators.push(IndicatorRef { number, name: collapse_spaces(&decode_inline(found.name)) });
        kept.push_str(&joined[start..i - 1]);
        kept.push(' ');
        i += found.len;
        start = i;
    }
    kept.push_str(&joined[start..]);
    Ok((collapse_spaces(&decode_inline(&kept)), indicators))
}

struct FoundIndicator<'a> {
    /// The number, or the digits as written when outside 1–10.
    number: Result<u8, String>,
    name: &'a str,
    /// Bytes from just after '(' to just after ')'.
    len: usize,
}

/// Reads "ตัวชี้วัดที่ N name)" (also "ตัวชี้วัด ที่"); `None` if this '(' opens something else.
fn indicator_after_paren(s: &str) -> Option<FoundIndicator<'_>> {
    let rest = s.trim_start().strip_prefix(INDICATOR_WORD)?;
    let rest = rest.trim_start().strip_prefix(INDICATOR_ORDINAL)?.trim_start();
    let after_digits = rest.trim_start_matches(is_digit);
    let digits = &rest[..rest.len() - after_digits.len()];
    if digits.is_empty() {
        return None;
    }
    let pieces = split_unescaped(after_digits, ')');
    if pieces.len() < 2 {
        return None;
    }
    let name = pieces[0];
    let number = digits_value(digits)
        .filter(|n| (1..=10).contains(n))
        .and_then(|n| u8::try_from(n).ok())
        .ok_or_else(|| digits.to_string());
    Some(FoundIndicator { number, name, len: s.len() - after_digits.len() + name.len() + 1 })
}
