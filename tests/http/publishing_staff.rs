//! The staff's side of the outbox: retry and cancel by hand, a withdrawn post's rows cancelled,
//! another organization kept out, and the command line's list.

use crate::harness::{DEMO_STAFF, OTHER_ADMIN, cli_ok, prongsai_cli};
use crate::on_both_databases;
use crate::publishing_fake::Fake;
use crate::publishing_support::*;

on_both_databases! {
    async fn staff_cancel_and_retry_by_hand_and_another_organization_gets_404(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        // A long back-off: after its first failure the row waits for the staff.
        let admin_csrf = configure(&mut app, &fake, &key, |c| c.backoff_base = std::time::Duration::from_secs(600)).await;
        fake.with(|s| s.failing = true);
        let id = publish_news(&app, &admin_csrf, "ข่าวทดสอบยกเลิกและส่งใหม่").await;
        let source = format!("news_post:{id}");
        let line = until_failed(&app, "line", &source).await;

        // Another organization's admin: neither sees the row nor touches it.
        app.login(OTHER_ADMIN).await;
        let other = app.client.get(app.url("/app/publishing")).send().await.unwrap().text().await.unwrap();
        assert!(!other.contains("ข่าวทดสอบยกเลิกและส่งใหม่"));
        let other_csrf = crate::harness::csrf_in(&other);
        for action in ["retry", "cancel"] {
            let r = app.post_form(&format!("/app/publishing/outbox/{}/{action}", line.id), &other_csrf, &[]).await;
            assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND, "{action}");
        }
        assert_eq!(row(&app, "line", &source).await.status, "waiting");

        let csrf = app.login(DEMO_STAFF).await;
        let page = app.get_text("/app/publishing").await;
        assert!(page.contains(&format!("/app/publishing/outbox/{}/cancel", line.id)));
        let r = app.post_form(&format!("/app/publishing/outbox/{}/cancel", line.id), &csrf, &[]).await;
        crate::harness::assert_redirect_to(&r, "/app/publishing?saved=cancel");
        assert_eq!(row(&app, "line", &source).await.status, "cancelled");
        let again = app.post_form(&format!("/app/publishing/outbox/{}/cancel", line.id), &csrf, &[]).await;
        assert_eq!(again.status(), reqwest::StatusCode::CONFLICT);
        let audited = format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'publishing_outbox' AND entity_id = '{}' AND action = 'cancel'",
            line.id
        );
        assert_eq!(app.count(&audited).await, 1);

        fake.with(|s| s.failing = false);
        let r = app.post_form(&format!("/app/publishing/outbox/{}/retry", line.id), &csrf, &[]).await;
        crate::harness::assert_redirect_to(&r, "/app/publishing?saved=retry");
        until_status(&app, "line", &source, "sent").await;
        fake.with(|s| assert_eq!(s.line.len(), 1));
        let page = app.get_text("/app/publishing").await;
        assert!(page.contains("ส่งแล้ว"));
    }

    async fn withdrawing_a_post_that_is_still_waiting_cancels_its_rows(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        let csrf = configure(&mut app, &fake, &key, |c| c.backoff_base = std::time::Duration::from_secs(600)).await;
        fake.with(|s| s.failing = true);
        let id = publish_news(&app, &csrf, "ข่าวทดสอบถอนก่อนส่ง").await;
        let source = format!("news_post:{id}");
        until_failed(&app, "line", &source).await;
        until_failed(&app, "facebook", &source).await;
        let r = app.post_form(&format!("/app/news/{id}/unpublish"), &csrf, &[]).await;
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
        assert_eq!(row(&app, "line", &source).await.status, "cancelled");
        assert_eq!(row(&app, "facebook", &source).await.status, "cancelled");
        assert_eq!(row(&app, "web", &source).await.status, "sent");
    }

    async fn a_refused_channel_form_says_what_is_wrong_beside_the_field_and_saves_nothing(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        app.publishing = Some(fake.config(Some(key_file(keys.path(), "publishing.key"))));
        app.restart().await;
        let csrf = app.login(crate::harness::DEMO_ADMIN).await;
        let r = app.post_form("/app/publishing/facebook", &csrf, &[("page_id", "my page"), ("token", "fb-token-1"), ("enabled", "1")]).await;
        assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"facebook_page_id-error\"") && page.contains("กรุณากรอกรหัสเพจ (Page ID) เป็นตัวเลข"));
        assert!(page.contains("value=\"my page\""), "the page id comes back as typed");
        assert!(!page.contains("fb-token-1"), "the token typed is never echoed");
        let r = app.post_form("/app/publishing/line", &csrf, &[("token", ""), ("enabled", "1")]).await;
        assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณากรอกโทเค็นก่อนเปิดใช้ช่องทางนี้"));
        assert_eq!(app.count("SELECT COUNT(*) FROM publishing_channels").await, 0);
        // The staff (not the admin) do not set channels.
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form("/app/publishing/line", &csrf, &[("token", "x-token"), ("enabled", "1")]).await;
        assert_eq!(r.status(), reqwest::StatusCode::FORBIDDEN);
        assert!(!app.get_text("/app/publishing").await.contains("/app/publishing/line"));
    }

    async fn the_command_line_lists_the_outbox_with_the_demo_news_sent_on_the_site(app: TestApp) {
        let out = cli_ok(&prongsai_cli(&app.db_url, &["publish", "outbox", "--org", "mae-khatuan"]));
        let line = out
            .lines()
            .find(|l| l.contains("เปิดให้ประชาชนประเมินความพึงพอใจผ่าน QR code ที่จุดบริการ"))
            .unwrap_or_else(|| panic!("the demo's news is listed: {out}"));
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields[1], "web");
        assert_eq!(fields[3], "sent");
        assert!(out.starts_with("id\tchannel\twhat\tstatus\tattempts\tnext attempt\tlast error"));
        let unknown = prongsai_cli(&app.db_url, &["publish", "outbox", "--org", "no-such-town"]);
        assert!(!unknown.status.success());
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-town"));
    }
}
