//! Durable survey answers per second (issue 15; figures in docs/benchmarks.md): a `prongsai serve`
//! process takes answers posted over HTTP by this process, as citizens' phones post the form of a
//! per-visit link; an answer counts once its "saved" redirect came back, which the server sends
//! only after the answer's COMMIT. At the end every acknowledged answer is checked in the database.
//!
//!   cargo build --release --bin prongsai --example bench_survey
//!   target/release/examples/bench_survey --server target/release/prongsai [--connections 64]
//!       [--seconds 10] [--database-url URL]
//!
//! Without --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL URL must
//! name an empty database (the demo is loaded into it).

#[path = "common/demo_db.rs"]
mod demo_db;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use prongsai::survey::questionnaire::default_questionnaire;
use prongsai::survey::scale::Scale;
use sha2::{Digest, Sha256};

/// Tokens made for the run: more than the fastest run can use.
const TOKENS: usize = 200_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut connections = 64usize;
    let mut seconds = 10u64;
    let mut url: Option<String> = None;
    let mut server = String::from("target/release/prongsai");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--connections" => connections = value()?.parse()?,
            "--seconds" => seconds = value()?.parse()?,
            "--database-url" => url = Some(value()?),
            "--server" => server = value()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let (_scratch, url, db, org) = demo_db::open(url).await?;
    let survey = prongsai::survey::store::create(&db, org.id, "bench", Scale::EqualWidth, "bench")
        .await?
        .map_err(|r| anyhow::anyhow!("{r}"))?;
    prongsai::survey::store::publish(&db, org.id, survey, &default_questionnaire(), "bench")
        .await?
        .map_err(|r| anyhow::anyhow!("{r}"))?;
    // The visits' tokens, written in bulk (setup, not measured).
    let mut tokens = Vec::with_capacity(TOKENS);
    let expires = prongsai::db::now() + 86_400;
    for chunk in 0..TOKENS / 1000 {
        let mut tx = db.pool.begin().await?;
        for i in 0..1000 {
            let token = format!("{:032x}", (chunk * 1000 + i) as u128 * 0x9E37_79B9_7F4A_7C15 + 0xABCDEF);
            sqlx::query(
                "INSERT INTO survey_tokens (org_id, survey_id, token_hash, source, created_by, created_at, expires_at)
                 VALUES ($1, $2, $3, 'receipt', 'bench', $4, $5)",
            )
            .bind(org.id.0)
            .bind(survey.0)
            .bind(hex::encode(Sha256::digest(token.as_bytes())))
            .bind(prongsai::db::now())
            .bind(expires)
            .execute(&mut *tx)
            .await?;
            tokens.push(token);
        }
        tx.commit().await?;
    }
    tokens.reverse();
    let mut child = Command::new(&server)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", url.expose())
        .env("PRONGSAI_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {server}"))?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let first = lines.next().context("the server prints its address")??;
    let base =
        format!("http://{}", first.split("http://").nth(1).and_then(|r| r.split('/').next()).context("address")?);
    std::thread::spawn(move || for _ in lines {});
    println!("{connections} connections for {seconds} s on {}", prongsai::config::describe_database(&url));

    let mut form = vec![("v".to_string(), "1".to_string())];
    for (i, (_, item)) in default_questionnaire().items().enumerate() {
        form.push((format!("i_{}", item.key), (3 + i % 3).to_string()));
    }
    let body = serde_html_form::to_string(&form)?;
    let queue = Arc::new(Mutex::new(tokens));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (queue, base, body, slug) = (queue.clone(), base.clone(), body.clone(), org.slug.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
            let mut done = Vec::new();
            while Instant::now() < until {
                let Some(t) = queue.lock().unwrap().pop() else { break };
                let at = Instant::now();
                let r = client
                    .post(format!("{base}/o/{slug}/survey/v/{t}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await?;
                anyhow::ensure!(r.status() == reqwest::StatusCode::SEE_OTHER, "answer refused: {}", r.status());
                done.push((t, at.elapsed()));
            }
            anyhow::Ok(done)
        }));
    }
    let mut done = Vec::new();
    for t in tasks {
        done.extend(t.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    let mut times: Vec<Duration> = done.iter().map(|(_, d)| *d).collect();
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{} answers acknowledged in {elapsed:.1} s: {:.0} answers/s; per answer p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        times.len() as f64 / elapsed,
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_answers WHERE survey_id = $1")
        .bind(survey.0)
        .fetch_one(&db.pool)
        .await?;
    anyhow::ensure!(stored as usize == done.len(), "{} acknowledged but {stored} stored", done.len());
    let batches: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE org_id = $1 AND entity = 'survey_answers'")
            .bind(org.id.0)
            .fetch_one(&db.pool)
            .await?;
    println!(
        "checked: {stored} answers stored, one each; {batches} audited batches (about {:.0} answers a commit)",
        stored as f64 / batches.max(1) as f64
    );
    Ok(())
}
