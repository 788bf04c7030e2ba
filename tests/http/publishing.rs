//! Publishing through the outbox: a news post reaches LINE and Facebook once, whatever fails on
//! the way (a failing API, a restart, an answer lost after the post was accepted, a sender that
//! died before marking, two servers on one database). The APIs are a local stand-in
//! (publishing_fake.rs).

use crate::on_both_databases;
use crate::publishing_fake::{Fake, LINE_TOKEN};
use crate::publishing_support::*;

on_both_databases! {
    async fn a_failing_channel_is_retried_and_each_post_arrives_once_across_a_restart(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        let csrf = configure(&mut app, &fake, &key, |_| {}).await;
        fake.with(|s| s.failing = true);
        let id = publish_news(&app, &csrf, "ข่าวทดสอบการส่งซ้ำเมื่อปลายทางขัดข้อง").await;
        let source = format!("news_post:{id}");
        assert_eq!(row(&app, "web", &source).await.status, "sent", "the site has it at once");
        let line = until_failed(&app, "line", &source).await;
        assert_eq!(line.last_error, "ระบบของ LINE ขัดข้อง (HTTP 500)");
        let facebook = until_failed(&app, "facebook", &source).await;
        assert!(facebook.last_error.starts_with("ระบบของ Facebook ขัดข้อง (HTTP 500)"), "{}", facebook.last_error);
        let page = app.get_text("/app/publishing").await;
        assert!(page.contains("ส่งไม่สำเร็จ จะลองใหม่"), "the status says when it is tried again");
        assert!(page.contains("ระบบของ LINE ขัดข้อง (HTTP 500)"), "the reason is shown");

        app.restart().await;
        fake.with(|s| s.failing = false);
        let line = until_status(&app, "line", &source, "sent").await;
        let facebook = until_status(&app, "facebook", &source, "sent").await;
        let link = format!("{}/o/mae-khatuan/news/{id}", app.url(""));
        fake.with(|s| {
            assert_eq!(s.line.len(), 1, "LINE got the post once: {:?}", s.line);
            assert_eq!(s.line[0].path, "/v2/bot/message/broadcast");
            assert_eq!(s.line[0].retry_key, line.retry_key);
            assert!(s.line[0].text.contains("ข่าวทดสอบการส่งซ้ำเมื่อปลายทางขัดข้อง") && s.line[0].text.contains(&link));
            assert_eq!(s.facebook.len(), 1, "Facebook got the post once: {:?}", s.facebook);
            assert!(s.facebook[0].link.starts_with(&link), "{}", s.facebook[0].link);
            assert_eq!(facebook.remote_id, s.facebook[0].id);
        });

        // Publishing what is public already (a double click) puts nothing more in the outbox.
        let r = app.post_form(&format!("/app/news/{id}/publish"), &csrf, &[]).await;
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
        let rows = format!("SELECT COUNT(*) FROM publishing_outbox WHERE source = '{source}'");
        assert_eq!(app.count(&rows).await, 3);
    }

    async fn an_answer_lost_after_the_api_accepted_the_post_does_not_send_it_twice(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        let csrf = configure(&mut app, &fake, &key, |_| {}).await;
        fake.with(|s| {
            s.drop_next_line = true;
            s.drop_next_facebook = true;
        });
        let id = publish_news(&app, &csrf, "ข่าวทดสอบคำตอบที่หายไป").await;
        let source = format!("news_post:{id}");
        let line = until_status(&app, "line", &source, "sent").await;
        let facebook = until_status(&app, "facebook", &source, "sent").await;
        fake.with(|s| {
            assert_eq!(s.line.len(), 1, "{:?}", s.line);
            assert!(s.line_conflicts >= 1, "the retry carried the same key and LINE said it had it");
            assert_eq!(line.remote_id, format!("accepted-{}", line.retry_key));
            assert_eq!(s.facebook.len(), 1, "{:?}", s.facebook);
            assert!(s.facebook_feed_reads >= 1, "the feed was read before posting again");
            assert_eq!(facebook.remote_id, s.facebook[0].id, "the post found in the feed is recorded");
        });
        assert!(line.attempts >= 2 && facebook.attempts >= 2);

        // A sender that died after sending and before marking: its lease runs out, and the row is
        // taken again with its outcome unknown.
        let expired = format!(
            "UPDATE publishing_outbox SET status = 'sending', due_at = 1, claim_token = 'a-dead-process', uncertain = 0
             WHERE source = '{source}' AND channel IN ('line', 'facebook')"
        );
        app.raw_sql(&expired).await.unwrap();
        prongsai::publishing::wake();
        until_status(&app, "line", &source, "sent").await;
        until_status(&app, "facebook", &source, "sent").await;
        fake.with(|s| {
            assert_eq!(s.line.len(), 1);
            assert_eq!(s.facebook.len(), 1);
            assert!(s.facebook_feed_reads >= 2);
        });
    }

    async fn two_servers_on_one_database_send_each_post_once(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        let csrf = configure(&mut app, &fake, &key, |_| {}).await;
        let (_second, _stop) = app.second_server().await;
        fake.with(|s| s.failing = true);
        let mut sources = Vec::new();
        for n in 1..=4 {
            let id = publish_news(&app, &csrf, &format!("ข่าวทดสอบสองเครื่อง ฉบับที่ {n}")).await;
            sources.push(format!("news_post:{id}"));
        }
        for source in &sources {
            until_failed(&app, "line", source).await;
        }
        fake.with(|s| s.failing = false);
        for source in &sources {
            until_status(&app, "line", source, "sent").await;
            until_status(&app, "facebook", source, "sent").await;
        }
        fake.with(|s| {
            assert_eq!(s.line.len(), 4);
            assert_eq!(s.line_conflicts, 0, "no row was sent by both servers");
            assert_eq!(s.facebook.len(), 4);
            let mut keys: Vec<&str> = s.line.iter().map(|m| m.retry_key.as_str()).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), 4);
        });
    }

    async fn tokens_are_sealed_never_shown_and_a_wrong_key_sends_nothing(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        configure(&mut app, &fake, &key, |_| {}).await;
        let stored: Vec<(String,)> = sqlx::query_as("SELECT token_sealed FROM publishing_channels")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(stored.len(), 2);
        for (sealed,) in &stored {
            assert!(!sealed.contains(LINE_TOKEN) && !sealed.contains("Zq81"));
            assert!(!String::from_utf8_lossy(&hex::decode(sealed).unwrap()).contains(LINE_TOKEN));
        }
        let audited = "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%token-%' OR before_json LIKE '%token-%'";
        assert_eq!(app.count(audited).await, 0, "the token is not in the audit log");
        let page = app.get_text("/app/publishing").await;
        assert!(!page.contains(LINE_TOKEN) && !page.contains(crate::publishing_fake::FACEBOOK_TOKEN));
        assert!(page.contains("ตั้งโทเค็นแล้ว (ลงท้ายด้วย Zq81)"), "only the last four characters");

        // Another key than the tokens were sealed with: reported, and nothing is sent.
        let other = key_file(keys.path(), "other.key");
        app.publishing.as_mut().unwrap().secret_key_file = Some(other);
        app.restart().await;
        let csrf = app.login(crate::harness::DEMO_ADMIN).await;
        let id = publish_news(&app, &csrf, "ข่าวทดสอบกุญแจผิด").await;
        let source = format!("news_post:{id}");
        let line = until_failed(&app, "line", &source).await;
        assert!(line.last_error.starts_with("กุญแจไม่ตรงกับที่ใช้เข้ารหัส"), "{}", line.last_error);
        let facebook = until_failed(&app, "facebook", &source).await;
        assert!(facebook.last_error.starts_with("กุญแจไม่ตรงกับที่ใช้เข้ารหัส"));
        fake.with(|s| assert_eq!((s.line_requests, s.facebook_requests, s.facebook_feed_reads), (0, 0, 0)));
        let page = app.get_text("/app/publishing").await;
        assert!(page.contains("กุญแจไม่ตรงกับที่ใช้เข้ารหัส"));
    }

    async fn without_a_key_file_sqlite_makes_one_beside_the_database_and_postgresql_says_what_to_set(app: TestApp) {
        let fake = Fake::start().await;
        app.publishing = Some(fake.config(None));
        app.restart().await;
        let csrf = app.login(crate::harness::DEMO_ADMIN).await;
        let r = app.post_form("/app/publishing/line", &csrf, &[("token", LINE_TOKEN), ("enabled", "1")]).await;
        match app.backend {
            crate::harness::Backend::Sqlite => {
                crate::harness::assert_redirect_to(&r, "/app/publishing?saved=line");
                let db = app.db_url.expose().trim_start_matches("sqlite://").to_string();
                let key = std::path::Path::new(&db).with_extension("secret-key");
                let text = std::fs::read_to_string(&key).unwrap();
                assert_eq!(hex::decode(text.trim()).unwrap().len(), 32);
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
            }
            crate::harness::Backend::Postgres => {
                assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
                let page = r.text().await.unwrap();
                assert!(page.contains("ยังไม่ได้ตั้งกุญแจเข้ารหัส") && page.contains("PRONGSAI_SECRET_KEY_FILE"));
                assert!(!page.contains(LINE_TOKEN), "the token typed is not echoed");
                assert_eq!(app.count("SELECT COUNT(*) FROM publishing_channels").await, 0, "nothing half-saved");
            }
        }
    }
}
