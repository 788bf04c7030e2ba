//! Turns text into the "units" the templates box, so that lines break only between Thai words.
//!
//! typst breaks Thai with ICU4X's LSTM model, which sometimes splits inside a word (`ตำบ|ล`,
//! `เคร่ง|ครัด`). We segment with the dictionary instead (`crate::thai::words`) and send each line as an
//! array of items; the template draws each unit in an unbreakable `box`, so typst can only break
//! between units or at spaces.
//!
//! An item is either
//! - a string: a space (`" "`, breakable) or a unit (boxed), or
//! - an array of strings: a long unit with its fallback parts. The template boxes it whole when it
//!   fits the cell and each part otherwise, so a long name or URL can never overflow its column.

use serde_json::{Value, json};

use crate::thai::words::words;

/// Units longer than this (in chars) are sent with fallback parts.
const LONG_UNIT: usize = 20;
/// Parts of a long token with no word boundary inside (URLs, codes) are cut to this many chars.
const CHUNK: usize = 8;

/// Words typst must never break inside, even where the dictionary sees two words (compounds whose
/// halves are words too). The organization's own name is added per document.
pub const KEEP_TOGETHER: &[&str] = &[
    "องค์การบริหารส่วนตำบล",
    "องค์กรปกครองส่วนท้องถิ่น",
    "ปีงบประมาณ",
    "เคร่งครัด",
    "ขั้นตอน",
    "ดังกล่าว",
    "ปฏิบัติงาน",
    "ตัวชี้วัดที่",
    "อบต.",
    "พ.ศ.",
];

/// Thai consonants and vowels a line may break before (not digits, not `ๆ`/`ฯ`, not marks).
fn starts_thai_word(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E2E}' | '\u{0E40}'..='\u{0E44}')
}

/// Thai characters a word may end with (letters, marks, `ๆ`, `ฯ`; not digits).
fn ends_thai_word(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E4E}')
}

/// A break between two adjacent non-space tokens is allowed between Thai words, and after a slash
/// (`กองคลัง/กองช่าง`). Elsewhere (`(ตัว`, `พ.ศ.๒๕๖๖`, `อบต.แม่`) the tokens stay together.
fn may_break_between(before: char, after: char) -> bool {
    starts_thai_word(after) && (ends_thai_word(before) || before == '/')
}

/// A Thai combining mark or following vowel that must not start a chunk.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E33}'..='\u{0E3A}' | '\u{0E45}' | '\u{0E47}'..='\u{0E4E}')
        || ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The items of one line of text, for the templates' `words` function.
pub fn line_items(text: &str, keep: &[&str]) -> Vec<Value> {
    // Byte ranges that must stay whole.
    let protected: Vec<(usize, usize)> = keep
        .iter()
        .filter(|k| !k.is_empty())
        .flat_map(|k| text.match_indices(k).map(|(i, m)| (i, i + m.len())))
        .collect();
    let inside_protected = |p: usize| protected.iter().any(|&(s, e)| s < p && p < e);

    let mut items = Vec::new();
    // The unit being built and its soft boundaries (where its fallback parts split).
    let mut unit = String::new();
    let mut soft: Vec<usize> = Vec::new();
    let mut pos = 0;
    for token in words(text) {
        let start = pos;
        pos += token.len();
        if token.trim().is_empty() {
            flush(&mut items, &mut unit, &mut soft);
            items.push(Value::from(" "));
            continue;
        }
        if let Some(before) = unit.chars().last() {
            let after = token.chars().next().unwrap_or(' ');
            if may_break_between(before, after) {
                if inside_protected(start) {
                    soft.push(unit.len());
                } else {
                    flush(&mut items, &mut unit, &mut soft);
                }
            }
        }
        unit.push_str(token);
    }
    flush(&mut items, &mut unit, &mut soft);
    items
}

fn flush(items: &mut Vec<Value>, unit: &mut String, soft: &mut Vec<usize>) {
    if unit.is_empty() {
        return;
    }
    if unit.chars().count() <= LONG_UNIT {
        items.push(Value::from(unit.as_str()));
    } else {
        let mut parts = Vec::new();
        let mut last = 0;
        for &cut in soft.iter().chain(std::iter::once(&unit.len())) {
            chunk(&unit[last..cut], &mut parts);
            last = cut;
        }
        items.push(json!(parts));
    }
    unit.clear();
    soft.clear();
}

/// Cuts a part with no word boundary into pieces of about `CHUNK` chars, never before a mark.
fn chunk(part: &str, out: &mut Vec<String>) {
    if part.chars().count() <= LONG_UNIT {
        out.push(part.to_string());
        return;
    }
    let mut piece = String::new();
    for c in part.chars() {
        if piece.chars().count() >= CHUNK && !is_mark(c) {
            out.push(std::mem::take(&mut piece));
        }
        piece.push(c);
    }
    if !piece.is_empty() {
        out.push(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(items: &[Value]) -> String {
        items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                Value::Array(a) => a.iter().map(|p| p.as_str().unwrap()).collect(),
                _ => panic!(),
            })
            .collect()
    }

    #[test]
    fn items_give_back_the_text_with_spaces_normalized() {
        let t = "ประจำปีงบประมาณ พ.ศ.๒๕๖๖ (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ)";
        assert_eq!(flat(&line_items(t, KEEP_TOGETHER)), t);
    }

    #[test]
    fn punctuation_stays_with_its_word() {
        let items = line_items("(ตัวชี้วัดที่ ๔) อบต.แม่คะตวน", KEEP_TOGETHER);
        assert_eq!(items[0], "(ตัวชี้วัดที่", "{items:?}");
        assert!(items.contains(&Value::from("อบต.แม่")), "{items:?}");
    }

    #[test]
    fn a_kept_name_is_one_unit_with_fallback_parts() {
        let items = line_items("ขององค์การบริหารส่วนตำบลแม่คะตวน", &["องค์การบริหารส่วนตำบลแม่คะตวน"]);
        assert_eq!(items[0], "ของ");
        let parts = items[1].as_array().expect("long unit");
        assert_eq!(parts[0], "องค์การ");
        assert_eq!(parts.len(), 7, "{parts:?}");
    }

    #[test]
    fn a_long_url_is_cut_into_short_pieces() {
        let url = "https://www.maekhatuan.go.th/".to_string() + &"abcdefghij".repeat(20);
        let items = line_items(&url, &[]);
        assert_eq!(flat(&items), url);
        for item in &items {
            if let Value::Array(parts) = item {
                assert!(parts.iter().all(|p| p.as_str().unwrap().chars().count() <= LONG_UNIT));
            } else {
                assert!(item.as_str().unwrap().chars().count() <= LONG_UNIT);
            }
        }
    }
}
