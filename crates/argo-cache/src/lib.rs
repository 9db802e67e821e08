//! [`BoundedLru`]: entries keyed by a 64-bit hash, the least recently used dropped first once
//! either the entry budget or the byte budget would be exceeded. svc-workflow keeps its encoded
//! answers in one and the gateway its rendered JSON; each hashes its own keys, keeps the full
//! key inside the value and compares it on a hit, so a hash collision is a miss, never a wrong
//! answer.
//!
//! Must not: lock (callers share it behind their own mutex), hash, or hold more than its two
//! budgets allow (a value weighing more than the byte budget on its own is kept only while it
//! is alone).

use hashlink::LruCache;

/// What a value costs the byte budget.
pub trait Weighed {
    /// The bytes this value holds.
    fn weight(&self) -> usize;
}

/// A least-recently-used map bounded by entries and by the summed [`Weighed::weight`].
#[derive(Debug)]
pub struct BoundedLru<V> {
    by_hash: LruCache<u64, V>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl<V: Weighed> BoundedLru<V> {
    /// An empty map holding at most `max_entries` values (at least one) and `max_bytes`.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            by_hash: LruCache::new_unbounded(),
            bytes: 0,
            max_entries: max_entries.max(1),
            max_bytes,
        }
    }

    /// The value under `hash`, now the most recently used.
    pub fn get(&mut self, hash: u64) -> Option<&V> {
        self.by_hash.get(&hash)
    }

    /// Keeps `value` under `hash` (replacing what was there), first dropping the least
    /// recently used values it would not fit beside.
    pub fn insert(&mut self, hash: u64, value: V) {
        let weight = value.weight();
        if let Some(old) = self.by_hash.remove(&hash) {
            self.bytes -= old.weight();
        }
        while self.by_hash.len() >= self.max_entries
            || (!self.by_hash.is_empty() && self.bytes + weight > self.max_bytes)
        {
            let Some((_, evicted)) = self.by_hash.remove_lru() else {
                break;
            };
            self.bytes -= evicted.weight();
        }
        self.by_hash.insert(hash, value);
        self.bytes += weight;
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// The summed weight of the kept values.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Blob(usize);

    impl Weighed for Blob {
        fn weight(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn the_entry_budget_drops_the_least_recently_used() {
        let mut lru = BoundedLru::new(2, 1_000);
        lru.insert(1, Blob(1));
        lru.insert(2, Blob(1));
        assert!(lru.get(1).is_some(), "1 is now the most recently used");
        lru.insert(3, Blob(1));
        assert!(lru.get(2).is_none());
        assert!(lru.get(1).is_some() && lru.get(3).is_some());
        assert_eq!(lru.len(), 2);
    }

    #[test]
    fn the_byte_budget_drops_until_the_new_value_fits() {
        let mut lru = BoundedLru::new(10, 10);
        lru.insert(1, Blob(4));
        lru.insert(2, Blob(4));
        lru.insert(3, Blob(4));
        assert!(lru.get(1).is_none());
        assert_eq!((lru.len(), lru.bytes()), (2, 8));
    }

    #[test]
    fn replacing_a_value_counts_only_the_new_weight() {
        let mut lru = BoundedLru::new(10, 100);
        lru.insert(1, Blob(40));
        lru.insert(1, Blob(10));
        assert_eq!((lru.len(), lru.bytes()), (1, 10));
    }

    #[test]
    fn a_value_over_the_byte_budget_is_kept_only_alone() {
        let mut lru = BoundedLru::new(10, 10);
        lru.insert(1, Blob(3));
        lru.insert(2, Blob(50));
        assert!(lru.get(1).is_none());
        assert_eq!((lru.len(), lru.bytes()), (1, 50));
        lru.insert(3, Blob(1));
        assert!(lru.get(2).is_none());
        assert_eq!((lru.len(), lru.bytes()), (1, 1));
    }
}
