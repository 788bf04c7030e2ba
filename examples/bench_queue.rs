//! Tickets issued per second (issue 14; figures in docs/benchmarks.md): several issuers (kiosks)
//! take tickets at once for the demo point's services through `queue::tickets::issue`, the same
//! call the kiosk page makes (number, ticket, event and audit entry in one transaction). At the
//! end it checks that every service's numbers of the day run 1..n without gap or duplicate.
//!
//!   cargo build --release --example bench_queue
//!   target/release/examples/bench_queue [--issuers 8] [--seconds 10] [--database-url URL]
//!
//! Without --database-url it writes to a new SQLite file in a temporary folder. A PostgreSQL URL
//! must name an empty database (the demo is loaded into it).

#[path = "common/demo_db.rs"]
mod demo_db;

use std::time::{Duration, Instant};

use anyhow::Context;
use prongsai::queue::tickets::{self, Channel, NewTicket};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut issuers = 8usize;
    let mut seconds = 10u64;
    let mut url: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--issuers" => issuers = value()?.parse()?,
            "--seconds" => seconds = value()?.parse()?,
            "--database-url" => url = Some(value()?),
            other => anyhow::bail!(
                "unknown argument {other}; usage: bench_queue [--issuers N] [--seconds S] [--database-url URL]"
            ),
        }
    }
    let (_scratch, url, db, org) = demo_db::open(url).await?;
    let point = prongsai::queue::store::points(&db, org.id).await?.into_iter().next().context("demo point")?;
    let services = prongsai::queue::store::point_services(&db, org.id, point.id).await?;
    println!(
        "{issuers} issuers for {seconds} s on {} ({} services)",
        prongsai::config::describe_database(&url),
        services.len()
    );
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for i in 0..issuers {
        let (db, org) = (db.clone(), org.clone());
        let service = services[i % services.len()].service_id;
        let point = point.id;
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                let new = NewTicket { point, service, priority: None, channel: Channel::Kiosk, client_key: "" };
                tickets::issue(&db, &org, &new, "bench", prongsai::queue::now_ms())
                    .await?
                    .map_err(|r| anyhow::anyhow!("{r}"))?;
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{} tickets in {elapsed:.1} s: {:.0} tickets/s; per ticket p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        times.len() as f64 / elapsed,
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    // Every service's numbers of the day: 1..n, no gap, no duplicate.
    let day = prongsai::queue::thai_day(prongsai::queue::now_ms());
    for s in &services {
        let numbers: Vec<(i64,)> =
            sqlx::query_as("SELECT number FROM queue_tickets WHERE service_id = $1 AND day = $2 ORDER BY number")
                .bind(s.service_id.0)
                .bind(day)
                .fetch_all(&db.pool)
                .await?;
        let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
        anyhow::ensure!(
            numbers.iter().map(|n| n.0).collect::<Vec<_>>() == expected,
            "numbers of {} have a gap",
            s.prefix
        );
    }
    println!("numbers checked: every service 1..n without gap or duplicate");
    Ok(())
}
