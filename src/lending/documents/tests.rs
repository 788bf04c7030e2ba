//! The documents checked with real readers: zbarimg (zbar-tools) for the QR codes, poppler-utils
//! (`pdftoppm`, `pdftotext`, `pdffonts`, `pdfinfo`) for the rest.

use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

use super::*;
use crate::docs::pdf::PdfEngine;

static ENGINE: LazyLock<PdfEngine> = LazyLock::new(PdfEngine::new);

/// A fresh directory for one test's files. Numbered: two tests reading the same PDF at once
/// would otherwise share (and remove) one directory.
fn scratch(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("prongsai-lending-docs-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `tool` with `args` and returns its stdout; fails loudly when the tool is missing.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} must be installed (apt-get install poppler-utils zbar-tools): {e}"));
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Writes `pdf` to a temp file and runs a poppler tool on it (`pdftotext` writes to stdout).
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = scratch(&format!("{tool}-{:016x}", hash(pdf)));
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push(path.to_str().unwrap());
    if tool == "pdftotext" {
        all.push("-");
    }
    let out = run(tool, &all);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The document's text in content order (`pdftotext -raw`: tables row by row), without whitespace.
fn text(pdf: &[u8]) -> String {
    squash(&poppler("pdftotext", &["-raw"], pdf))
}

/// The text as pdftotext's default (layout-guessing) mode reads it, without whitespace.
fn default_text(pdf: &[u8]) -> String {
    squash(&poppler("pdftotext", &[], pdf))
}

fn page_text(pdf: &[u8], page: usize) -> String {
    let p = page.to_string();
    squash(&poppler("pdftotext", &["-raw", "-f", &p, "-l", &p], pdf))
}

fn pages(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo prints Pages");
    line["Pages:".len()..].trim().parse().unwrap()
}

/// Asserts that each of `needles` (whitespace ignored) occurs in `text`, each after the previous one.
fn assert_in_order<S: AsRef<str>>(text: &str, needles: &[S]) {
    let mut at = 0;
    for needle in needles {
        let needle = squash(needle.as_ref());
        match text[at..].find(&needle) {
            Some(i) => at += i + needle.len(),
            None => panic!(
                "{needle:?} is missing{}\n--- text ---\n{text}",
                if text.contains(&needle) { " after the previous field (wrong order)" } else { "" }
            ),
        }
    }
}

/// Asserts that `words` come out whole and no mark comes out twice (as in `ขั้ขั้`).
fn assert_clean_thai(text: &str, words: &[&str]) {
    for &word in words {
        assert!(text.contains(word), "{word} is missing");
    }
    assert!(!text.contains("ขั้ขั้"), "a split mark was extracted twice");
    let chars: Vec<char> = text.chars().collect();
    let is_mark = |c: char| matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}');
    for pair in chars.windows(2) {
        assert!(!(is_mark(pair[0]) && pair[0] == pair[1]), "a doubled mark {:?} in the text", pair[0]);
    }
}

static LABELS: LazyLock<Vec<u8>> = LazyLock::new(|| label_sheet(&ENGINE, &LabelSheet::sample()).unwrap());
static FORM: LazyLock<Vec<u8>> = LazyLock::new(|| loan_form(&ENGINE, &LoanForm::sample()).unwrap());
static MANUAL: LazyLock<Vec<u8>> = LazyLock::new(|| sop_manual(&ENGINE, &SopManual::sample()).unwrap());
static REPORT: LazyLock<Vec<u8>> = LazyLock::new(|| loans_report(&ENGINE, &LoansReport::sample()).unwrap());

/// Decodes every QR code on every page of `pdf` (rendered at 200 dpi), sorted.
fn decode_all(pdf: &[u8], name: &str) -> Vec<String> {
    let dir = scratch(name);
    let path = dir.join("labels.pdf");
    std::fs::write(&path, pdf).unwrap();
    run("pdftoppm", &["-r", "200", "-png", path.to_str().unwrap(), dir.join("page").to_str().unwrap()]);
    let mut found = Vec::new();
    let mut pngs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    assert!(!pngs.is_empty(), "pdftoppm made no pages");
    for png in pngs {
        let out = run("zbarimg", &["-q", "--raw", "-Sdisable", "-Sqrcode.enable", png.to_str().unwrap()]);
        found.extend(out.lines().filter(|l| !l.is_empty()).map(String::from));
    }
    let _ = std::fs::remove_dir_all(&dir);
    found.sort();
    found
}

#[test]
fn every_qr_code_on_a_sheet_of_ten_labels_decodes_to_its_items_url() {
    let sheet = LabelSheet::sample();
    assert_eq!(sheet.labels.len(), 10);
    let mut expected: Vec<String> = sheet.labels.iter().map(|l| l.url.clone()).collect();
    expected.sort();
    assert_eq!(decode_all(&LABELS, "ten"), expected);
}

#[test]
fn labels_beyond_twenty_four_continue_on_the_next_page_and_still_decode() {
    let mut sheet = LabelSheet::sample();
    let more: Vec<Label> = (0..26)
        .map(|i| Label {
            asset_number: format!("401-63-{:04}", 100 + i),
            item_name: "เก้าอี้พลาสติก".into(),
            url: format!("http://127.0.0.1:8080/o/mae-khatuan/items/401-63-{:04}", 100 + i),
        })
        .collect();
    sheet.labels = more;
    let pdf = label_sheet(&ENGINE, &sheet).unwrap();
    assert_eq!(pages(&pdf), 2);
    let mut expected: Vec<String> = sheet.labels.iter().map(|l| l.url.clone()).collect();
    expected.sort();
    assert_eq!(decode_all(&pdf, "two-pages"), expected);
}

#[test]
fn each_label_prints_its_asset_number_name_and_the_organization() {
    let sheet = LabelSheet::sample();
    let text = text(&LABELS);
    let expected: Vec<&str> =
        sheet.labels.iter().flat_map(|l| [l.asset_number.as_str(), &l.item_name, &sheet.org_short_name]).collect();
    for field in expected {
        assert!(text.contains(&squash(field)), "{field:?} is missing");
    }
    assert_eq!(text.matches(&squash(&sheet.org_short_name)).count(), 10);
}

#[test]
fn a_url_too_long_for_a_qr_code_is_an_error_not_a_panic() {
    let mut sheet = LabelSheet::sample();
    sheet.labels[3].url = format!("http://127.0.0.1:8080/{}", "a".repeat(QR_MAX_BYTES));
    let err = label_sheet(&ENGINE, &sheet).unwrap_err();
    assert!(format!("{err:#}").contains("label 4"), "{err:#}");
}

#[test]
fn qr_svg_is_an_svg_with_a_four_module_quiet_zone() {
    let svg = String::from_utf8(qr_svg("http://127.0.0.1:8080/o/mae-khatuan/items/416-66-0001")).unwrap();
    assert!(svg.contains("<svg"), "{svg}");
    let modules =
        QrCode::with_error_correction_level(b"http://127.0.0.1:8080/o/mae-khatuan/items/416-66-0001", EcLevel::M)
            .unwrap()
            .width();
    let side = (modules + 8) * 4;
    assert!(svg.contains(&format!("width=\"{side}\"")), "{svg}");
}

#[test]
fn the_loan_form_prints_every_field_in_reading_order() {
    let f = LoanForm::sample();
    let text = text(&FORM);
    let mut fields: Vec<String> = vec![
        f.loan_number.clone(),
        f.title.clone(),
        f.written_at.clone(),
        f.written_on.clone(),
        f.addressed_to.clone(),
        f.borrower_name.clone(),
        f.borrower_position.clone(),
        f.borrower_division.clone(),
    ];
    for item in &f.items {
        fields.extend([item.asset_number.clone(), item.name.clone(), item.quantity.clone()]);
    }
    fields.extend([f.purpose.clone(), "ภายในสถานที่".into(), "ภายนอกสถานที่".into(), f.place.clone()]);
    fields.extend([f.borrow_date.clone(), f.due_date.clone()]);
    fields.extend(f.rules.iter().cloned());
    fields.extend(["ผู้ยืม".into(), format!("({})", f.borrower.name.clone().unwrap())]);
    fields.extend(["ผู้อนุมัติ".into(), format!("({})", f.approver.name.clone().unwrap())]);
    fields.push(f.approver.position.clone().unwrap());
    fields.extend(["การส่งมอบพัสดุ".into(), "ผู้ส่งมอบ".into(), "การส่งคืน".into(), "วันที่ส่งคืน".into()]);
    fields.extend(["สภาพพัสดุเมื่อส่งคืน".into(), "การชดใช้ความเสียหาย".into(), "ผู้ส่งคืน".into(), "ผู้รับคืน".into()]);
    assert_in_order(&text, &fields);
    let words = ["ผู้ยืม", "พัสดุ", "ผู้อนุมัติ", "ส่งคืน", "ข้าพเจ้า", "ซ่อมแซม"];
    assert_clean_thai(&text, &words);
    assert_clean_thai(&default_text(&FORM), &words);
}

#[test]
fn a_returned_loan_prints_hand_over_and_return_details() {
    let mut f = LoanForm::sample();
    f.items[0].condition_at_handover = Some("ใช้งานได้ปกติ พร้อมสายสัญญาณ".into());
    f.handed_over_by =
        Signatory {
            name: Some("นายอนุชา แก้วมา".into()), position: Some("เจ้าพนักงานพัสดุ".into()), date: None
        };
    f.received_by =
        Signatory {
            name: Some("นายอนุชา แก้วมา".into()), position: None, date: Some("๒๐ มีนาคม ๒๕๖๗".into())
        };
    f.returned = ReturnSection {
        returned_on: Some("๒๐ มีนาคม ๒๕๖๗".into()),
        condition: Some("ผ้าใบเต็นท์ขาด ๑ จุด".into()),
        settlement: Some("ผู้ยืมซ่อมแซมให้คงสภาพเดิมแล้ว".into()),
    };
    let text = text(&loan_form(&ENGINE, &f).unwrap());
    assert_in_order(
        &text,
        &[
            "ใช้งานได้ปกติ พร้อมสายสัญญาณ",
            "(นายอนุชา แก้วมา)",
            "วันที่ส่งคืน๒๐ มีนาคม ๒๕๖๗",
            "ผ้าใบเต็นท์ขาด ๑ จุด",
            "ผู้ยืมซ่อมแซมให้คงสภาพเดิมแล้ว",
            "(นายอนุชา แก้วมา)",
        ],
    );
}

#[test]
fn the_loan_form_fits_on_one_page() {
    assert_eq!(pages(&FORM), 1);
}

#[test]
fn the_manual_prints_every_part_in_order() {
    let m = SopManual::sample();
    let text = text(&MANUAL);
    let mut lines: Vec<String> = vec![m.title.clone(), m.org_name.clone(), m.fiscal_year.clone(), m.issued_on.clone()];
    lines.extend(m.approved_by.iter().cloned());
    lines.extend(m.purpose.iter().cloned());
    lines.push(m.legal_basis_intro.clone());
    for c in &m.legal_basis {
        lines.extend([c.clause.clone(), c.text.clone()]);
    }
    lines.push(m.legal_source.clone());
    lines.extend(m.rules.iter().cloned());
    lines.push("ขั้นตอนการปฏิบัติงาน".into());
    for s in &m.steps {
        lines.extend([s.number.clone(), s.title.clone(), s.who.clone(), s.detail.clone(), s.time_standard.clone()]);
    }
    lines.push("ผังกระบวนการ".into());
    lines.push("การกำกับติดตาม".into());
    lines.extend(m.monitoring.iter().cloned());
    lines.extend(m.annex.iter().cloned());
    assert_in_order(&text, &lines);
    let words = ["ขั้นตอน", "ผู้ยืม", "พัสดุ", "ผังกระบวนการ", "หัวหน้าเจ้าหน้าที่"];
    assert_clean_thai(&text, &words);
    assert_clean_thai(&default_text(&MANUAL), &words);
}

#[test]
fn the_flowchart_is_one_page_with_every_step_and_both_decisions() {
    let m = SopManual::sample();
    let page = (1..=pages(&MANUAL))
        .find(|&p| page_text(&MANUAL, p).contains("ผังกระบวนการยืม-คืนพัสดุ"))
        .expect("a page with the flowchart heading");
    let text = page_text(&MANUAL, page);
    let f = &m.flow;
    for label in [&f.start, &f.end, &f.approved, &f.rejected, &f.rejected_end, &f.damaged, &f.yes, &f.no] {
        assert!(text.contains(&squash(label)), "{label:?} is missing from the flowchart page");
    }
    let titles: Vec<String> = m.steps.iter().map(|s| format!("{}. {}", s.number, s.title)).collect();
    assert_in_order(&text, &titles);
}

#[test]
fn a_long_procedure_is_shrunk_to_keep_the_flowchart_on_one_page() {
    let mut m = SopManual::sample();
    let extra: Vec<SopStep> = (0..6)
        .map(|i| SopStep {
            number: format!("{}", 9 + i),
            title: format!("ขั้นตอนเพิ่มเติมที่ {}", i + 1),
            who: "เจ้าหน้าที่พัสดุ".into(),
            detail: "ตรวจสอบเอกสาร".into(),
            time_standard: "๑ วันทำการ".into(),
            kind: StepKind::Process,
        })
        .collect();
    m.steps.extend(extra);
    let pdf = sop_manual(&ENGINE, &m).unwrap();
    let page = (1..=pages(&pdf))
        .find(|&p| page_text(&pdf, p).contains("ผังกระบวนการยืม-คืนพัสดุ"))
        .expect("a page with the flowchart heading");
    let text = page_text(&pdf, page);
    let mut labels: Vec<String> = vec![m.flow.start.clone()];
    labels.extend(m.steps.iter().map(|s| format!("{}. {}", s.number, s.title)));
    labels.push(m.flow.end.clone());
    assert_in_order(&text, &labels);
}

#[test]
fn the_list_of_loans_still_out_prints_every_loan_or_says_there_is_none() {
    let list = OutstandingList::sample();
    let printed = text(&outstanding_list(&ENGINE, &list).unwrap());
    let mut lines = vec![list.title.clone(), list.org_name.clone(), list.heading.clone()];
    for o in &list.loans {
        lines.extend([&o.loan_number, &o.asset_number, &o.item, &o.borrower, &o.due_date, &o.status].map(Clone::clone));
    }
    assert_in_order(&printed, &lines);
    let empty = OutstandingList { loans: Vec::new(), ..list };
    let printed = text(&outstanding_list(&ENGINE, &empty).unwrap());
    assert_in_order(&printed, &[&empty.heading, &empty.none]);
}

#[test]
fn the_published_manual_names_no_borrower() {
    let text = text(&MANUAL);
    for o in &OutstandingList::sample().loans {
        assert!(!text.contains(&o.borrower), "the manual names {}", o.borrower);
    }
}

#[test]
fn the_loans_report_prints_the_summary_every_loan_and_the_utilization() {
    let r = LoansReport::sample();
    let text = text(&REPORT);
    let s = &r.summary;
    let mut lines: Vec<String> = vec![r.title.clone(), r.org_name.clone(), r.period.clone()];
    lines.extend([&s.loans, &s.returned_on_time, &s.overdue, &s.damage_cases].map(Clone::clone));
    for l in &r.loans {
        lines.extend([&l.number, &l.item, &l.borrower, &l.borrowed_on, &l.due_on].map(Clone::clone));
        lines.extend(l.returned_on.clone());
        lines.push(l.status.clone());
    }
    for u in &r.utilization {
        lines.extend([&u.item, &u.loans, &u.days_out, &u.percent].map(Clone::clone));
    }
    assert_in_order(&text, &lines);
    assert_clean_thai(&default_text(&REPORT), &["ผู้ยืม", "พัสดุ", "ชำรุด", "ร้อยละ"]);
}

#[test]
fn the_loans_report_is_landscape_a4() {
    let info = poppler("pdfinfo", &[], &REPORT);
    assert!(info.contains("841.89 x 595.276 pts"), "{info}");
}

#[test]
fn sarabun_is_embedded_in_every_document() {
    for (name, pdf) in [("labels", &*LABELS), ("form", &*FORM), ("manual", &*MANUAL), ("report", &*REPORT)] {
        let fonts = poppler("pdffonts", &[], pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{name}: no fonts\n{fonts}");
        for row in rows {
            assert!(row.contains("Sarabun"), "{name}: a font other than Sarabun\n{fonts}");
            // Columns: name, type, encoding, emb, sub, uni, object ID (two numbers): "emb" is 5th from the end.
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{name}: Sarabun is not embedded\n{fonts}");
        }
    }
}

#[test]
fn the_decision_on_record_ticks_its_box_and_a_pending_one_ticks_none() {
    let mut f = LoanForm::sample();
    assert_eq!(json::loan_form(&f)["decision"], serde_json::json!(true));
    f.decision = Some(false);
    assert_eq!(json::loan_form(&f)["decision"], serde_json::json!(false));
    f.decision = None;
    assert!(json::loan_form(&f)["decision"].is_null());
    f.place_kind = PlaceKind::Agency;
    f.borrower_is_agency = true;
    let data = json::loan_form(&f);
    assert_eq!(
        (data["outside"].clone(), data["agency_use"].clone()),
        (serde_json::json!(false), serde_json::json!(true))
    );
}

#[test]
fn an_agency_form_prints_the_agency_and_no_persons_place_boxes() {
    let mut f = LoanForm::sample();
    f.place_kind = PlaceKind::Agency;
    f.borrower_is_agency = true;
    f.borrower_name = "โรงพยาบาลส่งเสริมสุขภาพตำบลแม่คะตวน".into();
    let text = text(&loan_form(&ENGINE, &f).unwrap());
    assert_in_order(&text, &["หน่วยงาน", "โรงพยาบาลส่งเสริมสุขภาพตำบลแม่คะตวน", "ยืมระหว่างหน่วยงานของรัฐ"]);
    assert!(!text.contains("ข้าพเจ้า") && !text.contains("ภายนอกสถานที่"));
}

#[test]
fn every_page_of_the_lists_and_the_manual_is_numbered_k_of_n_in_the_digits_asked() {
    // The numbers are written in after layout (docs/pdf/page_numbers.rs), so each is checked as a
    // reader reads it: the report and the list long enough for two-digit pages, the manual after
    // its cover, which is neither numbered nor counted.
    use crate::docs::pdf::pdf_words::{numbered, page_labels};
    let mut report = LoansReport::sample();
    report.loans = report.loans.iter().cycle().take(report.loans.len() * 60).cloned().collect();
    let mut list = OutstandingList::sample();
    list.loans = list.loans.iter().cycle().take(list.loans.len() * 150).cloned().collect();
    for thai in [true, false] {
        let report = LoansReport { thai_digits: thai, ..report.clone() };
        let labels = page_labels(&loans_report(&ENGINE, &report).unwrap());
        assert!(labels.len() >= 10, "{} pages: two-digit numbers are tested too", labels.len());
        assert_eq!(labels, numbered(labels.len(), thai, false), "loans report, Thai digits: {thai}");

        let list = OutstandingList { thai_digits: thai, ..list.clone() };
        let labels = page_labels(&outstanding_list(&ENGINE, &list).unwrap());
        assert!(labels.len() >= 10, "{} pages", labels.len());
        assert_eq!(labels, numbered(labels.len(), thai, false), "list of loans out, Thai digits: {thai}");

        let manual = SopManual { thai_digits: thai, ..SopManual::sample() };
        let labels = page_labels(&sop_manual(&ENGINE, &manual).unwrap());
        assert_eq!(labels[0], None, "the manual's cover has no number");
        assert_eq!(labels[1..], numbered(labels.len() - 1, thai, false), "manual, Thai digits: {thai}");
    }
}

#[test]
fn a_manual_kept_before_page_numbers_were_written_in_after_layout_still_prints_numbered() {
    // An issued version keeps the data it was typeset from; one kept by an earlier release has no
    // placeholder for the page numbers.
    use crate::docs::pdf::pdf_words::{numbered, page_labels};
    for thai in [true, false] {
        let mut data = sop_manual_data(&SopManual { thai_digits: thai, ..SopManual::sample() });
        data.as_object_mut().unwrap().remove("page_placeholder").expect("this release writes a placeholder");
        let labels = page_labels(&sop_manual_from_data(&ENGINE, &data).unwrap());
        assert_eq!(labels[0], None, "the cover has no number");
        assert_eq!(labels[1..], numbered(labels.len() - 1, thai, false), "Thai digits: {thai}");
    }
}
