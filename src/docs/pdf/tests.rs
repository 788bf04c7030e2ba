//! The PDF checked with real readers (poppler-utils: `pdftotext`, `pdffonts`, `pdfinfo`).

use std::sync::LazyLock;

use super::pdf_words::{poppler, words_by_page};
use super::{KEEP_TOGETHER, PdfEngine};
use crate::docs::MeasuresReportDoc;
use crate::thai::words::words;

static ENGINE: LazyLock<PdfEngine> = LazyLock::new(PdfEngine::new);
static SAMPLE: LazyLock<Vec<u8>> =
    LazyLock::new(|| ENGINE.measures_report(&MeasuresReportDoc::sample()).expect("sample renders"));

fn text(pdf: &[u8], raw: bool) -> String {
    poppler("pdftotext", if raw { &["-raw"] } else { &[] }, pdf)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Removes every "หน้าN/M" (Thai or Arabic digits) from whitespace-free text.
fn drop_page_numbers(s: &str) -> String {
    let is_digit = |c: char| c.is_ascii_digit() || ('๐'..='๙').contains(&c);
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("หน้า") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "หน้า".len()..];
        let n = after.find(|c: char| !is_digit(c)).unwrap_or(after.len());
        let tail = &after[n..];
        match tail.strip_prefix('/') {
            Some(t) if n > 0 => {
                let m = t.find(|c: char| !is_digit(c)).unwrap_or(t.len());
                if m > 0 {
                    rest = &t[m..];
                    continue;
                }
                out.push_str("หน้า");
                rest = after;
            }
            _ => {
                out.push_str("หน้า");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn pages(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo prints Pages");
    line["Pages:".len()..].trim().parse().unwrap()
}

/// Every line the sample prints, in reading order (body cells left to right, lines top to bottom).
fn expected_body_lines(doc: &MeasuresReportDoc) -> Vec<String> {
    let mut lines: Vec<String> = doc.cover_lines.clone();
    lines.extend(doc.heading_lines.iter().cloned());
    lines.push(doc.intro.clone());
    for row in &doc.rows {
        for cell in [&row.measure, &row.methods, &row.responsible, &row.period, &row.results, &row.outcomes] {
            lines.extend(cell.iter().cloned());
        }
    }
    lines
}

#[test]
fn the_sample_report_extracts_every_line_in_reading_order() {
    let doc = MeasuresReportDoc::sample();
    let raw = squash(&text(&SAMPLE, true));
    let headers: String = doc.headers.iter().map(|h| squash(h)).collect();
    let footer = squash(&doc.footer);

    // The header row comes once per page, right after the introduction on the first body page.
    let intro_end = raw.find(&squash(&doc.intro)).expect("intro extracted") + squash(&doc.intro).len();
    assert!(raw[intro_end..].starts_with(&headers), "header row must follow the intro");

    // Page furniture (footer, page numbers, repeated header row) is removed from both sides. A row
    // that spans pages comes out as the top parts of its six cells on one page, then the rest of
    // them on the next; so each cell's text (its lines joined) must appear on the row's pages in
    // order, and may be cut only at a page break.
    let clean = |s: &str| drop_page_numbers(&squash(s).replace(&headers, "")).replace(&footer, "");
    let pages: Vec<String> = text(&SAMPLE, true).split('\u{c}').map(clean).collect();
    let (mut page, mut at) = (0, 0);
    let mut lead: Vec<String> = doc.cover_lines.clone();
    lead.extend(doc.heading_lines.iter().cloned());
    lead.push(doc.intro.clone());
    for line in &lead {
        let needle = clean(line);
        loop {
            assert!(page < pages.len(), "pdftotext -raw: line missing or out of order: {line:?}");
            if let Some(i) = pages[page][at..].find(&needle) {
                at += i + needle.len();
                break;
            }
            (page, at) = (page + 1, 0);
        }
    }
    for (r, row) in doc.rows.iter().enumerate() {
        let cells = [&row.measure, &row.methods, &row.responsible, &row.period, &row.results, &row.outcomes];
        // Where the row's text continues on each of its pages.
        let mut cursors = vec![at; 1];
        for (c, cell) in cells.iter().enumerate() {
            let lines: Vec<String> = cell.iter().map(|l| clean(l)).collect();
            let all = lines.concat();
            let mut done = 0;
            let mut q = 0;
            while done < all.len() {
                if cursors.len() <= q {
                    cursors.push(0);
                }
                let missing = || {
                    let mut n = 0;
                    let line = cell
                        .iter()
                        .zip(&lines)
                        .find(|(_, l)| {
                            n += l.len();
                            n > done
                        })
                        .unwrap()
                        .0;
                    panic!("pdftotext -raw: row {r} cell {c}: line missing or out of order: {line:?}")
                };
                let Some(text) = pages.get(page + q) else { missing() };
                let rest = &all[done..];
                let from = cursors[q];
                // The longest start of `rest` found on this page after the cursor.
                let cuts: Vec<usize> = rest.char_indices().map(|(i, _)| i).skip(1).chain([rest.len()]).collect();
                let best = cuts.iter().rev().find_map(|&k| text[from..].find(&rest[..k]).map(|i| (k, i)));
                match best {
                    Some((k, i)) => {
                        cursors[q] = from + i + k;
                        done += k;
                    }
                    // Only a row's first cell may start on a later page (the row moved whole).
                    _ if done == 0 && c == 0 => {}
                    _ => missing(),
                }
                if done < all.len() {
                    q += 1;
                }
            }
        }
        let last = cursors.len() - 1;
        (page, at) = (page + last, cursors[last]);
    }
}

#[test]
fn the_default_pdftotext_mode_has_every_word() {
    // Default mode puts lines of neighbouring cells side by side, so lines interleave; each word
    // (as the template boxed it) must still come out whole.
    let doc = MeasuresReportDoc::sample();
    let haystack = squash(&text(&SAMPLE, false));
    for line in expected_body_lines(&doc).iter().chain(doc.headers.iter()) {
        for w in words(line).into_iter().filter(|w| !w.trim().is_empty()) {
            assert!(haystack.contains(w), "pdftotext: word {w:?} of {line:?} missing");
        }
    }
}

#[test]
fn sarabun_is_embedded() {
    let fonts = poppler("pdffonts", &[], &SAMPLE);
    let sarabun: Vec<&str> = fonts.lines().filter(|l| l.contains("Sarabun")).collect();
    assert!(!sarabun.is_empty(), "{fonts}");
    for l in sarabun {
        let cols: Vec<&str> = l.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, …
        assert_eq!(cols[4], "yes", "not embedded: {l}");
    }
}

#[test]
fn lines_break_only_between_dictionary_words() {
    let doc = MeasuresReportDoc::sample();
    let source = expected_body_lines(&doc);
    let mut whole: Vec<&str> = vec!["ตำบล", "เคร่งครัด", "ปีงบประมาณ", "องค์การบริหารส่วนตำบลแม่คะตวน"];
    whole.extend(KEEP_TOGETHER);

    let raw = text(&SAMPLE, true);
    let lines: Vec<&str> = raw.lines().map(|l| l.trim_matches(|c: char| c.is_whitespace())).collect();
    for pair in lines.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        if prev.is_empty() || next.is_empty() {
            continue;
        }
        for w in &whole {
            for (k, _) in w.char_indices().skip(1) {
                assert!(
                    !(prev.ends_with(&w[..k]) && next.starts_with(&w[k..])),
                    "{w:?} split across lines: {prev:?} / {next:?}"
                );
            }
        }
        // The dictionary segments in context, so look the pair up where it occurs in the source: some
        // occurrence must have a word boundary between the two.
        let last = words(prev).into_iter().rev().find(|w| !w.trim().is_empty()).unwrap();
        let first = words(next).into_iter().find(|w| !w.trim().is_empty()).unwrap();
        let joined = format!("{last}{first}");
        let mut seen = false;
        // pdftotext drops the space a line broke at.
        let mut split_at_a_boundary = source.iter().any(|l| l.contains(&format!("{last} {first}")));
        for line in source.iter().filter(|l| l.contains(&joined)) {
            let mut bounds = std::collections::HashSet::new();
            let mut pos = 0;
            for w in words(line) {
                pos += w.len();
                bounds.insert(pos);
            }
            for (i, _) in line.match_indices(&joined) {
                seen = true;
                split_at_a_boundary |= bounds.contains(&(i + last.len()));
            }
        }
        assert!(!seen || split_at_a_boundary, "dictionary word {joined:?} split across lines: {prev:?} / {next:?}");
    }
}

/// Clusters typst 0.15.1 duplicates with Sarabun unless `fix_marks` merges the raised marks.
const HARD_WORDS: &[&str] = &["ขั้นตอน", "กั้น", "ปั้น", "ชั้น", "ตั้ง", "ฝั่ง", "ทำ", "น้ำ", "เสี่ยง", "ที่", "ญี่ปุ่น", "เรื่อง", "ทรัพย์สิน"];

#[test]
fn raised_tone_marks_are_extracted_once() {
    for raw in [false, true] {
        let t = text(&SAMPLE, raw);
        assert!(t.contains("ขั้นตอน"), "ขั้นตอน missing");
        assert!(!t.contains("ขั้ขั้"), "ขั้ duplicated (raw: {raw})");
    }
    // Every hard word, regular and bold, through the generic renderer.
    let template = r#"#set text(font: "Sarabun", size: 16pt, lang: "th")
#let w = json("data.json")
#w.join(" ")

#strong(w.join(" "))"#;
    let pdf = ENGINE.render(template, &serde_json::json!(HARD_WORDS)).unwrap();
    let expected = squash(&HARD_WORDS.concat()).repeat(2);
    for raw in [false, true] {
        assert_eq!(squash(&text(&pdf, raw)), expected, "raw: {raw}");
    }
}

#[test]
fn the_page_is_landscape_a4() {
    let info = poppler("pdfinfo", &[], &SAMPLE);
    assert!(info.contains("841.89 x 595.276 pts"), "{info}");
}

#[test]
fn a_long_report_repeats_the_header_row_on_every_page() {
    let mut doc = MeasuresReportDoc::sample();
    doc.rows = doc.rows.iter().cycle().take(doc.rows.len() * 40).cloned().collect();
    let pdf = ENGINE.measures_report(&doc).unwrap();
    let n = pages(&pdf);
    assert!(n > 40, "{n} pages");
    let headers = text(&pdf, true).matches("วิธีดำเนินการ").count();
    assert!(headers >= n - 1, "{headers} header rows on {n} pages");
}

#[test]
fn page_numbers_follow_the_digit_setting() {
    let thai = text(&SAMPLE, true);
    assert!(thai.contains("หน้า ๑ / ๓"), "{thai}");
    let doc = MeasuresReportDoc { thai_digits: false, ..MeasuresReportDoc::sample() };
    let arabic = text(&ENGINE.measures_report(&doc).unwrap(), true);
    assert!(arabic.contains("หน้า 1 / 3"), "{arabic}");
}

/// Where the text of the landscape report ends: 1.8 cm from the page's right edge, in points.
const RIGHT_MARGIN: f64 = 841.89 - 18.0 / 25.4 * 72.0;

#[test]
fn every_page_after_the_cover_is_numbered_k_of_n_and_the_number_ends_at_the_right_margin() {
    // Numbers are written in after layout (page_numbers.rs): one- and two-digit pages must both
    // read right and end where the text does (1.8 cm from the landscape page's right edge).
    let mut doc = MeasuresReportDoc::sample();
    doc.rows = doc.rows.iter().cycle().take(doc.rows.len() * 12).cloned().collect();
    // A clerk's text that looks like the placeholder is neither numbered nor counted.
    let look_alike = "๐๐๐ / ๐๐๐";
    doc.rows[0].results.push(look_alike.to_string());
    doc.cover_lines.push(look_alike.to_string());
    for thai in [true, false] {
        let doc = MeasuresReportDoc { thai_digits: thai, ..doc.clone() };
        let pages = words_by_page(&ENGINE.measures_report(&doc).unwrap());
        let n = pages.len() - 1;
        assert!(n >= 10, "{n} numbered pages: two-digit numbers are tested too");
        let digits = |k: usize| if thai { crate::thai::digits::to_thai_digits(&k.to_string()) } else { k.to_string() };
        assert!(!pages[0].iter().any(|(w, _)| w == "หน้า"), "the cover has no number");
        let kept =
            |words: &[(String, f64)]| words.iter().map(|(w, _)| w.as_str()).collect::<String>().contains("๐๐๐/๐๐๐");
        assert!(kept(&pages[0]) && kept(&pages[1]), "the look-alike stays as typed");
        for (k, words) in pages.iter().enumerate().skip(1) {
            let at = words.iter().rposition(|(w, _)| w == "หน้า").unwrap_or_else(|| panic!("page {k}: {words:?}"));
            let label: Vec<&str> = words[at..].iter().map(|(w, _)| w.as_str()).collect();
            assert_eq!(label, ["หน้า", &digits(k), "/", &digits(n)], "page {k} of {n}");
            let x_max = words.last().unwrap().1;
            assert!(
                (x_max - RIGHT_MARGIN).abs() < 1.0,
                "page {k}: the number ends at {x_max}, the margin at {RIGHT_MARGIN}"
            );
        }
    }
}

#[test]
fn a_very_long_token_stays_inside_its_cell() {
    let mut doc = MeasuresReportDoc::sample();
    let url = format!("https://www.maekhatuan.go.th/{}", "abcdefghij".repeat(17));
    let latin = "Supercalifragilisticexpialidocious-Antidisestablishmentarianism";
    doc.rows[0].outcomes.push(url.clone());
    doc.rows[0].outcomes.push(latin.to_string());
    doc.rows[0].period.push(latin.to_string());
    let pdf = ENGINE.measures_report(&doc).unwrap();
    // Nothing may pass the right margin (1.8 cm) of the landscape page.
    for (word, x_max) in words_by_page(&pdf).into_iter().flatten() {
        assert!(x_max <= RIGHT_MARGIN + 0.5, "overflows the margin: {word} ends at {x_max}");
    }
    let t = squash(&text(&pdf, true));
    assert!(t.contains(&url) && t.contains(latin));
}

#[test]
fn template_errors_are_readable() {
    let err = ENGINE.render("#let x = \n#foo(", &serde_json::json!({})).unwrap_err().to_string();
    assert!(err.contains("error:") && err.contains("main.typ:"), "{err}");
    let err = ENGINE.render("#json(\"nope.json\")", &serde_json::json!({})).unwrap_err().to_string();
    assert!(err.contains("nope.json"), "{err}");
}

#[test]
fn extra_files_are_readable_by_the_template() {
    let pdf = ENGINE
        .render_with_files(
            "#set text(font: \"Sarabun\")\n#read(\"note.txt\") #json(\"data.json\").n",
            &serde_json::json!({ "n": 7 }),
            &[("note.txt", "ป้ายทะเบียนพัสดุ".as_bytes().to_vec())],
        )
        .unwrap();
    assert_eq!(squash(&text(&pdf, true)), "ป้ายทะเบียนพัสดุ7");
}

#[test]
fn the_seed_stays_in_process_and_a_register_of_thirty_measures_goes_to_the_render_worker() {
    let size = |doc: &MeasuresReportDoc| serde_json::to_vec(doc).unwrap().len();
    let threshold = super::worker::REPORT_ABOVE_BYTES;
    let seed = size(&MeasuresReportDoc::sample());
    assert!(seed * 2 < threshold, "the seed ({seed} bytes) keeps typst's warm cache");
    let (twenty, thirty) = (size(&MeasuresReportDoc::with_measures(20)), size(&MeasuresReportDoc::with_measures(30)));
    assert!(twenty <= threshold && thirty > threshold, "20 measures: {twenty} bytes, 30: {thirty}");
}
