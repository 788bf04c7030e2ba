//! Typesetting for the server: a PDF render runs on the bounded blocking pool ([`crate::blocking`]),
//! within a size limit and a time limit, and never twice for the same content: requests for a
//! document already being typeset wait for that render, and recent results are kept (up to
//! [`RECENT_BYTES`]) and served again while their data has not changed.
//!
//! Typst's compile cannot be interrupted once started (it has no cancellation hook), so the limits
//! work around it: the size limit refuses a document before it starts (a year of 25,659 measures
//! took over 90 s and 9.6 GB), the pool bounds how many run at once, and a render still queued when
//! its client leaves or the time limit passes is never started. A render that has started and
//! outlives the time limit finishes on its thread (its result is dropped), holding its permit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::blocking::{self, BlockingError, Lane};
use crate::docs::pdf::PdfEngine;
use crate::thai::{Digits, format_grouped};

/// Limits on one render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderLimits {
    /// Most rows (measures, labels, loans) one document may have.
    pub max_rows: usize,
    /// Most characters of the document's data (its JSON form).
    pub max_chars: usize,
    /// How long a request waits for its PDF, queue included.
    pub timeout: Option<Duration>,
}

impl RenderLimits {
    /// For the command line: an operator may typeset anything.
    pub const NONE: RenderLimits = RenderLimits { max_rows: usize::MAX, max_chars: usize::MAX, timeout: None };
}

/// How many bytes of finished PDFs are kept to be served again (the oldest go first).
pub const RECENT_BYTES: usize = 16 * 1024 * 1024;

/// How big a document's input is, what its rows are called in Thai ("มาตรการ"), and a digest of
/// that input: two renders of the same kind with the same digest make the same PDF.
#[derive(Clone, Copy, Debug)]
pub struct DocSize {
    pub rows: usize,
    pub chars: usize,
    pub rows_th: &'static str,
    content: Option<[u8; 32]>,
}

impl DocSize {
    /// The size of `rows` rows whose data serializes to `data`. `data` must be everything the
    /// render reads: a render with the same data is not run again but shares the first's PDF.
    pub fn of<T: serde::Serialize>(rows: usize, rows_th: &'static str, data: &T) -> Self {
        match serde_json::to_string(data) {
            Ok(json) => DocSize {
                rows,
                chars: json.chars().count(),
                rows_th,
                content: Some(Sha256::digest(json.as_bytes()).into()),
            },
            // Not serializable (never for our documents): rendered every time, refused as too large.
            Err(_) => DocSize { rows, chars: usize::MAX, rows_th, content: None },
        }
    }
}

/// Why a document was not typeset.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The input is over a limit: typeset it with the command line instead (413).
    #[error("document too large to typeset online: {rows} rows, {chars} characters (limits {max_rows}, {max_chars})")]
    TooLarge { rows: usize, chars: usize, max_rows: usize, max_chars: usize, rows_th: &'static str },
    /// The render did not finish within the time limit (503).
    #[error("the render did not finish within {0:?}")]
    TimedOut(Duration),
    /// Too many renders are waiting already (503).
    #[error(transparent)]
    Busy(BlockingError),
    /// Reading the data or typesetting failed (a bug or a database fault).
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<sqlx::Error> for RenderError {
    fn from(e: sqlx::Error) -> Self {
        RenderError::Failed(e.into())
    }
}

impl RenderError {
    /// What a person is told, in Thai.
    pub fn message_th(&self) -> String {
        match self {
            RenderError::TooLarge { rows, chars, max_rows, max_chars, rows_th } => {
                let n = |v: usize| format_grouped(v as i64, Digits::Thai);
                let over = if rows > max_rows {
                    format!("{rows_th} {} รายการ เกินที่จัดทำบนเว็บได้ {} รายการ", n(*rows), n(*max_rows))
                } else {
                    format!("ข้อความ {} ตัวอักษร เกินที่จัดทำบนเว็บได้ {} ตัวอักษร", n(*chars), n(*max_chars))
                };
                format!("เอกสารนี้ใหญ่เกินกว่าจะจัดทำเป็น PDF บนเว็บได้ ({over}) กรุณาให้ผู้ดูแลระบบจัดทำด้วยคำสั่ง prongsai ที่เครื่องแม่ข่าย")
            }
            RenderError::TimedOut(_) | RenderError::Busy(_) => {
                "ขณะนี้ระบบกำลังจัดทำเอกสารจำนวนมาก กรุณาลองใหม่อีกครั้งในอีกสักครู่".to_string()
            }
            RenderError::Failed(_) => "จัดทำเอกสารไม่สำเร็จ".to_string(),
        }
    }
}

impl From<RenderError> for crate::http::AppError {
    fn from(e: RenderError) -> Self {
        use crate::http::AppError;
        match e {
            RenderError::TooLarge { .. } => AppError::TooLarge(e.message_th()),
            RenderError::TimedOut(_) | RenderError::Busy(_) => {
                tracing::warn!(error = %e, "render refused");
                AppError::Unavailable(e.message_th())
            }
            RenderError::Failed(e) => AppError::Internal(e),
        }
    }
}

/// What a render of some content came to, as its waiters see it: `None` while it runs.
type Outcome = Option<Result<Arc<Vec<u8>>, SharedFailure>>;

/// A failed shared render, as each of its waiters is told.
#[derive(Clone, Debug)]
enum SharedFailure {
    Busy(Lane, usize),
    Failed(Arc<str>),
}

/// A document's kind and the digest of its data.
type ContentKey = (&'static str, [u8; 32]);

/// Renders in flight and recently finished, by their content.
#[derive(Default)]
struct Renders {
    by_content: HashMap<ContentKey, watch::Sender<Outcome>>,
    /// Finished renders, oldest first, with their sizes: forgotten past [`RECENT_BYTES`].
    finished: VecDeque<(ContentKey, usize)>,
    finished_bytes: usize,
}

impl Renders {
    /// Keeps a finished render's result, forgetting the oldest beyond the budget; a result larger
    /// than the whole budget is not kept.
    fn finished(&mut self, key: ContentKey, bytes: usize) {
        self.finished.push_back((key, bytes));
        self.finished_bytes += bytes;
        while self.finished_bytes > RECENT_BYTES
            && let Some((old, size)) = self.finished.pop_front()
        {
            self.by_content.remove(&old);
            self.finished_bytes -= size;
        }
    }
}

/// The shared PDF engine with the limits of this process.
#[derive(Clone)]
pub struct Typesetter {
    engine: Arc<PdfEngine>,
    limits: RenderLimits,
    renders: Arc<Mutex<Renders>>,
}

impl Typesetter {
    pub fn new(limits: RenderLimits) -> Self {
        Self::with_worker(limits, None)
    }

    /// Large documents typeset by `exe` in a child process (`docs::pdf::worker`), killed when
    /// it outlives the time limit (5 minutes without one).
    pub fn with_worker(limits: RenderLimits, exe: Option<std::path::PathBuf>) -> Self {
        crate::thai::words::warm_up();
        let timeout = limits.timeout.unwrap_or(Duration::from_secs(300));
        let worker = exe.map(|exe| crate::docs::pdf::worker::Worker::new(exe, timeout));
        Typesetter { engine: Arc::new(PdfEngine::new().with_worker(worker)), limits, renders: Arc::default() }
    }

    /// Without limits, for the command line.
    pub fn unlimited() -> Self {
        Self::new(RenderLimits::NONE)
    }

    pub fn limits(&self) -> RenderLimits {
        self.limits
    }

    /// Checks `size` against the limits, then runs `render` on the pool; `kind` names the document
    /// in the render-time metrics.
    pub async fn pdf<F>(&self, kind: &'static str, size: DocSize, render: F) -> Result<Vec<u8>, RenderError>
    where
        F: FnOnce(&PdfEngine) -> anyhow::Result<Vec<u8>> + Send + 'static,
    {
        let l = self.limits;
        if size.rows > l.max_rows || size.chars > l.max_chars {
            return Err(RenderError::TooLarge {
                rows: size.rows,
                chars: size.chars,
                max_rows: l.max_rows,
                max_chars: l.max_chars,
                rows_th: size.rows_th,
            });
        }
        let Some(content) = size.content else {
            return self.render_now(kind, render).await.map(|pdf| pdf.to_vec());
        };
        let key = (kind, content);
        let mut outcome = {
            let mut renders = self.renders.lock().expect("the renders' lock is never poisoned");
            match renders.by_content.get(&key) {
                Some(running_or_done) => running_or_done.subscribe(),
                None => {
                    let (sender, receiver) = watch::channel(None);
                    renders.by_content.insert(key, sender.clone());
                    tokio::spawn(self.clone().render_shared(kind, key, sender, render));
                    receiver
                }
            }
        };
        let wait = outcome.wait_for(Option::is_some);
        let done = match l.timeout {
            Some(limit) => tokio::time::timeout(limit, wait).await.map_err(|_| RenderError::TimedOut(limit))?,
            None => wait.await,
        };
        let done = done.map_err(|_| RenderError::Failed(anyhow::anyhow!("the {kind} render was dropped")))?;
        match done.as_ref().expect("waited for Some") {
            Ok(pdf) => Ok(pdf.to_vec()),
            Err(SharedFailure::Busy(lane, waiting)) => Err(RenderError::Busy(BlockingError::Busy(*lane, *waiting))),
            Err(SharedFailure::Failed(message)) => Err(RenderError::Failed(anyhow::anyhow!("{message}"))),
        }
    }

    /// Runs the render of `key` for everyone waiting on `sender`, and keeps its PDF among the
    /// recent ones; a failure is told to the waiters and forgotten, so the next request retries.
    /// If every waiter leaves before the render starts, it never starts.
    async fn render_shared<F>(self, kind: &'static str, key: ContentKey, sender: watch::Sender<Outcome>, render: F)
    where
        F: FnOnce(&PdfEngine) -> anyhow::Result<Vec<u8>> + Send + 'static,
    {
        let job = self.render_now(kind, render);
        tokio::pin!(job);
        let result = loop {
            tokio::select! {
                result = &mut job => break result,
                () = sender.closed() => {
                    // Checked under the lock: a request may have come for it since.
                    let mut renders = self.renders.lock().expect("the renders' lock is never poisoned");
                    if sender.receiver_count() == 0 {
                        renders.by_content.remove(&key);
                        return;
                    }
                }
            }
        };
        let mut renders = self.renders.lock().expect("the renders' lock is never poisoned");
        match result {
            Ok(pdf) => {
                let bytes = pdf.len();
                sender.send_replace(Some(Ok(pdf)));
                renders.finished(key, bytes);
            }
            Err(e) => {
                let failure = match e {
                    RenderError::Busy(BlockingError::Busy(lane, waiting)) => SharedFailure::Busy(lane, waiting),
                    e => SharedFailure::Failed(format!("{e:#}").into()),
                };
                sender.send_replace(Some(Err(failure)));
                renders.by_content.remove(&key);
            }
        }
    }

    /// Runs `render` on the pool now, whoever else wants the same document.
    async fn render_now<F>(&self, kind: &'static str, render: F) -> Result<Arc<Vec<u8>>, RenderError>
    where
        F: FnOnce(&PdfEngine) -> anyhow::Result<Vec<u8>> + Send + 'static,
    {
        let engine = self.engine.clone();
        let job = blocking::run(Lane::Render, move || {
            let started = Instant::now();
            let result = render(&engine);
            crate::ops::metrics::record_render(kind, started.elapsed());
            result
        });
        match job.await {
            Ok(result) => result.map(Arc::new).map_err(RenderError::Failed),
            Err(busy @ BlockingError::Busy(..)) => Err(RenderError::Busy(busy)),
            Err(failed) => Err(RenderError::Failed(failed.into())),
        }
    }
}
#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    async fn until(done: impl Fn() -> bool) {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// A "render" that counts its runs and holds its thread until `gate` opens.
    fn counted(
        runs: &Arc<AtomicUsize>,
        gate: &watch::Receiver<bool>,
        pdf: &'static [u8],
    ) -> impl FnOnce(&PdfEngine) -> anyhow::Result<Vec<u8>> + Send + 'static {
        let (runs, mut gate) = (runs.clone(), gate.clone());
        move |_| {
            runs.fetch_add(1, Ordering::SeqCst);
            while !*gate.borrow_and_update() {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(pdf.to_vec())
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_same_content_is_typeset_once_and_other_content_again() {
        let _lane = crate::blocking::RENDER_LANE_TESTS.lock().await;
        let typesetter = Typesetter::new(RenderLimits::NONE);
        let runs = Arc::new(AtomicUsize::new(0));
        let (release, gate) = watch::channel(false);
        let report = DocSize::of(3, "มาตรการ", &["ขั้นตอน", "ปีงบประมาณ"]);
        let same: Vec<_> = (0..4)
            .map(|_| {
                let (typesetter, render) = (typesetter.clone(), counted(&runs, &gate, b"%PDF-report"));
                tokio::spawn(async move { typesetter.pdf("test", report, render).await })
            })
            .collect();
        // All four wait on the one render before it may end.
        let key = ("test", report.content.unwrap());
        let waiting = || typesetter.renders.lock().unwrap().by_content.get(&key).map_or(0, |s| s.receiver_count());
        until(|| waiting() == 4).await;
        release.send(true).unwrap();
        for request in same {
            assert_eq!(request.await.unwrap().unwrap(), b"%PDF-report");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1, "four requests for the same content typeset it once");

        // Asked again later: served from the recent results.
        let again = typesetter.pdf("test", report, counted(&runs, &gate, b"%PDF-other")).await.unwrap();
        assert_eq!(again, b"%PDF-report");
        assert_eq!(runs.load(Ordering::SeqCst), 1);

        // Changed data, or another kind of document with the same data: typeset.
        let changed = DocSize::of(3, "มาตรการ", &["ขั้นตอน", "ปีงบประมาณ ๒๕๖๗"]);
        assert_eq!(
            typesetter.pdf("test", changed, counted(&runs, &gate, b"%PDF-changed")).await.unwrap(),
            b"%PDF-changed"
        );
        assert_eq!(typesetter.pdf("other", report, counted(&runs, &gate, b"%PDF-kind")).await.unwrap(), b"%PDF-kind");
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_render_is_not_kept() {
        let _lane = crate::blocking::RENDER_LANE_TESTS.lock().await;
        let typesetter = Typesetter::new(RenderLimits::NONE);
        let size = DocSize::of(1, "รายการ", &"ข้อมูล");
        let failed = typesetter.pdf("test", size, |_| anyhow::bail!("the template is broken")).await;
        assert!(matches!(failed, Err(RenderError::Failed(e)) if e.to_string().contains("the template is broken")));
        let retried = typesetter.pdf("test", size, |_| Ok(b"%PDF-fixed".to_vec())).await.unwrap();
        assert_eq!(retried, b"%PDF-fixed", "the next request typesets again");
    }

    #[test]
    fn recent_results_are_forgotten_oldest_first_beyond_the_budget() {
        let mut renders = Renders::default();
        let key = |n: u8| ("test", [n; 32]);
        for n in 0..3 {
            renders.by_content.insert(key(n), watch::channel(None).0);
            renders.finished(key(n), RECENT_BYTES / 2);
        }
        assert!(!renders.by_content.contains_key(&key(0)), "the oldest is forgotten");
        assert!(renders.by_content.contains_key(&key(1)) && renders.by_content.contains_key(&key(2)));
        assert_eq!(renders.finished_bytes, RECENT_BYTES);
    }
}
