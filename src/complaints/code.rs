//! Tracking codes: what a citizen keeps to follow a complaint without an account.
//!
//! A code is [`LEN`] = 12 symbols of Crockford's base 32 alphabet [`ALPHABET`]
//! (`0123456789ABCDEFGHJKMNPQRSTVWXYZ`: no I, L, O, U, so nothing reads as another letter),
//! each symbol 5 bits from the operating system's random source (`OsRng`): 60 random bits, not
//! sequential and not derived from the complaint. It is stored as the 12 symbols and shown in
//! groups of four (`K7QM-3XDA-9FHT`); typed codes are read without regard to case, dashes or
//! spaces, with O read as 0 and I or L as 1.

use rand::RngCore;

/// Crockford's base 32: the digits and the letters without I, L, O, U.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code: 12 × 5 = 60 random bits.
pub const LEN: usize = 12;

/// A new random code, as stored (12 symbols, no dashes).
pub fn new_code() -> String {
    let mut bytes = [0u8; LEN];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    // 256 is a multiple of 32, so the low 5 bits of a random byte are uniform.
    bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect()
}

/// A code as typed or linked; None when it cannot be one.
pub fn normalize(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{a0}'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// "K7QM-3XDA-9FHT": a code as people read it.
pub fn display(code: &str) -> String {
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_twelve_symbols_of_crockfords_alphabet_without_look_alikes() {
        assert_eq!(ALPHABET.len(), 32);
        for c in [b'I', b'L', b'O', b'U'] {
            assert!(!ALPHABET.contains(&c));
        }
        let codes: std::collections::HashSet<String> = (0..500).map(|_| new_code()).collect();
        assert_eq!(codes.len(), 500, "random codes do not repeat");
        for code in &codes {
            assert_eq!(code.len(), LEN);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
        }
        const { assert!(LEN * 5 >= 60, "at least 60 bits") };
    }

    #[test]
    fn a_code_is_read_back_in_any_case_with_or_without_dashes() {
        let code = new_code();
        let shown = display(&code);
        assert_eq!(shown.len(), 14);
        assert_eq!(normalize(&shown), Some(code.clone()));
        assert_eq!(normalize(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(normalize(&shown.replace('-', " ")), Some(code));
        assert_eq!(normalize("0o1i-l000-0000"), Some("001110000000".into()));
        assert_eq!(normalize("ABCD-EFGH"), None);
        assert_eq!(normalize("ABCD-EFGH-JKMU"), None, "U is not in the alphabet");
        assert_eq!(normalize("ABCD-EFGH-JKMNP"), None, "13 symbols");
    }
}
