//! The measures register as a Markdown report: the format of the ITA "รายงานผลการดำเนินการ
//! มาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส" documents that organizations already keep (a bold
//! heading, an intro paragraph, then one or more six-column tables split at page breaks).
//!
//! `parse` reads such a report (forgiving about what people type), `write` produces it again in one
//! canonical shape, and `parse(write(r)) == r` holds for every report whose texts are trimmed, have no
//! control characters and no empty lines (see `write` for the escapes that make this hold).
//!
//! The syntax helpers below are shared by both directions so that what the writer escapes is exactly
//! what the parser would otherwise read as markup.

#[cfg(test)]
mod escape_tests;
#[cfg(test)]
mod input_tests;
mod parse;
#[cfg(test)]
mod tests;
mod write;

pub use parse::parse;
pub(crate) use parse::{add_row, plain_title};
pub use write::{write, write_item_lines};

use crate::thai::digits::{to_arabic_digits, to_thai_digits};
use serde::Serialize;

/// A report as read from Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedReport {
    /// The bold heading, one entry per printed line.
    pub heading_lines: Vec<String>,
    /// The paragraph just before the tables; lines joined with '\n'.
    pub intro: String,
    pub measures: Vec<ParsedMeasure>,
}

/// One row of the table (plus the continuation rows that follow it after page breaks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedMeasure {
    /// 1-based line of the row that starts the measure (0 for reports not read from a file).
    pub line: usize,
    /// Title without its indicator references.
    pub title: String,
    pub indicators: Vec<IndicatorRef>,
    pub methods: Vec<Item>,
    /// Responsible units, one per line.
    pub responsible: Vec<String>,
    /// As written, line breaks turned into single spaces.
    pub period: String,
    pub results: Vec<Item>,
    pub outcomes: Vec<Item>,
}

/// "(ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ)" in a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRef {
    /// 1–10.
    pub number: u8,
    /// May be empty.
    pub name: String,
}

/// One entry of a method, result or outcome cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Without the "๑. " prefix; sub-lines ("- เว็บไซต์ อบต.") follow after '\n'.
    pub text: String,
    pub numbered: bool,
}

/// The six columns, in order, as named in error messages.
pub const COLUMNS: [&str; 6] =
    ["มาตรการ/แนวทาง", "วิธีดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "ผลการดำเนินการ", "ผลลัพธ์หรือความสำเร็จ"];

/// Why an import was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message_en())]
pub struct ImportError {
    /// 1-based line of the input.
    pub line: usize,
    /// One of [`COLUMNS`] when the problem is in a cell.
    pub column: Option<&'static str>,
    pub kind: ImportErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportErrorKind {
    #[error("the file is empty")]
    EmptyFile,
    #[error("no measures table found (a table row starts with '|')")]
    NoTable,
    #[error("expected {expected} columns, found {found}")]
    WrongColumnCount { expected: usize, found: usize },
    #[error("the separator row (|---|---|…) is missing under the table header")]
    MissingSeparator,
    #[error("this is not a measures table: the first header should be 'มาตรการ/แนวทาง', found '{found}'")]
    NotMeasuresTable { found: String },
    #[error("a row with an empty first column continues the measure above it, but there is none")]
    ContinuationWithoutMeasure,
    #[error("the measure has no title (only indicator references)")]
    EmptyTitle,
    #[error("indicator number {found} is outside 1–10")]
    IndicatorOutOfRange { found: String },
    #[error("the table row does not end with '|': it is incomplete (was the file cut off?); nothing was imported")]
    UnclosedRow,
    #[error("character {position} is a control character or noncharacter ({code}), which cannot be stored")]
    ControlCharacter { code: String, position: usize },
}

impl ImportErrorKind {
    pub(crate) fn message_th(&self) -> String {
        match self {
            Self::EmptyFile => "ไฟล์ว่างเปล่า".into(),
            Self::NoTable => "ไม่พบตารางมาตรการ (แถวของตารางต้องขึ้นต้นด้วย |)".into(),
            Self::WrongColumnCount { expected, found } => {
                format!("ตารางต้องมี {expected} คอลัมน์ แต่พบ {found} คอลัมน์")
            }
            Self::MissingSeparator => "ไม่พบแถวเส้นคั่น (|---|---|…) ใต้หัวตาราง".into(),
            Self::NotMeasuresTable { found } => {
                format!("ไม่ใช่ตารางมาตรการ: หัวคอลัมน์แรกควรเป็น \"มาตรการ/แนวทาง\" แต่พบ \"{found}\"")
            }
            Self::ContinuationWithoutMeasure => "แถวที่คอลัมน์แรกว่างเป็นส่วนต่อของมาตรการก่อนหน้า แต่ไม่มีมาตรการก่อนหน้า".into(),
            Self::EmptyTitle => "มาตรการไม่มีชื่อ (มีเพียงการอ้างอิงตัวชี้วัด)".into(),
            Self::IndicatorOutOfRange { found } => {
                format!("ตัวชี้วัดที่ {found} อยู่นอกช่วง ๑–๑๐")
            }
            Self::UnclosedRow => "แถวของตารางไม่สมบูรณ์: ไม่มีเครื่องหมาย | ปิดท้ายแถว (ไฟล์อาจถูกตัดกลางแถว) จึงไม่ได้นำเข้า".into(),
            Self::ControlCharacter { code, position } => {
                format!("ตัวอักษรที่ {position} เป็นอักขระควบคุมหรืออักขระที่ใช้ไม่ได้ ({code}) ซึ่งบันทึกไม่ได้ กรุณาลบออก")
            }
        }
    }
}

impl ImportError {
    pub(crate) fn new(line: usize, column: Option<&'static str>, kind: ImportErrorKind) -> Self {
        Self { line, column, kind }
    }

    /// "บรรทัดที่ 12 คอลัมน์ วิธีดำเนินการ: …"
    pub fn message_th(&self) -> String {
        let column = self.column.map(|c| format!(" คอลัมน์ {c}")).unwrap_or_default();
        format!("บรรทัดที่ {}{column}: {}", self.line, self.kind.message_th())
    }

    /// "line 12, column วิธีดำเนินการ: …"
    pub fn message_en(&self) -> String {
        let column = self.column.map(|c| format!(", column {c}")).unwrap_or_default();
        format!("line {}{column}: {}", self.line, self.kind)
    }
}

/// The one place numbers are printed: item prefixes and indicator numbers.
pub(crate) fn format_number(n: usize, thai_digits: bool) -> String {
    let arabic = n.to_string();
    if thai_digits { to_thai_digits(&arabic) } else { arabic }
}

pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('๐'..='๙').contains(&c)
}

/// The value of a run of Thai/Arabic digits; `None` when it has more than three digits.
pub(crate) fn digits_value(digits: &str) -> Option<u32> {
    if digits.chars().count() > 3 {
        return None;
    }
    to_arabic_digits(digits).parse().ok()
}

/// If `line` starts a numbered item ("๑. ", "1.", "12.text" but not "1.5"), the text after the prefix.
pub(crate) fn numbered_item_rest(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let after_digits = line.trim_start_matches(is_digit);
    if after_digits.len() == line.len() {
        return None;
    }
    let rest = after_digits.strip_prefix('.')?;
    match rest.chars().next() {
        Some(c) if is_digit(c) => None,
        _ => Some(rest.trim_start()),
    }
}

/// Line-breaking tags recognised inside table cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// `<br>`, `<br/>`, `<br />`: a line break; two in a row make an empty line.
    Break,
    /// `<p>`, `<p …>`, `</p>`: a paragraph edge; never makes an empty line.
    Para,
}

fn starts_ignoring_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The tag at the start of `s` and its length in bytes.
pub(crate) fn tag_at(s: &str) -> Option<(Tag, usize)> {
    let starts = |p: &str| starts_ignoring_case(s, p);
    if starts("<br") {
        let rest = &s[3..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let trimmed = trimmed.strip_prefix('/').unwrap_or(trimmed);
        let close = trimmed.strip_prefix('>')?;
        return Some((Tag::Break, s.len() - close.len()));
    }
    if starts("</p") {
        let close = s[3..].trim_start_matches([' ', '\t']).strip_prefix('>')?;
        return Some((Tag::Para, s.len() - close.len()));
    }
    if starts("<p>") {
        return Some((Tag::Para, 3));
    }
    if starts("<p ") {
        let end = s.find('>')?;
        if s[1..end].contains('<') {
            return None;
        }
        return Some((Tag::Para, end + 1));
    }
    None
}

/// Whether a `<` at the start of `s` may begin a tag once the cell goes on: [`tag_at`] reads one
/// here, or would if a `>` came later ("<p x" + "y>"), or a space and a `>` ("<p" + " (…>)").
///
/// The writer escapes every such `<`: it writes a cell from several texts (a title, then its
/// indicator references), while the parser reads a `<p …>` tag across them. Asking only `tag_at`
/// about each text lost the title "<p" with the indicator name ">" (read back as ")"), and
/// escaping a later `<` could complete an earlier tag ("<p <p x>" became "<p &lt;p x>", one tag).
pub(crate) fn may_start_tag(s: &str) -> bool {
    let starts = |p: &str| starts_ignoring_case(s, p);
    starts("<br") || starts("</p") || starts("<p ") || starts("<p>") || s.eq_ignore_ascii_case("<p")
}

/// The character an HTML entity at the start of `s` stands for, and the entity's length in bytes.
pub(crate) fn entity_at(s: &str) -> Option<(char, usize)> {
    const NAMED: [(&str, char); 6] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        // A non-breaking space becomes a plain one: in these reports it is layout, not meaning.
        ("&nbsp;", ' '),
        ("&quot;", '"'),
        ("&apos;", '\''),
    ];
    for (name, c) in NAMED {
        if s.starts_with(name) {
            return Some((c, name.len()));
        }
    }
    let body = s.strip_prefix("&#")?;
    let (digits, radix, skip) = match body.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 3),
        None => (body, 10, 2),
    };
    let end = digits.find(';')?;
    let number = &digits[..end];
    if number.is_empty() || number.len() > 7 || !number.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(number, radix).ok()?)?;
    // Control characters would smuggle line structure into a single line.
    (!c.is_control()).then_some((c, skip + end + 1))
}

/// Decodes entities and backslash escapes (`\` before ASCII punctuation, as in Markdown).
pub(crate) fn decode_inline(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c == '\\'
            && let Some(next) = rest[1..].chars().next()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            rest = &rest[1 + next.len_utf8()..];
            continue;
        }
        if c == '&'
            && let Some((decoded, len)) = entity_at(rest)
        {
            out.push(decoded);
            rest = &rest[len..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Splits `raw` at every `sep` that is not backslash-escaped; escapes are kept in the pieces.
pub(crate) fn split_unescaped(raw: &str, sep: char) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == sep {
            pieces.push(&raw[start..i]);
            start = i + c.len_utf8();
        }
    }
    pieces.push(&raw[start..]);
    pieces
}

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `s` (just after a '(') reads as the start of an indicator reference.
pub(crate) fn opens_indicator(s: &str) -> bool {
    s.trim_start().starts_with(INDICATOR_WORD)
}

pub(crate) const INDICATOR_WORD: &str = "ตัวชี้วัด";
pub(crate) const INDICATOR_ORDINAL: &str = "ที่";

#[cfg(test)]
pub(crate) const SEED: &str = include_str!("../../../data/seed/mae-khatuan-2566.md");

#[cfg(test)]
mod syntax_tests {
    use super::*;

    #[test]
    fn error_messages_say_what_and_where_in_both_languages() {
        let e = ImportError::new(12, Some(COLUMNS[1]), ImportErrorKind::WrongColumnCount { expected: 6, found: 5 });
        assert_eq!(e.message_th(), "บรรทัดที่ 12 คอลัมน์ วิธีดำเนินการ: ตารางต้องมี 6 คอลัมน์ แต่พบ 5 คอลัมน์");
        assert_eq!(e.message_en(), "line 12, column วิธีดำเนินการ: expected 6 columns, found 5");
        assert_eq!(e.to_string(), e.message_en());
    }

    #[test]
    fn numbered_prefixes_need_digits_then_a_dot_not_followed_by_a_digit() {
        assert_eq!(numbered_item_rest("๑. จัดทำ"), Some("จัดทำ"));
        assert_eq!(numbered_item_rest("12.text"), Some("text"));
        assert_eq!(numbered_item_rest("๔."), Some(""));
        assert_eq!(numbered_item_rest("1.5 ล้านบาท"), None);
        assert_eq!(numbered_item_rest("๑.๒ ย่อย"), None);
        assert_eq!(numbered_item_rest("1\\. not"), None);
        assert_eq!(numbered_item_rest("- เว็บไซต์"), None);
        assert_eq!(numbered_item_rest(". x"), None);
    }

    #[test]
    fn tags_and_entities_are_recognised_only_in_their_known_forms() {
        assert_eq!(tag_at("<br>x"), Some((Tag::Break, 4)));
        assert_eq!(tag_at("<BR/>"), Some((Tag::Break, 5)));
        assert_eq!(tag_at("<br />"), Some((Tag::Break, 6)));
        assert_eq!(tag_at("<p>"), Some((Tag::Para, 3)));
        assert_eq!(tag_at("</p>"), Some((Tag::Para, 4)));
        assert_eq!(tag_at("<p class=\"a\">"), Some((Tag::Para, 13)));
        assert_eq!(tag_at("<bra>"), None);
        assert_eq!(tag_at("<pre>"), None);
        for s in ["<p", "<P x", "<p>", "<br", "<BRA>", "</p", "<p (ตัวชี้วัดที่ 1 >)"] {
            assert!(may_start_tag(s), "{s}");
        }
        for s in ["<", "<b", "</", "<pre>", "<p-x>", "< p>", "a<p"] {
            assert!(!may_start_tag(s), "{s}");
        }
        assert_eq!(decode_inline("a &amp; b &lt;br&gt; &#124; \\| &nbsp;"), "a & b <br> | |  ");
        assert_eq!(decode_inline("&#10; &#xZZ; &bogus; \\a"), "&#10; &#xZZ; &bogus; \\a");
    }

    #[test]
    fn numbers_print_in_the_chosen_digits() {
        assert_eq!(format_number(10, true), "๑๐");
        assert_eq!(format_number(10, false), "10");
        assert_eq!(digits_value("๑๐"), Some(10));
        assert_eq!(digits_value("1234"), None);
    }
}
