//! `audit verify` while the server writes: it must read one consistent state, never report a
//! write in progress as tampering, and still find real tampering.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use prongsai::audit;
use reqwest::StatusCode;

use crate::harness::*;

/// A client of its own, logged in as `username`, and its CSRF token.
async fn logged_in(app: &TestApp, username: &str) -> (reqwest::Client, String) {
    let client = new_client();
    let r = app.try_login(&client, app.org_of(username), username, PASSWORD).await;
    assert_redirect_to(&r, "/app");
    let users = client.get(app.url("/app/measures")).send().await.unwrap().text().await.unwrap();
    (client, csrf_in(&users))
}

/// Ordinary audited edits through HTTP until `stop`: org a's staff reorders a measure, org b's
/// admin switches its digits. Counts the acknowledged edits.
async fn spawn_writers(app: &TestApp, stop: Arc<AtomicBool>, done: Arc<AtomicU64>) -> tokio::task::JoinHandle<()> {
    let base = app.url("");
    let (client_a, csrf_a) = logged_in(app, DEMO_STAFF).await;
    let (client_b, csrf_b) = logged_in(app, OTHER_ADMIN).await;
    let list = client_a.get(app.url("/app/measures?year=2566")).send().await.unwrap().text().await.unwrap();
    let at = list.find("กำกับติดตามการทำงานของผู้บริหาร").expect("seed measure listed");
    let href = list[..at].rfind("/app/measures/").unwrap() + "/app/measures/".len();
    let id: i64 = list[href..].split('"').next().unwrap().parse().unwrap();
    tokio::spawn(async move {
        let mut i = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let step = if i.is_multiple_of(2) { "1" } else { "-1" };
            let digits = if i.is_multiple_of(2) { "arabic" } else { "thai" };
            let a = client_a
                .post(format!("{base}/app/measures/{id}/move"))
                .form(&[("_csrf", csrf_a.as_str()), ("step", step)])
                .send();
            let b = client_b
                .post(format!("{base}/app/organization/digits"))
                .form(&[("_csrf", csrf_b.as_str()), ("digits", digits)])
                .send();
            let (a, b) = tokio::join!(a, b);
            assert_eq!(a.unwrap().status(), StatusCode::SEE_OTHER);
            assert_eq!(b.unwrap().status(), StatusCode::SEE_OTHER);
            done.fetch_add(2, Ordering::Relaxed);
            i += 1;
        }
    })
}

fn cli_verify(app: &TestApp) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", app.db_url.expose())
        .env("PRONGSAI_LOG", "warn")
        .output()
        .unwrap()
}

crate::on_both_databases! {
    async fn verify_reports_intact_while_the_server_writes_and_still_finds_tampering(app: TestApp) {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicU64::new(0));
        let writers = spawn_writers(&app, stop.clone(), done.clone()).await;
        let mut verified = 0;
        for round in 0..60 {
            let report = audit::verify(&app.db).await.unwrap();
            assert!(report.problems.is_empty(), "verify {round} during writes: {:?}", report.problems);
            assert_eq!(report.chains, 2);
            verified += 1;
            if round % 12 == 0 {
                let app_ref = &app;
                let out = tokio::task::block_in_place(|| cli_verify(app_ref));
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "CLI verify {round} during writes: {stdout}{}", String::from_utf8_lossy(&out.stderr));
                assert!(stdout.contains("audit log intact"), "{stdout}");
            }
        }
        stop.store(true, Ordering::Relaxed);
        writers.await.unwrap();
        assert!(done.load(Ordering::Relaxed) >= 20, "the server kept writing during the {verified} verifications");
        assert!(audit::verify(&app.db).await.unwrap().problems.is_empty());
        // Real tampering is still found.
        app.raw_sql("DROP TRIGGER audit_log_no_update ON audit_log").await.or(app.raw_sql("DROP TRIGGER audit_log_no_update").await).unwrap();
        app.raw_sql(&format!("UPDATE audit_log SET actor = 'someone else' WHERE seq = 5 AND org_id = {}", app.org_a.id.0)).await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!((report.problems[0].org_id, report.problems[0].seq), (app.org_a.id.0, 5));
    }
}
