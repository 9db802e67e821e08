//! [`SpecCache`]: what the engine derives from a workflow's templates alone, kept by the caller
//! from one reconcile to the next. A 10,000-task DAG template otherwise costs the same walks on
//! every reconcile (the tag walk, the task index, the default targets, each task's parsed
//! `depends`) however little changed; with the cache a reconcile pays for them once per spec.
//!
//! The cache is only a shortcut: a reconcile with a warm cache returns exactly what it returns
//! with an empty one. It only describes templates of the workflow's own `spec.templates` used
//! as written (not templates from a WorkflowTemplate, with `templateDefaults` merged, or
//! substituted), identified by the workflow's namespace, name, uid and `metadata.generation`
//! (which every store bumps when the spec changes); a reconcile of another identity empties
//! the cache first.
//!
//! It also carries what the last reconcile left about the status it returned (the index of
//! open, failed, memoized and waiting nodes, the ids it changed, each DAG's frontier), which
//! the next reconcile uses only when the caller vouches that it hands that very status back
//! ([`SpecCache::vouch_for_status`]); otherwise the index is built again from the status and
//! DAGs walk from their targets.
//!
//! Must not: hold anything derived from the observations, the time or the config, or use the
//! status index without the caller's word for that reconcile.

use std::collections::HashMap;
use std::sync::Arc;

use argo_core::Workflow;

use crate::executor::DagFacts;
use crate::operation::StatusMemo;
use crate::tags::Marks;

/// Facts about a workflow's templates, carried by the caller between reconciles of that
/// workflow (see [`crate::reconcile_cached`]). `Default` is an empty cache.
#[derive(Debug, Default)]
pub struct SpecCache {
    identity: Option<SpecIdentity>,
    /// Tag marks of local templates used as written, by template name.
    pub(crate) marks: HashMap<String, Marks>,
    /// DAG facts of local templates used as written, by template name.
    pub(crate) dags: HashMap<String, Arc<DagFacts>>,
    /// The index of the status the last reconcile returned, the nodes it changed and its DAG
    /// frontiers.
    status_memo: Option<StatusMemo>,
    /// Whether the caller vouched that the next reconcile gets that status back unchanged.
    status_vouched: bool,
    /// Every DAG walks from its targets, as Argo's does (the reference a reconcile with a
    /// warm cache is checked against).
    from_targets: bool,
}

/// Which workflow spec the cached facts describe.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SpecIdentity {
    namespace: String,
    name: String,
    uid: String,
    generation: i64,
}

impl SpecIdentity {
    fn of(wf: &Workflow) -> Self {
        let metadata = &wf.metadata;
        SpecIdentity {
            namespace: metadata.namespace.clone().unwrap_or_default(),
            name: metadata.name.clone().unwrap_or_default(),
            uid: metadata.uid.clone().unwrap_or_default(),
            generation: metadata.generation.unwrap_or(0),
        }
    }
}

impl SpecCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache with which every DAG walks from its targets, never from a frontier.
    pub(crate) fn walking_from_targets() -> Self {
        SpecCache {
            from_targets: true,
            ..Self::default()
        }
    }

    /// Whether DAGs walk from their targets only.
    pub(crate) fn walks_from_targets(&self) -> bool {
        self.from_targets
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty() && self.dags.is_empty() && self.status_memo.is_none()
    }

    /// Whether the cache describes `wf`'s spec (same namespace, name, uid and generation), so a
    /// reconcile of `wf` would keep it.
    pub fn describes(&self, wf: &Workflow) -> bool {
        self.identity.as_ref() == Some(&SpecIdentity::of(wf))
    }

    /// Keeps the cache for `wf` although its generation moved, on the caller's word that `wf`'s
    /// templates are still the ones the cache was filled from. A store bumps the generation on
    /// every status write for kinds without a status subresource (Argo's Workflow CRD is one),
    /// so a controller that knows `wf` is the very object it last wrote (same resourceVersion)
    /// vouches for it; a different workflow (namespace, name or uid) is not affected.
    pub fn vouch_for(&mut self, wf: &Workflow) {
        let metadata = &wf.metadata;
        if let Some(identity) = &mut self.identity
            && identity.namespace == metadata.namespace.as_deref().unwrap_or_default()
            && identity.name == metadata.name.as_deref().unwrap_or_default()
            && identity.uid == metadata.uid.as_deref().unwrap_or_default()
        {
            identity.generation = metadata.generation.unwrap_or(0);
        }
    }

    /// How many DAG nodes' frontiers the cache carries for the next reconcile (for tests and
    /// diagnostics: a plain DAG that is still running leaves one).
    pub fn carried_frontiers(&self) -> usize {
        self.status_memo.as_ref().map_or(0, |m| m.frontiers.len())
    }

    /// Tells the cache that the status the next reconcile is given is exactly the one the
    /// last reconcile with this cache returned (for a controller: the workflow it reads back
    /// carries the resourceVersion of its own write of that status). That reconcile then
    /// starts from the index it left instead of looking at every node. Holds for one
    /// reconcile; a cache that does not describe the workflow (see [`SpecCache::describes`])
    /// is emptied all the same.
    pub fn vouch_for_status(&mut self) {
        self.status_vouched = true;
    }

    /// Makes the cache describe `wf`'s spec: kept when it already does, emptied otherwise.
    pub(crate) fn bind(&mut self, wf: &Workflow) {
        let identity = SpecIdentity::of(wf);
        if self.identity.as_ref() != Some(&identity) {
            self.marks.clear();
            self.dags.clear();
            self.status_memo = None;
            self.identity = Some(identity);
        }
    }

    /// What the last reconcile left about the status being reconciled, if the caller vouched
    /// for it.
    pub(crate) fn take_status_memo(&mut self) -> Option<StatusMemo> {
        let memo = self.status_memo.take();
        std::mem::take(&mut self.status_vouched).then_some(memo)?
    }

    /// Keeps what a reconcile left about the status it returned.
    pub(crate) fn keep_status_memo(&mut self, memo: StatusMemo) {
        self.status_memo = Some(memo);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(uid: &str, generation: i64) -> Workflow {
        let mut wf = Workflow::test().name("w").build();
        wf.metadata.uid = Some(uid.to_owned());
        wf.metadata.generation = Some(generation);
        wf
    }

    fn filled(wf: &Workflow) -> SpecCache {
        let mut cache = SpecCache::new();
        cache.bind(wf);
        let marks = Marks {
            tagged: false,
            mentions_result: false,
        };
        cache.marks.insert("main".to_owned(), marks);
        cache
    }

    #[test]
    fn a_new_generation_empties_the_cache_unless_the_caller_vouches_for_it() {
        let mut cache = filled(&workflow("u1", 1));
        cache.bind(&workflow("u1", 1));
        assert!(!cache.is_empty(), "same identity: kept");
        cache.bind(&workflow("u1", 2));
        assert!(cache.is_empty(), "new generation: emptied");

        let mut cache = filled(&workflow("u1", 1));
        cache.vouch_for(&workflow("u1", 2));
        cache.bind(&workflow("u1", 2));
        assert!(!cache.is_empty(), "vouched for: kept");
    }

    #[test]
    fn the_status_index_is_used_once_per_vouch_and_never_for_another_workflow() {
        let mut cache = filled(&workflow("u1", 1));
        cache.keep_status_memo(StatusMemo::default());
        assert!(cache.take_status_memo().is_none(), "not vouched for");

        cache.keep_status_memo(StatusMemo::default());
        cache.vouch_for_status();
        assert!(cache.take_status_memo().is_some(), "vouched for");
        cache.keep_status_memo(StatusMemo::default());
        assert!(
            cache.take_status_memo().is_none(),
            "a vouch holds for one reconcile"
        );

        cache.keep_status_memo(StatusMemo::default());
        cache.vouch_for_status();
        cache.bind(&workflow("u2", 1));
        assert!(
            cache.take_status_memo().is_none(),
            "another workflow: the index is dropped"
        );
    }

    #[test]
    fn vouching_for_another_workflow_changes_nothing() {
        let mut cache = filled(&workflow("u1", 1));
        cache.vouch_for(&workflow("u2", 2));
        cache.bind(&workflow("u2", 2));
        assert!(cache.is_empty(), "another uid: emptied");
    }
}
