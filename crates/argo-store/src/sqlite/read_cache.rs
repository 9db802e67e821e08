//! A bounded cache of parsed objects keyed by their row's revision, so reading an unchanged
//! object costs a row fetch and a clone instead of a JSON parse (and a write's check of the
//! stored object costs no copy at all: it borrows the shared parse).
//!
//! Coherence needs no invalidation: every read still fetches the row, and a cached object is
//! used only when the row's `resource_version` column equals the revision it was parsed at.
//! Every write (by this process or another one on the same file) takes a new store-wide
//! revision, so an equal revision means the same stored text. Reads stay exactly as fresh as
//! without the cache. A committed write fills in the object it stored, at the revision it took.
//!
//! Must not: hold its lock across an await or while cloning, or keep more than `capacity`
//! objects.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::{Object, ObjectKey};

/// How many objects a store caches by default: enough for the objects clients poll and a
/// page of a list, small enough not to matter next to the store's own memory.
pub const DEFAULT_READ_CACHE_CAPACITY: usize = 256;

/// The cache itself; shared by clones of one store.
#[derive(Debug)]
pub(crate) struct ReadCache {
    capacity: usize,
    objects: Mutex<HashMap<ObjectKey, (i64, Arc<Object>)>>,
}

impl ReadCache {
    /// A cache of at most `capacity` objects; `None` for 0 (no cache).
    pub(crate) fn new(capacity: usize) -> Option<Self> {
        (capacity > 0).then(|| Self {
            capacity,
            objects: Mutex::new(HashMap::new()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<ObjectKey, (i64, Arc<Object>)>> {
        self.objects.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The object parsed at `revision`, shared (callers that need their own copy clone it
    /// outside the lock).
    pub(crate) fn get(&self, key: &ObjectKey, revision: i64) -> Option<Arc<Object>> {
        self.lock()
            .get(key)
            .filter(|(cached, _)| *cached == revision)
            .map(|(_, object)| object.clone())
    }

    /// Remembers `object` as the one stored at `revision`.
    pub(crate) fn fill(&self, key: ObjectKey, revision: i64, shared: Arc<Object>) {
        let mut objects = self.lock();
        if objects.len() >= self.capacity && !objects.contains_key(&key) {
            let evicted = objects.keys().next().cloned();
            if let Some(evicted) = evicted {
                objects.remove(&evicted);
            }
        }
        objects.insert(key, (revision, shared));
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ResourceKind, Scope};

    fn workflows() -> ResourceKind {
        ResourceKind::new("argoproj.io/v1alpha1", "Workflow", Scope::Namespaced)
    }

    fn key(name: &str) -> ObjectKey {
        ObjectKey::new(&workflows(), Some("argo"), name)
    }

    #[test]
    fn a_cached_object_is_used_only_at_its_revision() {
        let cache = ReadCache::new(4).expect("capacity");
        let object = Object::new(&workflows(), Some("argo"), "a");
        cache.fill(key("a"), 7, Arc::new(object.clone()));
        assert_eq!(cache.get(&key("a"), 7).as_deref(), Some(&object));
        assert_eq!(cache.get(&key("a"), 8), None);
        assert_eq!(cache.get(&key("b"), 7), None);
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let cache = ReadCache::new(2).expect("capacity");
        for (revision, name) in ["a", "b", "c", "d"].into_iter().enumerate() {
            let object = Object::new(&workflows(), Some("argo"), name);
            let revision = i64::try_from(revision).expect("small");
            cache.fill(key(name), revision, Arc::new(object));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&key("d"), 3).is_some());
        assert!(ReadCache::new(0).is_none());
    }
}
