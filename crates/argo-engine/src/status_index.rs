//! [`StatusIndex`]: the ids of the few nodes a reconcile must look at again (unfulfilled,
//! failed, memoized, waiting for a lock), so that a reconcile of a large workflow costs what
//! changed instead of a scan of every node.
//!
//! An index is either built from a status (one pass over its nodes) or carried by the caller
//! from the reconcile that returned that very status (see [`crate::SpecCache`]); during a
//! reconcile it follows every node the reconcile creates, changes or removes (the operation
//! notes each such id and folds it in before the index is read).
//! Must not: decide anything; it only answers "which nodes are ...".

use std::collections::BTreeSet;

use argo_core::{NodeStatus, WorkflowStatus};

/// Node ids by what a reconcile looks for. Sets are ordered by id, as the status' node map
/// is, so walking a set visits nodes in the order a scan of the map would.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StatusIndex {
    /// Nodes that are not fulfilled.
    pub open: BTreeSet<String>,
    /// Nodes whose phase is Failed or Error.
    pub failed: BTreeSet<String>,
    /// Nodes with a memoization status.
    pub memoized: BTreeSet<String>,
    /// Nodes waiting for a lock (a non-empty `synchronizationStatus.waiting`).
    pub waiting: BTreeSet<String>,
}

impl StatusIndex {
    /// The index of every node of `status`.
    pub fn of(status: &WorkflowStatus) -> Self {
        let mut index = StatusIndex::default();
        for (id, node) in &status.nodes {
            index.note(id, Some(node));
        }
        index
    }

    /// Brings the entries of node `id` up to date (`None`: the node is gone).
    pub fn note(&mut self, id: &str, node: Option<&NodeStatus>) {
        place(&mut self.open, id, node.is_some_and(|n| !n.is_fulfilled()));
        place(
            &mut self.failed,
            id,
            node.is_some_and(NodeStatus::is_failed_or_error),
        );
        place(
            &mut self.memoized,
            id,
            node.is_some_and(|n| n.memoization_status.is_some()),
        );
        let waiting = node.is_some_and(|n| {
            n.synchronization_status
                .as_ref()
                .is_some_and(|s| !s.waiting.is_empty())
        });
        place(&mut self.waiting, id, waiting);
    }
}

/// Puts `id` in `set` or takes it out.
fn place(set: &mut BTreeSet<String>, id: &str, member: bool) {
    if member {
        if !set.contains(id) {
            set.insert(id.to_owned());
        }
    } else {
        set.remove(id);
    }
}

/// The index of one reconcile in progress: the index and the ids changed since it was last
/// brought up to date.
#[derive(Debug, Default)]
pub(crate) struct LiveIndex {
    index: StatusIndex,
    touched: Vec<String>,
    /// Every id noted in this reconcile, in order (an id may repeat).
    log: Vec<String>,
}

impl LiveIndex {
    /// Starts from `index`, which describes the status the reconcile starts from.
    pub fn new(index: StatusIndex) -> Self {
        LiveIndex {
            index,
            touched: Vec::new(),
            log: Vec::new(),
        }
    }

    /// Notes that node `id` may have changed (or appeared, or gone).
    pub fn touch(&mut self, id: &str) {
        if self.touched.last().is_none_or(|last| last != id) {
            self.touched.push(id.to_owned());
        }
        if self.log.last().is_none_or(|last| last != id) {
            self.log.push(id.to_owned());
        }
    }

    /// Every id noted so far in this reconcile, in order.
    pub fn log(&self) -> &[String] {
        &self.log
    }

    /// The index of `status` as it is now.
    pub fn current(&mut self, status: &WorkflowStatus) -> &StatusIndex {
        for id in std::mem::take(&mut self.touched) {
            self.index.note(&id, status.nodes.get(&id));
        }
        &self.index
    }

    /// The index of `status` as it is now and the log of noted ids, given up.
    pub fn into_current(mut self, status: &WorkflowStatus) -> (StatusIndex, Vec<String>) {
        self.current(status);
        (self.index, self.log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::{MemoizationStatus, NodePhase, NodeSynchronizationStatus, NodeType};

    fn node(id: &str, phase: NodePhase) -> NodeStatus {
        let mut node = NodeStatus::new(id.to_owned(), id, NodeType::Pod);
        node.phase = phase;
        node
    }

    #[test]
    fn a_node_is_indexed_by_what_it_is_and_leaves_when_it_changes_or_goes() {
        let mut status = WorkflowStatus::default();
        let mut memo = node("m", NodePhase::Succeeded);
        memo.memoization_status = Some(MemoizationStatus::default());
        let mut waiting = node("w", NodePhase::Pending);
        waiting.synchronization_status = Some(NodeSynchronizationStatus {
            waiting: "argo/Mutex/m".to_owned(),
        });
        for n in [node("r", NodePhase::Running), node("f", NodePhase::Failed)] {
            status.nodes.insert(n.id.clone(), n);
        }
        status.nodes.insert("m".to_owned(), memo);
        status.nodes.insert("w".to_owned(), waiting);
        let index = StatusIndex::of(&status);
        let ids = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();
        assert_eq!(ids(&index.open), ["r", "w"]);
        assert_eq!(ids(&index.failed), ["f"]);
        assert_eq!(ids(&index.memoized), ["m"]);
        assert_eq!(ids(&index.waiting), ["w"]);

        let mut live = LiveIndex::new(index);
        if let Some(r) = status.nodes.get_mut("r") {
            r.phase = NodePhase::Error;
        }
        status.nodes.remove("w");
        live.touch("r");
        live.touch("w");
        let (now, log) = live.into_current(&status);
        assert_eq!(log, ["r", "w"]);
        assert_eq!(now, StatusIndex::of(&status));
        assert!(now.open.is_empty());
        assert_eq!(ids(&now.failed), ["f", "r"]);
    }
}
