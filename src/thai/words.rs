//! Thai word segmentation for line breaking: PyThaiNLP's newmm (the `nlpo3` crate) over PyThaiNLP's
//! word list (`assets/thai/words_th.txt`, 62,107 entries, CC0-1.0).
//!
//! ICU4X's dictionary segmenter (which typst's LSTM line breaker is worse than) still splits common
//! compounds: `หน่วย|งาน`, `ผู้รับ|ผิดชอบ`, `ความพึง|พอใจ`, `สุข|อนามัย`, `ส่วน|รวม`. The PyThaiNLP
//! list has them, and newmm (maximal matching on Thai character clusters) keeps them whole; measured
//! against ICU4X with the same list merged over its boundaries in `docs/benchmarks.md`. Names the
//! list cannot know (`แม่คะตวน`, surnames) are kept whole by the caller (`docs::pdf::line_items`).

use std::sync::LazyLock;

use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use nlpo3::tokenizer::newmm::NewmmTokenizer;
use nlpo3::tokenizer::tokenizer_trait::Tokenizer as _;

/// The word list, one word a line (PyThaiNLP 5.4.0 `corpus/words_th.txt`).
pub const WORD_LIST: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/thai/words_th.txt"));

/// Built once (about 40 ms in a release build; [`warm_up`] starts it with the server): the list is
/// read into newmm's trie, straight from the binary's own copy of it (4 MB; nlpo3's own trie took
/// 61 MB, `vendor/nlpo3/PRONGSAI.md`).
static NEWMM: LazyLock<NewmmTokenizer> =
    LazyLock::new(|| NewmmTokenizer::from_words(WORD_LIST.lines().filter(|w| !w.is_empty())));

/// Loads the word list on a thread of its own, so that the first document a server typesets does
/// not wait for it.
pub fn warm_up() {
    std::thread::spawn(|| LazyLock::force(&NEWMM));
}

/// ICU4X's dictionary segmenter: the fallback should newmm ever fail on a text.
static ICU: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(Default::default()));

/// Splits `text` into words. Runs of whitespace and punctuation marks are tokens of their own, so
/// concatenating the tokens gives back `text` exactly.
pub fn words(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    match NEWMM.segment(text, false, false) {
        Ok(tokens) if tokens.concat() == text => {
            let mut out = Vec::with_capacity(tokens.len());
            let mut at = 0;
            for t in tokens.iter().filter(|t| !t.is_empty()) {
                out.push(&text[at..at + t.len()]);
                at += t.len();
            }
            out
        }
        _ => icu_words(text),
    }
}

/// ICU4X's dictionary segmentation of `text` (the segmentation before newmm, kept as the fallback
/// and for the comparison in the benchmarks).
pub fn icu_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut last = 0;
    for i in ICU.segment_str(text) {
        if i > last {
            out.push(&text[last..i]);
        }
        last = i;
    }
    if last < text.len() {
        out.push(&text[last..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn the_organization_type_is_one_word_and_the_place_name_unknown() {
        // The place name is not in the list: the typesetter is given it as a name to keep whole.
        assert_eq!(words("องค์การบริหารส่วนตำบลแม่คะตวน"), ["องค์การบริหารส่วนตำบล", "แม่", "คะ", "ตวน"]);
        assert_eq!(super::icu_words("องค์การบริหารส่วนตำบล"), ["องค์การ", "บริหาร", "ส่วน", "ตำบล"]);
    }

    #[test]
    fn compounds_the_line_breaker_splits_stay_whole() {
        assert_eq!(words("ปีงบประมาณ"), ["ปีงบประมาณ"]);
        assert!(words("ให้บุคลากรถือปฏิบัติอย่างเคร่งครัด").contains(&"เคร่งครัด"));
    }

    /// The words issue 12 saw broken at line ends (the ICU4X dictionary splits every one of them).
    #[test]
    fn the_words_seen_broken_are_single_words() {
        for (text, word) in [
            ("บุคลากรภายในหน่วยงานมีการขออนุญาต", "หน่วยงาน"),
            ("เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ", "ผู้รับผิดชอบ"),
            ("มีจุดประเมินผลความพึงพอใจ", "ความพึงพอใจ"),
            ("ได้ใช้ห้องน้ำมีสะอาด ถูกสุขอนามัย", "สุขอนามัย"),
            ("ทำงานอย่างตรงไปตรงมา", "ตรงไปตรงมา"),
            ("ประโยชน์ส่วนตนและส่วนรวมได้", "ส่วนรวม"),
            ("มีการจัดแสงสว่างอย่างเพียงพอ", "แสงสว่าง"),
        ] {
            assert!(words(text).contains(&word), "{word} in {:?}", words(text));
            assert!(!super::icu_words(text).contains(&word), "ICU4X now keeps {word}: drop it from this list");
        }
    }

    /// The vendored nlpo3 (`vendor/nlpo3`: a flat trie, 4 MB instead of 61) segments exactly as
    /// nlpo3 1.4.0 from crates.io: a 200-measure register's text, the word list glued in runs of
    /// one to seven words, and every word with its last char changed (a word the list lacks).
    #[test]
    fn the_compact_dictionary_segments_as_nlpo3_itself() {
        use nlpo3::tokenizer::tokenizer_trait::Tokenizer as _;
        use nlpo3_upstream::tokenizer::newmm::NewmmTokenizer as Upstream;
        use nlpo3_upstream::tokenizer::tokenizer_trait::Tokenizer as _;
        let list: Vec<&str> = super::WORD_LIST.lines().filter(|w| !w.is_empty()).collect();
        let upstream = Upstream::from_word_list(list.iter().map(|w| w.to_string()).collect());
        let doc = crate::docs::MeasuresReportDoc::with_measures(200);
        let mut texts: Vec<String> = doc.rows.iter().flat_map(|r| r.cells()).flatten().cloned().collect();
        texts.extend(doc.cover_lines.iter().chain([&doc.intro]).cloned());
        let mut start = 0;
        for run in (1..=7).cycle() {
            if start >= list.len() {
                break;
            }
            let end = (start + run).min(list.len());
            texts.push(list[start..end].concat());
            start = end;
        }
        texts.extend(list.iter().map(|w| format!("{}ก", &w[..w.char_indices().last().map_or(0, |(at, _)| at)])));
        assert!(texts.len() > 70_000, "{} texts", texts.len());
        for text in &texts {
            let ours = super::NEWMM.segment(text, false, false).unwrap();
            assert_eq!(ours, upstream.segment(text, false, false).unwrap(), "{text}");
        }
    }

    #[test]
    fn spaces_are_tokens_of_their_own() {
        let w = words("ITA ของ  อบต.");
        assert_eq!(w.concat(), "ITA ของ  อบต.");
        assert!(w.contains(&"ITA") && w.contains(&" ") && w.contains(&"ของ") && w.contains(&"  "), "{w:?}");
    }

    #[test]
    fn concatenating_the_words_gives_back_the_text() {
        for text in [
            "",
            " ",
            "องค์การบริหารส่วนตำบลแม่คะตวน",
            "ปีงบประมาณ พ.ศ. ๒๕๖๖",
            "ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA ขององค์การบริหารส่วนตำบลแม่คะตวน (Free WiFi) ต่างๆ",
            "https://example.com/a/very/long/path?x=1 ",
            "ก\u{0E31}\u{0E49}\u{200B}x\r\n\t๑,๒๓๔.๕ ฯลฯ",
        ] {
            assert_eq!(words(text).concat(), text);
            assert!(words(text).iter().all(|w| !w.is_empty()));
        }
    }
}
