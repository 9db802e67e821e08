//! What a list of archived workflows asks for: the filters Argo's archive supports (namespace,
//! a name match, a name prefix, a label selector, started/created/finished time bounds) and
//! offset paging. [`ArchiveQuery::matches`] is the reference semantics every backend keeps; a
//! SQL backend may push any part into SQL as long as results stay the same.
//!
//! Must not: parse request strings (the service turns Argo's field selectors into this).

use jiff::Timestamp;

use super::ArchivedWorkflow;
use crate::LabelSelector;

/// How a name is matched (Argo's `nameFilter`, plus `metadata.name!=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    Exact(String),
    NotEqual(String),
    Prefix(String),
    Contains(String),
}

impl NameMatch {
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Self::Exact(value) => name == value,
            Self::NotEqual(value) => name != value,
            Self::Prefix(value) => name.starts_with(value.as_str()),
            Self::Contains(value) => name.contains(value.as_str()),
        }
    }
}

/// A filtered, paged list request. The default matches every archived workflow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveQuery {
    pub namespace: Option<String>,
    pub name: Option<NameMatch>,
    /// `namePrefix`: applied in addition to `name`.
    pub name_prefix: Option<String>,
    pub labels: LabelSelector,
    /// Started at or after (`spec.startedAt>`).
    pub min_started_at: Option<Timestamp>,
    /// Started at or before (`spec.startedAt<`).
    pub max_started_at: Option<Timestamp>,
    /// Created at or after.
    pub created_after: Option<Timestamp>,
    /// Finished at or before; unfinished workflows never match.
    pub finished_before: Option<Timestamp>,
    /// At most this many items; `None` for all.
    pub limit: Option<usize>,
    /// Items skipped before the first one returned.
    pub offset: usize,
}

impl ArchiveQuery {
    /// Whether `workflow` passes every filter (paging aside).
    pub fn matches(&self, workflow: &ArchivedWorkflow) -> bool {
        let at_least = |bound: Option<Timestamp>, value: Option<Timestamp>| {
            bound.is_none_or(|bound| value.is_some_and(|value| value >= bound))
        };
        let at_most = |bound: Option<Timestamp>, value: Option<Timestamp>| {
            bound.is_none_or(|bound| value.is_some_and(|value| value <= bound))
        };
        self.namespace
            .as_deref()
            .is_none_or(|namespace| workflow.namespace == namespace)
            && self
                .name
                .as_ref()
                .is_none_or(|name| name.matches(&workflow.name))
            && self
                .name_prefix
                .as_deref()
                .is_none_or(|prefix| workflow.name.starts_with(prefix))
            && self.labels.matches_labels(&workflow.labels)
            && at_least(self.min_started_at, workflow.started_at)
            && at_most(self.max_started_at, workflow.started_at)
            && at_least(self.created_after, workflow.created_at)
            && at_most(self.finished_before, workflow.finished_at)
    }

    /// Applies `offset` and `limit` to matches already in list order.
    pub fn page<T>(&self, matches: impl IntoIterator<Item = T>) -> Vec<T> {
        let skipped = matches.into_iter().skip(self.offset);
        match self.limit {
            Some(limit) => skipped.take(limit).collect(),
            None => skipped.collect(),
        }
    }
}
