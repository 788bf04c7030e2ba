//! The measures table's lines, kept broken across renders.
//!
//! A clerk's edit re-renders a report whose cells are mostly as they were. Segmenting and breaking
//! the cells was most of a warm render's data stage, so a cell line broken once is kept, under the
//! words the report keeps whole (they change how its text is segmented), the text's size and the
//! width it was broken to. Word lists are forgotten least recently used first beyond a budget, so
//! a server of many organizations holds a few MB at most; a large register is not kept at all (it
//! would push out everyone else's, and the render worker typesets it in a process of its own).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// One cell line broken into lines, each line its pieces (see `cell_lines::LineBreaker`).
pub type Broken = Arc<Vec<Vec<String>>>;

/// The cache the server's renders share.
pub static LINES: LineCache = LineCache::new(4 << 20);

/// What an entry is counted as beyond its text: the map's slot, the `Arc` and the vectors' heads.
/// The count is an estimate: the allocator's rounding and spare capacity are not in it.
const ENTRY_OVERHEAD: usize = 96;
const PIECE_OVERHEAD: usize = 24;

pub struct LineCache {
    /// Bytes (estimated: text and overhead) the cache may hold; one word list at most a quarter.
    budget: usize,
    lists: Mutex<Vec<WordList>>,
}

/// The lines of the reports that keep one list of words whole, at one size (an organization's
/// reports, of every year, share one), most recently used last.
struct WordList {
    keep: Vec<String>,
    size: u64,
    /// By width (its bits), then text.
    lines: HashMap<u64, HashMap<String, Entry>>,
    bytes: usize,
    /// Counts the renders that read this list; an entry remembers the last that used it.
    render: u64,
}

struct Entry {
    lines: Broken,
    used: u64,
}

impl LineCache {
    pub const fn new(budget: usize) -> Self {
        Self { budget, lists: Mutex::new(Vec::new()) }
    }

    /// Whether a report whose cells hold `text_bytes` of text is worth keeping (see the module).
    pub fn takes(&self, text_bytes: usize) -> bool {
        text_bytes <= self.budget / 8
    }

    /// The lines already broken for each of `wanted` (text, width in pt) of a render, under `keep`
    /// at `size` pt. Those found count as used by this render.
    pub fn get(&self, keep: &[String], size: f64, wanted: &[(&str, f64)]) -> Vec<Option<Broken>> {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(at) = lists.iter().position(|l| l.is(keep, size)) else {
            return vec![None; wanted.len()];
        };
        // Used now: the last to be forgotten.
        let mut list = lists.remove(at);
        list.render += 1;
        let render = list.render;
        let found = wanted
            .iter()
            .map(|&(text, width)| {
                let entry = list.lines.get_mut(&width.to_bits())?.get_mut(text)?;
                entry.used = render;
                Some(entry.lines.clone())
            })
            .collect();
        lists.push(list);
        found
    }

    /// Keeps the lines a render just broke under `keep` at `size` pt, then forgets the least
    /// recently used lists until the cache is within its budget. A list that would go over a
    /// quarter of the budget first forgets the lines its last render did not use (old versions
    /// of edited lines), then takes what still fits.
    pub fn put(&self, keep: &[String], size: f64, broken: Vec<(&str, f64, Broken)>) {
        if broken.is_empty() {
            return;
        }
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        let mut list = match lists.iter().position(|l| l.is(keep, size)) {
            Some(at) => lists.remove(at),
            None => {
                let bytes = keep.iter().map(|k| k.len() + PIECE_OVERHEAD).sum::<usize>() + ENTRY_OVERHEAD;
                WordList { keep: keep.to_vec(), size: size.to_bits(), lines: HashMap::new(), bytes, render: 0 }
            }
        };
        let cap = self.budget / 4;
        if list.bytes + broken.iter().map(|(text, _, lines)| entry_bytes(text, lines)).sum::<usize>() > cap {
            list.forget_unused();
        }
        for (text, width, lines) in broken {
            let bytes = entry_bytes(text, &lines);
            if list.bytes + bytes > cap {
                break;
            }
            let entry = Entry { lines, used: list.render };
            if list.lines.entry(width.to_bits()).or_default().insert(text.to_string(), entry).is_none() {
                list.bytes += bytes;
            }
        }
        if !list.lines.is_empty() {
            lists.push(list);
        }
        let mut total: usize = lists.iter().map(|l| l.bytes).sum();
        while total > self.budget && lists.len() > 1 {
            total -= lists.remove(0).bytes;
        }
    }

    /// Bytes held, as counted against the budget.
    pub fn bytes(&self) -> usize {
        self.lists.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|l| l.bytes).sum()
    }

    /// Forgets every line (`prongsai bench` times a large register's lines broken, not found).
    pub fn clear(&self) {
        self.lists.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

impl WordList {
    fn is(&self, keep: &[String], size: f64) -> bool {
        self.keep == keep && self.size == size.to_bits()
    }

    /// Drops the lines the last render of this list did not use.
    fn forget_unused(&mut self) {
        let render = self.render;
        let mut freed = 0;
        for by_text in self.lines.values_mut() {
            by_text.retain(|text, entry| {
                let keep = entry.used == render;
                if !keep {
                    freed += entry_bytes(text, &entry.lines);
                }
                keep
            });
        }
        self.lines.retain(|_, by_text| !by_text.is_empty());
        self.bytes -= freed;
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
    fn a_line_is_found_only_under_the_same_kept_words_size_and_width() {
        let cache = LineCache::new(1 << 20);
        let a = keep(&["กองคลัง"]);
        cache.put(&a, 14.0, vec![("ก ข", 100.0, broken(&["ก", " ", "ข"]))]);
        assert_eq!(cache.get(&a, 14.0, &[("ก ข", 100.0)])[0].as_deref(), Some(&*broken(&["ก", " ", "ข"])));
        assert!(cache.get(&a, 14.0, &[("ก ข", 100.5)])[0].is_none(), "another width");
        assert!(cache.get(&a, 14.0, &[("ก ค", 100.0)])[0].is_none(), "another text");
        assert!(cache.get(&a, 16.0, &[("ก ข", 100.0)])[0].is_none(), "another size");
        assert!(cache.get(&keep(&["กองช่าง"]), 14.0, &[("ก ข", 100.0)])[0].is_none(), "other kept words");
    }

    #[test]
    fn the_least_recently_used_word_list_is_forgotten_beyond_the_budget() {
        let cache = LineCache::new(4_000);
        let text = "ก".repeat(100);
        let one = |name: &str| {
            cache.put(&keep(&[name]), 14.0, vec![(text.as_str(), 1.0, broken(&[&text]))]);
        };
        let kept = |name: &str| cache.get(&keep(&[name]), 14.0, &[(&text, 1.0)])[0].is_some();
        // Each list is ~865 bytes: four fit in 4,000.
        for name in ["a", "b", "c", "d"] {
            one(name);
        }
        // "a" used again: "b" is now the oldest, and the first to go.
        assert!(kept("a"));
        one("e");
        assert!(!kept("b"), "the least recently used went first");
        assert!(kept("a") && kept("c") && kept("d") && kept("e"));
        for name in ["f", "g", "h", "i"] {
            one(name);
            assert!(cache.bytes() <= 4_000, "{} bytes after {name}", cache.bytes());
        }
        assert!(kept("i"), "the newest stays");
    }

    #[test]
    fn one_word_list_keeps_at_most_a_quarter_of_the_budget() {
        let cache = LineCache::new(40_000);
        let texts: Vec<String> = (0..200).map(|i| format!("บรรทัดที่ {i}")).collect();
        let lines: Vec<(&str, f64, Broken)> = texts.iter().map(|t| (t.as_str(), 1.0, broken(&[t]))).collect();
        cache.put(&keep(&[]), 14.0, lines);
        assert!(cache.bytes() <= 10_000, "{}", cache.bytes());
        assert!(cache.get(&keep(&[]), 14.0, &[(&texts[0], 1.0)])[0].is_some(), "the first lines are kept");
        assert!(!cache.takes(5_001) && cache.takes(5_000));
    }

    /// A register edited day after day: each edit's new line must still be kept when the list is
    /// full, in place of the old versions no render reads any more.
    #[test]
    fn a_full_word_list_forgets_old_versions_of_edited_lines_for_new_ones() {
        let cache = LineCache::new(40_000);
        let report: Vec<String> = (0..20).map(|i| format!("มาตรการที่ {i}")).collect();
        let list = keep(&["กองคลัง"]);
        for day in 0..200 {
            let edited = format!("ผลการดำเนินงาน วันที่ {day}");
            let mut wanted: Vec<(&str, f64)> = report.iter().map(|t| (t.as_str(), 1.0)).collect();
            wanted.push((&edited, 1.0));
            let found = cache.get(&list, 14.0, &wanted);
            let missing = wanted.iter().zip(&found).filter(|(_, f)| f.is_none());
            cache.put(&list, 14.0, missing.map(|(&(t, w), _)| (t, w, broken(&[t]))).collect());
            assert!(cache.bytes() <= 10_000, "{} bytes on day {day}", cache.bytes());
            let again = cache.get(&list, 14.0, &wanted);
            assert!(again.iter().all(Option::is_some), "day {day}: every line of the last render is kept");
        }
    }
}
