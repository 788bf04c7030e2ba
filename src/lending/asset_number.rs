//! Asset numbers (เลขครุภัณฑ์) as offices write them: their own format (`416-66-0001`,
//! `7440-001-0001/2566`, `ครภ.๐๑-๖๖`), in Thai or Arabic digits. Two spellings that differ only in
//! digit system, full-width forms or surrounding white space are the same number: [`key`] is what
//! the database compares (UNIQUE per organization) and looks up by.

use std::borrow::Cow;

/// Longest asset number accepted (a label prints it under the QR code).
pub const MAX_CHARS: usize = 40;

/// The number as stored for display: trimmed, each run of white space one space.
pub fn tidy(typed: &str) -> String {
    typed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The comparison key: Thai digits and full-width digits, slash, hyphen, dot and space become
/// their ASCII forms; white space is tidied. Migration 0009 computes the same key in SQL for the
/// numbers stored before it (which held no white space), so keep the two in step.
pub fn key(asset_number: &str) -> String {
    let ascii: String = asset_number
        .chars()
        .map(|c| match c {
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' => '-',
            '．' => '.',
            c => c,
        })
        .collect();
    tidy(&ascii)
}

/// Refuses what cannot be an asset number; any printable character is allowed (the office's own
/// format), including `/`, `#`, `?` and spaces: URLs percent-encode them ([`url_segment`]).
pub fn check(asset_number: &str) -> Result<(), String> {
    if asset_number.trim().is_empty() {
        return Err("กรุณากรอกเลขครุภัณฑ์".into());
    }
    if asset_number.chars().count() > MAX_CHARS {
        return Err(format!("เลขครุภัณฑ์ “{asset_number}” ยาวเกิน {MAX_CHARS} ตัวอักษร"));
    }
    if asset_number.chars().any(char::is_control) {
        return Err(format!("เลขครุภัณฑ์ “{}” มีอักขระควบคุมที่พิมพ์ไม่ได้", asset_number.escape_debug()));
    }
    Ok(())
}

/// The number as one URL path segment: every byte outside `A–Z a–z 0–9 - . _ ~` percent-encoded
/// (a `/` of `7440-001-0001/2566` becomes `%2F`, Thai letters their UTF-8 bytes).
pub fn url_segment(asset_number: &str) -> Cow<'_, str> {
    urlencoding::encode(asset_number)
}

/// The public page of an item, as its QR code holds it.
pub fn public_url(base: &str, org_slug: &str, asset_number: &str) -> String {
    format!("{}/o/{}/items/{}", base.trim_end_matches('/'), org_slug, url_segment(asset_number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thai_arabic_and_full_width_spellings_have_one_key() {
        let same = ["416-66-0001", "๔๑๖-๖๖-๐๐๐๑", "４１６－６６－０００１", " 416-66-0001 ", "๔๑๖-66-0001"];
        for s in same {
            assert_eq!(key(s), "416-66-0001", "{s:?}");
        }
        assert_eq!(key("7440-001-0001/๒๕๖๖"), "7440-001-0001/2566");
        assert_eq!(key("ครภ. 01  -66"), "ครภ. 01 -66");
        assert_ne!(key("416-66-0001"), key("416-66-0002"));
    }

    #[test]
    fn office_formats_with_slashes_spaces_and_marks_are_accepted() {
        for ok in ["416-66-0001", "7440-001-0001/2566", "ครภ.๐๑-๖๖", "ABC #12?", "กค 0001"] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        assert!(check("  ").is_err());
        assert!(check(&"1".repeat(41)).is_err());
        assert!(check("a\u{7}b").is_err());
    }

    #[test]
    fn a_url_holds_the_number_as_one_encoded_segment() {
        assert_eq!(
            public_url("http://x/", "mae-khatuan", "7440-001-0001/2566"),
            "http://x/o/mae-khatuan/items/7440-001-0001%2F2566"
        );
        assert_eq!(url_segment("ก #1?"), "%E0%B8%81%20%231%3F");
    }

    proptest! {
        #[test]
        fn the_key_is_a_fixed_point_and_ignores_the_digit_system(s in "[0-9A-Z/ .-]{1,20}") {
            prop_assert_eq!(key(&key(&s)), key(&s));
            prop_assert_eq!(key(&crate::thai::to_thai_digits(&s)), key(&s));
            let decoded = urlencoding::decode(&url_segment(&s)).unwrap().into_owned();
            prop_assert_eq!(decoded, s);
        }
    }
}
