//! Thai (๐–๙) and Arabic (0–9) digits: conversion, parsing and formatting.

use serde::{Deserialize, Serialize};

/// The digit set a document is written in.
///
/// Thai is the default because a cabinet resolution (2 May 2543) asks agencies to promote Thai
/// digits; Arabic digits remain allowed (finance tables, URLs), so each document offers the choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Digits {
    /// ๐๑๒๓๔๕๖๗๘๙
    #[default]
    Thai,
    /// 0123456789
    Arabic,
}

impl Digits {
    /// Rewrites every digit of `s`, of either set, into this set; everything else is kept.
    pub fn apply(&self, s: &str) -> String {
        match self {
            Digits::Thai => to_thai_digits(s),
            Digits::Arabic => to_arabic_digits(s),
        }
    }
}

const THAI_DIGITS: [char; 10] = ['๐', '๑', '๒', '๓', '๔', '๕', '๖', '๗', '๘', '๙'];

/// The value of a digit of either set (`'7'` or `'๗'` → 7); `None` for any other character.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '๐'..='๙' => Some(c as u32 - '๐' as u32),
        _ => None,
    }
}

/// Replaces 0–9 by ๐–๙ and leaves every other character as it is.
pub fn to_thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => THAI_DIGITS[(c as u32 - '0' as u32) as usize],
            _ => c,
        })
        .collect()
}

/// Replaces ๐–๙ by 0–9 and leaves every other character as it is.
pub fn to_arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            // The range guarantees a value of 0..=9, so the cast cannot truncate.
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// Reads a non-negative whole number written with Thai digits, Arabic digits or a mix of both.
///
/// Surrounding whitespace is ignored and thousands commas are accepted when they are placed
/// correctly (`๑,๒๓๔`), so the output of [`format_grouped`] reads back. Returns `None` for an empty
/// string, any other character, misplaced commas or a value above `u64::MAX`.
pub fn parse_number(s: &str) -> Option<u64> {
    let s = s.trim();
    let mut groups = s.split(',');
    let first = groups.next()?;
    if s.contains(',') && !(1..=3).contains(&first.chars().count()) {
        return None;
    }
    let mut n = parse_digits(first)?;
    for group in groups {
        if group.chars().count() != 3 {
            return None;
        }
        // A 3-digit group never overflows on its own, so reading it alone is safe.
        let value = parse_digits(group)?;
        n = n.checked_mul(1000)?.checked_add(value)?;
    }
    Some(n)
}

/// Reads a non-empty run of digits (either set) with nothing else around it.
pub(super) fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.chars().try_fold(0u64, |n, c| n.checked_mul(10)?.checked_add(u64::from(digit_value(c)?)))
}

/// Splits `s` into its leading run of digits (either set) and the rest.
pub(super) fn split_leading_digits(s: &str) -> (&str, &str) {
    let end = s.char_indices().find(|(_, c)| digit_value(*c).is_none()).map_or(s.len(), |(i, _)| i);
    s.split_at(end)
}

/// Splits `s` into the rest and its trailing run of digits (either set).
pub(super) fn split_trailing_digits(s: &str) -> (&str, &str) {
    let start =
        s.char_indices().rev().take_while(|(_, c)| digit_value(*c).is_some()).last().map_or(s.len(), |(i, _)| i);
    s.split_at(start)
}

/// Writes `n` without grouping (`๒๕๖๖`), as years and day numbers are written.
pub fn format_int(n: i64, digits: Digits) -> String {
    digits.apply(&n.to_string())
}

/// Writes `n` with thousands commas (`๑,๒๓๔`), as amounts are written in official documents.
pub fn format_grouped(n: i64, digits: Digits) -> String {
    // unsigned_abs keeps i64::MIN from overflowing.
    let magnitude = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(magnitude.len() + magnitude.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in magnitude.chars().enumerate() {
        if i > 0 && (magnitude.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    digits.apply(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thai_is_the_default_digit_set() {
        assert_eq!(Digits::default(), Digits::Thai);
    }

    #[test]
    fn digits_serialize_as_their_variant_names() {
        assert_eq!(serde_json::to_string(&Digits::Arabic).ok().as_deref(), Some("\"Arabic\""));
        let back: Digits = serde_json::from_str("\"Thai\"").expect("valid json");
        assert_eq!(back, Digits::Thai);
    }

    #[test]
    fn only_digits_are_converted_to_thai() {
        assert_eq!(to_thai_digits("FY 2566, ม.3 - 10%"), "FY ๒๕๖๖, ม.๓ - ๑๐%");
    }

    #[test]
    fn only_thai_digits_are_converted_to_arabic() {
        assert_eq!(to_arabic_digits("พ.ศ. ๒๕๖๖ (x9)"), "พ.ศ. 2566 (x9)");
    }

    #[test]
    fn apply_converts_either_set_into_the_chosen_one() {
        assert_eq!(Digits::Thai.apply("1๒3"), "๑๒๓");
        assert_eq!(Digits::Arabic.apply("1๒3"), "123");
    }

    #[test]
    fn a_number_may_mix_thai_and_arabic_digits() {
        assert_eq!(parse_number("๒5๖6"), Some(2566));
        assert_eq!(parse_number("  ๐๐7 "), Some(7));
    }

    #[test]
    fn a_number_with_anything_but_digits_is_refused() {
        for bad in ["", " ", "-1", "+1", "1.5", "12a", "๑ ๒"] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_number_above_u64_max_is_refused_not_wrapped() {
        assert_eq!(parse_number("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_number("18446744073709551616"), None);
    }

    #[test]
    fn correctly_placed_thousands_commas_are_accepted() {
        assert_eq!(parse_number("๑,๒๓๔"), Some(1234));
        assert_eq!(parse_number("12,345,678"), Some(12_345_678));
        for bad in ["12,34", ",123", "1234,567", "1,", "1,,234"] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn format_int_does_not_group() {
        assert_eq!(format_int(2566, Digits::Thai), "๒๕๖๖");
        assert_eq!(format_int(-45, Digits::Arabic), "-45");
    }

    #[test]
    fn format_grouped_puts_a_comma_every_three_digits() {
        assert_eq!(format_grouped(1234, Digits::Thai), "๑,๒๓๔");
        assert_eq!(format_grouped(999, Digits::Arabic), "999");
        assert_eq!(format_grouped(1_000_000, Digits::Arabic), "1,000,000");
        assert_eq!(format_grouped(-1234, Digits::Arabic), "-1,234");
        assert_eq!(format_grouped(0, Digits::Thai), "๐");
        assert_eq!(format_grouped(i64::MIN, Digits::Arabic), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn split_digits_finds_runs_of_either_set() {
        assert_eq!(split_leading_digits("1๒ ต.ค."), ("1๒", " ต.ค."));
        assert_eq!(split_trailing_digits("ต.ค. ๖5"), ("ต.ค. ", "๖5"));
        assert_eq!(split_trailing_digits("ต.ค."), ("ต.ค.", ""));
    }

    proptest! {
        #[test]
        fn converting_to_thai_then_arabic_equals_converting_to_arabic(s in any::<String>()) {
            prop_assert_eq!(to_arabic_digits(&to_thai_digits(&s)), to_arabic_digits(&s));
        }

        #[test]
        fn converting_digit_heavy_strings_round_trips(s in "[0-9๐-๙a-zก-ฮ .,]{0,40}") {
            prop_assert_eq!(to_arabic_digits(&to_thai_digits(&s)), to_arabic_digits(&s));
            prop_assert_eq!(to_thai_digits(&to_arabic_digits(&s)), to_thai_digits(&s));
        }

        #[test]
        fn grouped_numbers_read_back(n in 0i64.., thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(parse_number(&format_grouped(n, digits)), Some(n.unsigned_abs()));
            prop_assert_eq!(parse_number(&format_int(n, digits)), Some(n.unsigned_abs()));
        }
    }
}
