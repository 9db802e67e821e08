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
//! Each kind has its own `capacity`: thousands of task results written by executors must not
//! push out the one large workflow the controller and its clients read on every pass.
//!
//! Must not: hold its lock across an await or while cloning, or keep more than `capacity`
//! objects of one kind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::{Object, ObjectKey, ResourceKind};

/// How many objects of each kind a store caches by default: enough for the objects clients
/// poll and a page of a list, small enough not to matter next to the store's own memory.
pub const DEFAULT_READ_CACHE_CAPACITY: usize = 256;

type Partition = HashMap<ObjectKey, (i64, Arc<Object>)>;

/// The cache itself; shared by clones of one store.
#[derive(Debug)]
pub(crate) struct ReadCache {
    capacity: usize,
    kinds: Mutex<HashMap<ResourceKind, Partition>>,
}

impl ReadCache {
    /// A cache of at most `capacity` objects per kind; `None` for 0 (no cache).
    pub(crate) fn new(capacity: usize) -> Option<Self> {
        (capacity > 0).then(|| Self {
            capacity,
            kinds: Mutex::new(HashMap::new()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<ResourceKind, Partition>> {
        self.kinds.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The object parsed at `revision`, shared (callers that need their own copy clone it
    /// outside the lock).
    pub(crate) fn get(&self, key: &ObjectKey, revision: i64) -> Option<Arc<Object>> {
        self.lock()
            .get(&key.kind)?
            .get(key)
            .filter(|(cached, _)| *cached == revision)
            .map(|(_, object)| object.clone())
    }

    /// Remembers `object` as the one stored at `revision`. The object it replaces, or the one
    /// it pushes out, is dropped after the lock is released (dropping a large object takes a
    /// while).
    pub(crate) fn fill(&self, key: ObjectKey, revision: i64, shared: Arc<Object>) {
        let displaced = {
            let mut kinds = self.lock();
            let objects = kinds.entry(key.kind.clone()).or_default();
            let mut evicted = None;
            if objects.len() >= self.capacity && !objects.contains_key(&key) {
                // Any one goes: the first the map yields, not the least recently used.
                let any = objects.keys().next().cloned();
                evicted = any.and_then(|any| objects.remove(&any));
            }
            (objects.insert(key, (revision, shared)), evicted)
        };
        drop(displaced);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().values().map(HashMap::len).sum()
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

    #[test]
    fn objects_of_another_kind_do_not_push_one_out() {
        let cache = ReadCache::new(2).expect("capacity");
        let workflow = Object::new(&workflows(), Some("argo"), "wf");
        cache.fill(key("wf"), 1, Arc::new(workflow.clone()));
        let results = ResourceKind::new(
            "argoproj.io/v1alpha1",
            "WorkflowTaskResult",
            Scope::Namespaced,
        );
        for revision in 2..50 {
            let name = format!("wf-{revision}");
            let result = Object::new(&results, Some("argo"), &name);
            cache.fill(
                ObjectKey::new(&results, Some("argo"), &name),
                revision,
                Arc::new(result),
            );
        }
        assert_eq!(cache.get(&key("wf"), 1).as_deref(), Some(&workflow));
        assert_eq!(cache.len(), 3, "two task results and the workflow");
    }
}
