//! The engine's [`SpecCache`]s, one per workflow the controller is running, so that a reconcile
//! of a large workflow does not re-derive facts about its templates every time (see
//! `argo_engine::reconcile_cached`).
//!
//! Argo's Workflow kind has no status subresource, so every status write bumps the workflow's
//! generation, which the engine's cache is keyed by. Each cache therefore remembers the
//! resourceVersion the controller last wrote: a workflow read back with that resourceVersion
//! is the controller's own write (the controller changes only status and labels), so its
//! templates are unchanged and the cache is vouched for. Any other write (a user's edit, an
//! operation) leaves a different resourceVersion, and the engine then keeps the cache only if
//! the generation did not move.
//!
//! The same word covers the status: the controller writes a reconcile's status exactly as the
//! engine returned it, so reading back its own resourceVersion means the engine may start from
//! the index of open nodes it left (`SpecCache::vouch_for_status`).
//!
//! For the same reason the workflow itself is kept as the controller left it: a pass that reads
//! back the resourceVersion it wrote takes the kept copy instead of converting the stored
//! object again (for a wide workflow, tens of megabytes of allocation per pass).
//!
//! A cache is a pure shortcut: losing one (a restart, eviction) only costs the next reconcile
//! the work of rebuilding it. Must not: hold anything a restart would need.

use std::collections::HashMap;
use std::sync::Mutex;

use argo_core::Workflow;
use argo_engine::SpecCache;

use crate::queue::WorkflowKey;

/// At most this many workflows keep a cache; others reconcile without one until room frees.
const MAX_CACHES: usize = 1024;

/// Caches by workflow. A key is reconciled by one worker at a time, which takes its cache out
/// for the reconcile and gives it back afterwards.
#[derive(Debug, Default)]
pub(crate) struct SpecCaches {
    caches: Mutex<HashMap<WorkflowKey, Kept>>,
}

/// A cache, the resourceVersion of the workflow as the controller last left it, and (until a
/// pass takes it) that workflow.
#[derive(Debug)]
struct Kept {
    cache: SpecCache,
    resource_version: Option<String>,
    workflow: Option<Workflow>,
}

impl SpecCaches {
    /// The cache for `workflow` (empty when there is none), taken out for one reconcile; vouched
    /// for when `workflow` is the version the controller left.
    pub fn take(&self, workflow: &Workflow) -> SpecCache {
        let Some(kept) = self.lock().remove(&WorkflowKey::of(workflow)) else {
            return SpecCache::new();
        };
        let mut cache = kept.cache;
        if kept.resource_version.is_some()
            && kept.resource_version == workflow.metadata.resource_version
        {
            // What the controller writes is the reconcile's status as returned, so the
            // same resourceVersion also means the same status: its index is still true.
            cache.vouch_for(workflow);
            cache.vouch_for_status();
        }
        cache
    }

    /// The workflow `key` as the controller left it, taken out, if what is stored now is that
    /// version (`resource_version`, read from the store); `None` otherwise.
    pub fn left_at(&self, key: &WorkflowKey, resource_version: Option<&str>) -> Option<Workflow> {
        let mut caches = self.lock();
        let kept = caches.get_mut(key)?;
        let same =
            resource_version.is_some() && kept.resource_version.as_deref() == resource_version;
        if same { kept.workflow.take() } else { None }
    }

    /// Gives a taken cache back with the workflow as the controller left it (written, or read
    /// and left unchanged); dropped when `MAX_CACHES` other workflows hold one.
    pub fn keep(&self, left: Workflow, cache: SpecCache) {
        let mut caches = self.lock();
        if caches.len() < MAX_CACHES && !cache.is_empty() {
            let key = WorkflowKey::of(&left);
            let kept = Kept {
                cache,
                resource_version: left.metadata.resource_version.clone(),
                workflow: Some(left),
            };
            caches.insert(key, kept);
        }
    }

    /// Drops the cache of a workflow that is gone.
    pub fn forget(&self, key: &WorkflowKey) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WorkflowKey, Kept>> {
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
    use argo_core::{DagTask, DagTemplate, Template};
    use argo_engine::{EngineConfig, Observed, reconcile_cached};

    /// A DAG workflow as the store would hand it out.
    fn stored(name: &str, generation: i64, resource_version: &str) -> Workflow {
        let dag = Template {
            dag: Some(DagTemplate {
                tasks: vec![DagTask::calling("a", "leaf")],
                ..DagTemplate::default()
            }),
            ..Template::named("main")
        };
        let mut workflow = Workflow::test()
            .name(name)
            .entrypoint("main")
            .template(dag)
            .template(Template {
                container: Some(Default::default()),
                ..Template::named("leaf")
            })
            .build();
        workflow.metadata.namespace = Some("argo".to_owned());
        workflow.metadata.uid = Some(format!("uid-{name}"));
        workflow.metadata.generation = Some(generation);
        workflow.metadata.resource_version = Some(resource_version.to_owned());
        workflow
    }

    /// Runs one reconcile of `workflow` with `cache`, as the controller does; returns the
    /// status it wrote.
    fn reconcile(workflow: &Workflow, cache: &mut SpecCache) -> argo_core::WorkflowStatus {
        let now = jiff::Timestamp::from_second(1_700_000_000).expect("a valid time");
        reconcile_cached(
            workflow,
            workflow.status.clone(),
            &Observed::default(),
            now,
            &EngineConfig::default(),
            cache,
        )
        .status
    }

    fn warm_cache(workflow: &Workflow) -> SpecCache {
        let mut cache = SpecCache::new();
        reconcile(workflow, &mut cache);
        cache
    }

    /// `workflow` carrying `status`, as read back after the controller wrote it.
    fn with_status(mut workflow: Workflow, status: argo_core::WorkflowStatus) -> Workflow {
        workflow.status = status;
        workflow
    }

    #[test]
    fn the_controllers_own_write_keeps_the_cache_across_a_generation_bump() {
        let caches = SpecCaches::default();
        let read = stored("w", 1, "10");
        let mut cache = SpecCache::new();
        let written = reconcile(&read, &mut cache);
        assert!(
            !cache.is_empty(),
            "a DAG workflow's reconcile fills the cache"
        );
        // The status write bumped the generation (no status subresource).
        let ours = with_status(stored("w", 2, "11"), written);
        caches.keep(ours.clone(), cache);
        let mut cache = caches.take(&ours);
        assert!(cache.describes(&ours), "our own write: vouched for");
        // Debug builds check that the status index the cache carries describes this status.
        reconcile(&ours, &mut cache);
        assert!(!cache.is_empty(), "and kept by the reconcile");
        assert!(caches.take(&ours).is_empty(), "taking removes it");
    }

    #[test]
    fn the_workflow_left_is_handed_back_once_and_only_at_its_own_version() {
        let caches = SpecCaches::default();
        let left = stored("w", 2, "11");
        caches.keep(left.clone(), warm_cache(&stored("w", 1, "10")));
        let key = WorkflowKey::of(&left);
        assert_eq!(
            caches.left_at(&key, Some("12")),
            None,
            "someone else wrote since"
        );
        assert_eq!(caches.left_at(&key, None), None);
        assert_eq!(caches.left_at(&key, Some("11")), Some(left.clone()));
        assert_eq!(caches.left_at(&key, Some("11")), None, "taken out already");
        assert!(
            caches.take(&left).describes(&left),
            "the cache stays for the pass"
        );
    }

    #[test]
    fn someone_elses_write_with_a_new_generation_empties_the_cache() {
        let caches = SpecCaches::default();
        caches.keep(stored("w", 2, "11"), warm_cache(&stored("w", 1, "10")));
        let edited = stored("w", 3, "12");
        let cache = caches.take(&edited);
        assert!(!cache.is_empty());
        assert!(
            !cache.describes(&edited),
            "not vouched for: the reconcile will empty it before use"
        );
    }

    #[test]
    fn forgotten_and_empty_caches_are_not_kept_and_the_count_is_bounded() {
        let caches = SpecCaches::default();
        let workflow = stored("w", 1, "10");
        caches.keep(workflow.clone(), warm_cache(&workflow));
        caches.forget(&WorkflowKey::of(&workflow));
        assert!(caches.take(&workflow).is_empty());
        caches.keep(stored("empty", 1, "1"), SpecCache::new());
        assert_eq!(caches.len(), 0);
        for i in 0..MAX_CACHES + 5 {
            let workflow = stored(&format!("w{i}"), 1, "1");
            let cache = warm_cache(&workflow);
            caches.keep(workflow, cache);
        }
        assert_eq!(caches.len(), MAX_CACHES);
    }
}
