//! `prongsai bench`: times in-process rendering of the seed report, cold and warm, so the figures
//! in docs/benchmarks.md can be reproduced on any machine.

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

pub fn run(iterations: u32) -> anyhow::Result<ExitCode> {
    let iterations = iterations.max(1);
    let doc = MeasuresReportDoc::sample();
    if cfg!(debug_assertions) {
        println!("note: this is a debug build; use `cargo run --release -- bench` for real figures");
    }
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
    println!("DOCX: {}", stats(&mut docx_times));
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    println!("word list load (newmm trie): {:.1} ms", segmenter_init.as_secs_f64() * 1000.0);
    println!("segmenting the report's {chars} chars, newmm + word list: {}", stats(&mut newmm));
    println!("segmenting the report's {chars} chars, ICU4X dictionary: {}", stats(&mut icu));
    Ok(ExitCode::SUCCESS)
}
