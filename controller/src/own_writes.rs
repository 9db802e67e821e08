//! Recognising the watch events of the controller's own workflow writes, so a status write does
//! not queue another pass over the workflow it just reconciled.
//!
//! The engine's pass is a fixpoint (fed its own output with the same observations it changes
//! nothing), so the event of a write this controller made carries nothing a pass would act on:
//! every change it did not make arrives as an event of its own (a pod, a task result, another
//! writer's revision), and timed work comes back through `requeue_after`. A worker marks the
//! workflow before its write and settles it after: events that arrive meanwhile are held, and
//! at settling every held event but the write's own revision queues the workflow. After
//! settling, the one event at the written revision is dropped; any other is passed on.
//!
//! Must not: drop an event at any revision but one this controller wrote, or hold an event past
//! the write it waited on (a failed write passes every held event on).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::queue::WorkflowKey;

#[derive(Debug)]
enum Mark {
    /// A write is under way; the revisions of the events seen meanwhile.
    Writing(Vec<String>),
    /// The revision the last write took, whose event is still to come.
    Written(String),
}

/// The workflows with a write under way or an own event still to come.
#[derive(Debug, Default)]
pub(crate) struct OwnWrites {
    marks: Mutex<HashMap<WorkflowKey, Mark>>,
}

impl OwnWrites {
    fn marks(&self) -> MutexGuard<'_, HashMap<WorkflowKey, Mark>> {
        self.marks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A write of `key` starts: its events are held until [`OwnWrites::settle`].
    pub(crate) fn begin(&self, key: &WorkflowKey) {
        self.marks().insert(key.clone(), Mark::Writing(Vec::new()));
    }

    /// The write of `key` ended, at `revision` (`None`: it failed). True when an event held
    /// meanwhile was not the write's own, so the workflow must be queued.
    pub(crate) fn settle(&self, key: &WorkflowKey, revision: Option<&str>) -> bool {
        let mut marks = self.marks();
        let held = match marks.remove(key) {
            Some(Mark::Writing(held)) => held,
            _ => Vec::new(),
        };
        let Some(revision) = revision else {
            return !held.is_empty();
        };
        let own_seen = held.iter().any(|seen| seen == revision);
        if !own_seen {
            marks.insert(key.clone(), Mark::Written(revision.to_owned()));
        }
        held.iter().any(|seen| seen != revision)
    }

    /// A workflow event of `key` at `revision`: true when it must queue the workflow.
    pub(crate) fn on_event(&self, key: &WorkflowKey, revision: Option<&str>) -> bool {
        let mut marks = self.marks();
        let Some(revision) = revision else {
            return true;
        };
        match marks.get_mut(key) {
            Some(Mark::Writing(held)) => {
                held.push(revision.to_owned());
                false
            }
            Some(Mark::Written(written)) if written == revision => {
                marks.remove(key);
                false
            }
            _ => true,
        }
    }

    /// Forgets `key` (the workflow is gone).
    pub(crate) fn forget(&self, key: &WorkflowKey) {
        self.marks().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> WorkflowKey {
        WorkflowKey::new("argo", "wf")
    }

    #[test]
    fn the_event_of_an_own_write_is_dropped_once() {
        let writes = OwnWrites::default();
        writes.begin(&key());
        assert!(!writes.settle(&key(), Some("7")), "nothing else was seen");
        assert!(!writes.on_event(&key(), Some("7")), "the write's own event");
        assert!(writes.on_event(&key(), Some("7")), "only once");
        assert!(writes.on_event(&key(), Some("8")), "a later revision");
    }

    #[test]
    fn an_own_event_seen_during_the_write_is_dropped() {
        let writes = OwnWrites::default();
        writes.begin(&key());
        assert!(!writes.on_event(&key(), Some("7")), "held until settled");
        assert!(!writes.settle(&key(), Some("7")), "it was the write's own");
        assert!(writes.on_event(&key(), Some("9")), "nothing is left marked");
    }

    #[test]
    fn other_events_seen_during_the_write_queue_the_workflow() {
        let writes = OwnWrites::default();
        writes.begin(&key());
        assert!(!writes.on_event(&key(), Some("6")));
        assert!(!writes.on_event(&key(), Some("7")));
        assert!(
            writes.settle(&key(), Some("7")),
            "revision 6 was another writer's"
        );
    }

    #[test]
    fn a_failed_write_passes_held_events_on() {
        let writes = OwnWrites::default();
        writes.begin(&key());
        assert!(!writes.settle(&key(), None), "nothing was held");
        writes.begin(&key());
        assert!(!writes.on_event(&key(), Some("6")));
        assert!(writes.settle(&key(), None));
        assert!(writes.on_event(&key(), Some("6")), "no mark is left");
    }

    #[test]
    fn other_workflows_and_unversioned_events_pass() {
        let writes = OwnWrites::default();
        writes.begin(&key());
        assert!(writes.on_event(&WorkflowKey::new("argo", "other"), Some("7")));
        assert!(writes.on_event(&key(), None));
        writes.forget(&key());
        assert!(writes.on_event(&key(), Some("7")));
    }
}
