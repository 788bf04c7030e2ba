//! Council meetings open to citizens (issue 16, item 4): the schedule announced in advance, seats
//! for the public taken by name and phone number only (a waiting list once they are gone, a
//! confirmation code, cancellation), check-in by QR at the door, the minutes, an iCalendar feed.
//! store.rs (meetings), registrations.rs (seats, waiting list, check-in), ics.rs (the feed,
//! pure), public.rs (/o/SLUG/council…), routes.rs (staff), checkin_routes.rs (at the door).

pub mod checkin_routes;
pub mod demo;
pub mod ics;
pub mod public;
pub mod registrations;
pub mod routes;
pub mod store;

/// The alphabet of confirmation codes: Crockford's base 32 (no I, L, O, U: nothing to misread
/// when a clerk types a code from a phone's screen).
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 12 symbols of 5 bits: 60 random bits.
pub const CODE_LEN: usize = 12;

/// A new confirmation code (60 random bits from the OS), as stored: 12 symbols, no dashes.
pub fn new_code() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; CODE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| CODE_ALPHABET[(b & 31) as usize] as char).collect()
}

/// A code as typed or read from a link: case, dashes and spaces ignored, O read as 0 and I/L as
/// 1 (Crockford); None when it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// "ABCD-EFGH-JKMN": a code as people read it.
pub fn display_code(code: &str) -> String {
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A Thai phone number as typed (Thai or Arabic digits, spaces, dashes, +66) → its 9 or 10
/// digits starting with 0; or why not (in Thai).
pub fn normalize_phone(typed: &str) -> Result<String, String> {
    let arabic = crate::thai::to_arabic_digits(typed.trim());
    let mut digits: String = arabic.chars().filter(|c| c.is_ascii_digit()).collect();
    if arabic.trim_start().starts_with('+')
        && let Some(rest) = digits.strip_prefix("66")
    {
        digits = format!("0{rest}");
    }
    let only_separators = arabic.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
    if !only_separators || !digits.starts_with('0') || !(9..=10).contains(&digits.len()) {
        return Err(format!(
            "หมายเลขโทรศัพท์ \"{}\" ไม่ถูกต้อง: กรอกเลข ๙ หรือ ๑๐ หลักที่ขึ้นต้นด้วย ๐ เช่น ๐๘๑ ๒๓๔ ๕๖๗๘",
            typed.trim()
        ));
    }
    Ok(digits)
}

/// "08x-xxx-5678": enough for its owner to recognise, not for others to call.
pub fn masked_phone(phone: &str) -> String {
    let last: String = phone.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{}xx-xxx-{last}", phone.chars().take(2).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_twelve_symbols_of_crockfords_alphabet_and_read_back_as_typed() {
        let code = new_code();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(new_code(), code, "random, not sequential");
        let shown = display_code(&code);
        assert_eq!(shown.len(), 14);
        assert_eq!(normalize_code(&shown.to_lowercase()), Some(code));
        assert_eq!(normalize_code("0O1I-L000-0000"), Some("001110000000".into()));
        assert_eq!(normalize_code("ABCD"), None);
        assert_eq!(normalize_code("ABCD-EFGH-JKMU"), None, "U is not in the alphabet");
    }

    #[test]
    fn phones_are_read_in_thai_or_arabic_digits_and_a_wrong_one_is_named() {
        assert_eq!(normalize_phone("๐๘๑-๒๓๔-๕๖๗๘"), Ok("0812345678".into()));
        assert_eq!(normalize_phone("+66 81 234 5678"), Ok("0812345678".into()));
        assert_eq!(normalize_phone("054 296 000"), Ok("054296000".into()));
        assert!(normalize_phone("812345678").unwrap_err().contains("\"812345678\""));
        assert!(normalize_phone("08123456789").is_err(), "11 digits");
        assert!(normalize_phone("081-234-5678 ต่อ 12").is_err());
        assert_eq!(masked_phone("0812345678"), "08xx-xxx-5678");
    }
}
