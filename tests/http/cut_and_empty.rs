//! A report file cut off inside its last row is refused (web and command line, also when
//! replacing), and a year without measures prints a proper document saying so (staff PDF, DOCX
//! and HTML; the command line too).

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::*;
use crate::text_input::{libreoffice_text, pdf_text};

const SEED: &str = prongsai::demo::SEED_REPORT;

/// The seed cut inside its last row (the file ends in that row), at several places: just after
/// the opening '|', in the first cell, mid-word in the last cell, just before the closing '|'.
fn cuts() -> Vec<&'static str> {
    let start = SEED.rfind("\n|").unwrap() + 1;
    let chars: Vec<usize> = SEED[start..].char_indices().map(|(i, _)| start + i).collect();
    let n = chars.len();
    [1, 20, n / 2, n - 25, n - 1].iter().map(|&k| &SEED[..chars[k]]).collect()
}

fn last_row_line() -> usize {
    SEED[..SEED.rfind("\n|").unwrap() + 1].matches('\n').count() + 1
}

async fn upload(app: &TestApp, csrf: &str, text: &str, replace: bool) -> reqwest::Response {
    let mut form =
        Form::new().text("year", "2566").part("file", Part::bytes(text.as_bytes().to_vec()).file_name("report.md"));
    if replace {
        form = form.text("replace", "yes");
    }
    app.client.post(app.url(&format!("/app/measures/import?_csrf={csrf}"))).multipart(form).send().await.unwrap()
}

/// The measures and items of an organization's year, to show that nothing changed.
async fn register(app: &TestApp, org: i64) -> (i64, i64) {
    let m = app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {org} AND fiscal_year = 2566")).await;
    let i = app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org}")).await;
    (m, i)
}

crate::on_both_databases! {
    async fn a_report_cut_off_inside_its_last_row_is_refused_on_the_web_naming_the_line(app: TestApp) {
        let line = format!("บรรทัดที่ {}: แถวของตารางไม่สมบูรณ์", last_row_line());
        // Into an empty year, and over the demo organization's year with "replace".
        let csrf = app.login(OTHER_ADMIN).await;
        for cut in cuts() {
            let r = upload(&app, &csrf, cut, false).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().await.unwrap().contains(&line));
        }
        assert_eq!(register(&app, app.org_b.id.0).await, (0, 0));
        let csrf = app.login(DEMO_ADMIN).await;
        let before = register(&app, app.org_a.id.0).await;
        for cut in cuts() {
            let r = upload(&app, &csrf, cut, true).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().await.unwrap().contains(&line));
        }
        assert_eq!(register(&app, app.org_a.id.0).await, before);
    }

    async fn a_report_cut_off_inside_its_last_row_is_refused_by_the_command_line(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let before = register(&app, app.org_a.id.0).await;
        for (i, cut) in cuts().into_iter().enumerate() {
            let file = dir.path().join(format!("cut-{i}.md"));
            std::fs::write(&file, cut).unwrap();
            for args in [vec!["--org", "other-town"], vec!["--org", "mae-khatuan", "--replace"]] {
                let mut all = vec!["import", "measures", "--year", "2566"];
                all.extend(args);
                all.push(file.to_str().unwrap());
                let out = prongsai_cli(&app.db_url, &all);
                let err = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(2), "{err}");
                let line = last_row_line();
                assert!(err.contains(&format!("บรรทัดที่ {line}")) && err.contains(&format!("line {line}")), "{err}");
                assert!(err.contains("does not end with '|'") && err.contains("nothing was imported"), "{err}");
            }
        }
        assert_eq!(register(&app, app.org_b.id.0).await, (0, 0));
        assert_eq!(register(&app, app.org_a.id.0).await, before);
    }

    async fn a_year_without_measures_prints_a_document_saying_so(app: TestApp) {
        app.login(OTHER_ADMIN).await;
        let r = app.get("/app/measures/report?year=2569&format=pdf").await;
        assert_eq!(r.status(), StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("web.pdf");
        std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
        let text = pdf_text(&pdf);
        for line in ["รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส", "ของเทศบาลตำบลทดสอบ", "ประจำปีงบประมาณพ.ศ.๒๕๖๙", "ยังไม่มีมาตรการในปีงบประมาณนี้"] {
            assert!(text.contains(line), "the PDF lacks {line}: {text}");
        }

        let r = app.get("/app/measures/report?year=2569&format=docx").await;
        assert_eq!(r.status(), StatusCode::OK);
        let text = libreoffice_text(&r.bytes().await.unwrap(), dir.path());
        assert!(text.contains("ยังไม่มีมาตรการในปีงบประมาณนี้") && text.contains("ของเทศบาลตำบลทดสอบ"), "{text}");

        let html = app.get_text("/app/measures/report?year=2569&format=html").await;
        assert!(html.contains("ยังไม่มีมาตรการในปีงบประมาณนี้") && !html.contains("<table>"));

        let out_pdf = dir.path().join("cli.pdf");
        let out = prongsai_cli(&app.db_url, &["report", "measures", "--org", "other-town", "--year", "2569", "--format", "pdf", "--out", out_pdf.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(pdf_text(&out_pdf).contains("ยังไม่มีมาตรการในปีงบประมาณนี้"));
    }
}
