//! The `prongsai serve` process as an operator runs it: signals, the blocking pool under load,
//! connection limits, and the systemd unit.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

use crate::harness::{TestApp, csrf_in, new_client};
use crate::ops::import_big_year;

/// A running `prongsai serve` on the test's database.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// What the server wrote to standard error (its logs), read as it comes.
    logs: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts the binary (through `wrapper`, e.g. `prlimit`, when given) and waits for its address.
    fn start(app: &TestApp, env: &[(&str, &str)], wrapper: &[&str]) -> Server {
        let binary = env!("CARGO_BIN_EXE_prongsai");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", app.db_url.expose())
            .env("PRONGSAI_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        let logs = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (sink, stderr) = (logs.clone(), child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("the server prints its address").unwrap();
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .parse()
            .unwrap();
        // Keep reading stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr, logs }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn signal(&self, name: &str) {
        let sent = Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success());
    }

    /// The value of one metrics line, e.g. `prongsai_blocking_running{lane="render"}`.
    async fn metric(&self, name: &str) -> f64 {
        let text = reqwest::get(self.url("/metrics")).await.unwrap().text().await.unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("no {name} in\n{text}"))
            .parse()
            .unwrap()
    }

    /// Waits (polling /metrics) until `done` holds for the metric.
    async fn until(&self, name: &str, done: impl Fn(f64) -> bool) {
        for _ in 0..2000 {
            if done(self.metric(name).await) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{name} never reached the expected value");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A big 2567 year, published without its files (as the demo's version is): its first public
/// PDF requests print it, so a slow render is in flight.
async fn big_unprinted_version(app: &TestApp) {
    import_big_year(app, 2567, 240).await;
    let (name, position) = prongsai::demo::DEMO_APPROVER;
    let approval = prongsai::measures::publication::rules::ApprovalInput {
        approver_name: name.into(),
        approver_position: position.into(),
        approved_on: prongsai::thai::today_in_thailand(),
    };
    prongsai::measures::publication::publish::approve_and_record_unprinted(
        &app.db,
        &app.org_a,
        2567,
        &approval,
        prongsai::db::now(),
        "test",
    )
    .await
    .unwrap();
}

const BIG: &[(&str, &str)] = &[("PRONGSAI_RENDER_MAX_ROWS", "100000"), ("PRONGSAI_RENDER_MAX_CHARS", "1000000000")];

/// Starts a slow PDF, sends `signal` while it renders: the PDF arrives whole and the process exits 0.
async fn drains_on(app: &TestApp, signal: &str) {
    big_unprinted_version(app).await;
    let mut server = Server::start(app, BIG, &[]);
    let pdf = tokio::spawn(reqwest::get(server.url("/o/mae-khatuan/ita/2567/measures.pdf")));
    server.until("prongsai_blocking_running{lane=\"render\"}", |v| v >= 1.0).await;
    server.signal(signal);
    let r = pdf.await.unwrap().expect("the request in flight is answered");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    let status = tokio::task::spawn_blocking(move || server.child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(0), "exit status after {signal}");
}

crate::on_both_databases! {
    async fn sigterm_lets_the_request_in_flight_finish_and_exits_0(app: TestApp) {
        drains_on(&app, "TERM").await;
    }

    async fn sigint_lets_the_request_in_flight_finish_and_exits_0(app: TestApp) {
        drains_on(&app, "INT").await;
    }

    async fn a_cheap_page_and_logins_answer_while_pdfs_render(app: TestApp) {
        big_unprinted_version(&app).await;
        let mut env = BIG.to_vec();
        env.push(("PRONGSAI_RENDER_THREADS", "1"));
        let server = Server::start(&app, &env, &[]);
        let finished = server.metric("prongsai_blocking_completed_total{lane=\"render\"}").await;
        let pdfs: Vec<_> = (0..4)
            .map(|_| tokio::spawn(reqwest::get(server.url("/o/mae-khatuan/ita/2567/measures.pdf"))))
            .collect();
        server.until("prongsai_blocking_running{lane=\"render\"}", |v| v >= 1.0).await;
        let logins: Vec<_> = (0..8)
            .map(|_| {
                let (client, base) = (new_client(), server.url(""));
                tokio::spawn(async move {
                    let page = client.get(format!("{base}/login?org=mae-khatuan")).send().await.unwrap().text().await.unwrap();
                    let form = [("_csrf", csrf_in(&page)), ("org", "mae-khatuan".into()), ("username", "admin".into()), ("password", prongsai::demo::PASSWORD.into())];
                    client.post(format!("{base}/login")).form(&form).send().await.unwrap().status()
                })
            })
            .collect();
        for login in logins {
            assert_eq!(login.await.unwrap(), StatusCode::SEE_OTHER, "the login succeeded");
        }
        assert_eq!(reqwest::get(server.url("/healthz")).await.unwrap().text().await.unwrap(), "ok");
        // Ordering, not timing: all of that was answered before the first render ended.
        assert_eq!(
            server.metric("prongsai_blocking_completed_total{lane=\"render\"}").await,
            finished,
            "a render finished before the logins and the health check were answered: make the year bigger"
        );
        let mut bodies = Vec::new();
        for pdf in pdfs {
            let r = pdf.await.unwrap().unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            bodies.push(r.bytes().await.unwrap());
        }
        assert!(bodies.iter().all(|b| b.starts_with(b"%PDF-") && *b == bodies[0]), "all four got the same PDF");
        // Four requests for the same document, one typesetting.
        assert_eq!(server.metric("prongsai_blocking_completed_total{lane=\"render\"}").await, finished + 1.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_keeps_accepting_while_hundreds_of_connections_sit_silent() {
    let app = crate::harness::spawn_app(crate::harness::Backend::Sqlite).await.unwrap();
    // 128 file descriptors: without a cap and timeouts, 300 silent connections exhaust them and
    // the server accepts nothing more.
    let env = [("PRONGSAI_MAX_CONNECTIONS", "48"), ("PRONGSAI_HEADER_TIMEOUT_SECS", "0.5")];
    let server = Server::start(&app, &env, &["prlimit", "--nofile=128:128", "--"]);
    let mut silent = Vec::new();
    for _ in 0..300 {
        silent.push(tokio::net::TcpStream::connect(server.addr).await.unwrap());
    }
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let r = client.get(server.url("/healthz")).send().await.expect("the server still accepts");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(server.metric("prongsai_http_connections_open").await <= 48.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_each_requests_id() {
    let app = crate::harness::spawn_app(crate::harness::Backend::Sqlite).await.unwrap();
    let env = [("PRONGSAI_LOG_FORMAT", "json"), ("PRONGSAI_LOG", "info,sqlx=warn")];
    let mut server = Server::start(&app, &env, &[]);
    let client = reqwest::Client::new();
    let r = client.get(server.url("/o/mae-khatuan/")).header("x-request-id", "trace-me-42").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-me-42");
    server.signal("TERM");
    let status = tokio::task::spawn_blocking(move || server.child.wait().map(|s| (s, server))).await.unwrap().unwrap();
    assert_eq!(status.0.code(), Some(0));
    let logs = status.1.logs.lock().unwrap().clone();
    let answered = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["span"]["id"] == "trace-me-42")
        .unwrap_or_else(|| panic!("no JSON log line with the request id in\n{logs}"));
    assert_eq!(answered["fields"]["status"], 200, "{answered}");
    assert_eq!(answered["span"]["path"], "/o/mae-khatuan/");
}

/// `serve` starts itself again, once and as the same process, with glibc's mmap threshold fixed
/// (`ops::malloc`: large blocks go back to the system); an operator who tunes malloc is left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_restarts_itself_once_with_its_malloc_tuning_unless_the_operator_tunes_it() {
    let app = crate::harness::spawn_app(crate::harness::Backend::Sqlite).await.unwrap();
    for (theirs, expected) in [
        (None, vec!["GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072", "PRONGSAI_MALLOC_RESTARTED=1"]),
        (Some(("GLIBC_TUNABLES", "glibc.malloc.arena_max=4")), vec!["GLIBC_TUNABLES=glibc.malloc.arena_max=4"]),
        (Some(("MALLOC_MMAP_THRESHOLD_", "65536")), vec!["MALLOC_MMAP_THRESHOLD_=65536"]),
    ] {
        let server = Server::start(&app, &Vec::from_iter(theirs), &[]);
        assert_eq!(reqwest::get(server.url("/o/mae-khatuan/")).await.unwrap().status(), StatusCode::OK);
        assert_eq!(malloc_variables(&server), expected, "with {theirs:?}");
        stop(server).await;
    }
}

/// The server's environment as it was started (after its restart, if any): the malloc variables.
fn malloc_variables(server: &Server) -> Vec<String> {
    let environ = std::fs::read(format!("/proc/{}/environ", server.child.id())).unwrap();
    let mut found: Vec<String> = environ
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .filter(|v| ["GLIBC_TUNABLES=", "PRONGSAI_MALLOC", "MALLOC_"].iter().any(|p| v.starts_with(p)))
        .collect();
    found.sort();
    found
}

/// SIGTERM, and the server exits 0.
async fn stop(mut server: Server) {
    server.signal("TERM");
    let status = tokio::task::spawn_blocking(move || server.child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn the_systemd_unit_passes_systemd_analyze_verify() {
    let Ok(probe) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("note: systemd-analyze is not installed: the unit file was not verified");
        return;
    };
    assert!(probe.status.success());
    let unit = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/prongsai.service")).unwrap();
    // Verified against the binary just built, where the unit expects the installed one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prongsai.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/prongsai", env!("CARGO_BIN_EXE_prongsai"))).unwrap();
    let out = Command::new("systemd-analyze").arg("verify").arg(&path).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.trim().is_empty(), "systemd-analyze verify:\n{said}");
}
