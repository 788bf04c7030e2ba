//! Large documents are typeset by a child `prongsai render-worker` (issue 13: the memory a large
//! render takes goes back to the system): the child's PDF reads back as the in-process one does,
//! the threshold decides which documents go, a child over its time is stopped, and a request cut
//! short is refused with a message.

use std::io::Write;

use serde_json::json;
use std::process::{Command, Stdio};
use std::time::Duration;

use prongsai::docs::MeasuresReportDoc;
use prongsai::docs::pdf::PdfEngine;
use prongsai::docs::pdf::worker::Worker;

use crate::services::pdftotext;

fn worker(above_bytes: usize, timeout: Duration) -> Worker {
    Worker { exe: env!("CARGO_BIN_EXE_prongsai").into(), above_bytes, report_above_bytes: above_bytes, timeout }
}

#[test]
fn a_document_over_the_threshold_is_typeset_by_the_child_and_reads_back_as_in_process() {
    let doc = MeasuresReportDoc::with_measures(30);
    let here = PdfEngine::new().measures_report(&doc).unwrap();
    let child = PdfEngine::new().with_worker(Some(worker(0, Duration::from_secs(120)))).measures_report(&doc).unwrap();
    let text = pdftotext(&child);
    assert!(text.contains("มาตรการ") && text.len() > 10_000, "{}", &text[..text.len().min(400)]);
    assert_eq!(text, pdftotext(&here), "the same words in the same order");
}

#[test]
fn each_threshold_decides_which_documents_go_to_the_child() {
    // A child that cannot start: whatever goes to it fails, whatever stays is typeset here.
    let gone = |above_bytes, report_above_bytes| Worker {
        exe: "/nonexistent/prongsai".into(),
        above_bytes,
        report_above_bytes,
        timeout: Duration::from_secs(5),
    };
    let went = |result: anyhow::Result<Vec<u8>>| match result {
        Ok(pdf) => {
            assert!(pdf.starts_with(b"%PDF-"));
            false
        }
        Err(error) => {
            assert!(format!("{error:#}").contains("starting the render worker /nonexistent/prongsai"), "{error:#}");
            true
        }
    };
    let doc = MeasuresReportDoc::sample();
    for (above, report_above) in [(0, 0), (0, usize::MAX), (usize::MAX, 0), (usize::MAX, usize::MAX)] {
        let engine = PdfEngine::new().with_worker(Some(gone(above, report_above)));
        assert_eq!(
            went(engine.measures_report(&doc)),
            report_above == 0,
            "the report, thresholds {above}/{report_above}"
        );
        assert_eq!(
            went(engine.render(TEMPLATE, &json!({"n": 7}))),
            above == 0,
            "a template, thresholds {above}/{report_above}"
        );
    }
}

/// A template that prints its data's `n`.
const TEMPLATE: &str = "#set text(font: \"Sarabun\")\nจำนวน #json(\"data.json\").n รายการ";

#[test]
fn a_template_with_its_data_and_files_is_typeset_by_the_child_too() {
    let engine = PdfEngine::new().with_worker(Some(worker(0, Duration::from_secs(120))));
    let template = format!("{TEMPLATE} #read(\"note.txt\")");
    let pdf = engine.render_with_files(&template, &json!({"n": 7}), &[("note.txt", "ทะเบียนพัสดุ".into())]).unwrap();
    let text: String = pdftotext(&pdf).split_whitespace().collect();
    assert!(text.contains("จำนวน7รายการทะเบียนพัสดุ"), "{text}");
}

#[test]
fn the_child_refuses_a_report_that_is_not_one_and_says_why() {
    let error = |request: &[u8]| {
        let out = render_worker(request);
        assert!(!out.status.success() && out.stdout.is_empty(), "no PDF");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let frames = |frames: &[&[u8]]| {
        let mut out = Vec::new();
        for f in frames {
            out.extend_from_slice(&(f.len() as u64).to_le_bytes());
            out.extend_from_slice(f);
        }
        out
    };
    let magic: &[u8] = b"prongsai-measures-report 1";
    let message = error(&frames(&[magic, br#"{"rows": "none"}"#]));
    assert!(message.contains("the report is not a measures report"), "{message}");
    let message = error(&frames(&[magic]));
    assert!(message.contains("the request has no report"), "{message}");
    let message = error(&frames(&[b"prongsai-render 0"]));
    assert!(message.contains("not a render request"), "{message}");
}

#[test]
fn a_child_over_its_time_is_stopped_and_says_so() {
    let started = std::time::Instant::now();
    let error = PdfEngine::new()
        .with_worker(Some(worker(0, Duration::from_millis(50))))
        .measures_report(&MeasuresReportDoc::with_measures(200))
        .unwrap_err();
    assert!(format!("{error:#}").contains("did not finish within 50ms and was stopped"), "{error:#}");
    assert!(started.elapsed() < Duration::from_secs(10), "stopped, not waited for: {:?}", started.elapsed());
}

#[test]
fn a_request_cut_short_is_refused_with_a_message() {
    let magic = b"prongsai-render 1";
    let mut request = (magic.len() as u64).to_le_bytes().to_vec();
    request.extend_from_slice(magic);
    // A template frame that claims 100 bytes and brings 3.
    request.extend_from_slice(&100u64.to_le_bytes());
    request.extend_from_slice(b"#le");
    let out = render_worker(&request);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no PDF");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("the request was cut short"), "{message}");
}

/// `prongsai render-worker` given `request` on its stdin: what it answered and how it exited.
fn render_worker(request: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .arg("render-worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(request).unwrap();
    child.wait_with_output().unwrap()
}
