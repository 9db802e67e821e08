//! The workflow archive: long-term storage of completed workflows, queried by uid, by
//! (namespace, name), or by a filter (namespace, name match, label selector, time bounds) with
//! offset paging, newest start first; plus the label keys and values archived workflows carry,
//! for the UI's filter suggestions.
//!
//! Workflows cross this boundary as JSON (`serde_json::Value`): the store does not depend on the
//! resource model and stores what it is given (the caller adds Argo's
//! `workflow-archiving-status` label). Backends: [`MemoryArchive`] and [`SqliteArchive`] (the
//! tables `argo_archived_workflows` and `argo_archived_workflows_labels`, named as Argo names
//! them, in the SQLite store's database). Every backend passes the suite in
//! `archive::conformance`; the SQL stays in the portable subset so PostgreSQL and MySQL fit.
//!
//! Must not: decide which workflows are archived (the controller does) or interpret a workflow
//! beyond the indexed metadata fields.

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod memory;
mod query;
mod record;
mod sqlite;

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;

pub use memory::MemoryArchive;
pub use query::{ArchiveQuery, NameMatch};
pub use record::ArchivedWorkflow;
pub use sqlite::SqliteArchive;

use crate::Result;

/// Argo's label for a workflow's archiving state: `Pending`, then `Archived` on the live
/// object once a copy is archived; archived copies carry `Persisted`. Callers set it; the
/// archive stores labels as given.
pub const LABEL_ARCHIVING_STATUS: &str = "workflows.argoproj.io/workflow-archiving-status";

/// The label a workflow sets to `"false"` to opt out of archiving.
pub const LABEL_ARCHIVE_STRATEGY: &str = "workflows.argoproj.io/archive-strategy";

/// Storage of completed workflows. Implementations are safe to share between tasks.
#[async_trait]
pub trait ArchiveStore: Send + Sync {
    /// Stores `workflow` (a Workflow manifest with `metadata.uid`), replacing an earlier copy
    /// with the same uid together with its labels.
    async fn archive(&self, workflow: &Value) -> Result<()>;

    /// Workflows matching `query`, most recently started first (ties broken by uid), after
    /// skipping `query.offset` and keeping at most `query.limit`.
    async fn list(&self, query: &ArchiveQuery) -> Result<Vec<Value>>;

    /// How many workflows match `query`, ignoring its offset and limit.
    async fn count(&self, query: &ArchiveQuery) -> Result<u64>;

    /// The workflow archived under `uid`.
    async fn get(&self, uid: &str) -> Result<Option<Value>>;

    /// The most recently started workflow archived as `namespace/name` (several runs may share
    /// a name).
    async fn get_by_name(&self, namespace: &str, name: &str) -> Result<Option<Value>>;

    /// Removes the workflow archived under `uid`; `false` when there was none.
    async fn delete(&self, uid: &str) -> Result<bool>;

    /// Removes every workflow that finished before `before` (the archive TTL); how many.
    async fn delete_finished_before(&self, before: Timestamp) -> Result<u64>;

    /// The distinct label keys of archived workflows (in `namespace` when given), sorted.
    async fn label_keys(&self, namespace: Option<&str>) -> Result<Vec<String>>;

    /// The distinct values of label `key` (in `namespace` when given), sorted.
    async fn label_values(&self, key: &str, namespace: Option<&str>) -> Result<Vec<String>>;
}
