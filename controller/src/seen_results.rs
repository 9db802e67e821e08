//! The task results each workflow's latest pass has read, so the watch event of a result that
//! a pass already saw queues no further pass. An executor writes its task result from another
//! process, and this process's watch often learns of it only while (or after) the pass that
//! read it straight from the store runs; that event carries nothing the pass did not see.
//! Must not: drop an event newer than the last list of results a pass read (a revision it
//! cannot compare is always passed on).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::queue::WorkflowKey;

/// Per workflow, the store revision of the last list of its task results a pass read.
#[derive(Debug, Default)]
pub(crate) struct SeenResults {
    seen: Mutex<HashMap<WorkflowKey, u64>>,
}

impl SeenResults {
    fn seen(&self) -> MutexGuard<'_, HashMap<WorkflowKey, u64>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A pass over `key` read its task results as of `revision`.
    pub(crate) fn read_at(&self, key: &WorkflowKey, revision: &str) {
        let Ok(revision) = revision.parse::<u64>() else {
            return;
        };
        let mut seen = self.seen();
        let entry = seen.entry(key.clone()).or_default();
        *entry = (*entry).max(revision);
    }

    /// Whether a change of one of `key`'s task results at `revision` may be news to it.
    pub(crate) fn is_news(&self, key: &WorkflowKey, revision: Option<&str>) -> bool {
        let Some(revision) = revision.and_then(|r| r.parse::<u64>().ok()) else {
            return true;
        };
        self.seen().get(key).is_none_or(|read| revision > *read)
    }

    /// Forgets `key` (the workflow is gone or finished).
    pub(crate) fn forget(&self, key: &WorkflowKey) {
        self.seen().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> WorkflowKey {
        WorkflowKey::new("argo", "wf")
    }

    #[test]
    fn changes_up_to_the_revision_read_are_not_news() {
        let seen = SeenResults::default();
        assert!(seen.is_news(&key(), Some("5")), "nothing read yet");
        seen.read_at(&key(), "7");
        assert!(!seen.is_news(&key(), Some("5")));
        assert!(!seen.is_news(&key(), Some("7")));
        assert!(seen.is_news(&key(), Some("8")));
    }

    #[test]
    fn reads_only_move_forward_and_other_workflows_are_apart() {
        let seen = SeenResults::default();
        seen.read_at(&key(), "9");
        seen.read_at(&key(), "4");
        assert!(!seen.is_news(&key(), Some("9")));
        assert!(seen.is_news(&WorkflowKey::new("argo", "other"), Some("3")));
        seen.forget(&key());
        assert!(seen.is_news(&key(), Some("3")));
    }

    #[test]
    fn revisions_that_do_not_compare_are_news() {
        let seen = SeenResults::default();
        seen.read_at(&key(), "not-a-number");
        seen.read_at(&key(), "9");
        assert!(seen.is_news(&key(), None));
        assert!(seen.is_news(&key(), Some("opaque")));
    }
}
