//! Every PDF the product makes, judged line end by line end (issue 12, item 5): rendered, read back
//! with `pdftotext -raw` (which keeps a table cell's lines together, in order) and each line end
//! looked up in the text that was typeset, segmented with the dictionary (`thai::words`). A line end
//! inside a word is a broken word, unless that word alone fills the line (wider than its column);
//! a line end inside a name the data knows (organization, place, people, divisions) is a broken
//! name, always.

use std::collections::BTreeSet;

use serde::Serialize;

use super::PdfEngine;
use super::pdf_words::poppler;
use crate::docs::MeasuresReportDoc;
use crate::lending::documents::{self as lending, LabelSheet, LoanForm, LoansReport, OutstandingList, SopManual};
use crate::thai::words::words;

/// One rendered document with the texts it was made from and the names it holds.
struct Rendered {
    what: &'static str,
    pdf: Vec<u8>,
    sources: Vec<String>,
}

/// Every string in `data` (the document's own struct), for looking line ends up.
fn strings<T: Serialize>(data: &T) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::to_value(data).expect("documents serialize"), &mut out);
    out
}

fn rendered<T: Serialize>(what: &'static str, data: &T, pdf: anyhow::Result<Vec<u8>>) -> Rendered {
    Rendered { what, pdf: pdf.unwrap_or_else(|e| panic!("{what}: {e:#}")), sources: strings(data) }
}

fn every_document() -> Vec<Rendered> {
    let engine = PdfEngine::new();
    let seed = MeasuresReportDoc::sample();
    let arabic = MeasuresReportDoc { thai_digits: false, ..MeasuresReportDoc::sample() };
    let (form, manual, labels) = (LoanForm::sample(), SopManual::sample(), LabelSheet::sample());
    let (report, out) = (LoansReport::sample(), OutstandingList::sample());
    let mut docs = vec![
        rendered("seed report", &seed, engine.measures_report(&seed)),
        rendered("seed report, Arabic digits", &arabic, engine.measures_report(&arabic)),
        rendered("loan form", &form, lending::loan_form(&engine, &form)),
        rendered("lending manual", &manual, lending::sop_manual(&engine, &manual)),
        rendered("QR labels", &labels, lending::label_sheet(&engine, &labels)),
        rendered("loans report", &report, lending::loans_report(&engine, &report)),
        rendered("loans still out", &out, lending::outstanding_list(&engine, &out)),
    ];
    for (what, doc) in MeasuresReportDoc::kept_style_samples() {
        docs.push(rendered(what, &doc, engine.measures_report(&doc)));
    }
    docs
}

/// The names the sample data holds: the organization, its place, people (each part of the name),
/// divisions. Gathered here from the texts, independently of what the typesetter is given.
fn known_names(sources: &[String]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for s in sources {
        for part in s.split(|c: char| c.is_whitespace() || matches!(c, '/' | '(' | ')' | ',')) {
            let is_person = ["นาย", "นาง", "นางสาว"].iter().any(|t| part.starts_with(t) && part.len() > t.len() + 3);
            if is_person || part.starts_with("กอง") || part.starts_with("สำนัก") {
                names.insert(part.to_string());
            }
        }
        // The surname after a person's first name.
        let parts: Vec<&str> = s.split_whitespace().collect();
        for pair in parts.windows(2) {
            if ["นาย", "นาง", "(นาย", "(นาง"].iter().any(|t| pair[0].starts_with(t)) {
                names.insert(pair[1].trim_end_matches(')').to_string());
            }
        }
    }
    names.extend(["องค์การบริหารส่วนตำบลแม่คะตวน", "แม่คะตวน", "ทองดี", "แก้วมา"].map(String::from));
    names.retain(|n| n.chars().count() > 2 && n.chars().all(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c)));
    names
}

/// `s` without whitespace, with the positions (in chars) where a dictionary word ends.
struct Segmented {
    chars: Vec<char>,
    bounds: BTreeSet<usize>,
    /// For each char, the word it belongs to.
    word_of: Vec<usize>,
    words: Vec<String>,
}

fn segment(s: &str) -> Segmented {
    let (mut chars, mut bounds, mut word_of, mut all) = (Vec::new(), BTreeSet::new(), Vec::new(), Vec::new());
    for w in words(s) {
        let squashed: Vec<char> = w.chars().filter(|c| !c.is_whitespace()).collect();
        if !squashed.is_empty() {
            word_of.extend(std::iter::repeat_n(all.len(), squashed.len()));
            all.push(squashed.iter().collect());
            chars.extend(squashed);
        }
        bounds.insert(chars.len());
    }
    Segmented { chars, bounds, word_of, words: all }
}

#[derive(Debug)]
struct Finding {
    word: String,
    prev: String,
    next: String,
}

/// The line ends of `doc` that fall inside a dictionary word (not wider than the line) and inside
/// a known name; and how many line ends were found in the sources at all.
fn judge(doc: &Rendered, names: &BTreeSet<String>) -> (Vec<Finding>, Vec<Finding>, usize, usize) {
    let sources: Vec<Segmented> = doc.sources.iter().map(|s| segment(s)).collect();
    let text = poppler("pdftotext", &["-raw"], &doc.pdf);
    let lines: Vec<Vec<char>> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace() && *c != '\u{c}').collect::<Vec<char>>())
        .filter(|l| !l.is_empty())
        .collect();
    let (mut broken, mut names_broken, mut judged) = (Vec::new(), Vec::new(), 0);
    for pair in lines.windows(2) {
        let (prev, next) = (&pair[0], &pair[1]);
        let show = |l: &[char]| l.iter().collect::<String>();
        // The longest context around the line end found in some source.
        let mut hits: Vec<(&Segmented, usize)> = Vec::new();
        for k in (3..=16).rev() {
            let (a, b) = (k.min(prev.len()), k.min(next.len()));
            let needle: Vec<char> = prev[prev.len() - a..].iter().chain(&next[..b]).copied().collect();
            for s in &sources {
                for i in 0..s.chars.len().saturating_sub(needle.len() - 1) {
                    if s.chars[i..i + needle.len()] == needle[..] {
                        hits.push((s, i + a));
                    }
                }
            }
            if !hits.is_empty() || (a < k && b < k) {
                break;
            }
        }
        if hits.is_empty() {
            continue;
        }
        judged += 1;
        if !hits.iter().any(|(s, at)| s.bounds.contains(at)) {
            let (s, at) = hits[0];
            let word = &s.words[s.word_of[at]];
            // A word that fills the whole line alone was wider than its column.
            let fills_line = prev.len() <= word.chars().count() && word.contains(&show(prev));
            if !fills_line {
                broken.push(Finding { word: word.clone(), prev: show(prev), next: show(next) });
            }
        }
        for name in names {
            let n: Vec<char> = name.chars().collect();
            for k in 1..n.len() {
                // A name that starts its line and still breaks is wider than its column
                // (`กองสาธารณสุข|และสิ่งแวดล้อม` in the responsible column): it must break somewhere.
                let wider_than_column = prev[..] == n[..k];
                if prev.ends_with(&n[..k]) && next.starts_with(&n[k..]) && !wider_than_column {
                    names_broken.push(Finding { word: name.clone(), prev: show(prev), next: show(next) });
                }
            }
        }
    }
    (broken, names_broken, judged, lines.len().saturating_sub(1))
}

#[test]
fn no_pdf_breaks_a_word_or_a_name_at_a_line_end() {
    let mut report = String::new();
    let (mut words_total, mut names_total, mut judged_total) = (0, 0, 0);
    for doc in every_document() {
        let names = known_names(&doc.sources);
        let (broken, names_broken, judged, ends) = judge(&doc, &names);
        report.push_str(&format!(
            "{}: {} line ends, {} judged, {} words broken, {} names broken\n",
            doc.what,
            ends,
            judged,
            broken.len(),
            names_broken.len()
        ));
        for f in broken.iter().chain(&names_broken) {
            report.push_str(&format!("    {} : {} | {}\n", f.word, f.prev, f.next));
        }
        judged_total += judged;
        words_total += broken.len();
        names_total += names_broken.len();
    }
    println!("{report}");
    // Line ends between fields (a form's labels and values) are not in any one source text; the
    // wrapped lines of the sources are, and there must be many of them for the test to mean much.
    assert!(judged_total >= 100, "only {judged_total} line ends found in the sources:\n{report}");
    assert_eq!((words_total, names_total), (0, 0), "words and names broken at line ends:\n{report}");
}
