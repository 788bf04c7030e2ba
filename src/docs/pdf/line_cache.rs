//! The measures table's lines, kept broken across renders.
//!
//! A clerk's edit re-renders a report whose cells are mostly as they were. Segmenting and breaking
//! the cells was most of a warm render's data stage, so a cell line broken once is kept, under the
//! words the report keeps whole (they change how its text is segmented) and the width it was broken
//! to. Reports are forgotten least recently used first beyond a budget, so a server of many
//! organizations holds a few MB at most; a large register is not kept at all (it would push out
//! everyone else's, and the render worker typesets it in a process of its own).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// One cell line broken into lines, each line its pieces (see `cell_lines::LineBreaker`).
pub type Broken = Arc<Vec<Vec<String>>>;

/// The cache the server's renders share.
pub static LINES: LineCache = LineCache::new(4 << 20);

/// What an entry is counted as beyond its text: the map's slot, the `Arc` and the vectors' heads.
const ENTRY_OVERHEAD: usize = 96;
const PIECE_OVERHEAD: usize = 24;

pub struct LineCache {
    /// Bytes (roughly, text and overhead) the cache may hold; one report at most a quarter of it.
    budget: usize,
    reports: Mutex<Vec<Report>>,
}

/// The lines of the reports that keep one list of words whole, most recently used last.
struct Report {
    keep: Vec<String>,
    /// By width (its bits), then text.
    lines: HashMap<u64, HashMap<String, Broken>>,
    bytes: usize,
}

impl LineCache {
    pub const fn new(budget: usize) -> Self {
        Self { budget, reports: Mutex::new(Vec::new()) }
    }

    /// Whether a report whose cells hold `text_bytes` of text is worth keeping (see the module).
    pub fn takes(&self, text_bytes: usize) -> bool {
        text_bytes <= self.budget / 8
    }

    /// The lines already broken for each of `wanted` (text, width in pt), under `keep`.
    pub fn get(&self, keep: &[String], wanted: &[(&str, f64)]) -> Vec<Option<Broken>> {
        let mut reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(at) = reports.iter().position(|r| r.keep == keep) else {
            return vec![None; wanted.len()];
        };
        // Used now: the last to be forgotten.
        let report = reports.remove(at);
        let found = wanted
            .iter()
            .map(|&(text, width)| report.lines.get(&width.to_bits()).and_then(|at| at.get(text)).cloned())
            .collect();
        reports.push(report);
        found
    }

    /// Keeps lines just broken under `keep`, then forgets the least recently used reports' lines
    /// until the cache is within its budget. A report over a quarter of the budget keeps no more.
    pub fn put(&self, keep: &[String], broken: Vec<(&str, f64, Broken)>) {
        if broken.is_empty() {
            return;
        }
        let mut reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let at = match reports.iter().position(|r| r.keep == keep) {
            Some(at) => at,
            None => {
                let bytes = keep.iter().map(|k| k.len() + PIECE_OVERHEAD).sum::<usize>() + ENTRY_OVERHEAD;
                reports.push(Report { keep: keep.to_vec(), lines: HashMap::new(), bytes });
                reports.len() - 1
            }
        };
        let mut report = reports.remove(at);
        for (text, width, lines) in broken {
            let bytes = entry_bytes(text, &lines);
            if report.bytes + bytes > self.budget / 4 {
                break;
            }
            if report.lines.entry(width.to_bits()).or_default().insert(text.to_string(), lines).is_none() {
                report.bytes += bytes;
            }
        }
        reports.push(report);
        let mut total: usize = reports.iter().map(|r| r.bytes).sum();
        while total > self.budget && reports.len() > 1 {
            total -= reports.remove(0).bytes;
        }
    }

    /// Bytes held, as counted against the budget.
    pub fn bytes(&self) -> usize {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|r| r.bytes).sum()
    }
}

fn entry_bytes(text: &str, lines: &[Vec<String>]) -> usize {
    let pieces: usize = lines.iter().flatten().map(|p| p.len() + PIECE_OVERHEAD).sum();
    ENTRY_OVERHEAD + text.len() + pieces + lines.len() * PIECE_OVERHEAD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn broken(pieces: &[&str]) -> Broken {
        Arc::new(vec![pieces.iter().map(|p| p.to_string()).collect()])
    }

    #[test]
    fn a_line_is_found_only_under_the_same_kept_words_and_width() {
        let cache = LineCache::new(1 << 20);
        let a = keep(&["กองคลัง"]);
        cache.put(&a, vec![("ก ข", 100.0, broken(&["ก", " ", "ข"]))]);
        assert_eq!(cache.get(&a, &[("ก ข", 100.0)])[0].as_deref(), Some(&*broken(&["ก", " ", "ข"])));
        assert!(cache.get(&a, &[("ก ข", 100.5)])[0].is_none(), "another width");
        assert!(cache.get(&a, &[("ก ค", 100.0)])[0].is_none(), "another text");
        assert!(cache.get(&keep(&["กองช่าง"]), &[("ก ข", 100.0)])[0].is_none(), "other kept words");
    }

    #[test]
    fn the_least_recently_used_report_is_forgotten_beyond_the_budget() {
        let cache = LineCache::new(4_000);
        let text = "ก".repeat(100);
        let one = |name: &str| {
            cache.put(&keep(&[name]), vec![(text.as_str(), 1.0, broken(&[&text]))]);
        };
        one("a");
        one("b");
        // "a" used again: "b" is now the oldest.
        assert!(cache.get(&keep(&["a"]), &[(&text, 1.0)])[0].is_some());
        for name in ["c", "d", "e", "f", "g", "h", "i"] {
            one(name);
            assert!(cache.bytes() <= 4_000, "{} bytes after {name}", cache.bytes());
        }
        assert!(cache.get(&keep(&["b"]), &[(&text, 1.0)])[0].is_none(), "the oldest went first");
        assert!(cache.get(&keep(&["i"]), &[(&text, 1.0)])[0].is_some(), "the newest stays");
    }

    #[test]
    fn one_report_keeps_at_most_a_quarter_of_the_budget() {
        let cache = LineCache::new(40_000);
        let texts: Vec<String> = (0..200).map(|i| format!("บรรทัดที่ {i}")).collect();
        let lines: Vec<(&str, f64, Broken)> = texts.iter().map(|t| (t.as_str(), 1.0, broken(&[t]))).collect();
        cache.put(&keep(&[]), lines);
        assert!(cache.bytes() <= 10_000, "{}", cache.bytes());
        assert!(cache.get(&keep(&[]), &[(&texts[0], 1.0)])[0].is_some(), "the first lines are kept");
        assert!(!cache.takes(5_001) && cache.takes(5_000));
    }
}
