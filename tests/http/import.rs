use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::*;

async fn upload(app: &TestApp, csrf: &str, year: &str, text: &str, replace: bool) -> reqwest::Response {
    let mut form = Form::new()
        .text("year", year.to_string())
        .part("file", Part::bytes(text.as_bytes().to_vec()).file_name("report.md").mime_str("text/markdown").unwrap());
    if replace {
        form = form.text("replace", "yes");
    }
    app.client.post(app.url(&format!("/app/measures/import?_csrf={csrf}"))).multipart(form).send().await.unwrap()
}

crate::on_both_databases! {
    async fn the_seed_uploaded_through_the_form_becomes_three_measures(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let r = upload(&app, &csrf, "๒๕๖๖", prongsai::demo::SEED_REPORT, false).await;
        assert_redirect_to(&r, "/app/measures?year=2566&imported=3");
        let org = app.org_b.id.0;
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {org}")).await, 3);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org} AND kind = 'method'")).await, 4 + 4 + 4);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org} AND kind = 'result'")).await, 2 + 4 + 6);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org} AND kind = 'outcome'")).await, 1 + 3 + 5);
    }

    async fn a_second_import_of_the_same_year_is_refused_unless_replacing(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let r = upload(&app, &csrf, "2566", prongsai::demo::SEED_REPORT, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("มีมาตรการอยู่แล้ว 3 รายการ"));
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 3);
        let r = upload(&app, &csrf, "2566", prongsai::demo::SEED_REPORT, true).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 3);
    }

    async fn a_malformed_report_names_its_line_and_imports_nothing(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let bad = "| มาตรการ/แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลาดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือความสำเร็จ |\n|--|--|--|--|--|--|\n| ก | ๑. ข | ค | มี.ค. ๒๕๖๖ | ง | จ |\n| ฉ | ๑. ช | ซ | ไม่ระบุเดือน | ฌ | ญ |\n";
        let r = upload(&app, &csrf, "2566", bad, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("บรรทัดที่ 4"), "the error names line 4: {page}");
        assert!(page.contains("ระยะเวลาดำเนินการ"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_b.id.0)).await, 0, "the good first row was not kept");
        let five_columns = "| a | b | c | d | e |\n|--|--|--|--|--|\n| 1 | 2 | 3 | 4 | 5 |\n";
        let page = upload(&app, &csrf, "2566", five_columns, false).await.text().await.unwrap();
        assert!(page.contains("บรรทัดที่ 1"), "{page}");
    }

    async fn replacing_a_year_whose_measures_carry_evidence_is_refused(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let r = app.post_form(&format!("/app/measures/{measure}/evidence/link"), &csrf, &[("title", "ประกาศ"), ("url", "https://example.go.th/a")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = upload(&app, &csrf, "2566", prongsai::demo::SEED_REPORT, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("มีหลักฐานหรือสถิติอ้างอิงแนบกับมาตรการอยู่ 1 รายการ"));
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE id = {measure}")).await, 1);
    }

    async fn a_file_with_an_empty_table_does_not_empty_the_year(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let empty = "| มาตรการ/แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลาดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือความสำเร็จ |\n|--|--|--|--|--|--|\n";
        let r = upload(&app, &csrf, "2566", empty, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 3);
    }
}
