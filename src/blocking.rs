//! A bounded pool for CPU-heavy work (typesetting, password hashing), kept off the async worker
//! threads so that cheap pages keep answering while PDFs render and logins hash.
//!
//! Work runs on tokio's blocking threads, but only as many at once as a lane has permits: renders
//! and hashing have separate permits, so a burst of PDF downloads cannot starve logins. Work waits
//! for a permit in a queue whose depth is reported at `/metrics`. A caller that goes away while
//! its work waits (a client that left) never starts it; work that has started runs to its end
//! (neither Typst nor argon2 can be interrupted) and keeps its permit until then, so the number of
//! busy threads stays bounded either way.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::sync::Semaphore;

/// Which permits a piece of work takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// Typesetting PDFs.
    Render,
    /// Argon2 password hashing and verification.
    Hash,
}

impl Lane {
    /// The label used in metrics.
    pub fn name(self) -> &'static str {
        match self {
            Lane::Render => "render",
            Lane::Hash => "hash",
        }
    }
}

/// Why queued work did not run.
#[derive(Debug, thiserror::Error)]
pub enum BlockingError {
    /// The lane's queue is full: the server is busy, try again later.
    #[error("the {} queue is full ({} waiting)", .0.name(), .1)]
    Busy(Lane, usize),
    /// The work panicked (a bug); the panic is in the log.
    #[error("blocking work failed: {0}")]
    Failed(#[from] tokio::task::JoinError),
}

/// Counters of one lane, as `/metrics` shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LaneStats {
    pub size: usize,
    pub running: usize,
    pub waiting: usize,
    pub completed: u64,
    pub refused: u64,
}

struct LaneState {
    permits: Semaphore,
    size: usize,
    /// Most callers allowed to wait; None: no limit (logins are bounded by connections instead).
    max_waiting: Option<usize>,
    waiting: AtomicUsize,
    running: AtomicUsize,
    completed: AtomicU64,
    refused: AtomicU64,
}

impl LaneState {
    fn new(size: usize, max_waiting: Option<usize>) -> Self {
        let size = size.max(1);
        LaneState {
            permits: Semaphore::new(size),
            size,
            max_waiting,
            waiting: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            completed: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        }
    }
}

struct Pool {
    render: LaneState,
    hash: LaneState,
}

/// Sizes of the two lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSize {
    /// Renders at once.
    pub render: usize,
    /// Renders allowed to wait for a permit before new ones are refused as busy.
    pub render_queue: usize,
    /// Password hashes at once.
    pub hash: usize,
}

impl PoolSize {
    /// Half the cores for renders (at least one), all the cores for hashing: a render takes tens of
    /// milliseconds to seconds, a hash about thirty, and the async threads must keep a share of the CPU.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        PoolSize { render: (cores / 2).max(1), render_queue: 32, hash: cores }
    }
}

static POOL: OnceLock<Pool> = OnceLock::new();

/// Held by each unit test of this binary that puts work on the render lane, so that the lane's
/// counters are one test's alone.
#[cfg(test)]
pub(crate) static RENDER_LANE_TESTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sets the lane sizes; the first call (or first use) wins, so call it before serving. Returns
/// false when the pool was already set up.
pub fn configure(size: PoolSize) -> bool {
    let mut fresh = false;
    POOL.get_or_init(|| {
        fresh = true;
        Pool { render: LaneState::new(size.render, Some(size.render_queue)), hash: LaneState::new(size.hash, None) }
    });
    fresh
}

fn lane(lane: Lane) -> &'static LaneState {
    configure(PoolSize::for_this_machine());
    let pool = POOL.get().expect("configured above");
    match lane {
        Lane::Render => &pool.render,
        Lane::Hash => &pool.hash,
    }
}

/// The lane's counters now.
pub fn stats(which: Lane) -> LaneStats {
    let l = lane(which);
    LaneStats {
        size: l.size,
        running: l.running.load(Ordering::Relaxed),
        waiting: l.waiting.load(Ordering::Relaxed),
        completed: l.completed.load(Ordering::Relaxed),
        refused: l.refused.load(Ordering::Relaxed),
    }
}

/// Decrements a counter when dropped: a waiter that is cancelled still leaves the queue.
struct Count(&'static AtomicUsize);

impl Count {
    fn enter(counter: &'static AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Count(counter)
    }
}

impl Drop for Count {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs `work` on a blocking thread once the lane has a free permit, and returns its result.
pub async fn run<T, F>(which: Lane, work: F) -> Result<T, BlockingError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let state = lane(which);
    if let Some(max) = state.max_waiting {
        let waiting = state.waiting.load(Ordering::Relaxed);
        if waiting >= max && state.permits.available_permits() == 0 {
            state.refused.fetch_add(1, Ordering::Relaxed);
            return Err(BlockingError::Busy(which, waiting));
        }
    }
    let permit = {
        let _waiting = Count::enter(&state.waiting);
        state.permits.acquire().await.expect("the pool's semaphores are never closed")
    };
    // The permit moves into the thread: it is released when the work ends, even if our caller
    // has stopped waiting for it.
    let handle = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let _running = Count::enter(&state.running);
        let out = work();
        state.completed.fetch_add(1, Ordering::Relaxed);
        out
    });
    Ok(handle.await?)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::{Lane, run, stats};

    async fn until(done: impl Fn() -> bool) {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_whose_caller_left_while_it_waited_never_runs_and_the_lane_stays_bounded() {
        let _lane = super::RENDER_LANE_TESTS.lock().await;
        let size = stats(Lane::Render).size;
        let (release, gate) = tokio::sync::watch::channel(false);
        let busy: Vec<_> = (0..size)
            .map(|_| {
                let mut gate = gate.clone();
                tokio::spawn(run(Lane::Render, move || {
                    while !*gate.borrow_and_update() {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }))
            })
            .collect();
        until(|| stats(Lane::Render).running == size).await;
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let waiter = tokio::spawn(run(Lane::Render, move || flag.store(true, Ordering::SeqCst)));
        until(|| stats(Lane::Render).waiting == 1).await;
        assert_eq!(stats(Lane::Render).running, size, "no more than the lane's threads run");
        // The client leaves: its request's future is dropped while it waits.
        waiter.abort();
        until(|| stats(Lane::Render).waiting == 0).await;
        release.send(true).unwrap();
        for b in busy {
            b.await.unwrap().unwrap();
        }
        // Permits go first come, first served: had the waiter stayed queued, it would start before
        // this probe, and be counted as running until done.
        run(Lane::Render, || ()).await.unwrap();
        until(|| stats(Lane::Render).running == 0).await;
        assert!(!ran.load(Ordering::SeqCst), "work whose caller left was started");
    }
}
