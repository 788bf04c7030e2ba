//! Queries on tables that grow with every organization's use are served by an index, on both
//! engines (issue 13, finding 1): one organization's pages must not slow down as the others' data
//! grows.
//!
//! The statements are the product's own, not copies: the real `prongsai` binary serves a tour of
//! every staff and public page and every kind of write (`tour.rs`), and runs the CLI paths, with
//! sqlx's statement log on (`sqlx::query` at DEBUG, as JSON lines); each distinct statement is then
//! explained on a database filled with a few hundred organizations and ANALYZEd (`fill.rs`), since
//! planners choose differently on empty tables. SQLite's EXPLAIN QUERY PLAN must not SCAN a growing
//! table (nor build an AUTOMATIC index, nor SEARCH it without an index); PostgreSQL's generic plan
//! (the one a prepared statement gets whatever its parameters), told to avoid sequential scans,
//! must still not need one, and every index it uses must be entered by its first column.

mod fill;
mod tour;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::harness::{Backend, TestApp};
use crate::on_both_databases;

/// Tables whose rows do not grow with use, with why a full read of them is fine.
const FIXED_TABLES: &[(&str, &str)] = &[
    ("ita_indicators", "the ITA catalogue: ten indicators a fiscal year, loaded from data/ita"),
    ("sqlite_master", "the schema"),
    ("sqlite_schema", "the schema"),
    ("sqlite_stat1", "SQLite's table statistics"),
    ("schema_migrations", "one row per migration file"),
    ("server_secrets", "one row per key the server keeps (the login-CSRF key)"),
];

/// Statements that read growing tables whole on purpose, with why.
const WHOLE_READS: &[(&str, &str)] = &[
    // `prongsai audit verify` proves every chain: it must read every organization's entries.
    ("SELECT id, slug FROM orgs", "audit verify: every organization"),
    ("SELECT org_id, last_seq, last_hash FROM audit_chain", "audit verify: every organization's head"),
    ("SELECT DISTINCT org_id FROM audit_log", "audit verify: chains whose organization is gone"),
    // SQLite's change clock (db/changes.rs, the public cache) reads every organization's audit
    // head when the file's data_version moves: one row per organization, 1,000 rows with 1,000
    // organizations, once per write rather than per page. Named here for its owner to serve by
    // the organizations written since, not hidden.
    ("SELECT org_id, last_seq FROM audit_chain", "the public cache's change clock on SQLite, once per write"),
    // The province list (/p/) counts every organization by province, as the root page lists them
    // all; it is kept by the public cache until an organization is added. A province's own page
    // reads only its organizations (orgs_by_province).
    (
        "SELECT province, COUNT(*) FROM orgs WHERE province <> '' GROUP BY province",
        "the province list: every organization counted by its province",
    ),
    // The public root page and the login page's organization picker list every organization;
    // paging `/` is the public home page's work (issue 13, item 2), not this list's.
    (
        "SELECT id, slug, name, short_name, kind, province, district, digits FROM orgs ORDER BY id",
        "every organization, for the root page and the login page's picker",
    ),
];

/// Fewer distinct statements than this means the log capture or the tour broke, not that the
/// product got simpler overnight.
const AT_LEAST_STATEMENTS: usize = 150;

/// A `prongsai` process with sqlx's statement log on; its log lines are gathered on a thread.
struct Logged {
    child: Child,
    lines: std::thread::JoinHandle<Vec<String>>,
}

fn logged_command(app: &TestApp, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_prongsai"));
    command
        .args(args)
        .env("DATABASE_URL", app.db_url.expose())
        .env("PRONGSAI_LOG", "warn,sqlx::query=debug")
        .env("PRONGSAI_LOG_FORMAT", "json")
        .envs(publishing_env(app));
    command
}

/// The outbox's settings for the `prongsai` processes of the tour: the test's stand-in APIs and key
/// file (`app.publishing`, see `product_statements`), short waits.
fn publishing_env(app: &TestApp) -> Vec<(&'static str, String)> {
    let Some(config) = &app.publishing else { return Vec::new() };
    let mut env = vec![
        ("PRONGSAI_LINE_API_URL", config.line_api_url.clone()),
        ("PRONGSAI_FACEBOOK_API_URL", config.facebook_api_url.clone()),
        ("PRONGSAI_PUBLISH_BACKOFF_SECS", "1".into()),
        ("PRONGSAI_PUBLISH_POLL_SECS", "0.2".into()),
    ];
    if let Some(key) = &config.secret_key_file {
        env.push(("PRONGSAI_SECRET_KEY_FILE", key.display().to_string()));
    }
    env
}

/// Starts `prongsai serve` on a free port; returns it with its address.
fn serve_logged(app: &TestApp) -> (Logged, std::net::SocketAddr) {
    let mut child = logged_command(app, &["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prongsai serve starts");
    let stderr = child.stderr.take().unwrap();
    let lines = std::thread::spawn(move || BufReader::new(stderr).lines().map_while(Result::ok).collect());
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    // "Prongsai is serving http://127.0.0.1:PORT/  (database: …)"
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("prongsai serve did not say where it listens: {first:?}"));
    (Logged { child, lines }, addr)
}

impl Logged {
    fn stop(mut self) -> Vec<String> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.lines.join().unwrap()
    }
}

/// Runs a CLI command to its end with the statement log on; returns its log lines.
fn run_logged(app: &TestApp, args: &[&str]) -> Vec<String> {
    let out = logged_command(app, args).output().unwrap();
    assert!(out.status.success(), "prongsai {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stderr).unwrap().lines().map(str::to_string).collect()
}

/// The SQL of each `sqlx::query` event: the whole statement (`db.statement`), or the summary when
/// the statement is short enough to be its own summary.
fn statements_in(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["target"] == "sqlx::query")
        .filter_map(|event| {
            let fields = &event["fields"];
            let full = fields["db.statement"].as_str().unwrap_or("").trim();
            let sql = if full.is_empty() { fields["summary"].as_str()? } else { full };
            Some(sql.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// Statements a planner plans: reads and writes, not BEGIN, COMMIT, PRAGMA, SET or DDL.
fn is_planned(sql: &str) -> bool {
    let first = sql.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
    matches!(first.as_str(), "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH")
}

/// The highest `$N` in a statement: how many parameters its PREPARE takes.
fn parameter_count(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let mut highest = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>() {
                highest = highest.max(n);
            }
        }
    }
    highest
}

/// The plan's lines, as the engine prints them. SQLite explains with the parameters unbound;
/// PostgreSQL prepares the statement and explains its generic plan.
async fn plan(app: &TestApp, sql: &str) -> Vec<String> {
    let mut conn = app.db.pool.acquire().await.unwrap();
    match app.backend {
        Backend::Sqlite => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            rows.iter().map(|r| sqlx::Row::get::<String, _>(r, 3)).collect()
        }
        Backend::Postgres => {
            let nulls = vec!["NULL"; parameter_count(sql)].join(", ");
            let execute =
                if nulls.is_empty() { "EXECUTE planned".to_string() } else { format!("EXECUTE planned({nulls})") };
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan; PREPARE planned AS {sql}"
            )))
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("PREPARE {sql}: {e}"));
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN {execute}")))
                .fetch_all(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("EXPLAIN {execute} of {sql}: {e}"));
            sqlx::raw_sql("DEALLOCATE planned; RESET enable_seqscan; RESET plan_cache_mode")
                .execute(&mut *conn)
                .await
                .unwrap();
            rows.iter().map(|r| sqlx::Row::get::<String, _>(r, 0)).collect()
        }
    }
}

/// The tables of the schema (not views, not SQLite's own).
async fn tables(app: &TestApp) -> BTreeSet<String> {
    let sql = match app.backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&app.db.pool).await.unwrap();
    rows.into_iter().map(|(t,)| t).collect()
}

/// The table a name in a plan stands for: itself, or the table the statement gave that alias.
fn table_of(name: &str, sql: &str, tables: &BTreeSet<String>) -> Option<String> {
    if tables.contains(name) {
        return Some(name.to_string());
    }
    let words: Vec<&str> = sql.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',').collect();
    words.windows(3).find_map(|w| {
        let alias_matches = w[1] == name || (w[1].eq_ignore_ascii_case("AS") && w[2] == name);
        (tables.contains(w[0]) && alias_matches).then(|| w[0].to_string())
    })
}

fn is_growing(table: &str) -> bool {
    !FIXED_TABLES.iter().any(|(fixed, _)| *fixed == table)
}

/// The growing tables a SQLite plan reads whole: "SCAN t" (also "SCAN t USING INDEX", a walk of
/// a whole index), an AUTOMATIC index built for one statement, or a "SEARCH t" without an index.
///
/// Not counted: the child tables listed in the plan of a one-row `INSERT … VALUES` into a parent
/// table. SQLite codes a search of them for rows that a deferred foreign key violation left waiting
/// for the new key, behind a check of the violation counter (OP_FkIfZero): with our immediate
/// constraints the counter is zero and the search never runs. The cascades of a DELETE do run, and
/// are counted.
fn sqlite_whole_reads(lines: &[String], sql: &str, tables: &BTreeSet<String>) -> Vec<String> {
    let one_row_insert = sql.starts_with("INSERT ") && !sql.contains(" SELECT ");
    if one_row_insert {
        return Vec::new();
    }
    lines
        .iter()
        .map(|l| l.trim_start())
        .filter_map(|l| {
            let rest = l.strip_prefix("SCAN ").or_else(|| l.strip_prefix("SEARCH "))?;
            let name = rest.split_whitespace().next()?;
            let whole = l.starts_with("SCAN ")
                || l.contains("AUTOMATIC")
                || (l.starts_with("SEARCH ") && !l.contains(" USING "));
            let table = table_of(name, sql, tables)?;
            (whole && is_growing(&table)).then_some(table)
        })
        .collect()
}

/// The growing tables a PostgreSQL plan reads whole: a Seq Scan (with sequential scans priced
/// out, only when no index serves), or an index scan whose Index Cond does not name the index's
/// first column (a walk of the whole index).
async fn postgres_whole_reads(app: &TestApp, lines: &[String], tables: &BTreeSet<String>) -> Vec<String> {
    let mut whole = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line.split_once("Seq Scan on ").map(|(_, r)| r) {
            let table = rest.split_whitespace().next().unwrap_or("").to_string();
            if tables.contains(&table) && is_growing(&table) {
                whole.push(table);
            }
            continue;
        }
        let scan = line
            .split_once("Index Only Scan using ")
            .or_else(|| line.split_once("Index Scan using "))
            .or_else(|| line.split_once("Index Scan Backward using "))
            .or_else(|| line.split_once("Bitmap Index Scan on "));
        let Some((_, rest)) = scan else { continue };
        let index = rest.split_whitespace().next().unwrap_or("");
        let (table, first_column): (String, String) = sqlx::query_as(
            "SELECT t.relname::text, a.attname::text FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
             JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] WHERE c.relname = $1",
        )
        .bind(index)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("index {index}: {e}"));
        let condition = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with("->"))
            .find_map(|l| l.split_once("Index Cond: ").map(|(_, c)| c.to_string()));
        let enters_by_first = condition
            .is_some_and(|c| c.contains(&format!("({first_column} ")) || c.contains(&format!(".{first_column} ")));
        if !enters_by_first && tables.contains(&table) && is_growing(&table) {
            whole.push(format!("{table} (index {index} walked whole)"));
        }
    }
    whole
}

/// The growing tables a statement reads whole, and its plan.
async fn whole_reads(app: &TestApp, sql: &str, tables: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    let lines = plan(app, sql).await;
    let whole = match app.backend {
        Backend::Sqlite => sqlite_whole_reads(&lines, sql, tables),
        Backend::Postgres => postgres_whole_reads(app, &lines, tables).await,
    };
    (whole, lines)
}

/// Every statement the product ran during the tour and the CLI runs, once each.
async fn product_statements(app: &mut TestApp) -> BTreeSet<String> {
    // The outbox's APIs are a stand-in here (LINE accepts, Facebook refuses the tour's page). The
    // test's own server shares the database: it polls too seldom to take the tour's rows, which
    // wake the logged server at once, so that the statements are the logged server's.
    let fake = crate::publishing_fake::Fake::start().await;
    let keys = tempfile::tempdir().unwrap();
    let key = crate::publishing_support::key_file(keys.path(), "tour.key");
    let mut config = fake.config(Some(key));
    config.poll_interval = std::time::Duration::from_secs(3600);
    app.publishing = Some(config);
    app.restart().await;
    let (server, addr) = serve_logged(app);
    let in_process = app.addr;
    app.addr = addr;
    tour::visit_everything(app).await;
    app.addr = in_process;
    let mut lines = server.stop();
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let slug = prongsai::demo::SLUG;
    for args in [
        vec!["lending", "remind"],
        vec!["export", "measures", "--org", slug, "--year", "2566", "--out", &out("m.md")],
        vec!["lending", "report", "--org", slug, "--out", &out("loans.pdf")],
        vec!["lending", "labels", "--org", slug, "--out", &out("labels.pdf"), "--public-url", "https://example.go.th"],
        vec!["org", "add", "--slug", "added-by-cli", "--name", "เทศบาลตำบลเพิ่มใหม่"],
        vec![
            "lending",
            "duties",
            "--org",
            slug,
            "--username",
            "supplies",
            "--duties",
            "supplies_head",
            "--heads",
            "กองคลัง",
        ],
        vec!["audit", "verify"],
    ] {
        lines.extend(run_logged(app, &args));
    }
    statements_in(&lines).into_iter().filter(|sql| is_planned(sql)).collect()
}

on_both_databases! {
    async fn every_statement_of_the_product_on_a_growing_table_is_served_by_an_index(app: TestApp) {
        fill::many_organizations(&app).await;
        let statements = product_statements(&mut app).await;
        assert!(
            statements.len() >= AT_LEAST_STATEMENTS,
            "only {} distinct statements captured: the tour or the log capture broke",
            statements.len()
        );
        // QUERY_PLANS_DUMP=FILE writes what was captured, to see what a new page adds.
        if let Ok(file) = std::env::var("QUERY_PLANS_DUMP") {
            std::fs::write(file, statements.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap();
        }
        fill::analyze(&app).await;
        let tables = tables(&app).await;
        // The check itself can fail: a filter on a column no index starts with reads the table whole.
        for unserved in ["SELECT id FROM loans WHERE purpose = $1", "SELECT id FROM loans WHERE status = $1"] {
            let (whole, lines) = whole_reads(&app, unserved, &tables).await;
            assert!(!whole.is_empty(), "{unserved} was not seen to read loans whole:\n{}", lines.join("\n"));
        }
        let mut scans = Vec::new();
        for sql in &statements {
            if WHOLE_READS.iter().any(|(whole, _)| sql == whole) {
                continue;
            }
            let (whole, lines) = whole_reads(&app, sql, &tables).await;
            if !whole.is_empty() {
                scans.push(format!("{} read whole by:\n  {sql}\n    {}", whole.join(", "), lines.join("\n    ")));
            }
        }
        assert!(scans.is_empty(), "{} statements read growing tables whole:\n\n{}", scans.len(), scans.join("\n\n"));
    }
}
