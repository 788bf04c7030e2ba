//! Call-to-board latency with many boards connected (issue 14; figures in docs/benchmarks.md).
//!
//! Starts the server in this process (as `prongsai serve` does: `app::serve`), connects `--boards`
//! server-sent-event streams to the demo organization's board, then makes `--calls` calls one
//! after another, each in its own write transaction as the counter page makes it. For each call
//! it keeps the time from the start of the call's transaction to its arrival on every board (parsed
//! from the stream, as a browser would), and prints median, p99 and max over all arrivals, and the
//! call's own commit time.
//!
//!   cargo build --release --example bench_board
//!   target/release/examples/bench_board [--boards 200] [--calls 100] [--database-url URL]
//!
//! Without --database-url it uses a new SQLite file in a temporary folder (the demo loaded first).
//! A PostgreSQL URL must name an empty database. The boards' client runs in this process too, on
//! the same cores as the server: the figures include parsing 200 streams.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use prongsai::app::{AppState, serve};
use prongsai::config::Settings;
use prongsai::db::{DatabaseUrl, Db};
use prongsai::orgs::OrgId;

/// When each board saw each event id.
type Arrivals = Arc<Mutex<HashMap<i64, Vec<Instant>>>>;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let mut boards = 200usize;
    let mut calls = 100usize;
    let mut url: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--boards" => boards = value()?.parse()?,
            "--calls" => calls = value()?.parse()?,
            "--database-url" => url = Some(value()?),
            other => anyhow::bail!(
                "unknown argument {other}; usage: bench_board [--boards N] [--calls N] [--database-url URL]"
            ),
        }
    }
    let scratch = tempfile::tempdir()?;
    let url: DatabaseUrl = match url {
        Some(u) => u.parse()?,
        None => DatabaseUrl::sqlite_file(&scratch.path().join("bench.db")),
    };
    let db = Db::connect(&url).await?;
    prongsai::demo::load(&db).await?;
    let org = prongsai::orgs::store::find_by_slug(&db, prongsai::demo::SLUG).await?.context("the demo")?;
    let hall = Hall::make(&db, org.id).await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let settings = Settings::new(url.clone(), Some(format!("http://{addr}")));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(AppState::new(db.clone(), settings), listener, async {
        let _ = stopped.await;
    }));

    let arrivals: Arrivals = Arc::default();
    let stream_url = format!("http://{addr}/o/{}/queue/board/events", org.slug);
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
    let (ready_tx, mut ready) = tokio::sync::mpsc::channel::<()>(boards);
    for _ in 0..boards {
        tokio::spawn(follow(client.clone(), stream_url.clone(), arrivals.clone(), ready_tx.clone()));
    }
    for _ in 0..boards {
        ready.recv().await.context("a board could not connect")?;
    }
    println!("{boards} boards connected ({:?})", url.backend());

    let mut latencies = Vec::with_capacity(boards * calls);
    let mut commits = Vec::with_capacity(calls);
    let mut missing = 0usize;
    for _ in 0..calls {
        let ticket = hall.issue(&db, org.id).await?;
        // Let the issue reach the boards first: what is timed is the call alone.
        tokio::time::sleep(Duration::from_millis(30)).await;
        let started = Instant::now();
        let event = hall.call(&db, org.id, ticket).await?;
        commits.push(started.elapsed());
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let seen = arrivals.lock().unwrap().get(&event).map_or(0, Vec::len);
            if seen == boards || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let seen = arrivals.lock().unwrap().remove(&event).unwrap_or_default();
        missing += boards - seen.len();
        latencies.extend(seen.into_iter().map(|at| at.duration_since(started)));
    }
    let _ = stop.send(());
    let _ = server.await;

    latencies.sort();
    commits.sort();
    let at = |v: &[Duration], q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    println!("calls: {calls}, arrivals: {} (missing {missing})", latencies.len());
    println!(
        "call to board: median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(&latencies, 0.5),
        at(&latencies, 0.99),
        at(&latencies, 1.0)
    );
    println!("the call's own commit: median {:.1} ms, p99 {:.1} ms", at(&commits, 0.5), at(&commits, 0.99));
    Ok(())
}

/// One board: reads its stream and notes when each queue event arrived.
async fn follow(client: reqwest::Client, url: String, arrivals: Arrivals, ready: tokio::sync::mpsc::Sender<()>) {
    let Ok(mut response) = client.get(&url).send().await else { return };
    let _ = ready.send(()).await;
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(id) = block.lines().find_map(|l| l.strip_prefix("id: ")).and_then(|v| v.parse::<i64>().ok()) {
                arrivals.lock().unwrap().entry(id).or_default().push(now);
            }
        }
    }
}

/// A service point with one counter, one service ("A" tickets).
struct Hall {
    point: i64,
    counter: i64,
    service: i64,
}

impl Hall {
    async fn make(db: &Db, org: OrgId) -> anyhow::Result<Hall> {
        let service = prongsai::services::store::list(db, org, false).await?.first().context("a demo service")?.id.0;
        let mut tx = db.write(org).await?;
        let point: i64 = sqlx::query_scalar(
            "INSERT INTO queue_points (org_id, name, created_at, updated_at) VALUES ($1, 'ห้องโถง', 0, 0) RETURNING id",
        )
        .bind(org.0)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO queue_point_services (org_id, point_id, service_id, prefix) VALUES ($1, $2, $3, 'A')")
            .bind(org.0)
            .bind(point)
            .bind(service)
            .execute(&mut *tx)
            .await?;
        let counter: i64 = sqlx::query_scalar(
            "INSERT INTO queue_counters (org_id, point_id, name) VALUES ($1, $2, 'ช่องบริการ 1') RETURNING id",
        )
        .bind(org.0)
        .bind(point)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Hall { point, counter, service })
    }

    async fn issue(&self, db: &Db, org: OrgId) -> anyhow::Result<i64> {
        let now = chrono::Utc::now().timestamp_millis();
        let day = (now + 7 * 3_600_000).div_euclid(86_400_000);
        let mut tx = db.write(org).await?;
        let number: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) + 1 FROM queue_tickets WHERE org_id = $1 AND point_id = $2 AND day = $3",
        )
        .bind(org.0)
        .bind(self.point)
        .bind(day)
        .fetch_one(&mut *tx)
        .await?;
        let ticket: i64 = sqlx::query_scalar(
            "INSERT INTO queue_tickets (org_id, point_id, service_id, day, number, label, code, channel, status,
                                        queued_at, issued_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'kiosk', 'waiting', $8, $8) RETURNING id",
        )
        .bind(org.0)
        .bind(self.point)
        .bind(self.service)
        .bind(day)
        .bind(number)
        .bind(format!("A{number:03}"))
        .bind(format!("bench-{day}-{number}"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        self.event(&mut tx, org, ticket, "issue").await?;
        tx.commit().await?;
        Ok(ticket)
    }

    async fn call(&self, db: &Db, org: OrgId, ticket: i64) -> anyhow::Result<i64> {
        let mut tx = db.write(org).await?;
        sqlx::query("UPDATE queue_tickets SET status = 'called', counter_id = $1, called_at = $2 WHERE id = $3")
            .bind(self.counter)
            .bind(chrono::Utc::now().timestamp_millis())
            .bind(ticket)
            .execute(&mut *tx)
            .await?;
        let event = self.event(&mut tx, org, ticket, "call").await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn event(&self, tx: &mut prongsai::db::WriteTx, org: OrgId, ticket: i64, kind: &str) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO queue_events (org_id, point_id, ticket_id, counter_id, kind, actor, at)
             VALUES ($1, $2, $3, $4, $5, 'bench', $6) RETURNING id",
        )
        .bind(org.0)
        .bind(self.point)
        .bind(ticket)
        .bind(self.counter)
        .bind(kind)
        .bind(chrono::Utc::now().timestamp_millis())
        .fetch_one(&mut **tx)
        .await?)
    }
}
