//! Sort orders that do not depend on the database's collation: SQLite compares bytes, PostgreSQL
//! follows the collation its database was created with (a Thai ICU collation orders `เทศบาล` before
//! `องค์การ`, the C collation after it). Lists people read are therefore sorted here, in Rust, the
//! same way on both engines.
//!
//! - [`dictionary_cmp`]: Thai dictionary order (as the Royal Institute dictionary), for names.
//! - [`code_cmp`]: identifiers (asset numbers, usernames, slugs) by code point, Thai digits read
//!   as Arabic ones.

use std::cmp::Ordering;

/// Compares two texts in Thai dictionary order:
///
/// 1. primary: letters in alphabet order (ก ข ฃ … ฮ, then the vowels ะ ั า ำ ิ ี ึ ื ุ ู เ แ โ ใ ไ),
///    with a leading vowel (เ แ โ ใ ไ) read after the consonant it is written before, and tone
///    marks and other diacritics ignored; spaces and punctuation come first, then digits (Thai
///    digits count as Arabic ones), then Thai, then other scripts (Latin ignoring case), as a
///    Thai ICU collation orders them;
/// 2. secondary: the tone marks and diacritics (none < ็ < ่ < ้ < ๊ < ๋ < ์);
/// 3. case, and finally the code points themselves, so that the order is total.
pub fn dictionary_cmp(a: &str, b: &str) -> Ordering {
    dictionary_key(a).cmp(&dictionary_key(b))
}

/// Sorts `items` by the text `key` gives, in Thai dictionary order (see [`dictionary_cmp`]).
pub fn sort_by_dictionary<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| dictionary_key(key(item)));
}

/// Compares identifiers by code point, Thai digits read as Arabic ones (so `๗๔๑-001` sits next to
/// `741-001`), then by the text itself.
pub fn code_cmp(a: &str, b: &str) -> Ordering {
    code_key(a).cmp(&code_key(b))
}

/// Sorts `items` by the identifier `key` gives (see [`code_cmp`]).
pub fn sort_by_code<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| code_key(key(item)));
}

fn code_key(s: &str) -> (String, String) {
    (s.chars().map(arabic_digit).collect(), s.to_string())
}

/// A key whose derived order is the dictionary order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct DictionaryKey {
    /// (class, letter) packed: the class (punctuation, digit, Thai, other) above the code point.
    primary: Vec<u32>,
    secondary: Vec<u32>,
    tertiary: Vec<bool>,
    text: String,
}

fn is_consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c)
}

/// เ แ โ ใ ไ: written before the consonant, read after it.
fn is_leading_vowel(c: char) -> bool {
    ('\u{0E40}'..='\u{0E44}').contains(&c)
}

/// ็ ่ ้ ๊ ๋ ์ ํ ๎: they do not change the letter order, only break ties.
fn is_diacritic(c: char) -> bool {
    ('\u{0E47}'..='\u{0E4E}').contains(&c)
}

/// The primary weight: punctuation and spaces, then digits, then Thai, then other letters.
fn primary_weight(c: char) -> u32 {
    let class = match c {
        _ if c.is_ascii_digit() => 1,
        '\u{0E00}'..='\u{0E7F}' => 2,
        _ if c.is_alphanumeric() => 3,
        _ => 0,
    };
    class << 21 | c as u32
}

fn arabic_digit(c: char) -> char {
    match c {
        '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
        c => c,
    }
}

fn dictionary_key(s: &str) -> DictionaryKey {
    let chars: Vec<char> = s.chars().collect();
    let mut primary = Vec::with_capacity(chars.len());
    let mut secondary: Vec<u32> = Vec::with_capacity(chars.len());
    let mut tertiary = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut push = |c: char| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            primary.push(primary_weight(arabic_digit(lower)));
            secondary.push(0);
            tertiary.push(lower != c);
        };
        if is_leading_vowel(c) && chars.get(i + 1).is_some_and(|n| is_consonant(*n)) {
            push(chars[i + 1]);
            push(c);
            i += 2;
        } else if is_diacritic(c) {
            // Marks attach to the letter before them; a mark with no letter before weighs alone.
            match secondary.last_mut() {
                Some(last) => *last = *last * 16 + (c as u32 - 0x0E46),
                None => secondary.push(c as u32 - 0x0E46),
            }
            i += 1;
        } else {
            push(c);
            i += 1;
        }
    }
    DictionaryKey { primary, secondary, tertiary, text: s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&'static str]) -> Vec<&'static str> {
        let mut v = words.to_vec();
        v.reverse();
        sort_by_dictionary(&mut v, |w| w);
        v
    }

    /// Entries in the order the Royal Institute dictionary prints them.
    #[test]
    fn words_sort_as_in_the_royal_institute_dictionary() {
        let dictionary = [
            "ก",
            "กก",
            "กฎ",
            "กบ",
            "กรม",
            "กระ",
            "กะ",
            "กัน",
            "กา",
            "ก่า",
            "ก้า",
            "กำ",
            "กิน",
            "กู",
            "เก",
            "เก่ง",
            "เกษตร",
            "แก",
            "โก",
            "โกดัง",
            "ใกล้",
            "ไก่",
            "ขวด",
            "คน",
            "ฤดู",
            "ลม",
            "อา",
            "ฮา",
        ];
        assert_eq!(sorted(&dictionary), dictionary);
    }

    #[test]
    fn a_leading_vowel_is_read_after_its_consonant() {
        // Byte order would put every เ word after every อ word.
        assert_eq!(dictionary_cmp("เทศบาลตำบลทดสอบ", "องค์การบริหารส่วนตำบลแม่คะตวน"), Ordering::Less);
        assert_eq!(dictionary_cmp("ไก่", "ขวด"), Ordering::Less);
        assert_eq!(dictionary_cmp("มะเขือ", "มะขาม"), Ordering::Greater, "ข then เ after ข then า");
    }

    #[test]
    fn tone_marks_only_break_ties() {
        assert_eq!(sorted(&["ก๋า", "ก๊า", "ก้า", "ก่า", "กา"]), ["กา", "ก่า", "ก้า", "ก๊า", "ก๋า"]);
        // ก่อน sorts by ก-อ-น, so before กา whatever its tone.
        assert_eq!(dictionary_cmp("ก่อน", "กา"), Ordering::Less);
    }

    /// The order PostgreSQL 15 gives under `ICU_LOCALE 'th-TH'` for the same words.
    #[test]
    fn the_order_is_that_of_a_thai_icu_collation() {
        let icu = [
            "1",
            "๒",
            "ก",
            "กก",
            "กฎ",
            "กบ",
            "กรม",
            "กระ",
            "กะ",
            "กัน",
            "กา",
            "ก่า",
            "ก้า",
            "ก๊า",
            "ก๋า",
            "กำ",
            "กิน",
            "กู",
            "เก",
            "เก่ง",
            "เกษตร",
            "แก",
            "โก",
            "โกดัง",
            "ใกล้",
            "ไก่",
            "ขวด",
            "คน",
            "เทศบาลตำบลทดสอบ",
            "มะขาม",
            "มะเขือ",
            "ฤดู",
            "ลม",
            "องค์การบริหารส่วนตำบลแม่คะตวน",
            "อา",
            "ฮา",
            "A",
            "a_b",
            "ab",
            "adam",
            "b",
            "Zed",
        ];
        assert_eq!(sorted(&icu), icu);
    }

    #[test]
    fn digits_sort_first_then_thai_then_latin_and_digits_are_read_alike() {
        assert_eq!(sorted(&["ก", "b", "A", "๒", "1", " ก"]), [" ก", "1", "๒", "ก", "A", "b"]);
        assert_eq!(dictionary_cmp("ปี ๒๕๖๖", "ปี 2567"), Ordering::Less);
    }

    #[test]
    fn the_order_is_total_different_texts_never_compare_equal() {
        assert_eq!(dictionary_cmp("a", "A"), Ordering::Less, "lower case first");
        assert_eq!(dictionary_cmp("1", "๑"), Ordering::Less);
        assert_eq!(dictionary_cmp("เ", "เ"), Ordering::Equal);
        assert_eq!(dictionary_cmp("เก", "กเ"), Ordering::Greater);
    }

    #[test]
    fn codes_sort_by_code_point_with_thai_digits_read_as_arabic() {
        let mut v = vec!["b-2", "B-1", "๗๔๑-๐๐๒", "741-001", "741-010", "a_b", "ab"];
        sort_by_code(&mut v, |s| s);
        assert_eq!(v, ["741-001", "๗๔๑-๐๐๒", "741-010", "B-1", "a_b", "ab", "b-2"]);
    }
}
