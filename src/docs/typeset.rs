//! Typesetting for the server: a PDF render runs on the bounded blocking pool ([`crate::blocking`]),
//! within a size limit and a time limit.
//!
//! Typst's compile cannot be interrupted once started (it has no cancellation hook), so the limits
//! work around it: the size limit refuses a document before it starts (a year of 25,659 measures
//! took over 90 s and 9.6 GB), the pool bounds how many run at once, and a render still queued when
//! its client leaves or the time limit passes is never started. A render that has started and
//! outlives the time limit finishes on its thread (its result is dropped), holding its permit.

use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// How big a document's input is, and what its rows are called in Thai ("มาตรการ").
#[derive(Clone, Copy, Debug)]
pub struct DocSize {
    pub rows: usize,
    pub chars: usize,
    pub rows_th: &'static str,
}

impl DocSize {
    /// The size of `rows` rows whose data serializes to `data`.
    pub fn of<T: serde::Serialize>(rows: usize, rows_th: &'static str, data: &T) -> Self {
        let chars = serde_json::to_string(data).map(|s| s.chars().count()).unwrap_or(usize::MAX);
        DocSize { rows, chars, rows_th }
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

/// The shared PDF engine with the limits of this process.
#[derive(Clone)]
pub struct Typesetter {
    engine: Arc<PdfEngine>,
    limits: RenderLimits,
}

impl Typesetter {
    pub fn new(limits: RenderLimits) -> Self {
        crate::thai::words::warm_up();
        Typesetter { engine: Arc::new(PdfEngine::new()), limits }
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
        let engine = self.engine.clone();
        let job = blocking::run(Lane::Render, move || {
            let started = Instant::now();
            let result = render(&engine);
            crate::ops::metrics::record_render(kind, started.elapsed());
            result
        });
        let done = match l.timeout {
            Some(limit) => tokio::time::timeout(limit, job).await.map_err(|_| RenderError::TimedOut(limit))?,
            None => job.await,
        };
        match done {
            Ok(result) => result.map_err(RenderError::Failed),
            Err(busy @ BlockingError::Busy(..)) => Err(RenderError::Busy(busy)),
            Err(failed) => Err(RenderError::Failed(failed.into())),
        }
    }
}
