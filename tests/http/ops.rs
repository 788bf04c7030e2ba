//! Operating the server: health, readiness, metrics, request ids, render limits and connection
//! timeouts (raw sockets, as a slow or hostile client would behave).

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use prongsai::config::Settings;

use crate::harness::{Backend, SpawnOptions, TestApp};

/// An app whose settings `configure` changes first.
async fn app_with_settings(backend: Backend, configure: fn(&mut Settings)) -> Option<TestApp> {
    crate::harness::spawn_app_with(backend, SpawnOptions { settings: Some(configure), ..Default::default() }).await
}

/// A year of `count` measures for the demo organization, made of the seed's rows (for big renders).
pub async fn import_big_year(app: &TestApp, year: i64, count: usize) {
    let seed: Vec<&str> = prongsai::demo::SEED_REPORT.lines().collect();
    let header = seed.iter().position(|l| l.starts_with("| มาตรการ")).expect("the seed has a table");
    let mut text = format!("{}\n{}\n", seed[header], seed[header + 1]);
    for i in 0..count {
        text.push_str(seed[header + 2 + i % 2]);
        text.push('\n');
    }
    let imported = prongsai::measures::import::import(&app.db, app.org_a.id, year, &text, false, "test").await.unwrap();
    assert_eq!(imported.expect("the generated year imports").measures, count);
}

/// Reads until the server closes the connection; None if it is still open after `patience`.
async fn read_until_closed(stream: &mut TcpStream, patience: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(patience, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    });
    read.await.ok().map(|()| String::from_utf8_lossy(&seen).into_owned())
}

/// Long enough that only a server that never closes the connection reaches it.
const PATIENCE: Duration = Duration::from_secs(20);

async fn app_with_short_timeouts() -> TestApp {
    app_with_settings(Backend::Sqlite, |s| {
        s.limits.header_timeout = Duration::from_millis(300);
        s.limits.body_timeout = Duration::from_millis(300);
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_is_closed_after_the_header_timeout() {
    let app = app_with_short_timeouts().await;
    let mut silent = TcpStream::connect(app.addr).await.unwrap();
    assert!(read_until_closed(&mut silent, PATIENCE).await.is_some(), "a connection that sends nothing stays open");
    // Half a request line, then nothing (slowloris).
    let mut slow = TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"GET /o/mae-khatuan/ HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    assert!(read_until_closed(&mut slow, PATIENCE).await.is_some(), "a request head that never ends stays open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_that_sends_nothing_more_is_closed() {
    let app = app_with_short_timeouts().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let answer = read_until_closed(&mut stream, PATIENCE).await.expect("the idle kept-alive connection is closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("\r\n\r\nok"), "one whole answer, then the close: {answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_announced_body_never_comes_gets_408_and_the_connection_closes() {
    let app = app_with_short_timeouts().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n_csrf=")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, PATIENCE).await.expect("the connection is closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    assert!(answer.contains("ส่งข้อมูลมาไม่ครบภายในเวลาที่กำหนด"), "a Thai page says what happened: {answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_over_the_request_timeout_answers_503_in_thai() {
    let app = app_with_settings(Backend::Sqlite, |s| s.limits.request_timeout = Duration::ZERO).await.unwrap();
    let r = app.get("/o/mae-khatuan/ita/2566/measures.pdf").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await.unwrap().contains("นานเกินไป"));
}

crate::on_both_databases! {
    async fn a_pdf_too_large_to_typeset_online_is_refused_with_413_in_thai(app: TestApp) {
        // The seed year has 3 measures: over a limit of 2 rows.
        let app = app_with_settings(app.backend, |s| s.limits.render.max_rows = 2).await.unwrap();
        let r = app.get("/o/mae-khatuan/ita/2566/measures.pdf").await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let page = r.text().await.unwrap();
        assert!(page.contains("เอกสารนี้ใหญ่เกินกว่าจะจัดทำเป็น PDF บนเว็บได้"), "{page}");
        assert!(page.contains("มาตรการ ๓ รายการ เกินที่จัดทำบนเว็บได้ ๒ รายการ"), "{page}");
        assert!(page.contains("prongsai"), "says to use the command line: {page}");
        // The HTML page of the same year is not a render: it is served.
        assert_eq!(app.get("/o/mae-khatuan/ita/2566/measures").await.status(), StatusCode::OK);

        let app = app_with_settings(app.backend, |s| s.limits.render.max_chars = 1000).await.unwrap();
        let r = app.get("/o/mae-khatuan/lending/manual.pdf").await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(r.text().await.unwrap().contains("ตัวอักษร เกินที่จัดทำบนเว็บได้ ๑,๐๐๐ ตัวอักษร"));
    }

    async fn a_render_over_the_time_limit_answers_503_in_thai(app: TestApp) {
        let app = app_with_settings(app.backend, |s| s.limits.render.timeout = Some(Duration::ZERO)).await.unwrap();
        let r = app.get("/o/mae-khatuan/ita/2566/measures.pdf").await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.text().await.unwrap().contains("กรุณาลองใหม่"));
    }

    async fn healthz_says_alive_and_readyz_checks_the_database_and_migrations(app: TestApp) {
        assert_eq!(app.get_text("/healthz").await, "ok");
        assert_eq!(app.get_text("/readyz").await, "ready");
        app.raw_sql("DELETE FROM schema_migrations WHERE name = '0002_lending'").await.unwrap();
        let r = app.get("/readyz").await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.text().await.unwrap().contains("0002_lending"));
        app.db.pool.close().await;
        let r = app.get("/readyz").await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.text().await.unwrap(), "not ready: database unreachable");
        assert_eq!(app.get_text("/healthz").await, "ok", "the process itself is alive");
    }

    async fn metrics_count_requests_by_route_and_renders_and_show_the_pools(app: TestApp) {
        app.get_text("/o/mae-khatuan/").await;
        assert_eq!(app.get("/o/mae-khatuan/ita/2566/measures.pdf").await.status(), StatusCode::OK);
        let metrics = app.get_text("/metrics").await;
        for line in [
            "prongsai_http_requests_total{method=\"GET\",route=\"/o/{slug}/\",status=\"200\"}",
            "prongsai_http_request_duration_seconds_bucket{route=\"/o/{slug}/ita/{year}/measures.pdf\",le=\"+Inf\"}",
            "prongsai_pdf_render_seconds_count{document=\"measures_report\"}",
            "prongsai_blocking_queue_depth{lane=\"render\"}",
            "prongsai_blocking_running{lane=\"hash\"}",
            "prongsai_db_pool_connections{state=\"idle\"}",
            "prongsai_http_connections_open",
        ] {
            assert!(metrics.contains(line), "missing {line} in\n{metrics}");
        }
        // Through a reverse proxy on this machine (which says whom it forwards for): refused.
        let r = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }

    async fn metrics_reach_other_machines_only_with_the_token(app: TestApp) {
        let app = app_with_settings(app.backend, |s| {
            s.metrics_token = Some(prongsai::config::Secret::new("a-long-metrics-token".into()))
        })
        .await
        .unwrap();
        let forwarded = |token: &str| {
            app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9").bearer_auth(token).send()
        };
        assert_eq!(forwarded("wrong").await.unwrap().status(), StatusCode::FORBIDDEN);
        assert_eq!(forwarded("a-long-metrics-token").await.unwrap().status(), StatusCode::OK);
    }

    async fn pages_answered_from_memory_are_counted_under_their_route(app: TestApp) {
        // A kept page is answered before routing: the request log must still know its route.
        use crate::public_cache::{counter, hits, until_served_from_cache};
        let (path, base) = ("/o/mae-khatuan/ita/2566/measures", format!("http://{}", app.addr));
        let route = "prongsai_http_request_duration_seconds_count{route=\"/o/{slug}/ita/{year}/measures\"}";
        until_served_from_cache(&app.client, &base, path).await;
        let (hits_before, route_before) = (hits(&app.client, &base).await, counter(&app.client, &base, route).await);
        for _ in 0..50 {
            app.get_text(path).await;
        }
        // The hits are this server's own; the route's count is the process's (other tests add).
        assert_eq!(hits(&app.client, &base).await - hits_before, 50, "all 50 served from memory");
        assert!(counter(&app.client, &base, route).await - route_before >= 50);
    }

    async fn every_answer_carries_a_request_id(app: TestApp) {
        let r = app.get("/o/mae-khatuan/").await;
        let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
        assert_eq!(id.len(), 16, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let given = app.client.get(app.url("/healthz")).header("x-request-id", "lb-42_a").send().await.unwrap();
        assert_eq!(given.headers()["x-request-id"], "lb-42_a", "an upstream proxy's id is kept");
        let odd = app.client.get(app.url("/healthz")).header("x-request-id", "a b<c>").send().await.unwrap();
        assert_ne!(odd.headers()["x-request-id"], "a b<c>", "an id that is not plain is replaced");
        let missing = app.get("/no/such/page").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert!(missing.headers().contains_key("x-request-id"));
    }
}
