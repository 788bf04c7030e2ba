//! The client of `scripts/failover/drill.sh`: makes acknowledged writes (new measures) through
//! several `prongsai serve` processes in turn for a while, then checks that every acknowledged one
//! is in the database and reports the longest time without a successful write.
//!
//!   failover_drill SECONDS DATABASE_URL http://127.0.0.1:8091 http://127.0.0.1:8092 …
//!
//! The database URL may list several hosts: the check reads from whichever is the primary then.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use prongsai::db::{DatabaseUrl, Db};

const USER: &str = "supplies";

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [seconds, db_url, servers @ ..] = args.as_slice() else {
        anyhow::bail!("usage: failover_drill SECONDS DATABASE_URL SERVER_URL…");
    };
    anyhow::ensure!(!servers.is_empty(), "give at least one server URL");
    let run_for = Duration::from_secs(seconds.parse()?);
    let year = prongsai::thai::FiscalYear::of(prongsai::lending::today()).be();
    // Sessions live in the database: one login serves every server (cookies ignore the port).
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()?;
    let csrf = login(&client, &servers[0]).await?;
    let tag = format!("drill-{}", std::process::id());

    let start = Instant::now();
    let mut acknowledged = BTreeSet::new();
    let mut last_success = start;
    let (mut longest_gap, mut gap_ended_at) = (Duration::ZERO, Duration::ZERO);
    let (mut attempts, mut failures) = (0u64, 0u64);
    while start.elapsed() < run_for {
        let server = &servers[attempts as usize % servers.len()];
        attempts += 1;
        let title = format!("{tag}-{attempts}");
        let sent = client
            .post(format!("{server}/app/measures/new?year={year}"))
            .form(&[("_csrf", csrf.as_str()), ("title", &title), ("results", "๑. ทดสอบการสลับเครื่อง")])
            .send()
            .await;
        match sent {
            Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER => {
                acknowledged.insert(title);
                let now = Instant::now();
                if now - last_success > longest_gap {
                    longest_gap = now - last_success;
                    gap_ended_at = now - start;
                }
                last_success = now;
            }
            Ok(r) => {
                failures += 1;
                eprintln!("{:>6.1}s {server}: HTTP {}", start.elapsed().as_secs_f64(), r.status());
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => {
                failures += 1;
                eprintln!("{:>6.1}s {server}: {e}", start.elapsed().as_secs_f64());
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    let db = Db::connect(&db_url.parse::<DatabaseUrl>()?).await?;
    let stored: BTreeSet<String> = sqlx::query_scalar("SELECT title FROM measures WHERE title LIKE $1")
        .bind(format!("{tag}-%"))
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .collect();
    let lost = acknowledged.difference(&stored).count();
    println!("attempts: {attempts}");
    println!("acknowledged: {}", acknowledged.len());
    println!("failed (not acknowledged): {failures}");
    println!("stored, not acknowledged (answer lost): {}", stored.difference(&acknowledged).count());
    println!("acknowledged writes lost: {lost}");
    println!(
        "longest time without a successful write: {:.1} s (ended {:.1} s into the run)",
        longest_gap.as_secs_f64(),
        gap_ended_at.as_secs_f64()
    );
    anyhow::ensure!(lost == 0, "{lost} acknowledged writes are missing");
    Ok(())
}

/// Logs in as the demo's staff user; returns the session's CSRF token.
async fn login(client: &reqwest::Client, server: &str) -> anyhow::Result<String> {
    let page = client.get(format!("{server}/login?org={}", prongsai::demo::SLUG)).send().await?.text().await?;
    let r = client
        .post(format!("{server}/login"))
        .form(&[
            ("_csrf", csrf_in(&page)?.to_string()),
            ("org", prongsai::demo::SLUG.to_string()),
            ("username", USER.to_string()),
            ("password", prongsai::demo::PASSWORD.to_string()),
        ])
        .send()
        .await?;
    anyhow::ensure!(r.status() == reqwest::StatusCode::SEE_OTHER, "login failed: HTTP {}", r.status());
    let page = client.get(format!("{server}/app/measures")).send().await?.text().await?;
    Ok(csrf_in(&page)?.to_string())
}

fn csrf_in(html: &str) -> anyhow::Result<&str> {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).ok_or_else(|| anyhow::anyhow!("no CSRF field on the page"))? + marker.len();
    let end = html[start..].find('"').ok_or_else(|| anyhow::anyhow!("unterminated CSRF field"))?;
    Ok(&html[start..start + end])
}
