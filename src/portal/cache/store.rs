//! The pages kept in memory: a map bounded by the total size of what it holds, oldest out first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, RwLock};

/// Something kept, with its size in bytes.
pub trait Weighed {
    fn bytes(&self) -> usize;
}

struct Inner<V> {
    map: HashMap<Box<str>, (u64, Arc<V>)>,
    /// Insertion order with each insertion's serial: a key put again is evicted by its latest
    /// insertion, not by an older place in the queue.
    order: VecDeque<(Box<str>, u64)>,
    serial: u64,
    bytes: usize,
}

/// A map from request path to page whose values' total size stays at most `max_bytes`.
pub struct Bounded<V> {
    inner: RwLock<Inner<V>>,
    max_bytes: usize,
}

impl<V: Weighed> Bounded<V> {
    pub fn new(max_bytes: usize) -> Self {
        Bounded {
            inner: RwLock::new(Inner { map: HashMap::new(), order: VecDeque::new(), serial: 0, bytes: 0 }),
            max_bytes,
        }
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
        inner.map.get(key).map(|(_, v)| Arc::clone(v))
    }

    /// Keeps `value` under `key` (replacing what was there), evicting the oldest entries to stay
    /// within the bound; returns how many were evicted. A value larger than the bound is not kept.
    pub fn put(&self, key: &str, value: V) -> usize {
        let size = value.bytes() + key.len();
        if size > self.max_bytes {
            return 0;
        }
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        inner.serial += 1;
        let serial = inner.serial;
        if let Some((_, old)) = inner.map.remove(key) {
            inner.bytes -= old.bytes() + key.len();
        }
        let mut evicted = 0;
        while inner.bytes + size > self.max_bytes {
            let Some((oldest, at)) = inner.order.pop_front() else { break };
            if inner.map.get(&oldest).is_some_and(|(s, _)| *s == at)
                && let Some((_, gone)) = inner.map.remove(&oldest)
            {
                inner.bytes -= gone.bytes() + oldest.len();
                evicted += 1;
            }
        }
        inner.order.push_back((key.into(), serial));
        inner.map.insert(key.into(), (serial, Arc::new(value)));
        inner.bytes += size;
        // Keys replaced many times leave stale places in the queue: compact when they dominate.
        if inner.order.len() > 2 * inner.map.len() + 64 {
            let Inner { map, order, .. } = &mut *inner;
            order.retain(|(k, s)| map.get(k).is_some_and(|(at, _)| at == s));
        }
        evicted
    }

    /// (entries, bytes) held now.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
        (inner.map.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Page(usize);
    impl Weighed for Page {
        fn bytes(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn the_total_stays_within_the_bound_oldest_out_first() {
        let map = Bounded::new(100);
        assert_eq!(map.put("/a", Page(40)), 0);
        assert_eq!(map.put("/b", Page(40)), 0);
        assert_eq!(map.put("/c", Page(40)), 1);
        assert!(map.get("/a").is_none());
        assert!(map.get("/b").is_some() && map.get("/c").is_some());
        assert!(map.usage().1 <= 100);
        assert_eq!(map.put("/huge", Page(1000)), 0);
        assert!(map.get("/huge").is_none());
    }

    #[test]
    fn a_key_put_again_is_counted_once_and_aged_by_its_last_put() {
        let map = Bounded::new(100);
        map.put("/a", Page(30));
        map.put("/b", Page(30));
        map.put("/a", Page(30));
        assert_eq!(map.usage(), (2, 64), "two pages of 30 bytes with keys of 2");
        map.put("/c", Page(30));
        map.put("/d", Page(30));
        // /b was the oldest: /a's first place in the queue no longer counts.
        assert!(map.get("/b").is_none());
        assert!(map.get("/a").is_some());
        for i in 0..1000 {
            map.put("/a", Page(i % 30));
        }
        assert!(map.usage().1 <= 100);
    }
}
