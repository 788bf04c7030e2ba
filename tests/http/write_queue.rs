//! Every write of the product waits its turn in the process instead of in SQLite's busy handler
//! (issue 13, item 4): with a busy timeout of 1 ms, eight writers of different kinds at once all
//! succeed, none gets "database is locked". A write that bypassed the queue would meet another
//! writer's lock and fail here. On PostgreSQL the same writers lock rows and all succeed too.

use chrono::Duration as Days;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::*;
use crate::lending_overlap::{new_item, one_unit_request};

const ROUNDS: usize = 6;

async fn app_with_no_busy_wait(backend: Backend) -> Option<TestApp> {
    let db = prongsai::db::DbOptions { sqlite_busy_timeout: std::time::Duration::from_millis(1) };
    spawn_app_with(backend, SpawnOptions { db, ..Default::default() }).await
}

/// One writer: `ROUNDS` writes of its kind; panics on the first that fails.
async fn writer(app: &TestApp, kind: usize, csrf: &str) {
    let org = app.org_a.id;
    for round in 0..ROUNDS {
        match kind {
            // A login: the throttle's record is cleared and a session is created.
            0 | 1 => {
                let client = new_client();
                let r = app.try_login(&client, prongsai::demo::SLUG, DEMO_STAFF, PASSWORD).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "login {round} of writer {kind}");
            }
            // A wrong password: the throttle counts the failure (a new account each time, so that
            // none is locked out).
            2 => {
                let client = new_client();
                let r = app.try_login(&client, "other-town", &format!("nobody-{round}"), "not-the-password").await;
                assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "failed login {round} is refused, not failed");
            }
            // A measure edit.
            3 | 4 => {
                let year = prongsai::measures::store::years(&app.db, org).await.unwrap()[0];
                let measures = prongsai::measures::store::list(&app.db, org, year).await.unwrap();
                let mut m = measures[kind - 3].clone();
                m.input.progress = (round as i64 * 10 + kind as i64) % 100;
                let saved = prongsai::measures::store::update(&app.db, org, m.id, &m.input, "test").await;
                assert!(saved.unwrap(), "edit {round} of writer {kind}");
            }
            // A loan request, on the writer's own item (made in its first round: a write too).
            5 | 6 => {
                let asset_number = format!("416-67-090{kind}");
                let item =
                    match prongsai::lending::items::find_by_asset_number(&app.db, org, &asset_number).await.unwrap() {
                        Some(item) => item.id,
                        None => new_item(app, &asset_number, 10).await,
                    };
                let start = prongsai::lending::today() + Days::days(100 + round as i64 * 3);
                let (request, admin) = one_unit_request(app, item, start, start + Days::days(1)).await;
                let filed =
                    prongsai::lending::loans::request(&app.db, org, &request, &admin, prongsai::lending::today()).await;
                if let Err(refused) = filed.unwrap() {
                    panic!("request {round} of writer {kind} is refused: {}", refused.message_th());
                }
            }
            // An uploaded report kept for its preview (the import's staging).
            _ => {
                let form = Form::new()
                    .text("year", "2567")
                    .part("file", Part::bytes(prongsai::demo::SEED_REPORT.as_bytes().to_vec()).file_name("report.md"));
                let r = app
                    .client
                    .post(app.url(&format!("/app/measures/import?_csrf={csrf}")))
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK, "upload {round} is previewed");
            }
        }
    }
}

async fn eight_writers_at_once(backend: Backend) {
    let Some(mut app) = app_with_no_busy_wait(backend).await else { return };
    let csrf = app.login(DEMO_ADMIN).await;
    let app = &app;
    join_all((0..8).map(|kind| writer(app, kind, &csrf))).await;
    // Every write is there: the sessions, the loans asked for, the staged uploads, the failures.
    let sessions = app.count("SELECT COUNT(*) FROM sessions").await;
    assert_eq!(sessions, 1 + 2 * ROUNDS as i64, "the admin's session and the logins'");
    let loans = app
        .count("SELECT COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id WHERE i.asset_number LIKE '416-67-090%'")
        .await;
    assert_eq!(loans, 2 * ROUNDS as i64);
    let staged = app.count("SELECT COUNT(*) FROM measure_import_previews").await;
    assert_eq!(staged, ROUNDS as i64);
    let failures = app.count("SELECT COUNT(*) FROM login_throttle WHERE subject LIKE '%nobody-%'").await;
    assert_eq!(failures, ROUNDS as i64, "each failed login was counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_eight_writers_of_different_kinds_at_once_all_succeed_without_waiting_in_the_database() {
    eight_writers_at_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_eight_writers_of_different_kinds_at_once_all_succeed() {
    eight_writers_at_once(Backend::Postgres).await;
}

/// Drives the writers at once on this task (they borrow the app, so they are not spawned; their
/// database work still overlaps).
async fn join_all<F: std::future::Future<Output = ()>>(futures: impl Iterator<Item = F>) {
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if pending.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
}
