//! What the publishing tests share: the app set up with the stand-in APIs and a key file, a news
//! post published through the staff form, and the outbox's rows as the database holds them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::harness::{DEMO_ADMIN, TestApp};
use crate::publishing_fake::{FACEBOOK_TOKEN, Fake, LINE_TOKEN, PAGE_ID};

/// Waits (polling the database or the stand-in) until `check` holds; fails after 30 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "waited 30 s for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A new key file (32 random bytes, hex) in `dir`.
pub fn key_file(dir: &Path, name: &str) -> PathBuf {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let path = dir.join(name);
    std::fs::write(&path, hex::encode(bytes)).unwrap();
    path
}

/// Restarts the app with the stand-in's settings (`change` adjusts them), then sets up LINE and
/// Facebook as the admin; returns the admin's CSRF token.
pub async fn configure(
    app: &mut TestApp,
    fake: &Fake,
    key: &Path,
    change: impl FnOnce(&mut prongsai::publishing::Config),
) -> String {
    let mut config = fake.config(Some(key.to_path_buf()));
    change(&mut config);
    app.publishing = Some(config);
    app.restart().await;
    let csrf = app.login(DEMO_ADMIN).await;
    let r = app.post_form("/app/publishing/line", &csrf, &[("token", LINE_TOKEN), ("enabled", "1")]).await;
    crate::harness::assert_redirect_to(&r, "/app/publishing?saved=line");
    let r = app
        .post_form(
            "/app/publishing/facebook",
            &csrf,
            &[("page_id", PAGE_ID), ("token", FACEBOOK_TOKEN), ("enabled", "1")],
        )
        .await;
    crate::harness::assert_redirect_to(&r, "/app/publishing?saved=facebook");
    csrf
}

/// Writes and publishes a news post through the staff form; its id.
pub async fn publish_news(app: &TestApp, csrf: &str, title: &str) -> i64 {
    let r = app
        .post_form(
            "/app/news/new",
            csrf,
            &[("kind", "news"), ("title", title), ("body", "เนื้อหาข่าวสำหรับทดสอบการเผยแพร่"), ("publish_now", "1")],
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap();
    location.trim_start_matches("/app/news/").split('?').next().unwrap().parse().unwrap()
}

/// A row as stored: id, status, attempts, last error, remote id, uncertain.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub remote_id: String,
    pub retry_key: String,
}

/// The demo organization's row of `source` on `channel`.
pub async fn row(app: &TestApp, channel: &str, source: &str) -> Stored {
    let (id, status, attempts, last_error, remote_id, retry_key): (i64, String, i64, String, String, String) =
        sqlx::query_as(
            "SELECT id, status, attempts, last_error, remote_id, retry_key FROM publishing_outbox
             WHERE org_id = $1 AND channel = $2 AND source = $3",
        )
        .bind(app.org_a.id.0)
        .bind(channel)
        .bind(source)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    Stored { id, status, attempts, last_error, remote_id, retry_key }
}

/// Waits until the row of `source` on `channel` has `status`.
pub async fn until_status(app: &TestApp, channel: &str, source: &str, status: &str) -> Stored {
    eventually(&format!("{channel} {source} to be {status}"), || async {
        row(app, channel, source).await.status == status
    })
    .await;
    row(app, channel, source).await
}

/// Waits until the row of `source` on `channel` has failed at least once (waiting, with a reason).
pub async fn until_failed(app: &TestApp, channel: &str, source: &str) -> Stored {
    eventually(&format!("{channel} {source} to fail"), || async {
        let r = row(app, channel, source).await;
        r.status == "waiting" && r.attempts >= 1 && !r.last_error.is_empty()
    })
    .await;
    row(app, channel, source).await
}
