//! The engine's [`SpecCache`]s, one per workflow the controller is running, so that a reconcile
//! of a large workflow does not re-derive facts about its templates every time (see
//! `argo_engine::reconcile_cached`).
//!
//! A cache is a pure shortcut: losing one (a restart, eviction) only costs the next reconcile
//! the work of rebuilding it, and a cache that no longer matches its workflow's spec empties
//! itself. Must not: hold anything a restart would need.

use std::collections::HashMap;
use std::sync::Mutex;

use argo_engine::SpecCache;

use crate::queue::WorkflowKey;

/// At most this many workflows keep a cache; others reconcile without one until room frees.
const MAX_CACHES: usize = 1024;

/// Caches by workflow. A key is reconciled by one worker at a time, which takes its cache out
/// for the reconcile and gives it back afterwards.
#[derive(Debug, Default)]
pub(crate) struct SpecCaches {
    caches: Mutex<HashMap<WorkflowKey, SpecCache>>,
}

impl SpecCaches {
    /// The cache of `key` (empty when there is none), taken out for one reconcile.
    pub fn take(&self, key: &WorkflowKey) -> SpecCache {
        self.lock().remove(key).unwrap_or_default()
    }

    /// Gives a taken cache back; dropped when `MAX_CACHES` other workflows hold one.
    pub fn keep(&self, key: WorkflowKey, cache: SpecCache) {
        let mut caches = self.lock();
        if caches.len() < MAX_CACHES && !cache.is_empty() {
            caches.insert(key, cache);
        }
    }

    /// Drops the cache of a workflow that completed or is gone.
    pub fn forget(&self, key: &WorkflowKey) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WorkflowKey, SpecCache>> {
        // A panic elsewhere while holding the lock leaves nothing half-written here.
        self.caches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::{DagTask, DagTemplate, Template, Workflow};
    use argo_engine::{EngineConfig, Observed, reconcile_cached};

    fn dag_workflow(name: &str) -> Workflow {
        let dag = Template {
            dag: Some(DagTemplate {
                tasks: vec![DagTask::calling("a", "leaf")],
                ..DagTemplate::default()
            }),
            ..Template::named("main")
        };
        Workflow::test()
            .name(name)
            .entrypoint("main")
            .template(dag)
            .template(Template {
                container: Some(Default::default()),
                ..Template::named("leaf")
            })
            .build()
    }

    fn warm_cache(name: &str) -> SpecCache {
        let workflow = dag_workflow(name);
        let mut cache = SpecCache::new();
        let now = jiff::Timestamp::from_second(1_700_000_000).expect("a valid time");
        reconcile_cached(
            &workflow,
            workflow.status.clone(),
            &Observed::default(),
            now,
            &EngineConfig::default(),
            &mut cache,
        );
        cache
    }

    #[test]
    fn a_kept_cache_is_taken_back_once_and_forgotten_on_request() {
        let caches = SpecCaches::default();
        let key = WorkflowKey::new("argo", "w");
        let cache = warm_cache("w");
        assert!(
            !cache.is_empty(),
            "a DAG workflow's reconcile fills the cache"
        );
        caches.keep(key.clone(), cache);
        assert!(!caches.take(&key).is_empty());
        assert!(caches.take(&key).is_empty(), "taking removes it");
        caches.keep(key.clone(), warm_cache("w"));
        caches.forget(&key);
        assert!(caches.take(&key).is_empty());
    }

    #[test]
    fn empty_caches_are_not_kept_and_the_count_is_bounded() {
        let caches = SpecCaches::default();
        caches.keep(WorkflowKey::new("argo", "empty"), SpecCache::new());
        assert_eq!(caches.len(), 0);
        for i in 0..MAX_CACHES + 5 {
            caches.keep(WorkflowKey::new("argo", format!("w{i}")), warm_cache("w"));
        }
        assert_eq!(caches.len(), MAX_CACHES);
    }
}
