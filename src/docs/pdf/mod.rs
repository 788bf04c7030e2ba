//! PDF typesetting with embedded typst 0.15 and the shipped Sarabun font.
//!
//! One [`PdfEngine`] is built at server start and shared (`Send + Sync`). Each render compiles a
//! typst template against the request's data, passed as the virtual file `data.json` (cheaper for
//! typst's caches than `sys.inputs`), repairs Sarabun's split marks (`fix_marks`) and writes the PDF.

mod cell_lines;
mod cell_text;
mod fix_marks;
mod line_cache;
mod linebreaks;
mod measures;
mod page_numbers;
mod wordbox;
pub mod worker;
mod world;

#[cfg(test)]
mod linebreak_tests;
#[cfg(test)]
pub(crate) mod pdf_words;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use typst::World as _;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::Bytes;
use typst::syntax::Source;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _, WorldExt as _};
use typst_layout::PagedDocument;

use crate::docs::MeasuresReportDoc;
pub use measures::kept_words;
pub use page_numbers::{page_only_placeholder, placeholder as page_placeholder};
pub use wordbox::{KEEP_TOGETHER, known_names, line_items};
use world::{Job, file_id};

/// The fonts shipped in `assets/fonts/` (OFL-1.1, see its README). Only these are visible to typst.
const FONTS: &[&[u8]] = &[
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/Sarabun-Regular.ttf")),
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/Sarabun-Bold.ttf")),
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/Sarabun-Italic.ttf")),
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/Sarabun-BoldItalic.ttf")),
];

/// How many renders old a cache entry may get before it is evicted; bounds a server's memory while
/// keeping the template's own work (fonts, std library, unchanged code) warm.
const CACHE_MAX_AGE: usize = 10;

/// A document of more pages than this empties typst's caches when it is done: its layouts are
/// hundreds of MB and are not asked for again soon (a published version is kept as a file).
const LARGE_PAGES: usize = 20;

/// Frees a laid-out document and typst's cached work on it, so that a long-running server's memory
/// stays bounded: entries unused for [`CACHE_MAX_AGE`] renders, or all of them after a large
/// document.
fn free(laid_out: Option<PagedDocument>) {
    let large = laid_out.as_ref().is_some_and(|doc| doc.pages().len() > LARGE_PAGES);
    drop(laid_out);
    comemo::evict(if large { 0 } else { CACHE_MAX_AGE });
}

/// [`free`] after a render. After a large document that takes tens of milliseconds that whoever
/// waits for the PDF should not wait for, so it is done on a thread of its own.
fn clean_up(laid_out: Option<PagedDocument>) {
    match laid_out {
        Some(doc) if doc.pages().len() > LARGE_PAGES => {
            let freed = std::thread::Builder::new().name("typst-evict".into()).spawn(move || free(Some(doc)));
            // The system refused a thread (the document went with the refused closure): evict here.
            if freed.is_err() {
                comemo::evict(0);
            }
        }
        small => free(small),
    }
}

/// A finished render: the PDF, its pages, and what each stage took (typst's compile, the marks'
/// repair, the PDF export), for `prongsai bench`.
struct Rendered {
    pdf: Vec<u8>,
    pages: usize,
    took: [Duration; 3],
}

/// A failed render. The message is for developers and logs, not for people using the site.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The template did not compile, or compiled with warnings (which we treat as bugs).
    #[error("typst template failed:\n{0}")]
    Template(String),
    /// The PDF writer refused the document.
    #[error("PDF export failed:\n{0}")]
    Export(String),
    /// The measures table's lines could not be read, or do not match the blocks laid out for them.
    #[error("the table's lines:\n{0}")]
    Lines(String),
    /// A virtual file name is not a valid path.
    #[error("bad virtual file {0:?}")]
    BadFile(String),
}

/// The long-lived typesetter: typst's standard library and the fonts, parsed once.
pub struct PdfEngine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Large documents go to a child process (`worker.rs`); None: everything is typeset here.
    worker: Option<worker::Worker>,
}

// Shared by all request handlers.
const _: fn() = || {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<PdfEngine>();
};

impl Default for PdfEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfEngine {
    /// Loads the embedded fonts and builds typst's library (under a millisecond).
    pub fn new() -> Self {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        assert!(!fonts.is_empty(), "the embedded fonts must parse");
        Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            worker: None,
        }
    }

    /// Whether large documents go to a child process.
    pub fn has_worker(&self) -> bool {
        self.worker.is_some()
    }

    /// The same engine, typesetting documents larger than the worker's threshold in a child.
    pub fn with_worker(self, worker: Option<worker::Worker>) -> Self {
        Self { worker, ..self }
    }

    /// Renders the measures report (cover page, title, introduction, six-column table). A large
    /// one goes to the render worker whole: the child builds its data too.
    pub fn measures_report(&self, doc: &MeasuresReportDoc) -> anyhow::Result<Vec<u8>> {
        if let Some(worker) = &self.worker {
            let report = serde_json::to_vec(doc)?;
            if report.len() > worker.report_above_bytes {
                return worker.measures_report(&report);
            }
        }
        let (json, lines) = measures_json(doc);
        self.render_here(measures::TEMPLATE, json, &[(cell_text::FILE, lines)])
    }

    /// The measures report typeset in a process that ends right after (the render worker), as
    /// [`render_before_exit`](Self::render_before_exit).
    pub fn measures_report_before_exit(&self, doc: &MeasuresReportDoc) -> anyhow::Result<(Vec<u8>, PagedDocument)> {
        // No render follows in this process to find the lines again.
        let (json, lines) = measures_json_with(doc, &line_cache::LineCache::new(0));
        self.render_before_exit(measures::TEMPLATE, json, &[(cell_text::FILE, lines)])
    }

    /// As [`measures_report`](Self::measures_report), with the number of pages (for benchmarks).
    pub fn measures_report_paged(&self, doc: &MeasuresReportDoc) -> anyhow::Result<(Vec<u8>, usize)> {
        self.measures_report_paged_with(doc, measures::TEMPLATE)
    }

    /// As [`measures_report_paged`](Self::measures_report_paged) with another template (`prongsai
    /// bench --template`), in this process.
    pub fn measures_report_paged_with(
        &self,
        doc: &MeasuresReportDoc,
        template: &str,
    ) -> anyhow::Result<(Vec<u8>, usize)> {
        let (json, lines) = measures_json(doc);
        let rendered = self.render_inner(template, json, &[(cell_text::FILE, lines)])?;
        Ok((rendered.pdf, rendered.pages))
    }

    /// The measures report's stages timed one by one, for `prongsai bench`: building the data
    /// (word segmentation, the table's lines), typst's compile (evaluation and layout, with the
    /// lines shaped on another core), drawing the lines and repairing the marks, the PDF,
    /// and the clean-up after it (freeing the laid-out document and typst's cached work), which
    /// renders do off the reader's path and is done and timed here in line.
    /// `template`: another template than the built-in one (`prongsai bench --template`).
    pub fn measures_report_stages(
        &self,
        doc: &MeasuresReportDoc,
        template: Option<&str>,
    ) -> anyhow::Result<[Duration; 5]> {
        let started = Instant::now();
        let (json, lines) = measures_json(doc);
        let data = started.elapsed();
        let template = template.unwrap_or(measures::TEMPLATE);
        let (rendered, laid_out) = self.typeset(template, json, &[(cell_text::FILE, lines)])?;
        let [compile, marks, export] = rendered.took;
        let started = Instant::now();
        free(Some(laid_out));
        Ok([data, compile, marks, export, started.elapsed()])
    }

    /// Renders a typst `template` that reads its data with `json("data.json")`.
    pub fn render(&self, template: &str, data: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
        self.render_with_files(template, data, &[])
    }

    /// As [`render`](Self::render), with extra virtual files (images, sub-templates) the template
    /// can read by name, e.g. `image("qr/7.png")`.
    pub fn render_with_files(
        &self,
        template: &str,
        data: &serde_json::Value,
        files: &[(&str, Vec<u8>)],
    ) -> anyhow::Result<Vec<u8>> {
        let json = serde_json::to_vec(data).expect("a serde_json::Value always serializes");
        // In the worker when the document's data is over its threshold, else here.
        match &self.worker {
            Some(worker) if json.len() > worker.above_bytes => worker.render(template, &json, files),
            _ => self.render_here(template, json, files),
        }
    }

    /// Typesets `json` (the data, already serialized) in this process: every document when there is
    /// no render worker, else those under its threshold (the worker itself uses
    /// [`render_before_exit`](Self::render_before_exit)).
    fn render_here(&self, template: &str, json: Vec<u8>, files: &[(&str, Vec<u8>)]) -> anyhow::Result<Vec<u8>> {
        Ok(self.render_inner(template, json, files)?.pdf)
    }

    /// Typesets in this process, then lets typst's caches go as [`clean_up`] says.
    fn render_inner(&self, template: &str, json: Vec<u8>, files: &[(&str, Vec<u8>)]) -> Result<Rendered, PdfError> {
        match self.typeset(template, json, files) {
            Ok((rendered, laid_out)) => {
                clean_up(Some(laid_out));
                Ok(rendered)
            }
            Err(e) => {
                clean_up(None);
                Err(e)
            }
        }
    }

    /// Typesets in a process that ends right after (the render worker): the PDF, and the laid-out
    /// document, which the caller leaves for the process's end to free (freeing it would only
    /// delay the PDF's reader, who waits for the worker to exit).
    pub fn render_before_exit(
        &self,
        template: &str,
        json: Vec<u8>,
        files: &[(&str, Vec<u8>)],
    ) -> anyhow::Result<(Vec<u8>, PagedDocument)> {
        let (rendered, laid_out) = self.typeset(template, json, files)?;
        Ok((rendered.pdf, laid_out))
    }

    /// The PDF, and the laid-out document it was written from (for [`clean_up`]).
    fn typeset(
        &self,
        template: &str,
        json: Vec<u8>,
        files: &[(&str, Vec<u8>)],
    ) -> Result<(Rendered, PagedDocument), PdfError> {
        let job = self.job(template, json, files)?;
        let started = Instant::now();
        // The measures table's lines are shaped on another core while typst lays out their blocks
        // (its layout runs on one), then drawn into them in the same walk that repairs the marks.
        let lines = files.iter().find(|(name, _)| *name == cell_text::FILE).map(|(_, json)| json.as_slice());
        let prepare = || lines.map(|json| cell_text::Prepared::new(json, &self.fonts[0]));
        let (compiled, lines) = std::thread::scope(|scope| {
            let beside = std::thread::Builder::new().name("typst-lines".into()).spawn_scoped(scope, prepare);
            let compiled = compile(&job);
            // The system refused a thread: the lines are shaped after the compile instead.
            let lines = match beside {
                Ok(thread) => thread.join().expect("shaping the table's lines does not panic"),
                Err(_) => prepare(),
            };
            (compiled, lines)
        });
        let compiled = compiled?;
        let lines = lines.transpose().map_err(PdfError::Lines)?;
        let compiled_at = Instant::now();
        // The report's own template must draw every line; another (`bench --template`) may not.
        let blocks_optional = template != measures::TEMPLATE;
        let doc = fix_marks::fix_document(compiled, lines.as_ref(), blocks_optional).map_err(PdfError::Lines)?;
        let fixed_at = Instant::now();
        let pdf = export(&job, &doc)?;
        let took = [compiled_at - started, fixed_at - compiled_at, fixed_at.elapsed()];
        Ok((Rendered { pdf, pages: doc.pages().len(), took }, doc))
    }

    /// The world one render compiles in: this engine's library and fonts, the request's files.
    fn job(&self, template: &str, json: Vec<u8>, files: &[(&str, Vec<u8>)]) -> Result<Job<'_>, PdfError> {
        let id = |name: &str| file_id(name).map_err(|_| PdfError::BadFile(name.to_string()));
        let mut map = HashMap::new();
        map.insert(id("data.json")?, Bytes::new(json));
        // The table's lines are read after layout (`cell_text`), never by typst: no copy for it.
        for (name, bytes) in files.iter().filter(|(name, _)| *name != cell_text::FILE) {
            map.insert(id(name)?, Bytes::new(bytes.clone()));
        }
        Ok(Job {
            library: &self.library,
            book: &self.book,
            fonts: &self.fonts,
            main: Source::new(id("main.typ")?, template.to_string()),
            files: map,
            today: None,
        })
    }
}

/// Bytes the measures table's lines kept across renders hold (see `line_cache`), for `prongsai bench`.
pub fn line_cache_bytes() -> usize {
    line_cache::LINES.bytes()
}

/// Forgets the measures table's lines kept across renders, so that `prongsai bench` times a
/// register's lines broken, as a new register's are.
pub fn forget_lines() {
    line_cache::LINES.clear();
}

/// The measures report's `data.json` and its table's lines ([`cell_text::FILE`]), serialized, the
/// lines kept for the next render (for `prongsai bench` too).
pub fn measures_json(doc: &MeasuresReportDoc) -> (Vec<u8>, Vec<u8>) {
    measures_json_with(doc, &line_cache::LINES)
}

fn measures_json_with(doc: &MeasuresReportDoc, cache: &line_cache::LineCache) -> (Vec<u8>, Vec<u8>) {
    let (data, lines) = measures::data(doc, cache);
    (serde_json::to_vec(&data).expect("a serde_json::Value always serializes"), lines)
}

/// typst's compile of a job; a warning fails it too (our templates have none).
fn compile(job: &Job) -> Result<PagedDocument, PdfError> {
    let warned = typst::compile::<PagedDocument>(job);
    match warned.output {
        Ok(doc) if warned.warnings.is_empty() => Ok(doc),
        Ok(_) => Err(PdfError::Template(describe(job, &warned.warnings))),
        Err(errors) => {
            let all: Vec<_> = errors.iter().chain(&warned.warnings).cloned().collect();
            Err(PdfError::Template(describe(job, &all)))
        }
    }
}

/// Writes a laid-out document as PDF.
fn export(job: &Job, doc: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    typst_pdf::pdf(doc, &typst_pdf::PdfOptions::default()).map_err(|errors| PdfError::Export(describe(job, &errors)))
}

/// Diagnostics as text: `error: message (main.typ:12:5)` plus hints, one per line.
fn describe(job: &Job, diags: &[SourceDiagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let level = if d.severity == Severity::Error { "error" } else { "warning" };
        let _ = write!(out, "{level}: {}", d.message);
        if let Some(at) = location(job, d) {
            let _ = write!(out, " ({at})");
        }
        out.push('\n');
        for hint in &d.hints {
            let _ = writeln!(out, "  hint: {}", hint.v);
        }
    }
    out
}

fn location(job: &Job, d: &SourceDiagnostic) -> Option<String> {
    let id = d.span.id()?;
    let range = job.range(d.span)?;
    let source = job.source(id).ok()?;
    let (line, col) = source.lines().byte_to_line_column(range.start)?;
    Some(format!("{}:{}:{}", id.get().vpath().get_without_slash(), line + 1, col + 1))
}
