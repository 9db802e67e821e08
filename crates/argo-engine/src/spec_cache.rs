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
//! Must not: hold anything derived from the status, the observations, the time or the config.

use std::collections::HashMap;
use std::sync::Arc;

use argo_core::Workflow;

use crate::executor::DagFacts;
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
}

/// Which workflow spec the cached facts describe.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SpecIdentity {
    namespace: String,
    name: String,
    uid: String,
    generation: i64,
}

impl SpecCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty() && self.dags.is_empty()
    }

    /// Makes the cache describe `wf`'s spec: kept when it already does, emptied otherwise.
    pub(crate) fn bind(&mut self, wf: &Workflow) {
        let metadata = &wf.metadata;
        let identity = SpecIdentity {
            namespace: metadata.namespace.clone().unwrap_or_default(),
            name: metadata.name.clone().unwrap_or_default(),
            uid: metadata.uid.clone().unwrap_or_default(),
            generation: metadata.generation.unwrap_or(0),
        };
        if self.identity.as_ref() != Some(&identity) {
            self.marks.clear();
            self.dags.clear();
            self.identity = Some(identity);
        }
    }
}
