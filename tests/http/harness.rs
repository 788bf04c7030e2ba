//! Starts the real server on a random port against a fresh database, as `prongsai serve` does.
//!
//! Every test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL points at a server (CI sets
//! it). Without it, the PostgreSQL half says once, on the terminal, that it was skipped, and fails
//! when `CI` is set: CI must never pass with half the suite missing.
//!
//! Each PostgreSQL test gets its own database, created with a Thai ICU collation (th-TH, as a
//! Thai host would choose; `TEST_DATABASE_ICU_LOCALE` picks another, empty for the server's
//! default) so that any ordering left to the database shows up as a difference from SQLite. The
//! database is dropped when the test's `TestApp` is dropped, also when the test panics.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Once;

use prongsai::app::{AppState, serve};
use prongsai::config::Settings;
use prongsai::db::{DatabaseUrl, Db};
use prongsai::orgs::store::{self as orgs, NewOrg};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Defines `NAME` as two tests, `sqlite::NAME` and `postgres::NAME`, each given a fresh `TestApp`.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::harness::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    #[allow(unused_mut)]
                    let mut $app = $crate::harness::spawn_app($crate::harness::Backend::Sqlite).await.unwrap();
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::harness::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    #[allow(unused_mut)]
                    let Some(mut $app) = $crate::harness::spawn_app($crate::harness::Backend::Postgres).await else { return };
                    $body
                }
            )*
        }
    };
}

pub const DEMO_ADMIN: &str = "admin";
pub const DEMO_STAFF: &str = "supplies";
pub const DEMO_EXECUTIVE: &str = "executive";
pub const PASSWORD: &str = prongsai::demo::PASSWORD;
pub const OTHER_ADMIN: &str = "other-admin";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: Db,
    pub db_url: DatabaseUrl,
    pub backend: Backend,
    /// The demo organization (mae-khatuan), with the seed's measures for 2566.
    pub org_a: prongsai::orgs::Org,
    /// A second organization, for cross-tenant tests; its admin is OTHER_ADMIN.
    pub org_b: prongsai::orgs::Org,
    _dir: Option<tempfile::TempDir>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    /// The outbox's settings every server of this app gets (also after `restart` and in
    /// `second_server`); None: the environment's. Change it before `restart` to change them.
    pub publishing: Option<prongsai::publishing::Config>,
    /// Last, so that it drops after the server's pool handle.
    _database: Option<PgDatabase>,
}

/// A PostgreSQL test database, dropped (`WITH (FORCE)`, closing the server's connections) when
/// this value is dropped.
pub struct PgDatabase {
    server: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // Drop cannot be async, and may run inside the test's runtime: the DROP runs on a thread
        // of its own with its own runtime. Errors are reported, never raised (a panic while a
        // failing test unwinds would abort the whole test binary).
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let admin = sqlx::AnyPool::connect(&server).await?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&admin).await?;
                admin.close().await;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = writeln!(std::io::stderr(), "could not drop test database {}: {e:#}", self.name);
            }
            Err(_) => {
                let _ = writeln!(std::io::stderr(), "could not drop test database {}: the thread panicked", self.name);
            }
        }
    }
}

static PG_SKIPPED: Once = Once::new();

/// Where a fresh database lives: a temporary directory (SQLite) or a database to drop (PostgreSQL).
pub enum Scratch {
    Dir(tempfile::TempDir),
    Database(PgDatabase),
}

/// Whether this run is CI's (which sets `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// A fresh database of the backend, or None when PostgreSQL is not configured (outside CI).
pub async fn fresh_database(backend: Backend) -> Option<(DatabaseUrl, Scratch)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            Some((DatabaseUrl::sqlite_file(&dir.path().join("test.db")), Scratch::Dir(dir)))
        }
        Backend::Postgres => {
            let Ok(server) = std::env::var("TEST_DATABASE_URL") else {
                assert!(
                    !in_ci(),
                    "CI is set but TEST_DATABASE_URL is not: the PostgreSQL half of the suite cannot run \
                     (set it, e.g. postgres://postgres@127.0.0.1:5432/postgres)"
                );
                PG_SKIPPED.call_once(|| {
                    // Written to the terminal directly: libtest would swallow println! of a passing test.
                    let _ = writeln!(
                        std::io::stderr(),
                        "\n*** PostgreSQL tests SKIPPED: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres) ***\n"
                    );
                });
                return None;
            };
            let name = format!("prongsai_test_{}", rand_suffix());
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&server)
                .await
                .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
            let locale = std::env::var("TEST_DATABASE_ICU_LOCALE").unwrap_or_else(|_| "th-TH".into());
            let create = if locale.is_empty() {
                format!("CREATE DATABASE {name}")
            } else {
                format!(
                    "CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{locale}' LOCALE 'C.UTF-8'"
                )
            };
            sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&admin).await.unwrap_or_else(|e| {
                panic!(
                    "creating a test database with ICU collation '{locale}' failed (PostgreSQL 15+ with ICU needed; \
                     TEST_DATABASE_ICU_LOCALE= uses the server's default): {e}"
                )
            });
            admin.close().await;
            let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
            let url = format!("{base}/{name}").parse().unwrap();
            Some((url, Scratch::Database(PgDatabase { server, name })))
        }
    }
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{}_{}_{}", std::process::id(), t % 1_000_000_000, n)
}

/// What a test may change about the app it starts.
#[derive(Default)]
pub struct SpawnOptions {
    /// SQLite: the database file (e.g. on a small file system) instead of a fresh temp folder.
    pub sqlite_file: Option<std::path::PathBuf>,
    pub db: prongsai::db::DbOptions,
    /// Changes the server's settings before it starts (e.g. short timeouts).
    pub settings: Option<fn(&mut Settings)>,
    /// E-mails the server's notices through this mailer (e.g. to an SMTP sink).
    pub mailer: Option<prongsai::mail::Mailer>,
    /// The outbox's settings (API addresses of a test server, short waits, the key file), kept
    /// for every server of the app.
    pub publishing: Option<prongsai::publishing::Config>,
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, SpawnOptions::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: SpawnOptions) -> Option<TestApp> {
    let (db_url, scratch) = match (&options.sqlite_file, backend) {
        (Some(file), Backend::Sqlite) => (DatabaseUrl::sqlite_file(file), None),
        _ => {
            let (url, scratch) = fresh_database(backend).await?;
            (url, Some(scratch))
        }
    };
    let (dir, database) = match scratch {
        Some(Scratch::Dir(dir)) => (Some(dir), None),
        Some(Scratch::Database(database)) => (None, Some(database)),
        None => (None, None),
    };
    let db = Db::connect_with(&db_url, &options.db).await.expect("connect and migrate");
    prongsai::demo::load(&db).await.expect("demo load");
    let org_a = orgs::find_by_slug(&db, prongsai::demo::SLUG).await.unwrap().unwrap();
    let org_b = orgs::create(
        &db,
        &NewOrg {
            slug: "other-town",
            name: "เทศบาลตำบลทดสอบ",
            kind: "เทศบาลตำบล",
            province: "ลำพูน",
            district: "เมืองลำพูน",
            divisions: &["สำนักปลัด", "กองคลัง"],
        },
        "test",
    )
    .await
    .unwrap();
    prongsai::auth::users::create(
        &db,
        &prongsai::auth::users::NewUser {
            org: org_b.id,
            username: OTHER_ADMIN,
            display_name: "ผู้ดูแลเทศบาลทดสอบ",
            password: PASSWORD,
            role: prongsai::auth::Role::Admin,
            division_id: None,
        },
        "test",
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = served(Settings::new(db_url.clone(), Some(format!("http://{addr}"))), &options.publishing);
    if let Some(configure) = options.settings {
        configure(&mut settings);
    }
    let state = AppState::new(db.clone(), settings).with_mailer(options.mailer);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(state, listener, async {
        let _ = rx.await;
    }));
    Some(TestApp {
        addr,
        client: new_client(),
        db,
        db_url,
        backend,
        org_a,
        org_b,
        _dir: dir,
        _shutdown: tx,
        publishing: options.publishing,
        _database: database,
    })
}

/// A public report page without the marks that give the browser our word boundaries
/// (`portal::words`: `<span class=w>` around a word, `<wbr>` between words), so that tests can look
/// for the text as written.
pub fn without_word_marks(html: &str) -> String {
    html.replace("<span class=w>", "").replace("</span>", "").replace("<wbr>", "")
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
}

/// The value of the first `name="_csrf"` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

pub fn assert_redirect_to(response: &reqwest::Response, location: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "expected a redirect to {location}");
    assert_eq!(response.headers()["location"], location);
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.text().await.unwrap()
    }

    /// The organization a test user belongs to: OTHER_ADMIN's, or the demo organization.
    pub fn org_of(&self, username: &str) -> &str {
        if username == OTHER_ADMIN { &self.org_b.slug } else { &self.org_a.slug }
    }

    /// Posts the login form of the organization's login page with `client`; returns the response.
    pub async fn try_login(
        &self,
        client: &reqwest::Client,
        org: &str,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client.get(self.url(&format!("/login?org={org}"))).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_in(&page);
        client
            .post(self.url("/login"))
            .form(&[("_csrf", csrf.as_str()), ("org", org), ("username", username), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    /// Logs in with a fresh cookie jar; returns the session's CSRF token.
    pub async fn login(&mut self, username: &str) -> String {
        self.client = new_client();
        let r = self.try_login(&self.client, self.org_of(username), username, PASSWORD).await;
        assert_redirect_to(&r, "/app");
        csrf_in(&self.get_text("/app/measures").await)
    }

    /// Posts a form with the given CSRF token.
    pub async fn post_form(&self, path: &str, csrf: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all = vec![("_csrf", csrf)];
        all.extend_from_slice(fields);
        self.client.post(self.url(path)).form(&all).send().await.unwrap()
    }

    /// Another server process's worth of state (its own pool, nothing shared in memory) on the
    /// same database, as a second `prongsai serve` behind the same address; returns its base URL.
    /// It stops when the returned sender is dropped.
    pub async fn second_server(&self) -> (String, tokio::sync::oneshot::Sender<()>) {
        self.second_server_with(|_| {}).await
    }

    /// [`Self::second_server`] with settings changed by `configure` (e.g. trusted proxies).
    pub async fn second_server_with(
        &self,
        configure: impl FnOnce(&mut Settings),
    ) -> (String, tokio::sync::oneshot::Sender<()>) {
        let db = Db::connect(&self.db_url).await.expect("second connection");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut settings = served(Settings::new(self.db_url.clone(), Some(format!("http://{addr}"))), &self.publishing);
        configure(&mut settings);
        let state = AppState::new(db, settings);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(state, listener, async {
            let _ = rx.await;
        }));
        (format!("http://{addr}"), tx)
    }

    /// Stops the server and starts a new one on the same address and database, as an operator
    /// restarting `prongsai serve` does: a new pool and state, nothing kept from the old process's
    /// memory (the options given to `spawn_app_with` are not applied again, but for `publishing`).
    pub async fn restart(&mut self) {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        drop(std::mem::replace(&mut self._shutdown, tx));
        // The old server drops its listener as soon as it stops accepting: wait for the port.
        let mut listener = None;
        for _ in 0..200 {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(bound) => {
                    listener = Some(bound);
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(25)).await,
            }
        }
        let listener = listener.unwrap_or_else(|| panic!("{} was not free again within 5 s", self.addr));
        let db = Db::connect(&self.db_url).await.expect("connect again");
        let settings =
            served(Settings::new(self.db_url.clone(), Some(format!("http://{}", self.addr))), &self.publishing);
        tokio::spawn(serve(AppState::new(db, settings), listener, async {
            let _ = rx.await;
        }));
    }

    /// Runs SQL directly against the database, as an intruder with database access would.
    pub async fn raw_sql(&self, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&self.db.pool).await.map(|_| ())
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&self.db.pool).await.unwrap();
        n
    }
}

/// Runs the real `prongsai` binary against a database, as an operator would.
pub fn prongsai_cli(db: &DatabaseUrl, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(args)
        .env("DATABASE_URL", db.expose())
        .env("PRONGSAI_LOG", "warn")
        .output()
        .unwrap()
}

/// The standard output of a command that must have succeeded (else its whole output, in the panic).
pub fn cli_ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

impl TestApp {
    /// Uploads an evidence file to a measure, as the staff form does.
    pub async fn upload_evidence(
        &self,
        csrf: &str,
        measure: i64,
        title: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        use reqwest::multipart::{Form, Part};
        let form =
            Form::new().text("title", title.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()));
        self.client
            .post(self.url(&format!("/app/measures/{measure}/evidence/file?_csrf={csrf}")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

impl TestApp {
    /// Approves the demo organization's `year` report as it stands (the demo executive, as
    /// `prongsai report approve` records it) and publishes it as the next version, as `prongsai
    /// report publish` does; returns the version's number. The session of `client` is untouched.
    pub async fn publish_report(&self, year: i64) -> i64 {
        use prongsai::measures::publication::{publish, rules::ApprovalInput};
        let org = orgs::find_by_slug(&self.db, prongsai::demo::SLUG).await.unwrap().unwrap();
        let (name, position) = prongsai::demo::DEMO_APPROVER;
        let input = ApprovalInput {
            approver_name: name.into(),
            approver_position: position.into(),
            approved_on: prongsai::thai::today_in_thailand(),
        };
        publish::approve(&self.db, &org, year, &input, None, "test").await.unwrap().expect("the draft is approved");
        let typesetter = prongsai::docs::typeset::Typesetter::unlimited();
        publish::publish(&self.db, &typesetter, &org, year, "test")
            .await
            .unwrap()
            .expect("the report is published")
            .number
    }
}

/// Settings as `prongsai serve` completes them: large documents typeset by the built binary's
/// render worker (the test binary itself has no `render-worker` command).
fn served(mut settings: Settings, publishing: &Option<prongsai::publishing::Config>) -> Settings {
    settings.render_worker = Some(env!("CARGO_BIN_EXE_prongsai").into());
    if let Some(publishing) = publishing {
        settings.publishing = publishing.clone();
    }
    settings
}

/// Every QR code of a sheet of labels (A4 pages of 3 × 8 labels of 70 × 37 mm under a 0.4 mm
/// margin, see `label_sheet.typ`), each label rendered on its own at 150 dpi and decoded by
/// zbarimg, as a phone reads one label at a time. zbarimg given a whole page misses some of its
/// codes (2 or 3 of the demo's 14 for some URLs, none for others), though each decodes alone.
pub fn qr_codes_in_label_sheet(pdf: &std::path::Path) -> Vec<String> {
    use std::process::Command;
    const DPI: f64 = 150.0;
    let px = |mm: f64| ((mm * DPI / 25.4) as i64).to_string();
    let info = Command::new("pdfinfo").arg(pdf).output().expect("poppler-utils installed");
    let info = String::from_utf8(info.stdout).unwrap();
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cell = dir.path().join("cell");
    let mut decoded = Vec::new();
    for page in 1..=pages {
        for (row, column) in (0..8).flat_map(|row| (0..3).map(move |column| (row, column))) {
            let page = page.to_string();
            let (x, y) = (px(column as f64 * 70.0), px(0.4 + row as f64 * 37.0));
            let status = Command::new("pdftoppm")
                .args(["-r", "150", "-png", "-singlefile", "-f", &page, "-l", &page])
                .args(["-x", &x, "-y", &y, "-W", &px(70.0), "-H", &px(37.0)])
                .arg(pdf)
                .arg(&cell)
                .status()
                .unwrap();
            assert!(status.success());
            // QR codes only: a label's text must not read as a bar code.
            let out = Command::new("zbarimg")
                .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
                .arg(cell.with_extension("png"))
                .output()
                .unwrap();
            // 4: no code in this cell (the last page's empty ones); anything else is zbar failing.
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(matches!(out.status.code(), Some(0 | 4)), "zbarimg: {:?} {stderr}", out.status);
            decoded.extend(String::from_utf8(out.stdout).unwrap().lines().map(str::to_string));
        }
    }
    decoded
}

/// Every QR code in a PDF, decoded by zbarimg from its pages rendered at 150 dpi by pdftoppm.
pub fn qr_codes_in_pdf(pdf: &std::path::Path) -> Vec<String> {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let status =
        Command::new("pdftoppm").args(["-r", "150", "-png"]).arg(pdf).arg(dir.path().join("page")).status().unwrap();
    assert!(status.success());
    let mut pages: Vec<std::path::PathBuf> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    let mut decoded = Vec::new();
    for path in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "png")) {
        let out = Command::new("zbarimg").args(["--quiet", "--raw"]).arg(path).output().expect("zbar-tools installed");
        decoded.extend(String::from_utf8(out.stdout).unwrap().lines().map(str::to_string));
    }
    decoded
}
