//! Queries on tables that grow with every organization's use are served by an index, on both
//! engines (issue 13, finding 1): one organization's pages must not slow down as the others' data
//! grows. SQLite's EXPLAIN QUERY PLAN must not SCAN; PostgreSQL, told to avoid sequential scans,
//! must still not need one (it falls back to a Seq Scan only when no index can serve the query),
//! and every index it uses must be entered by its first column.
//! The statements are the product's, with literal values in place of the bound parameters.

use crate::harness::{Backend, TestApp};
use crate::on_both_databases;

/// The plan's lines, as the engine prints them.
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
            sqlx::query("SET enable_seqscan = off").execute(&mut *conn).await.unwrap();
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")))
                .fetch_all(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            sqlx::query("RESET enable_seqscan").execute(&mut *conn).await.unwrap();
            rows.iter().map(|r| sqlx::Row::get::<String, _>(r, 0)).collect()
        }
    }
}

/// "SCAN t" reads the whole table; so does building an AUTOMATIC index for one statement, and a
/// "SEARCH t" that names no index. "SEARCH t USING [COVERING] INDEX …" or "USING INTEGER PRIMARY
/// KEY" does not.
fn sqlite_reads_a_whole_table(lines: &[String]) -> bool {
    lines.iter().map(|l| l.trim_start()).any(|l| {
        l.starts_with("SCAN ") || l.contains("AUTOMATIC") || (l.starts_with("SEARCH ") && !l.contains(" USING "))
    })
}

/// A Seq Scan; or an index scan whose Index Cond does not name the index's first column (it walks
/// the whole index: PostgreSQL can match a later column that way).
async fn postgres_reads_a_whole_table(app: &TestApp, lines: &[String]) -> bool {
    for (i, line) in lines.iter().enumerate() {
        if line.contains("Seq Scan") {
            return true;
        }
        let index = if let Some(rest) = line.split_once("Scan using ").map(|(_, r)| r) {
            rest.split_whitespace().next()
        } else if let Some(rest) = line.split_once("Bitmap Index Scan on ").map(|(_, r)| r) {
            rest.split_whitespace().next()
        } else {
            None
        };
        let Some(index) = index else { continue };
        let (first_column,): (String,) = sqlx::query_as(
            "SELECT a.attname::text FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
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
        let uses_first = condition
            .is_some_and(|c| c.contains(&format!("({first_column} ")) || c.contains(&format!(".{first_column} ")));
        if !uses_first {
            return true;
        }
    }
    false
}

/// Each statement with what it serves.
const STATEMENTS: &[(&str, &str)] = &[
    (
        "a loan with its latest follow-up (lending::loans, every loan list and page)",
        "SELECT l.id, (SELECT MAX(f.day) FROM loan_follow_ups f WHERE f.loan_id = l.id) AS last_follow_up
         FROM loans l JOIN items i ON i.id = l.item_id WHERE l.org_id = 1 AND l.id = 2",
    ),
    (
        "a loan's follow-ups (lending::loans)",
        "SELECT day, note, by_user FROM loan_follow_ups WHERE loan_id = 1 AND org_id = 2 ORDER BY day, id",
    ),
    (
        "a user's notifications (lending::reminders, /app/notifications)",
        "SELECT id, day, kind, message, loan_id, read_at FROM notifications WHERE org_id = 1 AND user_id = 2
         ORDER BY day DESC, id DESC LIMIT 200",
    ),
    ("an organization's users (auth::users)", "SELECT id, username FROM users WHERE org_id = 1 ORDER BY id"),
    (
        "the expired sessions cleared at login (auth::sessions)",
        "DELETE FROM sessions WHERE expires_at < 1 OR last_seen_at < 2",
    ),
    ("a user's sessions ended (auth::accounts)", "DELETE FROM sessions WHERE user_id = 1"),
];

on_both_databases! {
    async fn queries_on_growing_tables_never_read_the_whole_table(app: TestApp) {
        let mut scans = Vec::new();
        for (what, sql) in STATEMENTS {
            let lines = plan(&app, sql).await;
            let scanned = match app.backend {
                Backend::Sqlite => sqlite_reads_a_whole_table(&lines),
                Backend::Postgres => postgres_reads_a_whole_table(&app, &lines).await,
            };
            if scanned {
                scans.push(format!("{what}:\n    {}", lines.join("\n    ")));
            }
        }
        assert!(scans.is_empty(), "full scans of growing tables:\n{}", scans.join("\n"));
    }
}
