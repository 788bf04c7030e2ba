use reqwest::StatusCode;

use crate::harness::*;

/// The id of the measure whose link text contains `title`.
fn measure_id(list_page: &str, title: &str) -> i64 {
    let at = list_page.find(title).unwrap_or_else(|| panic!("{title} not listed"));
    let href = list_page[..at].rfind("/app/measures/").unwrap() + "/app/measures/".len();
    list_page[href..].split('"').next().unwrap().parse().unwrap()
}

fn titles_in_order(list_page: &str, titles: &[&str]) -> Vec<usize> {
    let mut at: Vec<(usize, usize)> = titles.iter().enumerate().map(|(i, t)| (list_page.find(t).unwrap(), i)).collect();
    at.sort();
    at.into_iter().map(|(_, i)| i).collect()
}

crate::on_both_databases! {
    async fn staff_create_a_measure_and_it_appears_in_the_register_and_the_public_report(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let r = app
            .post_form(
                "/app/measures/new?year=2567",
                &csrf,
                &[
                    ("title", "จัดทำระบบยืม-คืนพัสดุ"),
                    ("indicators", "4"),
                    ("indicators", "๑๐"),
                    ("methods", "๑. จัดทำคู่มือ\n๒. เผยแพร่ ผ่าน\n- เว็บไซต์\n- ไลน์"),
                    ("responsible", "กองคลัง\n- เจ้าหน้าที่พัสดุ"),
                    ("period", "ต.ค. ๒๕๖๖ – ก.ย. ๒๕๖๗"),
                    ("results", "1. มีระบบยืมคืน"),
                    ("outcomes", ""),
                    ("status", "in_progress"),
                    ("progress", "๔๐"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let list = app.get_text("/app/measures?year=2567").await;
        assert!(list.contains("จัดทำระบบยืม-คืนพัสดุ"));
        assert!(list.contains("๔, ๑๐"));
        assert!(list.contains("กำลังดำเนินการ"));
        app.publish_report(2567).await;
        let public = without_word_marks(&app.get_text("/o/mae-khatuan/ita/2567/measures").await);
        assert!(public.contains("จัดทำระบบยืม-คืนพัสดุ (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ) (ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต)"));
        assert!(public.contains("๒. เผยแพร่ ผ่าน"));
        assert!(public.contains("- ไลน์"));
        assert!(public.contains("ต.ค. ๒๕๖๖ –"));
        let (divisions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM measure_divisions d JOIN divisions v ON v.id = d.division_id WHERE v.name = 'กองคลัง'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert!(divisions >= 2, "the new measure and seed measures are linked to กองคลัง");
    }

    async fn a_measure_with_no_title_and_an_unreadable_period_is_refused_field_by_field(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let before = app.count("SELECT COUNT(*) FROM measures").await;
        let r = app
            .post_form("/app/measures/new?year=2567", &csrf, &[("title", "  "), ("period", "ช่วงหน้าฝน"), ("methods", "๑. ทำบางอย่าง")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("กรุณากรอกชื่อมาตรการ/แนวทาง"));
        assert!(page.contains("ระยะเวลาดำเนินการ “ช่วงหน้าฝน” อ่านไม่ได้"));
        assert!(page.contains("กรุณาเลือกตัวชี้วัด ITA ที่มาตรการนี้ตอบอย่างน้อย ๑ ตัว"), "a measure needs an indicator");
        assert!(page.contains("๑. ทำบางอย่าง"), "what was typed is kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, before);
    }

    async fn editing_a_measure_changes_it_and_records_before_and_after(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let list = app.get_text("/app/measures?year=2566").await;
        let id = measure_id(&list, "จัดทำคู่มือมาตรฐานการปฏิบัติงาน");
        let edit = app.get_text(&format!("/app/measures/{id}")).await;
        assert!(edit.contains("๔. เผยแพร่คู่มือ ผ่าน\n- เว็บไซต์ อบต."));
        let r = app
            .post_form(
                &format!("/app/measures/{id}"),
                &csrf,
                &[
                    ("title", "จัดทำคู่มือการยืมพัสดุ"),
                    ("indicators", "4"),
                    ("methods", "๑. จัดทำคู่มือ"),
                    ("responsible", "กองคลัง"),
                    ("period", "มี.ค. – เม.ย. ๒๕๖๖"),
                    ("results", "๑. มีคู่มือ"),
                    ("outcomes", "๑. ยืมคืนเรียบร้อย"),
                    ("status", "done"),
                    ("progress", "100"),
                ],
            )
            .await;
        assert_redirect_to(&r, &format!("/app/measures/{id}?saved=1"));
        let edit = app.get_text(&format!("/app/measures/{id}?saved=1")).await;
        assert!(edit.contains("บันทึกมาตรการ “จัดทำคู่มือการยืมพัสดุ” แล้ว"), "the page landed on confirms the save");
        assert!(edit.contains("จัดทำคู่มือการยืมพัสดุ"));
        assert!(!edit.contains("เผยแพร่คู่มือ ผ่าน"));
        let (before, after, actor): (String, String, String) = sqlx::query_as(
            "SELECT before_json, after_json, actor FROM audit_log WHERE action = 'update' AND entity = 'measure' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(before.contains("จัดทำคู่มือมาตรฐานการปฏิบัติงาน"));
        assert!(after.contains("จัดทำคู่มือการยืมพัสดุ"));
        assert!(actor.starts_with("supplies"));
    }

    async fn measures_move_up_and_down_in_the_register_and_the_report(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let titles = ["จัดทำคู่มือมาตรฐานการปฏิบัติงาน", "กำกับติดตามการทำงานของผู้บริหาร", "เพิ่มกลไกการปรับปรุงคุณภาพ"];
        let list = app.get_text("/app/measures?year=2566").await;
        assert_eq!(titles_in_order(&list, &titles), [0, 1, 2]);
        let third = measure_id(&list, titles[2]);
        let r = app.post_form(&format!("/app/measures/{third}/move"), &csrf, &[("step", "-1")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let list = app.get_text("/app/measures?year=2566").await;
        assert_eq!(titles_in_order(&list, &titles), [0, 2, 1]);
        let first = measure_id(&list, titles[0]);
        app.post_form(&format!("/app/measures/{first}/move"), &csrf, &[("step", "-1")]).await;
        app.publish_report(2566).await;
        let public = without_word_marks(&app.get_text("/o/mae-khatuan/ita/2566/measures").await);
        assert_eq!(titles_in_order(&public, &titles), [0, 2, 1], "moving the first up changes nothing");
    }

    async fn deleting_a_measure_needs_confirmation_and_removes_its_items(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let list = app.get_text("/app/measures?year=2566").await;
        let id = measure_id(&list, "จัดทำคู่มือมาตรฐานการปฏิบัติงาน");
        let r = app.post_form(&format!("/app/measures/{id}/delete"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.post_form(&format!("/app/measures/{id}/delete"), &csrf, &[("confirm", "yes")]).await;
        assert_redirect_to(&r, "/app/measures?year=2566");
        assert_eq!(app.get(&format!("/app/measures/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE measure_id = {id}")).await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 2);
    }

    async fn an_executive_reads_the_register_but_cannot_change_it(app: TestApp) {
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let list = app.get_text("/app/measures?year=2566").await;
        assert!(!list.contains("เพิ่มมาตรการ"));
        let id = measure_id(&list, "จัดทำคู่มือมาตรฐานการปฏิบัติงาน");
        assert!(app.get_text(&format!("/app/measures/{id}")).await.contains("disabled"));
        let r = app.post_form(&format!("/app/measures/{id}/delete"), &csrf, &[("confirm", "yes")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = app.post_form("/app/measures/new?year=2566", &csrf, &[("title", "x")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 3);
        let r = app.get("/app/measures/report?year=2566&format=pdf").await;
        assert_eq!(r.status(), StatusCode::OK, "executives download the report");
    }

    async fn the_report_downloads_in_every_format(app: TestApp) {
        app.login(DEMO_STAFF).await;
        for (format, magic) in [("pdf", &b"%PDF-"[..]), ("docx", &b"PK\x03\x04"[..]), ("html", &b"<!doctype html>"[..]), ("md", "**รายงาน".as_bytes())] {
            let r = app.get(&format!("/app/measures/report?year=2566&format={format}")).await;
            assert_eq!(r.status(), StatusCode::OK, "{format}");
            let disposition = r.headers()["content-disposition"].to_str().unwrap().to_string();
            assert!(disposition.contains(&format!("ita-measures-mae-khatuan-2566.{format}")), "{disposition}");
            let body = r.bytes().await.unwrap();
            assert!(body.starts_with(magic), "{format} starts with its magic bytes");
        }
        let r = app.get("/app/measures/report?year=2566&format=exe").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn the_reports_intro_is_edited_and_printed(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form("/app/measures/intro", &csrf, &[("year", "2566"), ("intro", "ย่อหน้าเปิดฉบับแก้ไข")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(!without_word_marks(&app.get_text("/o/mae-khatuan/ita/2566/measures").await).contains("ย่อหน้าเปิดฉบับแก้ไข"), "a draft until published");
        app.publish_report(2566).await;
        assert!(without_word_marks(&app.get_text("/o/mae-khatuan/ita/2566/measures").await).contains("ย่อหน้าเปิดฉบับแก้ไข"));
    }
}
