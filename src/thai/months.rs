//! Thai month names, full and abbreviated (CLDR `th`, as official documents write them).

/// Full month names, January first.
pub const MONTHS_FULL: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// Abbreviated month names, January first.
pub const MONTHS_ABBR: [&str; 12] =
    ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];

/// The full name of month `m` (1 = มกราคม … 12 = ธันวาคม); an empty string outside 1..=12.
pub fn month_full(m: u32) -> &'static str {
    lookup(&MONTHS_FULL, m)
}

/// The abbreviated name of month `m` (1 = ม.ค. … 12 = ธ.ค.); an empty string outside 1..=12.
pub fn month_abbr(m: u32) -> &'static str {
    lookup(&MONTHS_ABBR, m)
}

fn lookup(names: &[&'static str; 12], m: u32) -> &'static str {
    // An empty name shows up visibly in a document instead of taking the server down.
    m.checked_sub(1).and_then(|i| names.get(i as usize)).copied().unwrap_or("")
}

/// The month number (1–12) of a full or abbreviated Thai month name.
///
/// Whitespace and dots are ignored, so "มี.ค", " มี.ค. " and "มีค" are all March: no two
/// names coincide once their dots are removed.
pub fn parse_month(s: &str) -> Option<u32> {
    let key: String = s.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    if key.is_empty() {
        return None;
    }
    let same = |name: &str| name.chars().filter(|c| *c != '.').eq(key.chars());
    MONTHS_FULL
        .iter()
        .position(|name| same(name))
        .or_else(|| MONTHS_ABBR.iter().position(|name| same(name)))
        .and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_numbered_from_january() {
        assert_eq!(month_full(1), "มกราคม");
        assert_eq!(month_abbr(3), "มี.ค.");
        assert_eq!(month_full(10), "ตุลาคม");
        assert_eq!(month_abbr(12), "ธ.ค.");
    }

    #[test]
    fn a_month_outside_1_to_12_has_an_empty_name() {
        assert_eq!(month_full(0), "");
        assert_eq!(month_abbr(13), "");
    }

    #[test]
    fn every_full_and_abbreviated_name_reads_back() {
        for m in 1..=12 {
            assert_eq!(parse_month(month_full(m)), Some(m));
            assert_eq!(parse_month(month_abbr(m)), Some(m));
        }
    }

    #[test]
    fn a_missing_final_dot_and_surrounding_spaces_are_tolerated() {
        assert_eq!(parse_month("มี.ค"), Some(3));
        assert_eq!(parse_month("  เม.ย. \n"), Some(4));
        assert_eq!(parse_month("ก.ย"), Some(9));
        assert_eq!(parse_month("มีค"), Some(3));
        assert_eq!(parse_month(" พฤศจิกายน "), Some(11));
    }

    #[test]
    fn similar_abbreviations_are_not_confused() {
        assert_eq!(parse_month("ม.ค."), Some(1));
        assert_eq!(parse_month("มี.ค."), Some(3));
        assert_eq!(parse_month("มิ.ย."), Some(6));
        assert_eq!(parse_month("พ.ค."), Some(5));
        assert_eq!(parse_month("พ.ย."), Some(11));
        assert_eq!(parse_month("ก.พ."), Some(2));
        assert_eq!(parse_month("ก.ค."), Some(7));
    }

    #[test]
    fn unknown_names_are_refused() {
        for bad in ["", " . ", "March", "มีนา", "ม.", "2566"] {
            assert_eq!(parse_month(bad), None, "{bad:?}");
        }
    }
}
