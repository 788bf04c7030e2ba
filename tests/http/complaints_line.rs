//! Complaint status pushed to the complainant's LINE (issue 17, publishing item 3), on both
//! engines: a tracking code sent to the official account (a webhook call signed by LINE) links its
//! sender; each staff step then reaches that user once through the outbox, to the stand-in LINE
//! API (publishing_fake.rs); "หยุด" ends it. A bad or missing signature is refused and keeps
//! nothing; another organization's code links nothing; the channel secret and the userId stay out
//! of pages, columns and the audit log; a corruption complaint's follower gets the code, the
//! status and the link only.

use prongsai::publishing::line_webhook::sign;
use reqwest::StatusCode;

use crate::complaints::{SLUG, code_of, file, id_of, public};
use crate::harness::{TestApp, assert_redirect_to, new_client};
use crate::publishing_fake::Fake;
use crate::publishing_support::{configure, eventually, key_file};

/// A channel secret as LINE's console gives it (32 hexadecimal digits).
const SECRET: &str = "5e1f0c2a9b7d4e6f8a0b1c2d3e4f7a9c";
/// A LINE userId (U and 32 hexadecimal digits).
const USER: &str = "U4af4980629a1b2c3d4e5f60718293a4b";
const OA: &str = "@maekhatuan";

/// LINE and Facebook on (as the publishing tests do), then LINE's secret and official account ID.
async fn set_up(app: &mut TestApp, fake: &Fake, key: &std::path::Path) -> String {
    let csrf = configure(app, fake, key, |_| {}).await;
    let r = app.post_form("/app/publishing/line", &csrf, &[("enabled", "1"), ("secret", SECRET), ("oa_id", OA)]).await;
    assert_redirect_to(&r, "/app/publishing?saved=line");
    csrf
}

/// A webhook body as LINE sends it: one text message from `user`.
fn text_body(user: &str, text: &str) -> String {
    serde_json::json!({
        "destination": "U00000000000000000000000000000000",
        "events": [{
            "type": "message", "mode": "active", "timestamp": 1, "replyToken": "r", "webhookEventId": "e",
            "source": { "type": "user", "userId": user },
            "message": { "type": "text", "id": "1", "quoteToken": "q", "text": text }
        }]
    })
    .to_string()
}

async fn hook(app: &TestApp, slug: &str, body: &str, signature: Option<&str>) -> reqwest::Response {
    let mut request = new_client()
        .post(app.url(&format!("/hooks/line/{slug}")))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(signature) = signature {
        request = request.header("x-line-signature", signature);
    }
    request.send().await.unwrap()
}

/// `user` writes `text` to the demo organization's official account (signed as LINE signs).
async fn says(app: &TestApp, user: &str, text: &str) {
    let body = text_body(user, text);
    let r = hook(app, SLUG, &body, Some(&sign(SECRET, body.as_bytes()))).await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// The texts LINE pushed to `user`, in order.
fn pushed_to(fake: &Fake, user: &str) -> Vec<String> {
    fake.with(|s| {
        s.line
            .iter()
            .filter(|m| m.path == "/v2/bot/message/push" && m.to.as_deref() == Some(user))
            .map(|m| m.text.clone())
            .collect()
    })
}

/// Waits until LINE got `n` pushes to `user` and the outbox holds nothing more to send; the texts.
async fn until_pushed(app: &TestApp, fake: &Fake, user: &str, n: usize) -> Vec<String> {
    eventually(&format!("{n} pushes to {user}"), || async { pushed_to(fake, user).len() >= n }).await;
    let unsent = "SELECT COUNT(*) FROM publishing_outbox WHERE channel = 'line_push' AND status <> 'sent'";
    eventually("every push sent", || async { app.count(unsent).await == 0 }).await;
    let texts = pushed_to(fake, user);
    assert_eq!(texts.len(), n, "exactly {n}: {texts:?}");
    texts
}

async fn links(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM complaint_line_followers").await
}

crate::on_both_databases! {
    async fn a_code_sent_in_line_links_its_sender_to_each_status_until_stop(app: TestApp) {
        let mut app = app;
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        set_up(&mut app, &fake, &key).await;

        // The secret is sealed, shown only by its last characters, and audited as changed only.
        let page = app.get_text("/app/publishing").await;
        assert!(!page.contains(SECRET), "the secret is not shown back");
        assert!(page.contains("ตั้ง channel secret แล้ว (ลงท้ายด้วย 7a9c)"), "{page}");
        assert!(page.contains(&format!("/hooks/line/{SLUG}")), "the webhook URL to give LINE");
        let raw = format!("SELECT COUNT(*) FROM publishing_channels WHERE secret_sealed LIKE '%{SECRET}%' OR oa_id LIKE '%{SECRET}%'");
        assert_eq!(app.count(&raw).await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM publishing_channels WHERE channel = 'line' AND secret_sealed <> ''").await, 1);
        let audited = format!("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%{SECRET}%' OR before_json LIKE '%{SECRET}%'");
        assert_eq!(app.count(&audited).await, 0);

        let code = code_of(&file(&app, &[]).await);
        let id = id_of(&app, &code).await;
        let shown = prongsai::complaints::code::display(&code);
        let tracking = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        assert!(tracking.contains(&format!("รับแจ้งความคืบหน้าทาง LINE: เพิ่มเพื่อน <strong>{OA}</strong> แล้วส่งรหัสติดตามเรื่องนี้")), "{tracking}");
        assert!(tracking.contains("หยุด"), "how to stop is said");

        says(&app, USER, &format!("รหัส {}", shown.to_lowercase())).await;
        assert_eq!(links(&app).await, 1);
        let texts = until_pushed(&app, &fake, USER, 1).await;
        assert!(texts[0].contains(&format!("รับแจ้งความคืบหน้าเรื่อง {shown} ทาง LINE แล้ว")), "{texts:?}");
        // Sending the code again links nothing more.
        says(&app, USER, &shown).await;
        assert_eq!(links(&app).await, 1);
        let texts = until_pushed(&app, &fake, USER, 2).await;
        assert!(texts[1].contains("อยู่แล้ว"), "{texts:?}");

        let csrf = app.login("supplies").await;
        let link = format!("{}/o/{SLUG}/complaints/{code}", app.url(""));
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await.status(), StatusCode::SEE_OTHER);
        let texts = until_pushed(&app, &fake, USER, 3).await;
        assert!(texts[2].contains(&shown) && texts[2].contains("เจ้าหน้าที่ลงรับเรื่องแล้ว") && texts[2].contains(&link), "{texts:?}");
        let r = app.post_form(&format!("/app/complaints/{id}/reply"), &csrf, &[("reply", "ซ่อมไฟถนนแล้ว")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let texts = until_pushed(&app, &fake, USER, 4).await;
        assert!(texts[3].contains(&shown) && texts[3].contains("หน่วยงานตอบผู้ร้องเรียนแล้ว"), "{texts:?}");
        assert!(!texts[3].contains("ซ่อมไฟถนนแล้ว"), "only the code, the status and the link");

        // "stop" with a code ends that one link; "หยุด" alone ends them all.
        let second = code_of(&file(&app, &[]).await);
        says(&app, USER, &second).await;
        assert_eq!(links(&app).await, 2);
        until_pushed(&app, &fake, USER, 5).await;
        says(&app, USER, &format!("STOP {}", prongsai::complaints::code::display(&second))).await;
        let left = format!("SELECT COUNT(*) FROM complaint_line_followers WHERE complaint_id = {id}");
        assert_eq!((links(&app).await, app.count(&left).await), (1, 1), "only the second complaint's link ended");
        until_pushed(&app, &fake, USER, 6).await;
        says(&app, USER, "หยุด").await;
        assert_eq!(links(&app).await, 0);
        let texts = until_pushed(&app, &fake, USER, 7).await;
        assert!(texts[6].contains("หยุดแจ้งความคืบหน้า"), "{texts:?}");
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/close"), &csrf, &[]).await.status(), StatusCode::SEE_OTHER);
        let pushes = "SELECT COUNT(*) FROM publishing_outbox WHERE channel = 'line_push'";
        assert_eq!(app.count(pushes).await, 7, "closing after stop pushes nothing");

        // The audit log names the LINE user by a hash only.
        let plain = format!("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%{USER}%' OR before_json LIKE '%{USER}%'");
        assert_eq!(app.count(&plain).await, 0);
        let mark = prongsai::complaints::line_followers::user_mark(USER);
        let marked = format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'complaint_line_follower' AND after_json LIKE '%{mark}%'");
        assert_eq!(app.count(&marked).await, 2, "each link is audited");
    }

    async fn an_unsigned_call_or_another_organizations_code_links_no_one(app: TestApp) {
        let mut app = app;
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        let csrf = set_up(&mut app, &fake, &key).await;
        let code = code_of(&file(&app, &[]).await);
        let body = text_body(USER, &code);

        let r = hook(&app, SLUG, &body, Some(&sign("another secret", body.as_bytes()))).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(hook(&app, SLUG, &body, None).await.status(), StatusCode::UNAUTHORIZED);
        let changed = body.replace(USER, "U00000000000000000000000000000bad");
        let r = hook(&app, SLUG, &changed, Some(&sign(SECRET, body.as_bytes()))).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a signature of another body");
        assert_eq!(hook(&app, "no-such-town", &body, Some(&sign(SECRET, body.as_bytes()))).await.status(), StatusCode::NOT_FOUND);
        // The other organization has no LINE: nothing it is sent is believed.
        let other = app.org_b.slug.clone();
        assert_eq!(hook(&app, &other, &body, Some(&sign(SECRET, body.as_bytes()))).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(links(&app).await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM publishing_outbox WHERE channel = 'line_push'").await, 0);

        // LINE's "Verify" button: no events, answered 200.
        let empty = r#"{"destination":"U00000000000000000000000000000000","events":[]}"#;
        assert_eq!(hook(&app, SLUG, empty, Some(&sign(SECRET, empty.as_bytes()))).await.status(), StatusCode::OK);

        // Larger than any call of LINE's (64 KB), even signed and holding this complaint's code:
        // refused before it is read, and no one is linked.
        let padded = text_body(USER, &format!("{code} {}", "ก".repeat(25_000)));
        assert!(padded.len() > 64 * 1024);
        let r = hook(&app, SLUG, &padded, Some(&sign(SECRET, padded.as_bytes()))).await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(links(&app).await, 0);

        // A code of the other organization's complaint is not found here; told once an hour.
        let filed = new_client()
            .post(app.url(&format!("/o/{other}/complaints/new")))
            .multipart(
                reqwest::multipart::Form::new()
                    .text("category", "service")
                    .text("subject", "ถนนชำรุด")
                    .text("body", "ถนนหน้าวัดเป็นหลุม")
                    .text("identity", "anonymous"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(filed.status(), StatusCode::SEE_OTHER);
        let location = filed.headers()["location"].to_str().unwrap();
        let other_code = location.trim_start_matches(&format!("/o/{other}/complaints/")).trim_end_matches("?filed=1").to_string();
        assert_eq!(other_code.len(), 12, "{location}");
        says(&app, USER, &other_code).await;
        says(&app, USER, &other_code).await;
        assert_eq!(links(&app).await, 0);
        let texts = until_pushed(&app, &fake, USER, 1).await;
        assert!(texts[0].contains("ไม่พบเรื่องร้องเรียนตามรหัสที่ส่งมา"), "{texts:?}");

        // A refused LINE form keeps the stored settings and says what is wrong beside the field.
        let r = app.post_form("/app/publishing/line", &csrf, &[("enabled", "1"), ("oa_id", "@แม่คะตวน"), ("secret", "abc def")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"line_oa_id-error\"") && page.contains("id=\"line_secret-error\""), "{page}");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM publishing_channels WHERE oa_id = '{OA}'")).await, 1);
    }

    async fn a_corruption_complaint_is_pushed_to_its_follower_only_as_code_status_and_link(app: TestApp) {
        let mut app = app;
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        let csrf = set_up(&mut app, &fake, &key).await;
        let org = app.org_a.id.0;
        let admin = app.count(&format!("SELECT id FROM users WHERE org_id = {org} AND username = 'admin'")).await;
        let r = app.post_form("/app/complaints/settings/officers", &csrf, &[("user_id", &admin.to_string()), ("on", "1")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let works = app.count(&format!("SELECT id FROM divisions WHERE org_id = {org} AND name = 'กองช่าง'")).await;
        let corruption = [
            ("category", "corruption"),
            ("subject", "เรียกรับเงินค่าตรวจรับงาน"),
            ("body", "นายสมมุติ เรียกเงินห้าพันบาทก่อนตรวจรับงาน"),
            ("accused_division", &works.to_string()),
        ];
        let code = code_of(&file(&app, &corruption).await);
        let service = code_of(&file(&app, &[]).await);
        const OTHER: &str = "U99999999999999999999999999999999";
        says(&app, USER, &code).await;
        says(&app, OTHER, &service).await;
        until_pushed(&app, &fake, USER, 1).await;
        until_pushed(&app, &fake, OTHER, 1).await;

        let id = id_of(&app, &code).await;
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await.status(), StatusCode::SEE_OTHER);
        let texts = until_pushed(&app, &fake, USER, 2).await;
        let status = prongsai::complaints::line_followers::status_text(&code, prongsai::complaints::Status::Received);
        let link = format!("{}/o/{SLUG}/complaints/{code}", app.url(""));
        assert_eq!(texts[1], format!("{status}\n\n{link}"), "the code, the status and the link, nothing else");
        assert_eq!(pushed_to(&fake, OTHER).len(), 1, "the other complaint's follower is told nothing");
        let titles = app.count("SELECT COUNT(*) FROM publishing_outbox WHERE title LIKE '%เรียกรับเงิน%' OR message LIKE '%เรียกรับเงิน%'").await;
        assert_eq!(titles, 0, "nothing of the complaint in the outbox");
    }
}
