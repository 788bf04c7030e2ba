//! The harness itself: PostgreSQL databases are dropped, created with a Thai collation, and a
//! missing PostgreSQL fails CI instead of passing.

use crate::harness::*;

fn database_name(app: &TestApp) -> String {
    app.db_url.expose().rsplit('/').next().unwrap().to_string()
}

/// Whether a database of that name exists on the TEST_DATABASE_URL server.
async fn exists(name: &str) -> bool {
    let server = std::env::var("TEST_DATABASE_URL").unwrap();
    let admin = sqlx::AnyPool::connect(&server).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&admin)
        .await
        .unwrap();
    admin.close().await;
    n == 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_test_database_is_dropped_when_its_test_ends() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    let name = database_name(&app);
    assert!(exists(&name).await);
    drop(app);
    assert!(!exists(&name).await, "{name} is still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_test_database_is_dropped_when_its_test_panics() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        return;
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let failing = tokio::spawn(async move {
        let app = spawn_app(Backend::Postgres).await.unwrap();
        tx.send(database_name(&app)).unwrap();
        panic!("a failing test");
    });
    assert!(failing.await.unwrap_err().is_panic());
    let name = rx.await.unwrap();
    assert!(!exists(&name).await, "{name} is still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_test_databases_have_a_thai_icu_collation() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    if std::env::var("TEST_DATABASE_ICU_LOCALE").is_ok() {
        return; // chosen by whoever runs the suite
    }
    let (provider, locale): (String, String) =
        sqlx::query_as("SELECT datlocprovider::text, daticulocale FROM pg_database WHERE datname = current_database()")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((provider.as_str(), locale.as_str()), ("i", "th-TH"));
}

/// Runs one test of this binary in a child process with the given environment changes.
fn run_child(test: &str, ci: Option<&str>) -> std::process::Output {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"]).env_remove("TEST_DATABASE_URL");
    match ci {
        Some(v) => cmd.env("CI", v),
        None => cmd.env_remove("CI"),
    };
    cmd.output().unwrap()
}

#[test]
fn without_test_database_url_the_postgres_half_fails_in_ci_and_says_skipped_elsewhere() {
    const TEST: &str = "test_harness::postgres_test_databases_have_a_thai_icu_collation";
    let in_ci = run_child(TEST, Some("true"));
    let output = format!("{}{}", String::from_utf8_lossy(&in_ci.stdout), String::from_utf8_lossy(&in_ci.stderr));
    assert!(!in_ci.status.success(), "passed in CI without PostgreSQL:\n{output}");
    assert!(output.contains("CI is set but TEST_DATABASE_URL is not"), "{output}");

    let at_home = run_child(TEST, None);
    let stderr = String::from_utf8_lossy(&at_home.stderr);
    assert!(at_home.status.success(), "{stderr}");
    assert!(stderr.contains("PostgreSQL tests SKIPPED"), "{stderr}");
}
