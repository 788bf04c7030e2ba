//! `prongsai bench`: times in-process rendering of the seed report, cold and warm, and of large
//! registers (`--measures 200`), with the memory the process holds, so the figures in
//! docs/benchmarks.md can be reproduced on any machine.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::pdf::PdfEngine;
use super::{MeasuresReportDoc, docx};

fn stats(samples: &mut [Duration]) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
    format!(
        "min {:.1} ms, median {:.1} ms, mean {:.1} ms, max {:.1} ms (n={})",
        ms(samples[0]),
        ms(samples[samples.len() / 2]),
        mean,
        ms(samples[samples.len() - 1]),
        samples.len()
    )
}

/// Every string in `v`.
fn strings(v: &serde_json::Value) -> Vec<&str> {
    match v {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(a) => a.iter().flat_map(strings).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// A line of `/proc/self/status` in MB (`VmRSS`: held now, `VmHWM`: the peak); None off Linux.
pub fn memory_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 =
        line.trim_start_matches(field).trim_start_matches(':').trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn memory() -> String {
    let mb = |f| memory_mb(f).map_or("?".to_string(), |m| format!("{m:.0} MB"));
    format!("RSS {} (peak {})", mb("VmRSS"), mb("VmHWM"))
}

/// What `prongsai bench` runs (its command-line options).
#[derive(Debug, clap::Args)]
pub struct BenchOptions {
    /// Warm renders of the seed report to time (0: skip it).
    #[arg(long, default_value_t = 50)]
    pub iterations: u32,
    /// Also render a register of this many measures (repeat for several sizes).
    #[arg(long)]
    pub measures: Vec<usize>,
    /// Renders of each large register.
    #[arg(long, default_value_t = 3)]
    pub large_iterations: u32,
    // The placeholder is not spelled out in the help: clap turns it into a line break there.
    /// Write each large register's DOCX here, for scripts/bench-libreoffice.sh; the letter n
    /// between curly braces in the path becomes the number of measures.
    #[arg(long)]
    pub docx_out: Option<String>,
    /// Write each large register's PDF here; the letter n between curly braces in the path
    /// becomes the number of measures.
    #[arg(long)]
    pub pdf_out: Option<String>,
    /// Typeset the large registers in a child process, as the server does.
    #[arg(long)]
    pub worker: bool,
    /// Write typst's own timings of 5 warm seed renders here (Chrome trace JSON: open it in
    /// chrome://tracing or Perfetto), to see which part of the layout the time goes to.
    #[arg(long)]
    pub typst_trace: Option<std::path::PathBuf>,
    /// Write typst's own timings of one more render of each large register here (Chrome trace
    /// JSON); the letter n between curly braces in the path becomes the number of measures.
    #[arg(long)]
    pub large_trace: Option<String>,
    /// Typeset the large registers with this template instead of the built-in one, to time a
    /// template change without rebuilding.
    #[arg(long)]
    pub template: Option<std::path::PathBuf>,
}

pub fn run(options: BenchOptions) -> anyhow::Result<ExitCode> {
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; use `cargo run --release -- bench` for real figures");
    }
    println!("at start: {}", memory());
    if options.iterations > 0 {
        seed(options.iterations)?;
    }
    if let Some(path) = &options.typst_trace {
        typst_trace(path)?;
    }
    let worker = match options.worker {
        true => Some(super::pdf::worker::Worker::new(std::env::current_exe()?, Duration::from_secs(3600))),
        false => None,
    };
    let engine = PdfEngine::new().with_worker(worker);
    let template = options.template.as_deref().map(std::fs::read_to_string).transpose()?;
    for &n in &options.measures {
        let out = Outputs {
            docx: options.docx_out.as_deref(),
            pdf: options.pdf_out.as_deref(),
            trace: options.large_trace.as_deref(),
        };
        large(&engine, n, options.large_iterations.max(1), out, template.as_deref())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a large register's DOCX and PDF are written (`{n}`: its measures), if anywhere.
#[derive(Clone, Copy)]
struct Outputs<'a> {
    docx: Option<&'a str>,
    pdf: Option<&'a str>,
    trace: Option<&'a str>,
}

/// Renders a register of `n` measures `iterations` times, then the seed a dozen times (as a server
/// goes on with small documents), and says what memory the process holds.
fn large(engine: &PdfEngine, n: usize, iterations: u32, out: Outputs, template: Option<&str>) -> anyhow::Result<()> {
    let doc = MeasuresReportDoc::with_measures(n);
    // A template of the operator's (`--template`) is typeset in this process, as is any without a worker.
    let in_process = || match template {
        Some(template) => engine.measures_report_paged_with(&doc, template),
        None => engine.measures_report_paged(&doc),
    };
    if let Some(path) = out.docx {
        let path = path.replace("{n}", &n.to_string());
        std::fs::write(&path, docx::measures_report_docx(&doc)?)?;
        println!("{n} measures: DOCX written to {path}");
    }
    let mut times = Vec::new();
    let mut pdf_written = false;
    let mut pages = 0;
    let mut bytes = 0;
    for _ in 0..iterations {
        // Each render breaks its lines as a new register's are: a register of up to 512 KB of
        // table text (200 of the seed's measures hold 118,000 characters) would find them kept.
        super::pdf::forget_lines();
        let started = Instant::now();
        // The page count is known only in this process (0: typeset by the child).
        let (pdf, p) = match (engine.has_worker(), template) {
            (true, None) => (engine.measures_report(&doc)?, 0),
            _ => in_process()?,
        };
        times.push(started.elapsed());
        if let Some(path) = out.pdf.filter(|_| !pdf_written) {
            let path = path.replace("{n}", &n.to_string());
            std::fs::write(&path, &pdf)?;
            pdf_written = true;
        }
        (pages, bytes) = (p, pdf.len());
        println!("{n} measures: {:.0} ms, {p} pages, {} KB; {}", ms(times[times.len() - 1]), bytes / 1024, memory());
    }
    let median = {
        let mut t = times.clone();
        t.sort();
        t[t.len() / 2]
    };
    println!(
        "{n} measures: {pages} pages, {} KB of PDF; {}; {:.1} ms per page (median)",
        bytes / 1024,
        stats(&mut times),
        ms(median) / pages.max(1) as f64
    );
    if !engine.has_worker() {
        super::pdf::forget_lines();
        let [data, compile, marks, pdf, clean_up] = engine.measures_report_stages(&doc, template)?.map(ms);
        println!(
            "{n} measures, one more render by stage: data {data:.0} ms, typst compile (the table's \
             lines shaped beside it) {compile:.0} ms, lines drawn and marks repaired {marks:.0} ms, \
             PDF export {pdf:.0} ms; then, off the reader's path, clean-up {clean_up:.0} ms"
        );
        data_stage(&doc)?;
    }
    if let Some(path) = out.trace {
        let path = path.replace("{n}", &n.to_string());
        super::pdf::forget_lines();
        let events = traced(&mut || in_process().map(drop))?;
        std::fs::write(&path, &events)?;
        println!("{n} measures: typst's timings of one more render written to {path}");
    }
    let seed = MeasuresReportDoc::sample();
    for _ in 0..12 {
        engine.measures_report(&seed)?;
    }
    println!("{n} measures: after 12 more seed renders: {}", memory());
    Ok(())
}

/// Where the data stage of a large register goes: segmenting every line into words alone, then the
/// same lines into word items (segmentation, kept names, the lines' breaks), then the whole stage
/// (also boxing, JSON), each on every core as the stage itself runs.
fn data_stage(doc: &MeasuresReportDoc) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let keep = super::pdf::kept_words(doc);
    fn lines(r: &super::MeasureRow) -> Vec<&str> {
        r.cells().into_iter().flatten().map(String::as_str).collect()
    }
    let chars: usize = doc.rows.iter().flat_map(lines).map(|l| l.chars().count()).sum();
    let started = Instant::now();
    doc.rows.par_iter().for_each(|r| lines(r).into_iter().for_each(|l| drop(crate::thai::words::words(l))));
    let words = started.elapsed();
    let started = Instant::now();
    doc.rows.par_iter().for_each(|r| lines(r).into_iter().for_each(|l| drop(super::pdf::line_items(l, &keep))));
    let items = started.elapsed();
    super::pdf::forget_lines();
    let started = Instant::now();
    drop(super::pdf::measures_json(doc));
    let whole = started.elapsed();
    println!(
        "  data stage of {} measures ({chars} chars of table text, {} kept names): words alone {:.0} ms, \
         word items {:.0} ms, whole stage {:.0} ms",
        doc.rows.len(),
        keep.len(),
        ms(words),
        ms(items),
        ms(whole)
    );
    Ok(())
}

/// Typst's own timings of seed renders (Chrome trace JSON at `path`): one from empty caches, then
/// five warm ones with the introduction changed each time, as when a clerk edits the register.
/// Prints how many paragraphs and table cells typst laid out in each: an edit should lay out what it
/// changed, not the whole document again (the template's functions must not capture all of `data`).
fn typst_trace(path: &std::path::Path) -> anyhow::Result<()> {
    const WARM: usize = 5;
    let doc = MeasuresReportDoc::sample();
    let engine = PdfEngine::new();
    let mut edited = doc.clone();
    let mut render = |i: usize| {
        edited.intro = format!("{} ({i})", doc.intro);
        engine.measures_report(&edited).map(drop)
    };
    comemo::evict(0);
    // A paragraph is prepared (shaped) once per layout; a table cell is padded by its inset.
    let count = |events: &[u8], name: &str| -> anyhow::Result<usize> {
        let events: Vec<serde_json::Value> = serde_json::from_slice(events)?;
        Ok(events.iter().filter(|e| e["name"] == name && e["ph"] == "B").count())
    };
    let cold = traced(&mut || render(0))?;
    for i in 1..10 {
        render(i)?;
    }
    let warm = traced(&mut || (10..10 + WARM).try_for_each(&mut render))?;
    std::fs::write(path, &warm)?;
    println!(
        "paragraphs typst laid out: {} in a render from empty caches, {} per warm render with the introduction edited",
        count(&cold, "prepare")?,
        count(&warm, "prepare")? / WARM
    );
    println!(
        "table cells typst laid out: {} in a render from empty caches, {} per warm render with the introduction edited",
        count(&cold, "layout_pad")?,
        count(&warm, "layout_pad")? / WARM
    );
    println!("typst's timings of {WARM} warm seed renders written to {}", path.display());
    Ok(())
}

/// Typst's own timings (Chrome trace JSON) of what `render` does.
fn traced(render: &mut dyn FnMut() -> anyhow::Result<()>) -> anyhow::Result<Vec<u8>> {
    typst_timing::enable();
    let done = render();
    typst_timing::disable();
    let mut events = Vec::new();
    typst_timing::export_json(&mut events, |_| (String::new(), 0)).map_err(anyhow::Error::msg)?;
    done.map(|()| events)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn seed(iterations: u32) -> anyhow::Result<()> {
    let doc = MeasuresReportDoc::sample();
    let started = Instant::now();
    let engine = PdfEngine::new();
    let init = started.elapsed();
    let started = Instant::now();
    let first = engine.measures_report(&doc)?;
    let cold = started.elapsed();
    // Warm renders with the data changed each time, as in a server where the register is edited.
    let mut warm = Vec::with_capacity(iterations as usize);
    let mut edited = doc.clone();
    for i in 0..iterations {
        edited.intro = format!("{} ({i})", doc.intro);
        let started = Instant::now();
        engine.measures_report(&edited)?;
        warm.push(started.elapsed());
    }
    // The same warm render, stage by stage.
    let mut stages: [Vec<Duration>; 5] = Default::default();
    for i in 0..iterations {
        edited.intro = format!("{} ({i}')", doc.intro);
        for (times, took) in stages.iter_mut().zip(engine.measures_report_stages(&edited, None)?) {
            times.push(took);
        }
    }
    // Word segmentation alone, of every text the report prints (the line-break dictionary against
    // ICU4X's, which the PDFs used before issue 12).
    let texts = serde_json::to_value(&doc)?;
    let texts: Vec<&str> = strings(&texts);
    let started = Instant::now();
    crate::thai::words::words("ก");
    let segmenter_init = started.elapsed();
    let mut newmm = Vec::with_capacity(iterations as usize);
    let mut icu = Vec::with_capacity(iterations as usize);
    for _ in 0..iterations {
        let started = Instant::now();
        texts.iter().for_each(|t| drop(crate::thai::words::words(t)));
        newmm.push(started.elapsed());
        let started = Instant::now();
        texts.iter().for_each(|t| drop(crate::thai::words::icu_words(t)));
        icu.push(started.elapsed());
    }
    let mut docx_times = Vec::with_capacity(iterations as usize);
    for _ in 0..iterations {
        let started = Instant::now();
        docx::measures_report_docx(&doc)?;
        docx_times.push(started.elapsed());
    }
    println!("seed report, {} bytes of PDF", first.len());
    println!("engine init: {:.1} ms", init.as_secs_f64() * 1000.0);
    println!("PDF cold (first render): {:.1} ms", cold.as_secs_f64() * 1000.0);
    println!("PDF warm, data changed each time: {}", stats(&mut warm));
    let names = [
        "data (word items)",
        "typst compile",
        "lines drawn and marks repaired",
        "PDF export",
        "clean-up (off the reader's path)",
    ];
    for (name, times) in names.iter().zip(&mut stages) {
        println!("  warm stage, {name}: {}", stats(times));
    }
    println!("DOCX: {}", stats(&mut docx_times));
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    println!("word list load (newmm trie): {:.1} ms", segmenter_init.as_secs_f64() * 1000.0);
    println!("segmenting the report's {chars} chars, newmm + word list: {}", stats(&mut newmm));
    println!("segmenting the report's {chars} chars, ICU4X dictionary: {}", stats(&mut icu));
    println!(
        "after the seed: {}; the table's lines kept for warm renders: {} KB",
        memory(),
        super::pdf::line_cache_bytes() / 1024
    );
    Ok(())
}
