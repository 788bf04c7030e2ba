//! How long one write takes while several writers write at once (issue 13, item 4; figures in
//! docs/benchmarks.md). Each writer runs one kind of the product's writes in a loop, through the
//! same store functions the pages call: a login's new session, an edit of one of the demo's
//! measures (one method's text changes), a loan request for a demo item on random days (filed or
//! refused: both hold the write lock for the check). Every call's time is kept, queue wait
//! included, and printed as median, p90, p99 and max per kind and for all writes.
//!
//!   cargo build --release --example bench_writes
//!   target/release/examples/bench_writes [--writers 8] [--seconds 20] [--database-url URL]
//!
//! Without --database-url it writes to a new SQLite file in a temporary folder (the demo loaded
//! first). A PostgreSQL URL must name an empty database (the demo is loaded into it).

#[path = "common/demo_db.rs"]
mod demo_db;

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Duration as Days;
use prongsai::db::Db;
use prongsai::lending::loans::{self, LoanRequest};
use prongsai::lending::rules::UseType;
use prongsai::measures::MeasureId;
use rand::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Login,
    MeasureEdit,
    LoanRequest,
}

const KINDS: [Kind; 3] = [Kind::Login, Kind::MeasureEdit, Kind::LoanRequest];

/// One writer's record: each write's time, and what went wrong.
#[derive(Default)]
struct Record {
    times: Vec<Duration>,
    refused: u64,
    errors: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut writers = 8usize;
    let mut seconds = 20u64;
    let mut url: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--writers" => writers = value()?.parse()?,
            "--seconds" => seconds = value()?.parse()?,
            "--database-url" => url = Some(value()?),
            other => anyhow::bail!(
                "unknown argument {other}; usage: bench_writes [--writers N] [--seconds S] [--database-url URL]"
            ),
        }
    }
    let (_scratch, url, db, org) = demo_db::open(url).await?;
    let admin = prongsai::auth::users::find_by_username_and_org(&db, prongsai::demo::ADMIN_USER, org.id)
        .await?
        .context("demo admin")?;
    let year = prongsai::measures::store::years(&db, org.id).await?.into_iter().next().context("demo measures")?;
    let measures: Vec<MeasureId> =
        prongsai::measures::store::list(&db, org.id, year).await?.into_iter().map(|m| m.id).collect();
    let items = prongsai::lending::items::list(&db, org.id).await?;
    anyhow::ensure!(!measures.is_empty() && !items.is_empty(), "the demo has measures and items");

    println!(
        "{writers} writers for {seconds} s on {} ({} measures, {} items)",
        prongsai::config::describe_database(&url),
        measures.len(),
        items.len()
    );
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for w in 0..writers {
        let kind = KINDS[w % KINDS.len()];
        let (db, admin) = (db.clone(), admin.clone());
        let measure = measures[w % measures.len()];
        let item = items[w % items.len()].id;
        let org = org.id;
        tasks.push(tokio::spawn(async move {
            let mut record = Record::default();
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                let started = Instant::now();
                let outcome: anyhow::Result<bool> = match kind {
                    Kind::Login => {
                        prongsai::auth::sessions::create(&db, admin.id).await.map(|_| true).map_err(Into::into)
                    }
                    Kind::MeasureEdit => edit_measure(&db, org, measure, w, n).await,
                    Kind::LoanRequest => request_loan(&db, org, item, &admin).await,
                };
                let took = started.elapsed();
                match outcome {
                    Ok(done) => {
                        record.times.push(took);
                        record.refused += u64::from(!done);
                    }
                    Err(e) => record.errors.push(format!("{e:#}")),
                }
            }
            (kind, record)
        }));
    }
    let mut by_kind: Vec<(Kind, Record)> = KINDS.iter().map(|k| (*k, Record::default())).collect();
    for task in tasks {
        let (kind, record) = task.await?;
        let into = &mut by_kind.iter_mut().find(|(k, _)| *k == kind).expect("every kind").1;
        into.times.extend(record.times);
        into.refused += record.refused;
        into.errors.extend(record.errors);
    }
    println!("{:<14} {:>7} {:>9} {:>9} {:>9} {:>9} {:>7}", "write", "n", "median", "p90", "p99", "max", "errors");
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for (kind, record) in &by_kind {
        if record.times.is_empty() && record.errors.is_empty() {
            continue;
        }
        let label = match kind {
            Kind::LoanRequest => format!("loan request ({} refused)", record.refused),
            other => format!("{other:?}"),
        };
        print_row(&label, &record.times, record.errors.len());
        all.extend(record.times.iter().copied());
        errors.extend(record.errors.iter().cloned());
    }
    print_row("all writes", &all, errors.len());
    for e in errors.iter().take(5) {
        println!("error: {e}");
    }
    Ok(())
}

fn print_row(label: &str, times: &[Duration], errors: usize) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |q: f64| sorted.get(((sorted.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or_default();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{label:<14} {:>7} {:>9} {:>9} {:>9} {:>9} {errors:>7}",
        sorted.len(),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(sorted.last().copied().unwrap_or_default())
    );
}

/// Saves the measure with its first method's text changed (the rest as stored).
async fn edit_measure(
    db: &Db,
    org: prongsai::orgs::OrgId,
    id: MeasureId,
    writer: usize,
    n: u64,
) -> anyhow::Result<bool> {
    let mut measure = prongsai::measures::store::find(db, org, id).await?.context("the measure is there")?;
    let mut method = measure
        .input
        .methods
        .first()
        .cloned()
        .unwrap_or(prongsai::measures::Item { text: String::new(), numbered: true });
    method.text = format!("ประชุมชี้แจงเจ้าหน้าที่ ครั้งที่ {n} (ผู้เขียน {writer})");
    if measure.input.methods.is_empty() {
        measure.input.methods.push(method);
    } else {
        measure.input.methods[0] = method;
    }
    prongsai::measures::store::update(db, org, id, &measure.input, "bench").await
}

/// Asks for one unit of the item on random days in the next two months; false: refused.
async fn request_loan(
    db: &Db,
    org: prongsai::orgs::OrgId,
    item: prongsai::lending::ItemId,
    requester: &prongsai::auth::users::User,
) -> anyhow::Result<bool> {
    let today = prongsai::lending::today();
    let (offset, length) = {
        let mut rng = rand::thread_rng();
        (rng.gen_range(1..60), rng.gen_range(0..3))
    };
    let start = today + Days::days(offset);
    let request = LoanRequest {
        item_id: item,
        borrower_user_id: Some(requester.id),
        borrower_name: requester.display_name.clone(),
        borrower_position: "นักวิชาการ".into(),
        borrower_unit: "สำนักปลัด".into(),
        borrower_is_agency: false,
        urgent_need: false,
        use_type: UseType::Inside,
        purpose: "ใช้ในการประชุมประจำเดือน".into(),
        place_of_use: "ห้องประชุม อบต.".into(),
        start,
        due: start + Days::days(length),
        quantity: 1,
    };
    Ok(loans::request(db, org, &request, requester, today).await?.is_ok())
}
