//! What the board says for a call (pure): "หมายเลข เอ ศูนย์ หนึ่ง สอง เชิญที่ช่องบริการ หนึ่ง".
//!
//! The same words in two forms: a text for the device's own Thai voice (`speechSynthesis`), and
//! the names of the bundled clips (assets/audio/queue/, made by scripts/make-queue-voice.sh) that
//! play in sequence on a device without one, so that the board speaks with no internet link.
//! The ticket is read sign by sign (as Thai queues announce it); the counter's number, taken
//! from its name ("ช่องบริการ ๒" → 2), is read as a number (สิบสอง).

/// One spoken word, with a clip of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// หมายเลข
    Number,
    /// เชิญที่ช่องบริการ
    Invite,
    Digit(u8),
    /// สิบ
    Ten,
    /// ยี่ (ยี่สิบ)
    Twenty,
    /// เอ็ด (สิบเอ็ด)
    OneAfterTen,
    /// A–Z, read as Thai say them (เอ, บี, …).
    Latin(char),
    /// A Thai consonant, by its full name (กอ ไก่), so that ข and ค are told apart in a hall.
    Consonant(char),
}

const DIGITS: [&str; 10] = ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"];

const LATIN: [&str; 26] = [
    "เอ",
    "บี",
    "ซี",
    "ดี",
    "อี",
    "เอฟ",
    "จี",
    "เอช",
    "ไอ",
    "เจ",
    "เค",
    "แอล",
    "เอ็ม",
    "เอ็น",
    "โอ",
    "พี",
    "คิว",
    "อาร์",
    "เอส",
    "ที",
    "ยู",
    "วี",
    "ดับเบิลยู",
    "เอ็กซ์",
    "วาย",
    "แซด",
];

/// The 44 consonants in alphabet order with their names.
pub const CONSONANTS: [(char, &str); 44] = [
    ('ก', "กอ ไก่"),
    ('ข', "ขอ ไข่"),
    ('ฃ', "ขอ ขวด"),
    ('ค', "คอ ควาย"),
    ('ฅ', "คอ คน"),
    ('ฆ', "ฆอ ระฆัง"),
    ('ง', "งอ งู"),
    ('จ', "จอ จาน"),
    ('ฉ', "ฉอ ฉิ่ง"),
    ('ช', "ชอ ช้าง"),
    ('ซ', "ซอ โซ่"),
    ('ฌ', "ฌอ เฌอ"),
    ('ญ', "ยอ หญิง"),
    ('ฎ', "ดอ ชฎา"),
    ('ฏ', "ตอ ปฏัก"),
    ('ฐ', "ถอ ฐาน"),
    ('ฑ', "ทอ มณโฑ"),
    ('ฒ', "ทอ ผู้เฒ่า"),
    ('ณ', "นอ เณร"),
    ('ด', "ดอ เด็ก"),
    ('ต', "ตอ เต่า"),
    ('ถ', "ถอ ถุง"),
    ('ท', "ทอ ทหาร"),
    ('ธ', "ทอ ธง"),
    ('น', "นอ หนู"),
    ('บ', "บอ ใบไม้"),
    ('ป', "ปอ ปลา"),
    ('ผ', "ผอ ผึ้ง"),
    ('ฝ', "ฝอ ฝา"),
    ('พ', "พอ พาน"),
    ('ฟ', "ฟอ ฟัน"),
    ('ภ', "พอ สำเภา"),
    ('ม', "มอ ม้า"),
    ('ย', "ยอ ยักษ์"),
    ('ร', "รอ เรือ"),
    ('ล', "ลอ ลิง"),
    ('ว', "วอ แหวน"),
    ('ศ', "สอ ศาลา"),
    ('ษ', "สอ ฤๅษี"),
    ('ส', "สอ เสือ"),
    ('ห', "หอ หีบ"),
    ('ฬ', "ลอ จุฬา"),
    ('อ', "ออ อ่าง"),
    ('ฮ', "ฮอ นกฮูก"),
];

impl Word {
    /// The Thai text of the word.
    pub fn text(self) -> &'static str {
        match self {
            Word::Number => "หมายเลข",
            Word::Invite => "เชิญที่ช่องบริการ",
            Word::Digit(d) => DIGITS[usize::from(d.min(9))],
            Word::Ten => "สิบ",
            Word::Twenty => "ยี่",
            Word::OneAfterTen => "เอ็ด",
            Word::Latin(c) => LATIN[latin_index(c)],
            Word::Consonant(c) => CONSONANTS[consonant_index(c).unwrap_or(0)].1,
        }
    }

    /// The clip's file name without `.mp3` (ASCII, so URLs stay plain).
    pub fn clip(self) -> String {
        match self {
            Word::Number => "number".into(),
            Word::Invite => "invite".into(),
            Word::Digit(d) => format!("digit-{}", d.min(9)),
            Word::Ten => "ten".into(),
            Word::Twenty => "twenty".into(),
            Word::OneAfterTen => "one-after-ten".into(),
            Word::Latin(c) => format!("latin-{}", c.to_ascii_lowercase()),
            Word::Consonant(c) => format!("thai-{:02}", consonant_index(c).unwrap_or(0) + 1),
        }
    }
}

fn latin_index(c: char) -> usize {
    usize::from(c.to_ascii_uppercase() as u8 - b'A').min(25)
}

fn consonant_index(c: char) -> Option<usize> {
    CONSONANTS.iter().position(|&(k, _)| k == c)
}

/// Every word that has a clip: what the clip script makes and the server ships.
pub fn every_word() -> Vec<Word> {
    let mut words = vec![Word::Number, Word::Invite, Word::Ten, Word::Twenty, Word::OneAfterTen];
    words.extend((0..10).map(Word::Digit));
    words.extend(('A'..='Z').map(Word::Latin));
    words.extend(CONSONANTS.iter().map(|&(c, _)| Word::Consonant(c)));
    words
}

/// The words of a call of ticket `label` ("A012") to counter `counter` ("ช่องบริการ ๑").
/// Signs without a clip (a hyphen, a vowel) are left out.
pub fn call_words(label: &str, counter: &str) -> Vec<Word> {
    let mut words = vec![Word::Number];
    for c in label.chars() {
        if let Some(d) = crate::thai::digits::digit_value(c) {
            words.push(Word::Digit(d as u8));
        } else if c.is_ascii_alphabetic() {
            words.push(Word::Latin(c.to_ascii_uppercase()));
        } else if consonant_index(c).is_some() {
            words.push(Word::Consonant(c));
        }
    }
    words.push(Word::Invite);
    if let Some(n) = trailing_number(counter) {
        words.extend(number_words(n));
    }
    words
}

/// The number at the end of a counter's name, in either digit set ("ช่องบริการ ๑๒" → 12).
fn trailing_number(name: &str) -> Option<u64> {
    let digits: String = name
        .trim_end()
        .chars()
        .rev()
        .take_while(|&c| crate::thai::digits::digit_value(c).is_some())
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .collect();
    crate::thai::parse_number(&digits)
}

/// A counter number as Thai reads it: 1–99 in words (สิบเอ็ด, ยี่สิบ, สามสิบห้า); larger, sign by sign.
pub fn number_words(n: u64) -> Vec<Word> {
    let (tens, units) = ((n / 10) as u8, (n % 10) as u8);
    let mut words = Vec::new();
    match n {
        0..=9 => words.push(Word::Digit(units)),
        10..=99 => {
            match tens {
                1 => {}
                2 => words.push(Word::Twenty),
                t => words.push(Word::Digit(t)),
            }
            words.push(Word::Ten);
            match units {
                0 => {}
                1 => words.push(Word::OneAfterTen),
                u => words.push(Word::Digit(u)),
            }
        }
        _ => words.extend(n.to_string().bytes().map(|b| Word::Digit(b - b'0'))),
    }
    words
}

/// The text for a device's Thai voice. "ยี่" and "สิบ" are written together (ยี่สิบ), as read.
pub fn speech(words: &[Word]) -> String {
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| words[j]);
        let joins = match word {
            Word::OneAfterTen => true,
            Word::Ten => matches!(before, Some(Word::Digit(_) | Word::Twenty)),
            Word::Digit(_) => before == Some(Word::Ten),
            _ => false,
        };
        if i > 0 && !joins {
            out.push(' ');
        }
        out.push_str(word.text());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clips(words: &[Word]) -> Vec<String> {
        words.iter().map(|w| w.clip()).collect()
    }

    #[test]
    fn a_call_reads_the_ticket_sign_by_sign_and_the_counter_as_a_number() {
        let words = call_words("A012", "ช่องบริการ ๑");
        assert_eq!(speech(&words), "หมายเลข เอ ศูนย์ หนึ่ง สอง เชิญที่ช่องบริการ หนึ่ง");
        assert_eq!(clips(&words), ["number", "latin-a", "digit-0", "digit-1", "digit-2", "invite", "digit-1"]);
    }

    #[test]
    fn thai_letters_and_thai_digits_in_a_ticket_are_read_too() {
        let words = call_words("ข๐๐๗", "ช่องบริการ 21");
        assert_eq!(speech(&words), "หมายเลข ขอ ไข่ ศูนย์ ศูนย์ เจ็ด เชิญที่ช่องบริการ ยี่สิบเอ็ด");
        assert_eq!(clips(&words)[1], "thai-02");
    }

    #[test]
    fn counter_numbers_are_read_as_thai_says_them() {
        let said = |n| speech(&number_words(n));
        assert_eq!(said(1), "หนึ่ง");
        assert_eq!(said(10), "สิบ");
        assert_eq!(said(11), "สิบเอ็ด");
        assert_eq!(said(12), "สิบสอง");
        assert_eq!(said(20), "ยี่สิบ");
        assert_eq!(said(35), "สามสิบห้า");
        assert_eq!(said(101), "หนึ่ง ศูนย์ หนึ่ง");
        assert_eq!(speech(&call_words("A1", "ช่อง 12")), "หมายเลข เอ หนึ่ง เชิญที่ช่องบริการ สิบสอง");
    }

    #[test]
    fn a_counter_without_a_number_is_invited_by_the_words_alone() {
        let words = call_words("B001", "ช่องการเงิน");
        assert_eq!(words.last(), Some(&Word::Invite));
    }

    #[test]
    fn every_clip_a_call_can_need_is_shipped() {
        let shipped: Vec<String> = every_word().iter().map(|w| w.clip()).collect();
        for word in call_words("AZกฮ0123456789", "ช่อง 99") {
            assert!(shipped.contains(&word.clip()), "{word:?}");
        }
        for name in &shipped {
            assert!(super::super::audio::clip(name).is_some(), "clip {name}.mp3 is not in assets/audio/queue");
        }
    }

    #[test]
    fn the_clip_script_speaks_the_same_words_as_the_board() {
        // scripts/make-queue-voice.sh reads this list; the device's voice reads `Word::text`.
        let listed: Vec<(String, String)> = include_str!("../../../assets/audio/queue/words.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (clip, text) = l.split_once('\t').expect("clip<TAB>text");
                (clip.to_string(), text.to_string())
            })
            .collect();
        let ours: Vec<(String, String)> = every_word().iter().map(|w| (w.clip(), w.text().to_string())).collect();
        assert_eq!(listed, ours);
    }
}
