//! For tests: a PDF as real readers (poppler-utils: `pdftotext`, `pdffonts`, `pdfinfo`) find it;
//! its words page by page, and the page-number label each page ends with.

use std::process::Command;

/// Runs a poppler tool on `pdf` (written to a temp file) and returns its stdout.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    // A file of its own per call: tests run in parallel and may read the same PDF at once.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} must be installed (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A word as pdftotext finds it: its text and its box in points (y down from the page's top).
pub struct WordBox {
    pub text: String,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
}

/// Each page's words with their boxes, page by page.
pub fn boxes_by_page(pdf: &[u8]) -> Vec<Vec<WordBox>> {
    let bbox = poppler("pdftotext", &["-bbox"], pdf);
    let attr = |line: &str, name: &str| -> f64 {
        line.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for line in bbox.lines() {
        if line.trim_start().starts_with("<page ") {
            pages.push(Vec::new());
        } else if line.contains("<word ") {
            let text = line.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            let [x_min, y_min, x_max, y_max] = ["xMin", "yMin", "xMax", "yMax"].map(|name| attr(line, name));
            pages.last_mut().unwrap().push(WordBox { text, x_min, y_min, x_max, y_max });
        }
    }
    pages
}

/// Each page's words: (text, xMax in points), page by page.
pub fn words_by_page(pdf: &[u8]) -> Vec<Vec<(String, f64)>> {
    boxes_by_page(pdf).into_iter().map(|page| page.into_iter().map(|w| (w.text, w.x_max)).collect()).collect()
}

/// Each page's label: its words from the last "หน้า" to the end (`["หน้า", "๒", "/", "๕"]`), or
/// None for a page without one.
pub fn page_labels(pdf: &[u8]) -> Vec<Option<Vec<String>>> {
    words_by_page(pdf)
        .into_iter()
        .map(|words| {
            let at = words.iter().rposition(|(w, _)| w == "หน้า")?;
            Some(words[at..].iter().map(|(w, _)| w.clone()).collect())
        })
        .collect()
}

/// The labels of a document of `n` pages, all numbered: "หน้า k / n", or "หน้า k" with `page_only`.
pub fn numbered(n: usize, thai_digits: bool, page_only: bool) -> Vec<Option<Vec<String>>> {
    let digits =
        |k: usize| if thai_digits { crate::thai::digits::to_thai_digits(&k.to_string()) } else { k.to_string() };
    (1..=n)
        .map(|k| {
            let mut label = vec!["หน้า".to_string(), digits(k)];
            if !page_only {
                label.extend(["/".to_string(), digits(n)]);
            }
            Some(label)
        })
        .collect()
}
