//! A citizen files a complaint and follows it by its code in a real browser (headless Chromium at a
//! phone's width), on both engines: the form names what is missing and keeps what was typed, the
//! code is shown once filed, typed back in lower case without dashes it finds the case, the
//! office's reply appears on the tracking page, and "not resolved" reopens the case with its
//! history.

use crate::browser::Browser;
use crate::on_both_databases;

const SLUG: &str = "mae-khatuan";

on_both_databases! {
    async fn a_citizen_files_a_complaint_and_tracks_it_with_the_code(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.client.set_window_size(360, 740).await.unwrap();
        b.client.goto(&app.url(&format!("/o/{SLUG}/complaints"))).await.unwrap();
        b.wait_for_text("h1", "ร้องเรียน").await;
        b.click_link("main", "ยื่นเรื่องร้องเรียน").await;
        b.wait_for_text("h1", "ยื่นเรื่องร้องเรียน").await;

        // Sent with the subject only: the page names what is missing and keeps the subject.
        b.type_into("#subject", "น้ำประปาไม่ไหล").await;
        b.client.execute("document.querySelector('main form').noValidate = true", vec![]).await.unwrap();
        b.click("main form button").await;
        let summary = b.wait_for_text(".error-summary", "ประเภท").await;
        assert!(summary.contains("รายละเอียด"), "the missing details are named: {summary}");
        assert_eq!(b.value("#subject").await, "น้ำประปาไม่ไหล");

        b.click("input[name='category'][value='service']").await;
        b.type_into("#body", "น้ำประปาหมู่ ๓ ไม่ไหลมาสามวันแล้ว").await;
        b.click("input[name='identity'][value='named']").await;
        b.type_into("#name", "สมใจ ใจดี").await;
        b.type_into("#phone", "0812345678").await;
        b.click("#consent").await;
        b.click("main form button").await;
        let shown = b.wait_for_text("#tracking-code", "-").await;
        let shown = shown.trim().to_string();
        assert_eq!(shown.len(), 14, "12 symbols in groups of four: {shown}");
        let due_note = b.wait_for_text("#due-note", "วันทำการ").await;
        assert!(!due_note.is_empty());
        let stored: i64 = app
            .count(&format!("SELECT COUNT(*) FROM complaints WHERE code = '{}' AND name = 'สมใจ ใจดี'", shown.replace('-', "")))
            .await;
        assert_eq!(stored, 1, "the complaint is stored under the code shown");

        // Later, from the complaints page, the code typed in lower case without dashes.
        b.client.goto(&app.url(&format!("/o/{SLUG}/complaints"))).await.unwrap();
        b.type_into("#code", &shown.replace('-', "").to_lowercase()).await;
        b.click("main form button").await;
        let found = b.wait_for_text("#tracking-code", &shown).await;
        assert_eq!(found.trim(), shown);
        let page = b.source().await;
        assert!(page.contains("น้ำประปาไม่ไหล"));
        assert!(!page.contains("สมใจ") && !page.contains("0812345678"), "the tracking page shows no identity");

        // The office receives, replies and closes.
        let id: i64 = app.count(&format!("SELECT id FROM complaints WHERE code = '{}'", shown.replace('-', ""))).await;
        let csrf = app.login("admin").await;
        for (step, fields) in [
            ("receive", vec![]),
            ("reply", vec![("reply", "ซ่อมท่อประปาหมู่ ๓ เรียบร้อยแล้ว")]),
            ("close", vec![]),
        ] {
            let r = app.post_form(&format!("/app/complaints/{id}/{step}"), &csrf, &fields).await;
            assert!(r.status().is_redirection(), "{step}: {}", r.status());
        }

        b.client.refresh().await.unwrap();
        b.wait_for_text("#status", "ปิดเรื่องแล้ว").await;
        b.wait_for_text("#history", "ซ่อมท่อประปาหมู่ ๓ เรียบร้อยแล้ว").await;
        b.click("input[name='resolved'][value='no']").await;
        b.type_into("#reason", "น้ำยังไหลอ่อนมาก").await;
        b.click("main form button").await;
        b.wait_for_text("#status", "เปิดเรื่องอีกครั้ง").await;
        let history = b.wait_for_text("#history", "น้ำยังไหลอ่อนมาก").await;
        assert!(history.contains("ซ่อมท่อประปาหมู่ ๓ เรียบร้อยแล้ว"), "the history stays: {history}");
        b.finish().await;
    }
}
