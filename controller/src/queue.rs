//! The work queue: workflow keys waiting to be reconciled, deduplicated, with the guarantee
//! that one key is never handed to two workers at once (a key added while it is being worked
//! on is handed out again once the worker is done). Delayed adds serve `requeue_after`;
//! deferred adds ([`WorkQueue::add_within`]) let a burst of minor changes share one pass.
//! Must not: know what a workflow is beyond its key.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
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
    /// Keys with a deferred add pending (see [`WorkQueue::add_within`]), each with the number
    /// of the deferral that is still due: a timer whose deferral was covered by a pass, and
    /// replaced by a later one, must not queue the key early on the later one's behalf.
    deferred: BTreeMap<WorkflowKey, u64>,
    /// Numbers the deferrals.
    deferrals: u64,
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

    /// Makes sure a pass over `key` starts within `delay`: nothing to do when one is due to
    /// start anyway (the key is queued, or will be queued again after its current pass), or
    /// when the key is handed out before `delay` is up (that pass starts after this call, so it
    /// sees whatever prompted it). Otherwise the key is queued once `delay` is up.
    pub fn add_within(&self, key: WorkflowKey, delay: Duration) {
        let deferral = {
            let mut state = self.lock();
            if state.queued.contains(&key)
                || state.dirty.contains(&key)
                || state.deferred.contains_key(&key)
            {
                return;
            }
            state.deferrals += 1;
            let deferral = state.deferrals;
            state.deferred.insert(key.clone(), deferral);
            deferral
        };
        let queue = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let due = {
                let mut state = queue.lock();
                let due = state.deferred.get(&key) == Some(&deferral);
                if due {
                    state.deferred.remove(&key);
                }
                due
            };
            if due {
                queue.add(key);
            }
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
                    // The pass starting now covers what a deferred add was waiting to show.
                    state.deferred.remove(&key);
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

    #[tokio::test(start_paused = true)]
    async fn a_deferred_add_is_queued_once_its_delay_is_up() {
        let queue = WorkQueue::default();
        let key = WorkflowKey::new("ns", "a");
        queue.add_within(key.clone(), Duration::from_millis(50));
        queue.add_within(key.clone(), Duration::from_millis(50));
        assert!(queue.is_empty(), "not queued before the delay");
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(queue.len(), 1, "queued once");
        assert_eq!(queue.next().await, Some(key));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pass_started_meanwhile_covers_a_deferred_add() {
        let queue = WorkQueue::default();
        let key = WorkflowKey::new("ns", "a");
        queue.add_within(key.clone(), Duration::from_millis(50));
        queue.add(key.clone());
        let active = queue.next().await.expect("a key");
        queue.done(&active);
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(queue.is_empty(), "the pass that started covered it");
    }

    #[tokio::test(start_paused = true)]
    async fn a_deferred_add_during_a_pass_queues_another() {
        let queue = WorkQueue::default();
        let key = WorkflowKey::new("ns", "a");
        queue.add(key.clone());
        let active = queue.next().await.expect("a key");
        queue.add_within(key.clone(), Duration::from_millis(50));
        queue.done(&active);
        assert!(queue.is_empty(), "deferred, not queued at once");
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(queue.next().await, Some(key));
    }

    #[tokio::test(start_paused = true)]
    async fn a_covered_deferral_does_not_cut_short_the_next_one() {
        let queue = WorkQueue::default();
        let key = WorkflowKey::new("ns", "a");
        queue.add_within(key.clone(), Duration::from_millis(50));
        tokio::time::sleep(Duration::from_millis(20)).await;
        // A pass covers the first deferral; a change during it defers anew.
        queue.add(key.clone());
        let active = queue.next().await.expect("a key");
        queue.add_within(key.clone(), Duration::from_millis(50));
        queue.done(&active);
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert!(
            queue.is_empty(),
            "the first timer is up, but the deferral due is the second one"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(
            queue.next().await,
            Some(key),
            "queued when its own delay is up"
        );
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
