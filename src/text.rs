//! The one rule for characters in text people send us, and the one filter for text we write into
//! XML. Pure: used by the form and upload extractors, the report and inventory imports, and the
//! DOCX writer.
//!
//! Copy-paste from Word brings a vertical tab (`\x0b`, its Shift+Enter) or U+2028; such a
//! character in `document.xml` makes the whole DOCX unreadable, and a NUL byte makes PostgreSQL
//! refuse the row. So at input, line-separating controls become line breaks (or spaces where a
//! field holds one line) and every other control character or noncharacter is refused, naming
//! where it is; at output, whatever old data holds is filtered out.

use std::borrow::Cow;

/// Whether a text may hold several lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// A textarea or a cell that keeps line breaks.
    Many,
    /// A single-line field: line separators become spaces.
    One,
}

/// A character that may not be stored, and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadChar {
    pub ch: char,
    /// 1-based line of the text (lines end at '\n').
    pub line: usize,
    /// 1-based character position in that line.
    pub column: usize,
}

impl BadChar {
    /// "U+0000 (NUL)", as a person can look it up.
    pub fn code(&self) -> String {
        let name = match self.ch {
            '\0' => " (NUL)",
            '\u{7f}' => " (DEL)",
            '\u{1b}' => " (ESC)",
            '\u{8}' => " (Backspace)",
            _ => "",
        };
        format!("U+{:04X}{name}", self.ch as u32)
    }

    /// Thai: what the character is, without the place (the caller names the field or line).
    pub fn what_th(&self) -> String {
        format!("มีอักขระควบคุมหรืออักขระที่ใช้ไม่ได้ ({}) ซึ่งบันทึกไม่ได้ กรุณาลบออกแล้วลองอีกครั้ง", self.code())
    }
}

/// Controls that mean "new line" in the programs people paste from: vertical tab (Word's
/// Shift+Enter), form feed (page break), NEL, and Unicode's line and paragraph separators.
pub fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Noncharacters: U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, …).
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// Whether `c` may not be stored: C0 and C1 controls other than tab, line feed and carriage
/// return (which the browser sends in textarea line breaks), DEL, and noncharacters.
pub fn is_refused(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_noncharacter(c)
}

/// Applies the input rule: line separators become '\n' (or ' ' in a one-line text), any other
/// refused character is an error naming its place. Text without such characters is borrowed.
pub fn clean(text: &str, lines: Lines) -> Result<Cow<'_, str>, BadChar> {
    if !text.chars().any(|c| is_line_separator(c) || is_refused(c)) {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        if is_line_separator(c) {
            out.push(if lines == Lines::Many { '\n' } else { ' ' });
        } else if is_refused(c) {
            return Err(BadChar { ch: c, line, column });
        } else {
            out.push(c);
        }
        if c == '\n' || (is_line_separator(c) && lines == Lines::Many) {
            line += 1;
            column = 0;
        }
    }
    Ok(Cow::Owned(out))
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production, less U+FFFE/U+FFFF).
fn xml_allows(c: char) -> bool {
    !matches!(c as u32, 0x0..=0x8 | 0xB | 0xC | 0xE..=0x1F | 0xFFFE | 0xFFFF)
}

/// Text safe inside an XML document: line separators become spaces, other characters XML does
/// not allow are dropped. For data stored before the input rule existed.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| xml_allows(c) && !is_line_separator(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| if is_line_separator(c) { Some(' ') } else { xml_allows(c).then_some(c) })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_line_breaks_become_line_breaks_or_spaces() {
        assert_eq!(clean("ก\u{0b}ข\u{0c}ค\u{2028}ง\u{2029}จ\u{85}ฉ", Lines::Many).unwrap(), "ก\nข\nค\nง\nจ\nฉ");
        assert_eq!(clean("ก\u{0b}ข\u{2028}ค", Lines::One).unwrap(), "ก ข ค");
    }

    #[test]
    fn tab_newline_and_carriage_return_are_kept_and_clean_text_is_borrowed() {
        let text = "๑. ก\tข\r\n๒. ค";
        assert!(matches!(clean(text, Lines::Many).unwrap(), Cow::Borrowed(t) if t == text));
        assert!(matches!(clean("ไม่มีอะไร", Lines::One).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn other_controls_and_noncharacters_are_refused_with_their_place() {
        assert_eq!(clean("ab\0c", Lines::One), Err(BadChar { ch: '\0', line: 1, column: 3 }));
        assert_eq!(clean("ก\nขค\u{1b}", Lines::Many), Err(BadChar { ch: '\u{1b}', line: 2, column: 3 }));
        assert_eq!(clean("ก\u{0b}x\u{7f}", Lines::Many).unwrap_err().line, 2);
        for c in
            ['\u{1}', '\u{8}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{FFFE}', '\u{FFFF}', '\u{FDD0}', '\u{1FFFF}']
        {
            assert_eq!(clean(&format!("x{c}"), Lines::Many).unwrap_err().ch, c, "{:04X}", c as u32);
        }
        assert_eq!(clean("\0", Lines::One).unwrap_err().code(), "U+0000 (NUL)");
        assert_eq!(BadChar { ch: '\u{FFFE}', line: 1, column: 1 }.code(), "U+FFFE");
    }

    #[test]
    fn ordinary_thai_and_other_scripts_pass() {
        let text = "องค์การบริหารส่วนตำบลแม่คะตวน ๒๕๖๖ — “ITA” 😀 \u{200b}";
        assert_eq!(clean(text, Lines::One).unwrap(), text);
    }

    #[test]
    fn xml_safe_drops_what_xml_forbids_and_keeps_the_rest() {
        assert_eq!(xml_safe("ก\u{0b}ข\0ค\u{1}\u{FFFE}\u{FFFF}ง\u{2028}"), "ก ขคง ");
        assert_eq!(xml_safe("ก\tข\nค\u{80}"), "ก\tข\nค\u{80}");
        assert!(matches!(xml_safe("ปกติ"), Cow::Borrowed(_)));
    }
}
