//! Call-to-board latency with many boards connected (issue 14; figures in docs/benchmarks.md).
//!
//! Starts the server in this process (as `prongsai serve` does: `app::serve`), connects `--boards`
//! server-sent-event streams to the demo organization's board, then makes `--calls` calls one
//! after another at the demo's first counter, through the queue's store as the counter page
//! makes them (each is then served and finished, untimed, so the counter may call again). For each call
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

#[path = "common/demo_db.rs"]
mod demo_db;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use prongsai::app::{AppState, serve};
use prongsai::config::Settings;
use prongsai::db::Db;
use prongsai::orgs::{Org, OrgId};
use prongsai::queue::store;
use prongsai::queue::tickets::{self, Channel, NewTicket};
use prongsai::queue::{CounterId, PointId, TicketId};
use prongsai::services::ServiceId;

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
    let (_scratch, url, db, org) = demo_db::open(url).await?;
    let hall = Hall::demo(&db, org.id).await?;

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
        let ticket = hall.issue(&db, &org).await?;
        // Let the issue reach the boards first: what is timed is the call alone.
        tokio::time::sleep(Duration::from_millis(30)).await;
        let started = Instant::now();
        let event = hall.call(&db, &org, ticket).await?;
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
        hall.finish(&db, &org, ticket).await?;
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

/// The demo's service point, its first counter and a service that counter serves.
struct Hall {
    point: PointId,
    counter: CounterId,
    service: ServiceId,
}

impl Hall {
    async fn demo(db: &Db, org: OrgId) -> anyhow::Result<Hall> {
        let point = store::points(db, org).await?.first().context("the demo's service point")?.id;
        let counter = store::counters(db, org, point).await?.into_iter().next().context("a demo counter")?;
        let service = *counter.services.first().context("a service at the counter")?;
        Ok(Hall { point, counter: counter.id, service })
    }

    async fn issue(&self, db: &Db, org: &Org) -> anyhow::Result<TicketId> {
        let new = NewTicket {
            point: self.point,
            service: self.service,
            priority: None,
            channel: Channel::Staff,
            client_key: "",
        };
        let ticket = tickets::issue(db, org, &new, "bench", prongsai::queue::now_ms()).await?;
        Ok(ticket.map_err(|refusal| anyhow::anyhow!("{refusal}"))?.id)
    }

    /// Calls `ticket` as the counter page does; returns the call's event id.
    async fn call(&self, db: &Db, org: &Org, ticket: TicketId) -> anyhow::Result<i64> {
        let at = prongsai::queue::now_ms();
        tickets::call_chosen(db, org, self.counter, ticket, "", "bench", at)
            .await?
            .context("the counter")?
            .map_err(|refusal| anyhow::anyhow!("{refusal}"))?;
        let (id,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM queue_events WHERE org_id = $1")
            .bind(org.id.0)
            .fetch_one(&db.pool)
            .await?;
        Ok(id)
    }

    /// Serves and finishes the ticket so that the counter may call again (not timed).
    async fn finish(&self, db: &Db, org: &Org, ticket: TicketId) -> anyhow::Result<()> {
        let at = prongsai::queue::now_ms();
        tickets::start(db, org, self.counter, ticket, "bench", at).await?;
        tickets::finish(db, org, self.counter, ticket, "bench", at).await?;
        Ok(())
    }
}
