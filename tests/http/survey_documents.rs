//! The survey's documents through the real binary (issue 15): the QR posters decode to the
//! form's absolute URLs, the executives' PDF reads back with pdftotext, the XLSX opens in
//! LibreOffice with sums that match its summary, and a measure cites the live result.

use std::process::Command;

use prongsai::survey::scale::Scale;
use prongsai::survey::visits::Place;
use reqwest::StatusCode;

use crate::harness::{cli_ok, prongsai_cli};
use crate::survey_answers::{full_form, new_survey, token};

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("poppler-utils installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

crate::on_both_databases! {
    async fn the_posters_decode_to_each_point_and_service_form(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("poster.pdf");
        let out = Command::new(env!("CARGO_BIN_EXE_prongsai"))
            .args(["survey", "poster", "--org", "mae-khatuan", "--paper", "a5", "--out", pdf.to_str().unwrap()])
            .env("DATABASE_URL", app.db_url.expose())
            .env("PRONGSAI_PUBLIC_URL", "https://maekhatuan.go.th/")
            .env("PRONGSAI_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut decoded = crate::harness::qr_codes_in_pdf(&pdf);
        decoded.sort();
        let org = app.org_a.id;
        let survey = prongsai::survey::store::main_survey(&app.db, org).await.unwrap().unwrap().id;
        let point = prongsai::queue::store::points(&app.db, org).await.unwrap()[0].id;
        let services = prongsai::queue::store::point_services(&app.db, org, point).await.unwrap();
        let base = format!("https://maekhatuan.go.th/o/mae-khatuan/survey/{survey}?point={point}");
        let mut expected: Vec<String> =
            std::iter::once(base.clone()).chain(services.iter().map(|s| format!("{base}&service={}", s.service_id))).collect();
        expected.sort();
        assert_eq!(decoded, expected);
        // Each decoded URL's path opens the form with its place named.
        let path = expected.last().unwrap().trim_start_matches("https://maekhatuan.go.th");
        let form = app.get_text(path).await;
        assert!(form.contains("งานบริการ:"), "{form}");
        // Without a public URL, nothing is printed.
        let out = Command::new(env!("CARGO_BIN_EXE_prongsai"))
            .args(["survey", "poster", "--org", "mae-khatuan", "--out", dir.path().join("x.pdf").to_str().unwrap()])
            .env("DATABASE_URL", app.db_url.expose())
            .env_remove("PRONGSAI_PUBLIC_URL")
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(!dir.path().join("x.pdf").exists());
    }

    async fn the_yearly_report_reads_back_and_the_xlsx_sums_match(app: TestApp) {
        let org = app.org_b.clone();
        let survey = new_survey(&app, org.id, "ความพึงพอใจงานทะเบียน", Scale::EqualWidth).await;
        let mut sum_first = 0;
        for (i, levels) in [[5u8], [4u8], [3u8], [5u8]].iter().enumerate() {
            let t = token(&app, org.id, survey, Place::default()).await;
            let mut form = full_form(levels);
            if i == 0 {
                form.push(("comment".into(), "ขอบคุณเจ้าหน้าที่งานทะเบียน".into()));
            }
            if i == 1 {
                // What a spreadsheet would run as a formula.
                form.push(("comment".into(), "=1+1".into()));
            }
            let r = app.client.post(app.url(&format!("/o/{}/survey/v/{t}", org.slug))).form(&form).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            sum_first += i64::from(levels[0]);
        }
        let year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be().to_string();
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report.pdf");
        cli_ok(&prongsai_cli(&app.db_url, &["survey", "report", "--org", &org.slug, "--year", &year, "--format", "pdf", "--out", pdf.to_str().unwrap()]));
        let text = pdftotext(&pdf);
        // 17 of 4 × 13: (5 + 4 + 3 + 5) / 4 = 4.25 → มากที่สุด under the 0.80 bands.
        for expected in ["รายงานผลการประเมินความพึงพอใจของผู้รับบริการ", "ความพึงพอใจงานทะเบียน", "ค่าเฉลี่ย ๔.๒๕ ระดับ มากที่สุด (n = ๔)",
            "ด้านกระบวนการและขั้นตอนการให้บริการ", "ขอบคุณเจ้าหน้าที่งานทะเบียน", "ความเห็นของผู้บริหาร", "(ลงชื่อ)"] {
            assert!(text.contains(expected), "{expected} in\n{text}");
        }
        // The order a reader meets: summary, items, comments, the executive's block.
        let at = |s: &str| text.find(s).unwrap();
        assert!(at("สรุปผล") < at("ผลการประเมินรายด้านและรายข้อ"));
        assert!(at("ผลการประเมินรายด้านและรายข้อ") < at("ขอบคุณเจ้าหน้าที่งานทะเบียน"));
        assert!(at("ขอบคุณเจ้าหน้าที่งานทะเบียน") < at("ความเห็นของผู้บริหาร"));

        let xlsx = dir.path().join("answers.xlsx");
        cli_ok(&prongsai_cli(&app.db_url, &["survey", "report", "--org", &org.slug, "--year", &year, "--format", "xlsx", "--out", xlsx.to_str().unwrap()]));
        let out = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", dir.path().join("profile").display()))
            .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir"])
            .arg(dir.path())
            .arg(&xlsx)
            .output()
            .expect("soffice installed");
        let csv = std::fs::read_to_string(dir.path().join("answers.csv"))
            .unwrap_or_else(|_| panic!("LibreOffice did not open the XLSX: {}", String::from_utf8_lossy(&out.stderr)));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let first_item = header.iter().position(|h| h.starts_with("ข้อ 1 ")).unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 4);
        let summed: i64 = rows.iter().map(|r| r[first_item].parse::<i64>().unwrap()).sum();
        assert_eq!(summed, sum_first);
        assert!(rows.iter().any(|r| r.iter().any(|c| c == "ขอบคุณเจ้าหน้าที่งานทะเบียน")));
        assert!(rows.iter().any(|r| r.iter().any(|c| c == "=1+1")), "the XLSX keeps a comment as text, not a formula");

        let csv_out = dir.path().join("answers-export.csv");
        cli_ok(&prongsai_cli(&app.db_url, &["survey", "report", "--org", &org.slug, "--year", &year, "--format", "csv", "--out", csv_out.to_str().unwrap()]));
        let ours = std::fs::read_to_string(&csv_out).unwrap();
        assert!(ours.starts_with('\u{feff}'), "a BOM for Excel");
        assert_eq!(ours.lines().count(), 5);
        assert!(!ours.contains(&"f".repeat(8)), "no device or address hashes");
        assert!(ours.contains(",'=1+1,"), "a comment that would be a formula is written as text");
        // A wrong format is refused, naming it.
        let out = prongsai_cli(&app.db_url, &["survey", "report", "--org", &org.slug, "--year", &year, "--format", "docx", "--out", "/tmp/x"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("--format must be pdf, xlsx or csv"));
    }

    async fn a_measure_cites_the_surveys_live_result(app: TestApp) {
        let org = app.org_a.clone();
        // The demo's last whole fiscal year has its generated answers.
        let year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be() - 1;
        let line = prongsai::measures::figures::render(&app.db, &org, i64::from(year), "survey.summary").await.unwrap();
        let n = prongsai::thai::format_int(prongsai::survey::demo::LAST_YEAR_ANSWERS as i64, org.digits);
        assert!(line.starts_with("ผลการประเมินความพึงพอใจของผู้รับบริการ ปีงบประมาณ"), "{line}");
        assert!(line.contains(&format!("(n = {n})")), "{line}");
        assert!(line.contains("ระดับ มาก"), "{line}");
        assert!(prongsai::measures::figures::is_printed_line("survey.summary", &line));
        // The public page of that year agrees with it.
        let page = app.get_text(&format!("/o/{}/ita/{year}/satisfaction", org.slug)).await;
        let headline = line.split(": ").nth(1).unwrap();
        assert!(crate::harness::without_word_marks(&page).contains(headline), "{headline}");
    }
}
