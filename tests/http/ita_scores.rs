//! Issue 18: an office imports last year's ITA result, analyses it, and sees which weak indicator no
//! measure of this year answers yet.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::TestApp;

/// A result of FY 2566 whose indicator 7 (80.00) and 9 (84.99) are below the mark.
const RESULT_2566: &str = "รายการ,คะแนน\nคะแนนรวม,88.40\nระดับ,A\n1,93.10\n2,90.00\n3,95.25\n4,88.00\n5,86.50\n\
                           6,87.00\n7,80.00\n8,86.10\n9,84.99\n10,90.00\nO21,ไม่ผ่าน\n";

async fn import(app: &TestApp, csrf: &str, year: &str, csv: &str, replace: bool) -> reqwest::Response {
    let mut form = Form::new()
        .text("year", year.to_string())
        .part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("ita.csv"));
    if replace {
        form = form.text("replace", "yes");
    }
    app.client.post(app.url(&format!("/app/ita/import?_csrf={csrf}"))).multipart(form).send().await.unwrap()
}

fn gaps(page: &str) -> String {
    let start = page.find(r#"id="ita-gaps""#).expect("the gaps notice");
    page[start..].split("<table").next().unwrap().to_string()
}

crate::on_both_databases! {
    async fn the_demo_analysis_of_2565_answers_every_weak_indicator_with_a_2566_measure(app: TestApp) {
        app.login(DEMO_STAFF).await;
        let page = app.get_text("/app/ita/2565").await;
        assert!(page.contains("คะแนนรวม <strong>๘๗.๒๖</strong>"), "{page}");
        assert!(page.contains("ทุกตัวชี้วัดที่ต่ำกว่าเกณฑ์มีมาตรการของปี ๒๕๖๖ ตอบแล้ว"));
        // Indicator 4 (78.62) is below the mark and answered by the seed's first measure.
        let row = page.split(r#"id="indicator-4""#).nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains("๗๘.๖๒") && row.contains("ต่ำกว่าเกณฑ์") && row.contains("จัดทำคู่มือมาตรฐานการปฏิบัติงาน"), "{row}");
        // Against 2564 (80.05) and the province (86.55).
        assert!(row.contains("๘๐.๐๕") && row.contains("−๑.๔๓") && row.contains("๘๖.๕๕"), "{row}");
        assert!(page.contains("O13 คู่มือหรือมาตรฐานการปฏิบัติงาน"), "failed OIT items are listed with their titles");
    }

    async fn an_indicator_below_85_with_no_measure_is_flagged_until_a_measure_answers_it(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let r = import(&app, &csrf, "๒๕๖๖", RESULT_2566, false).await;
        assert_redirect_to(&r, "/app/ita/2566?imported=1");
        let page = app.get_text("/app/ita/2566").await;
        let flagged = gaps(&page);
        assert!(flagged.contains("ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร") && flagged.contains("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล"), "{flagged}");
        assert!(!flagged.contains("ตัวชี้วัดที่ ๘"), "86.10 passes: {flagged}");
        assert!(page.contains(r#"id="indicator-7" class="flagged""#));

        let register = app.get_text("/app/measures?year=2567").await;
        assert!(register.contains("ยังไม่มีมาตรการของปีนี้ตอบ: ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร, ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล"), "the register says so too");
        let r = app.post_form("/app/measures/new?year=2567", &csrf, &[("title", "เผยแพร่ข่าวผ่านไลน์และเฟซบุ๊กทุกสัปดาห์"), ("indicators", "7")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let flagged = gaps(&app.get_text("/app/ita/2566").await);
        assert!(!flagged.contains("ตัวชี้วัดที่ ๗") && flagged.contains("ตัวชี้วัดที่ ๙"), "{flagged}");
        assert!(!app.get_text("/app/measures?year=2566").await.contains("measures-ita-gaps"), "2565's weak indicators are all answered");

        // A measure cannot be left without an indicator.
        let r = app.post_form("/app/measures/new?year=2567", &csrf, &[("title", "มาตรการไม่มีตัวชี้วัด")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณาเลือกตัวชี้วัด ITA ที่มาตรการนี้ตอบอย่างน้อย ๑ ตัว"));
    }

    async fn a_malformed_file_is_refused_naming_its_lines_and_nothing_is_stored(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let before = app.count("SELECT COUNT(*) FROM ita_indicator_scores").await;
        let audit = app.count("SELECT COUNT(*) FROM audit_log").await;
        let bad = RESULT_2566.replace("5,86.50", "5,86,50").replace("9,84.99", "9,184.99");
        let r = import(&app, &csrf, "2566", &bad, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("บรรทัดที่ 8 (line 8): ไม่รู้จักรายการ “5 86”"), "{page}");
        assert!(page.contains("บรรทัดที่ 12 (line 12): คะแนนของ “9” “184.99” เกิน 100"), "{page}");
        assert!(page.contains(r#"class="error-summary""#));
        // A file cut short: the missing indicators are named.
        let cut: String = RESULT_2566.lines().take(6).map(|l| format!("{l}\n")).collect();
        let page = import(&app, &csrf, "2566", &cut, false).await.text().await.unwrap();
        assert!(page.contains("ไม่มีคะแนนของตัวชี้วัดที่ 4, 5, 6, 7, 8, 9, 10"), "{page}");
        // A year that is not a year.
        let page = import(&app, &csrf, "๒๕x๖", RESULT_2566, false).await.text().await.unwrap();
        assert!(page.contains("ปีงบประมาณที่ประเมิน “๒๕x๖”"), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM ita_indicator_scores").await, before);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit);

        // The command line refuses the same file, naming the lines, and exits 2.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, &bad).unwrap();
        let out = prongsai_cli(&app.db_url, &["ita", "import-scores", "--org", "mae-khatuan", "--year", "2566", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("บรรทัดที่ 8 (line 8)") && err.contains("บรรทัดที่ 12 (line 12)") && err.contains("nothing was imported"), "{err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM ita_indicator_scores").await, before);
        std::fs::write(&file, RESULT_2566).unwrap();
        let out = cli_ok(&prongsai_cli(&app.db_url, &["ita", "import-scores", "--org", "mae-khatuan", "--year", "2566", file.to_str().unwrap()]));
        assert!(out.contains("คะแนนรวม 88.40"), "{out}");
        assert_eq!(app.count("SELECT COUNT(*) FROM ita_indicator_scores").await, before + 10);
        let out = prongsai_cli(&app.db_url, &["ita", "import-scores", "--org", "no-such-org", "--year", "2566", file.to_str().unwrap()]);
        assert!(!out.status.success());
    }

    async fn a_year_on_record_is_replaced_only_when_asked_and_each_office_sees_its_own(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let again = RESULT_2566.replace("คะแนนรวม,88.40", "คะแนนรวม,77.77");
        assert_redirect_to(&import(&app, &csrf, "2566", RESULT_2566, false).await, "/app/ita/2566?imported=1");
        let r = import(&app, &csrf, "2566", &again, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("มีผลการประเมินปี ๒๕๖๖ อยู่แล้ว"));
        assert!(app.get_text("/app/ita/2566").await.contains("๘๘.๔๐"));
        assert_redirect_to(&import(&app, &csrf, "2566", &again, true).await, "/app/ita/2566?imported=1");
        assert!(app.get_text("/app/ita/2566").await.contains("๗๗.๗๗"));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'ita_result' AND action = 'update'").await, 1);

        // The executive reads but does not import.
        let exec_csrf = app.login(DEMO_EXECUTIVE).await;
        assert!(app.get_text("/app/ita/2565").await.contains("๘๗.๒๖"));
        assert_eq!(import(&app, &exec_csrf, "2567", RESULT_2566, false).await.status(), StatusCode::FORBIDDEN);

        // Another organization sees none of it, and its own import is its own.
        let other_csrf = app.login(OTHER_ADMIN).await;
        assert_eq!(app.get("/app/ita/2565").await.status(), StatusCode::NOT_FOUND);
        assert!(!app.get_text("/app/ita").await.contains("๘๗.๒๖"));
        let r = app.post_form("/app/ita/2565/notes", &other_csrf, &[("issues_4", "ของเราเอง")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_redirect_to(&import(&app, &other_csrf, "2565", RESULT_2566, false).await, "/app/ita/2565?imported=1");
        app.login(DEMO_STAFF).await;
        assert!(app.get_text("/app/ita/2565").await.contains("๘๗.๒๖"), "the demo's 2565 is untouched");
        assert!(!app.get_text("/app/ita/2565").await.contains("ของเราเอง"));
    }

    async fn the_office_writes_issues_and_averages_and_a_wrong_average_is_named(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form("/app/ita/2565/notes", &csrf, &[("issues_7", "ประชาชนไม่ทราบช่องทางรับข่าวสาร\r\nเว็บไซต์ไม่มีข่าวใหม่")]).await;
        assert_redirect_to(&r, "/app/ita/2565?saved=1#issues");
        let page = app.get_text("/app/ita/2565").await;
        assert!(page.contains("ประชาชนไม่ทราบช่องทางรับข่าวสาร\r\nเว็บไซต์ไม่มีข่าวใหม่"), "the lines the office wrote are kept");
        assert!(page.contains("บุคลากรบางส่วนยังไม่ทราบขั้นตอน"), "the other indicators' issues are kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'ita_analysis_note' AND entity_id = '2565/7'").await, 1);

        let before = app.count("SELECT COUNT(*) FROM ita_reference_scores").await;
        let r = app.post_form("/app/ita/2565/references", &csrf, &[("national_0", "๘๗.๕๗"), ("national_4", "9o.1")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("ค่าเฉลี่ยประเทศ ตัวชี้วัดที่ 4: “9o.1” ไม่ใช่ตัวเลข"), "{page}");
        assert!(page.contains(r#"value="9o.1""#), "what was typed is kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM ita_reference_scores").await, before);
        let r = app.post_form("/app/ita/2565/references", &csrf, &[("national_0", "๘๗.๕๗"), ("national_4", "90.10"), ("province_4", "86.55")]).await;
        assert_redirect_to(&r, "/app/ita/2565?saved=1#references");
        let row = app.get_text("/app/ita/2565").await.split(r#"id="indicator-4""#).nth(1).unwrap().split("</tr>").next().unwrap().to_string();
        assert!(row.contains("๙๐.๑๐"), "{row}");
    }
}
