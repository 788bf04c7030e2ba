//! One fan-out per organization: however many boards are connected to this process, the new
//! queue events are read from the database once per change and the same batch goes to them all.
//!
//! The feed wakes when the organization's change clock moves (`db::changes`: a commit in this
//! process, PostgreSQL NOTIFY from another, SQLite's data_version), never by polling each board.
//! While the clock cannot see other processes (the LISTEN connection is down) it reads every
//! [`BLIND_POLL`], and every [`SAFETY_POLL`] in any case. Nothing lives only here: each batch
//! comes from `queue_events`, and a board that falls behind (or reconnects) reads the database
//! from its last event id (`stream.rs`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use super::store;
use super::wire::{WireEvent, counts_by_point};
use crate::db::Db;
use crate::db::changes::Scope;
use crate::orgs::OrgId;

/// How often a feed reads while other processes' changes cannot be seen.
const BLIND_POLL: Duration = Duration::from_secs(1);
/// How often a feed reads even when nothing was announced (a write that bypassed `Db::write`).
const SAFETY_POLL: Duration = Duration::from_secs(10);
/// Batches kept for boards that read slowly; one further behind catches up from the database.
const BATCHES_KEPT: usize = 64;
/// Events read at once.
pub const PAGE: i64 = 200;

/// New events of one organization, read once for every board of this process.
pub struct Batch {
    /// (id, point, JSON), oldest first.
    pub events: Vec<(i64, i64, String)>,
    /// The waiting counts of each point the events touched: (point, JSON).
    pub counts: Vec<(i64, String)>,
}

/// One organization's fan-out; boards hold it (an `Arc`) while connected.
pub struct Feed {
    batches: broadcast::Sender<Arc<Batch>>,
}

impl Feed {
    /// Batches from now on. Subscribe *before* reading the database for what came earlier, so
    /// that nothing falls between the two.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Batch>> {
        self.batches.subscribe()
    }
}

/// This process's feeds (one per organization with a board connected) and its closing signal.
#[derive(Clone)]
pub struct Boards {
    inner: Arc<Inner>,
}

struct Inner {
    feeds: Mutex<HashMap<OrgId, Weak<Feed>>>,
    closing: watch::Sender<bool>,
    /// Feeds running, streams open, and the feeds' reads of the database (for `/metrics`).
    running: AtomicUsize,
    streams: AtomicUsize,
    reads: AtomicU64,
}

/// Counts a board's stream as open while it lives.
pub struct OpenStream(Boards);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.inner.streams.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Default for Boards {
    fn default() -> Self {
        Self::new()
    }
}

impl Boards {
    pub fn new() -> Self {
        Boards {
            inner: Arc::new(Inner {
                feeds: Mutex::new(HashMap::new()),
                closing: watch::Sender::new(false),
                running: AtomicUsize::new(0),
                streams: AtomicUsize::new(0),
                reads: AtomicU64::new(0),
            }),
        }
    }

    /// The organization's feed, started if no board of it is connected yet.
    pub async fn follow(&self, db: &Db, org: OrgId) -> anyhow::Result<Arc<Feed>> {
        if let Some(feed) = self.existing(org) {
            return Ok(feed);
        }
        // Read before taking the lock (no await under a std mutex); a feed started meanwhile by
        // another board wins and this reading is dropped.
        let last = store::last_event_id(db, org).await?;
        let mut feeds = self.inner.feeds.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(feed) = feeds.get(&org).and_then(Weak::upgrade) {
            return Ok(feed);
        }
        let (batches, _) = broadcast::channel(BATCHES_KEPT);
        let feed = Arc::new(Feed { batches: batches.clone() });
        feeds.insert(org, Arc::downgrade(&feed));
        self.inner.running.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(run(self.clone(), db.clone(), org, last, Arc::downgrade(&feed), batches));
        Ok(feed)
    }

    fn existing(&self, org: OrgId) -> Option<Arc<Feed>> {
        self.inner.feeds.lock().unwrap_or_else(|p| p.into_inner()).get(&org).and_then(Weak::upgrade)
    }

    /// Ends every stream (the server is stopping: boards reconnect to the next one).
    pub fn close(&self) {
        self.inner.closing.send_replace(true);
    }

    /// Resolves when [`Boards::close`] was called.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }

    /// Counts a stream as open until the value is dropped.
    pub fn open_stream(&self) -> OpenStream {
        self.inner.streams.fetch_add(1, Ordering::Relaxed);
        OpenStream(self.clone())
    }

    /// The gauges and the counter in Prometheus' text format, for `/metrics`.
    pub fn metrics(&self) -> String {
        let line = |kind: &str, name: &str, help: &str, value: u64| {
            format!("# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n")
        };
        [
            line(
                "gauge",
                "prongsai_queue_board_feeds",
                "Organizations whose boards this process feeds.",
                self.inner.running.load(Ordering::Relaxed) as u64,
            ),
            line(
                "gauge",
                "prongsai_queue_board_streams",
                "Board streams open on this process.",
                self.inner.streams.load(Ordering::Relaxed) as u64,
            ),
            line(
                "counter",
                "prongsai_queue_board_feed_reads_total",
                "Reads of new queue events by the feeds (one per change, whatever the number of boards).",
                self.inner.reads.load(Ordering::Relaxed),
            ),
        ]
        .concat()
    }

    fn ended(&self, org: OrgId, feed: &Weak<Feed>) {
        let mut feeds = self.inner.feeds.lock().unwrap_or_else(|p| p.into_inner());
        if feeds.get(&org).is_some_and(|kept| kept.ptr_eq(feed)) {
            feeds.remove(&org);
        }
        self.inner.running.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The feed's loop: wait for a change of the organization, read what is new, send it; end when
/// no board holds the feed any more or the server closes.
async fn run(
    boards: Boards,
    db: Db,
    org: OrgId,
    mut last: i64,
    feed: Weak<Feed>,
    batches: broadcast::Sender<Arc<Batch>>,
) {
    let changes = db.changes();
    let mut wakes = changes.wakes();
    let mut closing = boards.closing();
    let scope = Scope::Org(org.0);
    // The clock read before the last reading: a change after it means something new to read.
    let mut stamp = changes.stamp();
    // Read once at once: what was committed between reading `last` and following the clock.
    let mut more = true;
    loop {
        let idle = if changes.is_live() { SAFETY_POLL } else { BLIND_POLL };
        let mut due = more;
        if !more {
            tokio::select! {
                woke = wakes.changed() => if woke.is_err() { break },
                () = tokio::time::sleep(idle) => due = true,
                _ = closing.wait_for(|closed| *closed) => break,
            }
        }
        if feed.strong_count() == 0 {
            break;
        }
        due = due || stamp.is_none_or(|s| !changes.still_valid(scope, s));
        if !due {
            continue;
        }
        stamp = changes.stamp();
        boards.inner.reads.fetch_add(1, Ordering::Relaxed);
        match read(&db, org, last).await {
            Ok(Some((batch, newest, full))) => {
                last = newest;
                more = full;
                // No receiver (every board just left): nothing to do.
                let _ = batches.send(Arc::new(batch));
            }
            Ok(None) => more = false,
            Err(error) => {
                more = false;
                // The next wake or poll tries again; boards stay connected meanwhile.
                stamp = None;
                tracing::warn!(%error, org = org.0, "reading the queue's new events for the boards");
            }
        }
    }
    boards.ended(org, &feed);
}

/// The events after `last` as a batch, with the counts of the points they touched: None when
/// nothing is new; else the batch, its last id and whether a full page was read (more may wait).
async fn read(db: &Db, org: OrgId, last: i64) -> anyhow::Result<Option<(Batch, i64, bool)>> {
    let events = store::events_after(db, org, last, None, PAGE).await?;
    let Some(newest) = events.last().map(|e| e.id) else { return Ok(None) };
    let digits = crate::orgs::store::find_by_id(db, org).await?.map(|o| o.digits).unwrap_or_default();
    let now = store::now_ms();
    let mut points: Vec<i64> = events.iter().map(|e| e.point_id).collect();
    points.sort_unstable();
    points.dedup();
    let waiting = store::waiting(db, org, None).await?;
    let counts = counts_by_point(&waiting, digits).into_iter().filter(|(p, _)| points.contains(p)).collect();
    let full = events.len() as i64 == PAGE;
    let events = events.iter().map(|e| (e.id, e.point_id, WireEvent::new(e, digits, now).json())).collect();
    Ok(Some((Batch { events, counts }, newest, full)))
}
