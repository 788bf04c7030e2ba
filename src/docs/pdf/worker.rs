//! Large documents are typeset in a child process (`prongsai render-worker`), so the memory they
//! take goes back to the system when they are done.
//!
//! Typst keeps its memoized work in process-wide caches that keep their capacity after eviction,
//! and glibc keeps freed memory in the process: a server that had typeset a 1,000-measure register
//! in its own process held ~700 MB for good. A child starts cold (no warm cache: about the cost of
//! the first render after a start), which is small beside a large document's own time; small
//! documents stay in-process and warm. A child that outlives its time is killed, which typst's
//! compile (no cancellation hook) never allowed in-process.
//!
//! The request goes to the child's stdin as frames (a length as 8 bytes little-endian, then the
//! bytes): a magic line, then either the template, the data as JSON and name and bytes of each
//! extra file, or (the measures report) the report as JSON, whose data the child builds itself: its
//! words segmented and its table's lines broken and serialized in the server's process would leave
//! tens of MB there (glibc keeps what the threads freed). The PDF comes back on stdout; a failure
//! is the child's stderr and exit status.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::PdfEngine;
use crate::docs::MeasuresReportDoc;

/// A template with its data and files.
const MAGIC: &[u8] = b"prongsai-render 1";
/// A measures report (`MeasuresReportDoc` as JSON).
const MAGIC_MEASURES_REPORT: &[u8] = b"prongsai-measures-report 1";
/// The most a request frame may claim (a corrupt length must not allocate the machine away).
const MAX_FRAME: u64 = 1 << 30;
/// The largest PDF accepted back from a child.
const MAX_PDF: u64 = 1 << 30;

/// Documents whose data (JSON) is larger than this are typeset in a child: a manual or booklet of
/// about 10 pages, where an in-process render would keep tens of MB.
pub const CHILD_ABOVE_BYTES: usize = 48 * 1024;

/// A measures report whose JSON is larger than this is built and typeset in a child: about 25
/// measures (~10 pages), where an in-process render would keep ~50 MB. The seed is 14 KB.
pub const REPORT_ABOVE_BYTES: usize = 40 * 1024;

/// Where and when documents go to a child process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worker {
    /// The `prongsai` binary (the running one when serving).
    pub exe: PathBuf,
    /// Data larger than this (JSON bytes) goes to the child.
    pub above_bytes: usize,
    /// A measures report larger than this (its JSON) goes to the child.
    pub report_above_bytes: usize,
    /// A child still running after this is killed.
    pub timeout: Duration,
}

impl Worker {
    /// The worker of the `prongsai` binary `exe`, for documents over [`CHILD_ABOVE_BYTES`] and
    /// measures reports over [`REPORT_ABOVE_BYTES`].
    pub fn new(exe: PathBuf, timeout: Duration) -> Self {
        Worker { exe, above_bytes: CHILD_ABOVE_BYTES, report_above_bytes: REPORT_ABOVE_BYTES, timeout }
    }

    /// Typesets in a child process; the PDF, or why not (with the child's own message).
    pub fn render(&self, template: &str, data_json: &[u8], files: &[(&str, Vec<u8>)]) -> anyhow::Result<Vec<u8>> {
        let mut request = Vec::with_capacity(template.len() + data_json.len() + 64);
        for frame in [MAGIC, template.as_bytes(), data_json] {
            put_frame(&mut request, frame);
        }
        for (name, bytes) in files {
            put_frame(&mut request, name.as_bytes());
            put_frame(&mut request, bytes);
        }
        self.run(request)
    }

    /// Builds the measures report's data and typesets it in a child process (`report_json`: the
    /// `MeasuresReportDoc` as JSON).
    pub fn measures_report(&self, report_json: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut request = Vec::with_capacity(report_json.len() + 64);
        for frame in [MAGIC_MEASURES_REPORT, report_json] {
            put_frame(&mut request, frame);
        }
        self.run(request)
    }

    /// Sends `request` to a new child; its PDF.
    fn run(&self, request: Vec<u8>) -> anyhow::Result<Vec<u8>> {
        let mut command = Command::new(&self.exe);
        // The server's malloc tuning is not the child's (`ops::malloc`).
        if std::env::var(crate::ops::malloc::VARIABLE).is_ok_and(|v| crate::ops::malloc::is_ours(&v)) {
            command.env_remove(crate::ops::malloc::VARIABLE);
        }
        let mut child = command
            .arg("render-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting the render worker {}", self.exe.display()))?;
        let mut stdin = child.stdin.take().expect("piped");
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        // Each pipe on its own thread: a child blocked writing while we write would deadlock.
        let writer = std::thread::spawn(move || stdin.write_all(&request));
        let reader = std::thread::spawn(move || {
            let mut pdf = Vec::new();
            (&mut stdout).take(MAX_PDF).read_to_end(&mut pdf).map(|_| pdf)
        });
        let errors = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text);
            last_lines(&String::from_utf8_lossy(&text))
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!("the render worker did not finish within {:?} and was stopped", self.timeout);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        // A child that failed early may have closed its stdin: its own message says why.
        let written = writer.join().map_err(|_| anyhow::anyhow!("the render worker's writer panicked"))?;
        let pdf = reader.join().map_err(|_| anyhow::anyhow!("the render worker's reader panicked"))?;
        let message = errors.join().unwrap_or_default();
        if !status.success() {
            bail!("the render worker failed ({status}): {}", message.trim());
        }
        written.context("sending the document to the render worker")?;
        let pdf = pdf.context("reading the render worker's PDF")?;
        if !pdf.starts_with(b"%PDF-") {
            bail!("the render worker answered something other than a PDF ({} bytes)", pdf.len());
        }
        Ok(pdf)
    }
}

/// The child's message: its last lines, without the noise debug builds of ICU4X print for each
/// Thai line typst leaves to our own breaker.
fn last_lines(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("ICU4X data error")).collect();
    lines[lines.len().saturating_sub(12)..].join("\n")
}

fn put_frame(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The next frame of `input`: None at its end, an error if it is cut short.
fn frame(input: &mut impl Read) -> anyhow::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let len = u64::from_le_bytes(len);
    if len > MAX_FRAME {
        bail!("a frame of {len} bytes is over the limit");
    }
    let mut bytes = vec![0u8; len as usize];
    input.read_exact(&mut bytes).context("the request was cut short")?;
    Ok(Some(bytes))
}

/// `prongsai render-worker`: reads one request from stdin, writes the PDF to stdout.
pub fn serve_one(input: &mut impl Read, output: &mut impl Write) -> anyhow::Result<()> {
    let mut next = |what: &str| frame(input)?.with_context(|| format!("the request has no {what}"));
    let magic = next("magic line")?;
    let (pdf, laid_out) = if magic == MAGIC_MEASURES_REPORT {
        // The word list is read into its trie while the report is read and parsed.
        crate::thai::words::warm_up();
        let report = next("report")?;
        let doc: MeasuresReportDoc = serde_json::from_slice(&report).context("the report is not a measures report")?;
        PdfEngine::new().measures_report_before_exit(&doc)?
    } else if magic == MAGIC {
        let template = String::from_utf8(next("template")?).context("the template is not UTF-8")?;
        let data = next("data")?;
        let (mut names, mut contents) = (Vec::new(), Vec::new());
        while let Some(name) = frame(input)? {
            let name = String::from_utf8(name).context("a file name is not UTF-8")?;
            contents.push(frame(input)?.with_context(|| format!("the file {name} has no bytes"))?);
            names.push(name);
        }
        let files: Vec<(&str, Vec<u8>)> = names.iter().map(String::as_str).zip(contents).collect();
        PdfEngine::new().render_before_exit(&template, data, &files)?
    } else {
        bail!(
            "not a render request (expected {:?} or {:?})",
            String::from_utf8_lossy(MAGIC),
            String::from_utf8_lossy(MAGIC_MEASURES_REPORT)
        );
    };
    output.write_all(&pdf)?;
    output.flush()?;
    // This process ends now, and its end frees the laid-out document (and typst's caches) at once;
    // freeing them piece by piece first would only keep the server waiting for the exit.
    std::mem::forget(laid_out);
    Ok(())
}
