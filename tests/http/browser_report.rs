//! The public report page in headless Chromium, on a phone (360 px) and a desktop (1280 px): every
//! line end in the table falls between dictionary words (`thai::words`, PyThaiNLP's list) and never
//! inside a name the report holds, unless the word alone is wider than its cell. Chromium's own
//! dictionary would split `ผู้รับผิด|ชอบ` and `การปฏิบัติ|งาน`; the page marks our words
//! (`portal::words`).

use std::collections::BTreeSet;

use prongsai::docs::MeasuresReportDoc;
use prongsai::thai::words::words;

use crate::browser::Browser;

const REPORT: &str = "/o/mae-khatuan/ita/2566/measures";

/// For each paragraph of the table (and each header cell): its text and the UTF-16 offsets
/// where a new line starts, found from the top of each character's box.
const LINE_STARTS_JS: &str = r#"
const out = [];
for (const el of document.querySelectorAll('table thead th, table tbody p')) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let offset = 0, lastTop = null, lastHeight = 0;
  const starts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + 1);
      const rects = r.getClientRects();
      if (rects.length > 0 && rects[0].width > 0) {
        const top = rects[0].top;
        if (lastTop !== null && top > lastTop + lastHeight / 2) starts.push(offset + i);
        lastTop = top; lastHeight = rects[0].height;
      }
    }
    offset += node.length;
  }
  out.push({ text: el.textContent, starts });
}
return out;
"#;

/// A line end found inside a word or a name.
#[derive(Debug)]
struct Broken {
    word: String,
    before: String,
    after: String,
}

/// The names the seed report holds, gathered from its text independently of the page's code:
/// the organization and its place, the divisions of the responsible column.
fn known_names(doc: &MeasuresReportDoc) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ["องค์การบริหารส่วนตำบลแม่คะตวน", "แม่คะตวน"].map(String::from).into();
    for line in doc.rows.iter().flat_map(|r| &r.responsible) {
        for part in line.split(['/', ' ', '-']) {
            if part.starts_with("กอง") || part.starts_with("สำนัก") {
                names.insert(part.to_string());
            }
        }
    }
    names
}

/// Judges one paragraph's line starts (char offsets): (words broken, names broken).
fn judge(text: &str, starts: &[usize], names: &BTreeSet<String>) -> (Vec<Broken>, Vec<Broken>) {
    let chars: Vec<char> = text.chars().collect();
    // Word spans in chars.
    let mut spans = Vec::new();
    let mut at = 0;
    for w in words(text) {
        let n = w.chars().count();
        spans.push((at, at + n, w));
        at += n;
    }
    let show = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let (mut words_broken, mut names_broken) = (Vec::new(), Vec::new());
    let mut line_start = 0;
    for &s in starts {
        if let Some(&(ws, _, w)) = spans.iter().find(|(ws, we, _)| *ws < s && s < *we) {
            // A word that alone is wider than its cell starts its line and still breaks.
            let wider_than_cell = ws <= line_start;
            if !wider_than_cell {
                let before = show(line_start, s);
                words_broken.push(Broken { word: w.to_string(), before, after: show(s, (s + 12).min(chars.len())) });
            }
        }
        for name in names {
            let n: Vec<char> = name.chars().collect();
            // A name that starts its line and still breaks is wider than its cell.
            let starts_line = |i: usize| i >= line_start && chars[line_start..i].iter().all(|c| c.is_whitespace());
            let inside = (0..chars.len())
                .filter(|&i| chars[i..].starts_with(&n))
                .any(|i| i < s && s < i + n.len() && !starts_line(i));
            if inside {
                names_broken.push(Broken {
                    word: name.clone(),
                    before: show(line_start, s),
                    after: show(s, (s + 12).min(chars.len())),
                });
            }
        }
        line_start = s;
    }
    (words_broken, names_broken)
}

/// Loads the page at `width` CSS pixels and judges every line end of the table.
async fn line_ends_at(
    b: &Browser,
    url: &str,
    width: u32,
    names: &BTreeSet<String>,
) -> (usize, Vec<Broken>, Vec<Broken>) {
    b.client.set_window_size(width, 1000).await.unwrap();
    b.client.goto(url).await.unwrap();
    b.find("table tbody p").await;
    // Measure in Sarabun, the page's font, once it has loaded.
    let fonts = b
        .client
        .execute_async("document.fonts.ready.then(() => arguments[0](document.fonts.check('16px Sarabun')))", vec![])
        .await
        .unwrap();
    assert_eq!(fonts, serde_json::json!(true), "Sarabun did not load");
    let inner = b.client.execute("return window.innerWidth", vec![]).await.unwrap();
    assert_eq!(inner, serde_json::json!(width), "the viewport is not {width} px wide");
    let paragraphs = b.client.execute(LINE_STARTS_JS, vec![]).await.unwrap();
    let (mut ends, mut words_broken, mut names_broken) = (0, Vec::new(), Vec::new());
    for p in paragraphs.as_array().unwrap() {
        let text = p["text"].as_str().unwrap();
        // UTF-16 offsets from the browser to char offsets.
        let mut char_at = Vec::new();
        for (i, c) in text.chars().enumerate() {
            char_at.extend(std::iter::repeat_n(i, c.len_utf16()));
        }
        let starts: Vec<usize> =
            p["starts"].as_array().unwrap().iter().map(|s| char_at[s.as_u64().unwrap() as usize]).collect();
        ends += starts.len();
        let (w, n) = judge(text, &starts, names);
        words_broken.extend(w);
        names_broken.extend(n);
    }
    (ends, words_broken, names_broken)
}

crate::on_both_databases! {
    async fn the_public_report_breaks_lines_only_between_whole_words_on_a_phone_and_a_desktop(app: TestApp) {
        app.publish_report(2566).await;
        let Some(b) = Browser::start().await else { return };
        let names = known_names(&MeasuresReportDoc::sample());
        let mut report = String::new();
        let mut failed = false;
        for width in [360, 1280] {
            let (ends, words_broken, names_broken) = line_ends_at(&b, &app.url(REPORT), width, &names).await;
            report.push_str(&format!(
                "{width} px: {ends} line ends, {} words broken, {} names broken\n",
                words_broken.len(),
                names_broken.len()
            ));
            for f in words_broken.iter().chain(&names_broken) {
                report.push_str(&format!("    {} : …{} | {}…\n", f.word, f.before, f.after));
            }
            // The test means something only if the table wraps a lot.
            assert!(ends >= 40, "only {ends} line ends at {width} px:\n{report}");
            failed |= !words_broken.is_empty() || !names_broken.is_empty();
        }
        println!("{report}");
        b.finish().await;
        assert!(!failed, "words or names broken at line ends:\n{report}");
    }
}
