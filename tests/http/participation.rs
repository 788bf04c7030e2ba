//! Public participation (issue 16, item 5), on both engines: an opinion sent without an account
//! while the consultation is open, refused outside its period and beyond a limit per address,
//! read by the staff; the summary public once published; the senders' names never public.

use reqwest::StatusCode;

async fn consultation(app: &crate::harness::TestApp) -> i64 {
    app.count(&format!("SELECT MIN(id) FROM consultations WHERE org_id = {}", app.org_a.id.0)).await
}

async fn send(app: &crate::harness::TestApp, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client.post(app.url(&format!("/o/mae-khatuan/participation/{id}"))).form(fields).send().await.unwrap()
}

crate::on_both_databases! {
    async fn a_citizen_sends_an_opinion_without_an_account_and_the_staff_read_it(app: TestApp) {
        let id = consultation(&app).await;
        let page = app.get_text(&format!("/o/mae-khatuan/participation/{id}")).await;
        assert!(page.contains("id=\"received\">๒ รายการ") && page.contains("ส่งความคิดเห็น</button>"), "the demo's two, and the form: {page}");
        let r = send(&app, id, &[("body", "   "), ("name", ""), ("contact", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณากรอกความคิดเห็น"));

        let r = send(&app, id, &[("body", "ขอให้ติดตั้งป้ายบอกทาง\r\nไปที่ทำการ อบต."), ("name", "นายความเห็น ส่วนตัว"), ("contact", "0899999999")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text(&format!("/o/mae-khatuan/participation/{id}")).await;
        assert!(page.contains("id=\"received\">๓ รายการ"), "{page}");
        assert!(!page.contains("นายความเห็น") && !page.contains("0899999999"), "a sender is never public");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'opinion' AND after_json LIKE '%ป้ายบอกทาง%'").await, 0, "the audit keeps no words");

        let mut app = app;
        let csrf = app.login("supplies").await;
        let staff = app.get_text(&format!("/app/participation/{id}")).await;
        assert!(staff.contains("ขอให้ติดตั้งป้ายบอกทาง") && staff.contains("นายความเห็น ส่วนตัว (0899999999)"), "{staff}");

        // The summary is public once published, and needs words to be published.
        let form = |summary: &'static str| {
            vec![
                ("title", "รับฟังความคิดเห็นต่อร่างแผนพัฒนาท้องถิ่นขององค์การบริหารส่วนตำบลแม่คะตวน"),
                ("description", "รายละเอียด"),
                ("opens_on", "1/1/2560"),
                ("closes_on", "31/12/2580"),
                ("summary", summary),
                ("publish_summary", "1"),
            ]
        };
        let r = app.post_form(&format!("/app/participation/{id}"), &csrf, &form("")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณาเขียนสรุปความคิดเห็นก่อนเผยแพร่"));
        let r = app.post_form(&format!("/app/participation/{id}"), &csrf, &form("ได้รับความเห็น ๓ รายการ เรื่องถนน ไฟส่องสว่าง และป้ายบอกทาง")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text(&format!("/o/mae-khatuan/participation/{id}")).await;
        assert!(page.contains("สรุปความคิดเห็นที่ได้รับ") && page.contains("เรื่องถนน ไฟส่องสว่าง และป้ายบอกทาง"));

        let csrf_b = app.login(OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/participation/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/participation/{id}"), &csrf_b, &form("x")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/other-town/participation/{id}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn an_opinion_outside_the_period_or_beyond_the_limit_per_address_is_refused(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let r = app
            .post_form("/app/participation/new", &csrf, &[("title", "เรื่องที่ปิดแล้ว"), ("description", "ปิดรับแล้ว"), ("opens_on", "1/1/2566"), ("closes_on", "31/1/2566")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let closed = app.count("SELECT MAX(id) FROM consultations").await;
        let r = send(&app, closed, &[("body", "ความเห็นที่ช้าไป")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ปิดรับความคิดเห็นแล้ว"));
        let r = app
            .post_form("/app/participation/new", &csrf, &[("title", "ช่วงวันผิด"), ("description", "x"), ("opens_on", "31/1/2566"), ("closes_on", "1/1/2566")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ต้องไม่ก่อนวันเริ่ม"));

        let open = consultation(&app).await;
        for i in 0..10 {
            let r = send(&app, open, &[("body", &format!("ความเห็นที่ {i}"))]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "opinion {i}");
        }
        let r = send(&app, open, &[("body", "ความเห็นที่สิบเอ็ด")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ครบ ๑๐ ครั้งแล้ว"));
    }
}
