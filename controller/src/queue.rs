//! The work queue: workflow keys waiting to be reconciled, deduplicated, with the guarantee
//! that one key is never handed to two workers at once (a key added while it is being worked
//! on is handed out again once the worker is done). Delayed adds serve `requeue_after`.
//! Must not: know what a workflow is beyond its key.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

/// A workflow's namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkflowKey {
    pub namespace: String,
    pub name: String,
}

impl WorkflowKey {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        WorkflowKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// The key of `workflow`.
    pub fn of(workflow: &argo_core::Workflow) -> Self {
        WorkflowKey::new(workflow.namespace(), workflow.name())
    }
}

impl fmt::Display for WorkflowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

#[derive(Default)]
struct State {
    pending: VecDeque<WorkflowKey>,
    queued: BTreeSet<WorkflowKey>,
    active: BTreeSet<WorkflowKey>,
    dirty: BTreeSet<WorkflowKey>,
    closed: bool,
}

/// A deduplicating queue of workflow keys. Cheap to clone.
#[derive(Clone, Default)]
pub struct WorkQueue {
    state: Arc<Mutex<State>>,
    ready: Arc<Notify>,
}

impl fmt::Debug for WorkQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkQueue")
            .field("pending", &self.lock().pending.len())
            .finish()
    }
}

impl WorkQueue {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `key` unless it is queued already; a key being worked on is queued again when
    /// its worker calls [`WorkQueue::done`].
    pub fn add(&self, key: WorkflowKey) {
        let mut state = self.lock();
        if state.active.contains(&key) {
            state.dirty.insert(key);
            return;
        }
        if state.queued.insert(key.clone()) {
            state.pending.push_back(key);
            drop(state);
            self.ready.notify_one();
        }
    }

    /// Queues `key` after `delay` (a timer task; dropped with the runtime).
    pub fn add_after(&self, key: WorkflowKey, delay: Duration) {
        let queue = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            queue.add(key);
        });
    }

    /// The next key, marked active; `None` once the queue is closed.
    pub async fn next(&self) -> Option<WorkflowKey> {
        loop {
            let notified = self.ready.notified();
            {
                let mut state = self.lock();
                if state.closed {
                    return None;
                }
                if let Some(key) = state.pending.pop_front() {
                    state.queued.remove(&key);
                    state.active.insert(key.clone());
                    if !state.pending.is_empty() {
                        self.ready.notify_one();
                    }
                    return Some(key);
                }
            }
            notified.await;
        }
    }

    /// Marks `key` as no longer worked on, queueing it again if it was added meanwhile.
    pub fn done(&self, key: &WorkflowKey) {
        let mut state = self.lock();
        state.active.remove(key);
        if state.dirty.remove(key) && state.queued.insert(key.clone()) {
            state.pending.push_back(key.clone());
            drop(state);
            self.ready.notify_one();
        }
    }

    /// Stops handing out keys; waiting workers get `None`.
    pub fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_waiters();
    }

    /// Keys waiting (not counting active ones).
    pub fn len(&self) -> usize {
        self.lock().pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_added_twice_is_handed_out_once() {
        let queue = WorkQueue::default();
        queue.add(WorkflowKey::new("ns", "a"));
        queue.add(WorkflowKey::new("ns", "a"));
        assert_eq!(queue.len(), 1);
        let key = queue.next().await.expect("a key");
        assert_eq!(key.name, "a");
        assert!(queue.is_empty());
    }

    #[tokio::test]
    async fn a_key_added_while_active_comes_back_after_done() {
        let queue = WorkQueue::default();
        let key = WorkflowKey::new("ns", "a");
        queue.add(key.clone());
        let active = queue.next().await.expect("a key");
        queue.add(key.clone());
        assert!(
            queue.is_empty(),
            "not handed to a second worker while active"
        );
        queue.done(&active);
        assert_eq!(queue.next().await, Some(key));
    }

    #[tokio::test]
    async fn closing_wakes_waiting_workers() {
        let queue = WorkQueue::default();
        let waiter = tokio::spawn({
            let queue = queue.clone();
            async move { queue.next().await }
        });
        tokio::task::yield_now().await;
        queue.close();
        assert_eq!(waiter.await.expect("joined"), None);
    }
}
