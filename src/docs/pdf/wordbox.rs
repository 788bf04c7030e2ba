//! Turns text into "units", so that lines break only between Thai words.
//!
//! typst breaks Thai with ICU4X's LSTM model, which sometimes splits inside a word (`ตำบ|ล`,
//! `เคร่ง|ครัด`). We segment with PyThaiNLP's dictionary instead (`crate::thai::words`) and send each
//! line as an array of items; lines break only between units or at spaces, whether typst breaks
//! them (see `linebreaks`) or, for the measures table's cells, `cell_lines` does. Names the data
//! knows ([`known_names`]: the organization, its place, people, divisions) are units whole however
//! the dictionary splits them (`แม่คะ|ตวน`), and a paragraph's last word is glued to the word
//! before it, so that a short word never ends a paragraph alone on its line.
//!
//! An item is either
//! - a string: a space (`" "`, breakable) or a unit, or
//! - an array of strings: a long unit with its fallback parts, set whole when it fits the line and
//!   part by part otherwise, so a long name or URL overflows its column only where one part is
//!   wider than the column.

use serde_json::{Value, json};

use crate::thai::words::{icu_words, words};

/// Units longer than this (in chars) are sent with fallback parts.
const LONG_UNIT: usize = 20;
/// A paragraph's last word this short (in letters, marks not counted) or shorter is glued to the
/// word before it (`มารับ บริการ`), when the two together are at most `GLUED` letters long.
const SHORT_LAST_WORD: usize = 6;
const GLUED: usize = 14;
/// A word this short (`ของ`, `และ`) right before a long name goes to the line the name starts.
const SHORT_BEFORE_NAME: usize = 4;
/// Prefixes of an organization's name before its place (`องค์การบริหารส่วนตำบล|แม่คะตวน`).
const ORG_KINDS: &[&str] = &[
    "องค์การบริหารส่วนตำบล",
    "องค์การบริหารส่วนจังหวัด",
    "เทศบาลตำบล",
    "เทศบาลเมือง",
    "เทศบาลนคร",
    "สภาองค์การบริหารส่วนตำบล",
    "นายกองค์การบริหารส่วนตำบล",
    "อบต.",
    "อบจ.",
    "ทต.",
    "ทม.",
    "ทน.",
];
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

/// The names in `texts` (an organization's name, people's names, divisions, places) a line must
/// never break inside: each part between spaces and slashes, and the place in an organization's
/// name (`แม่คะตวน` of `องค์การบริหารส่วนตำบลแม่คะตวน`). Parts shorter than 3 chars are left out:
/// they would glue words elsewhere.
pub fn known_names<S: AsRef<str>>(texts: &[S]) -> Vec<String> {
    let mut names = Vec::new();
    for text in texts {
        for part in text.as_ref().split(|c: char| c.is_whitespace() || matches!(c, '/' | '(' | ')' | ',' | '-')) {
            let part = part.trim_matches(|c: char| !c.is_alphanumeric());
            if part.chars().count() < 3 {
                continue;
            }
            names.push(part.to_string());
            if let Some(place) = ORG_KINDS.iter().find_map(|k| part.strip_prefix(k)) {
                if place.chars().count() >= 3 {
                    names.push(place.to_string());
                }
                // Its council is a name too: `สภา` never waits alone on a line for the name after it.
                names.push(format!("สภา{part}"));
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The items of one line of text, for the templates' `words` function; `keep` holds the words and
/// names never broken inside ([`KEEP_TOGETHER`] and [`known_names`]).
pub fn line_items<S: AsRef<str>>(text: &str, keep: &[S]) -> Vec<Value> {
    // Byte ranges that must stay whole.
    let protected: Vec<(usize, usize)> = keep
        .iter()
        .map(AsRef::as_ref)
        .filter(|k| !k.is_empty())
        .flat_map(|k| text.match_indices(k).map(|(i, m)| (i, i + m.len())))
        .collect();
    // How many kept names a position lies inside: 0 is a free break.
    let depth = |p: usize| protected.iter().filter(|&&(s, e)| s < p && p < e).count();

    let mut items = Vec::new();
    // The unit being built and its soft boundaries (where its fallback parts split).
    let mut unit = String::new();
    let mut soft: Vec<Soft> = Vec::new();
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
                let d = depth(start);
                if d > 0 {
                    soft.push(Soft { at: unit.len(), depth: d });
                } else {
                    flush(&mut items, &mut unit, &mut soft);
                }
            }
        }
        unit.push_str(token);
    }
    // The last word: glued to the one before it when short, so it never ends a paragraph alone.
    let last_is_short = !unit.is_empty() && letters(&unit) <= SHORT_LAST_WORD && soft.is_empty();
    match items.last().and_then(Value::as_str) {
        Some(prev) if last_is_short && prev.trim() != "" && letters(prev) + letters(&unit) <= GLUED => {
            unit.insert_str(0, prev);
            items.pop();
        }
        Some(" ") if last_is_short && items.len() >= 2 => {
            // "ระดับ มาก": the space stays, inside the unit.
            if let Some(prev) = items[items.len() - 2].as_str()
                && letters(prev) + 1 + letters(&unit) <= GLUED
            {
                unit.insert_str(0, &format!("{prev} "));
                items.truncate(items.len() - 2);
            }
        }
        _ => {}
    }
    flush(&mut items, &mut unit, &mut soft);
    items
}

/// How long `s` looks: its chars less the marks drawn above or below a letter.
fn letters(s: &str) -> usize {
    s.chars().filter(|c| !is_mark(*c)).count()
}

/// A word boundary inside kept names: where a name wider than its column may break, outermost
/// names (lowest depth) first.
#[derive(Clone, Copy, Debug)]
struct Soft {
    at: usize,
    depth: usize,
}

fn flush(items: &mut Vec<Value>, unit: &mut String, soft: &mut Vec<Soft>) {
    if unit.is_empty() {
        return;
    }
    // A short word right before a long name goes with the name's first part (`ของสภา`), so that
    // when the name starts a new line the short word is not left alone at the end of the last one.
    // Only when the name's first part stays short with it: a part that must break again would
    // break the name.
    if unit.chars().count() > LONG_UNIT
        && let Some(outer) = soft.iter().map(|s| s.depth).min()
    {
        let first = soft.iter().find(|s| s.depth == outer).map_or(unit.len(), |s| s.at);
        if let Some(prev) = items.last().and_then(Value::as_str).map(str::to_string)
            && prev.trim() == prev
            && !prev.is_empty()
            && letters(&prev) <= SHORT_BEFORE_NAME
            && prev.chars().count() + unit[..first].chars().count() <= LONG_UNIT
        {
            items.pop();
            unit.insert_str(0, &prev);
            soft.iter_mut().for_each(|s| s.at += prev.len());
        }
    }
    items.push(fallback(unit, soft));
    unit.clear();
    soft.clear();
}

/// A unit as an item: a string when short, else an array of its fallback parts, split at the
/// outermost name's boundaries first; each part is again a string or an array (the template tries
/// a part whole before its own parts). So `สภาองค์การบริหารส่วนตำบลแม่คะตวน` in a column too narrow
/// for it breaks after `สภา` and keeps the organization's name whole when that fits.
fn fallback(text: &str, soft: &[Soft]) -> Value {
    if text.chars().count() <= LONG_UNIT {
        return Value::from(text);
    }
    let Some(outer) = soft.iter().map(|s| s.depth).min() else {
        let mut parts = Vec::new();
        chunk(text, &mut parts);
        return json!(parts);
    };
    let mut parts = Vec::new();
    let mut last = 0;
    let cuts = soft.iter().filter(|s| s.depth == outer).map(|s| s.at).chain([text.len()]);
    for cut in cuts {
        let inner: Vec<Soft> =
            soft.iter().filter(|s| s.at > last && s.at < cut).map(|s| Soft { at: s.at - last, ..*s }).collect();
        parts.push(fallback(&text[last..cut], &inner));
        last = cut;
    }
    json!(parts)
}

/// Cuts a long part at ICU4X's finer word boundaries (`องค์การ|บริหาร|ส่วน|ตำบล`), and what is still
/// long with no boundary (URLs, codes) into pieces of about `CHUNK` chars, never before a mark.
fn chunk(part: &str, out: &mut Vec<String>) {
    if part.chars().count() <= LONG_UNIT {
        out.push(part.to_string());
        return;
    }
    let finer = icu_words(part);
    if finer.len() > 1 {
        finer.into_iter().for_each(|w| chunk(w, out));
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
                Value::Array(a) => flat(a),
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
        let items = line_items("ขององค์การบริหารส่วนตำบลแม่คะตวน และ", &["องค์การบริหารส่วนตำบลแม่คะตวน", "แม่คะตวน"]);
        assert_eq!(items[0], "ของ");
        // Wider than its column, the name breaks after the organization's kind, the place whole.
        assert_eq!(items[1], json!([["องค์การ", "บริหาร", "ส่วน", "ตำบล"], "แม่คะตวน"]));
    }

    #[test]
    fn the_council_breaks_before_the_organizations_name_not_inside_it() {
        let names = known_names(&["องค์การบริหารส่วนตำบลแม่คะตวน"]);
        let items = line_items("การปรึกษา ของสภาองค์การบริหารส่วนตำบลแม่คะตวน", &names);
        let parts = items.last().unwrap().as_array().expect("long unit");
        assert_eq!(parts[0], "ของสภา", "the short word before the name goes with it: {items:?}");
        assert_eq!(parts[1], json!([["องค์การ", "บริหาร", "ส่วน", "ตำบล"], "แม่คะตวน"]), "{items:?}");
    }

    #[test]
    fn known_names_are_the_parts_of_names_and_the_place_of_the_organization() {
        let names = known_names(&["องค์การบริหารส่วนตำบลแม่คะตวน", "นายบุญมา ทองดี", "(นางสมศรี แก้วมา)", "สำนักปลัด /กองคลัง"]);
        for n in ["แม่คะตวน", "นายบุญมา", "ทองดี", "นางสมศรี", "แก้วมา", "สำนักปลัด", "กองคลัง"]
        {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        let items = line_items("ผู้ยืม นายบุญมา ทองดี ส่งคืนแล้ว", &names);
        assert!(items.contains(&Value::from("ทองดี")), "{items:?}");
    }

    #[test]
    fn a_short_last_word_is_glued_to_the_word_before_it() {
        let items = line_items("เช่นการจัดทำในรูปแบบคู่มือ", KEEP_TOGETHER);
        assert_eq!(items.last().unwrap(), "รูปแบบคู่มือ", "{items:?}");
        let items = line_items("ผลการประเมินความพึงพอใจอยู่ในระดับ มาก", KEEP_TOGETHER);
        assert_eq!(items.last().unwrap(), "ระดับ มาก", "{items:?}");
        // A long last word stays alone.
        let items = line_items("ประชาชนได้ทราบถึงขั้นตอน/ระยะเวลา", KEEP_TOGETHER);
        assert_eq!(items.last().unwrap(), "ระยะเวลา", "{items:?}");
    }

    #[test]
    fn a_long_url_is_cut_into_short_pieces() {
        let url = "https://www.maekhatuan.go.th/".to_string() + &"abcdefghij".repeat(20);
        let items = line_items::<&str>(&url, &[]);
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
