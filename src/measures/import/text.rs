//! The text of an uploaded report file: UTF-8 as it should be, or TIS-620 / Windows-874 as older
//! Thai Windows editors (Notepad, Word's "Plain Text") write it, converted and said so.

use super::ImportProblem;

/// Which encoding the file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Encoding {
    Utf8,
    /// TIS-620 is a subset of Windows-874, so one decoder reads both.
    Windows874,
}

impl Encoding {
    /// What the preview says about the conversion, if any.
    pub fn note_th(self) -> Option<&'static str> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Windows874 => Some("ไฟล์นี้บันทึกเป็นรหัส TIS-620/Windows-874 ระบบแปลงเป็น UTF-8 ให้แล้ว"),
        }
    }
}

/// Decodes the file. A byte-order mark is dropped (the Markdown reader also drops it).
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), ImportProblem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.strip_prefix('\u{feff}').unwrap_or(text).to_string(), Encoding::Utf8)),
        Err(e) => match thai_windows_874(bytes) {
            Some(text) => Ok((text, Encoding::Windows874)),
            None => Err(not_utf8(bytes, e.valid_up_to())),
        },
    }
}

/// The text if every byte is Windows-874 and every non-ASCII character is Thai or one of the few
/// punctuation marks the code page adds: a file in another code page (or a binary) reads as
/// nonsense and is refused rather than stored.
fn thai_windows_874(bytes: &[u8]) -> Option<String> {
    let text = encoding_rs::WINDOWS_874.decode_without_bom_handling_and_without_replacement(bytes)?;
    let thai = |c: char| ('\u{0e01}'..='\u{0e5b}').contains(&c);
    let punctuation = |c: char| "\u{a0}…‘’“”•–—€".contains(c);
    let plain_ascii = |c: char| {
        c.is_ascii() && (!c.is_ascii_control() || matches!(c, '\t' | '\n' | '\r') || crate::text::is_line_separator(c))
    };
    let fits = text.chars().all(|c| plain_ascii(c) || thai(c) || punctuation(c));
    // Vowel and tone marks sit on a Thai letter: after anything else the bytes were not Thai.
    let mark = |c: char| matches!(c, '\u{0e31}' | '\u{0e34}'..='\u{0e3a}' | '\u{0e47}'..='\u{0e4e}');
    let mut previous = ' ';
    let marks_on_letters = text.chars().all(|c| {
        let ok = !mark(c) || thai(previous);
        previous = c;
        ok
    });
    (fits && marks_on_letters && text.chars().any(thai)).then(|| text.into_owned())
}

fn not_utf8(bytes: &[u8], valid_up_to: usize) -> ImportProblem {
    let line = bytes[..valid_up_to].iter().filter(|b| **b == b'\n').count() + 1;
    ImportProblem {
        line: Some(line),
        rows: false,
        column: None,
        message_th: "ไฟล์ไม่ใช่ข้อความ UTF-8 และอ่านเป็นภาษาไทยแบบ TIS-620/Windows-874 ไม่ได้ กรุณาบันทึกไฟล์เป็น UTF-8 (ในโปรแกรมแก้ไขข้อความเลือก \"บันทึกเป็น\" แล้วเลือกการเข้ารหัส UTF-8) หรือใช้ไฟล์ Word (.docx)".into(),
        message_en: "the file is neither UTF-8 nor Thai TIS-620/Windows-874 text: save the file as UTF-8".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows_874(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(text);
        assert!(!unmappable, "the text fits the code page");
        bytes.into_owned()
    }

    #[test]
    fn the_seed_saved_in_tis_620_is_read_back_as_the_same_text_and_said_converted() {
        let seed = crate::measures::markdown::SEED;
        let (text, encoding) = decode(&windows_874(seed)).unwrap();
        assert_eq!(text, seed);
        assert_eq!(encoding, Encoding::Windows874);
        assert!(encoding.note_th().unwrap().contains("TIS-620"));
    }

    #[test]
    fn utf_8_with_a_byte_order_mark_is_read_without_it() {
        let (text, encoding) = decode("\u{feff}| ก |\r\n".as_bytes()).unwrap();
        assert_eq!((text.as_str(), encoding), ("| ก |\r\n", Encoding::Utf8));
    }

    #[test]
    fn a_file_in_neither_encoding_names_the_first_bad_line_and_the_fix() {
        let mut bytes = "บรรทัดแรก\nบรรทัดสอง\n".as_bytes().to_vec();
        // Latin-1 "é" and a byte Windows-874 leaves undefined.
        bytes.extend_from_slice(b"caf\xe9 \xfc\n");
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_thai().starts_with("บรรทัดที่ 3: "), "{}", e.to_thai());
        assert!(e.message_th.contains("บันทึกไฟล์เป็น UTF-8"));
        // Latin text in another code page decodes under Windows-874 but is not Thai.
        assert!(decode(b"na\xefve r\xe9sum\xe9\n").is_err());
    }
}
