//! An edit of the register re-typesets what it changed, not the whole report (issue 13: the seed's
//! warm render). typst reuses a paragraph's or a cell's layout while its content and styles are
//! unchanged; a template function or footer that captures all of `data` puts the whole data into
//! every cell's styles, so any edit lays out every cell again (169 of 169 paragraphs for the seed,
//! 3× the time, when the table's lines were typst's paragraphs).

use std::process::Command;

#[test]
fn editing_the_introduction_lays_out_only_the_introduction_again() {
    let trace = tempfile::NamedTempFile::new().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(["bench", "--iterations", "0", "--typst-trace"])
        .arg(trace.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // "paragraphs typst laid out: 77 in a render from empty caches, 2 per warm render with …",
    // and the same line for the table's cells.
    let counts = |what: &str| -> [usize; 2] {
        let line = stdout.lines().find(|l| l.starts_with(what)).unwrap_or_else(|| panic!("{stdout}"));
        let numbers: Vec<usize> =
            line.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).map(|n| n.parse().unwrap()).collect();
        numbers[..].try_into().unwrap_or_else(|_| panic!("{line}"))
    };
    let [cold, warm] = counts("paragraphs typst laid out:");
    assert!(cold > 20, "the cover, the heading, the introduction and the table's headers: {cold}");
    assert!(warm <= 4, "an edited introduction must reuse the other paragraphs' layouts: {warm}");
    let [cold, warm] = counts("table cells typst laid out:");
    assert!(cold > 18, "the seed's table has 3 rows of 6 cells and its header: {cold}");
    assert_eq!(warm, 0, "an edited introduction must reuse the table's cells");
    // The trace is Chrome's JSON, for chrome://tracing or Perfetto.
    let events: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(trace.path()).unwrap()).unwrap();
    assert!(events.iter().any(|e| e["name"] == "layout document"), "{:?}", &events[..events.len().min(3)]);
}

/// `prongsai bench --template FILE --pdf-out PATH` typesets the large register with another
/// template, without a rebuild, and keeps its PDF; a template that does not compile fails the
/// command with typst's message and where it is.
#[test]
fn bench_typesets_a_large_register_with_another_template_and_keeps_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("count.typ");
    std::fs::write(
        &template,
        "#let data = json(\"data.json\")\n#set text(font: \"Sarabun\")\nแถว #data.rows.len() ช่อง #data.rows.join().len()\n",
    )
    .unwrap();
    let pdf_out = dir.path().join("r-{n}.pdf");
    let bench = |template: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_prongsai"))
            .args(["bench", "--iterations", "0", "--measures", "30", "--large-iterations", "1", "--template"])
            .arg(template)
            .arg("--pdf-out")
            .arg(&pdf_out)
            .output()
            .unwrap()
    };
    let output = bench(&template);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("30 measures: 1 pages"), "{stdout}");
    let pdf = dir.path().join("r-30.pdf");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("poppler-utils installed");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("แถว 30 ช่อง 180"), "{text}");

    let broken = dir.path().join("broken.typ");
    std::fs::write(&broken, "#let data = json(\"data.json\")\n#data.nothing_here\n").unwrap();
    let output = bench(&broken);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("nothing_here") && stderr.contains("main.typ:2"), "{stderr}");
}
