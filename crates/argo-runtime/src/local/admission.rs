//! How many pods run at once. Like a kubelet's `maxPods`, the runtime drives at most
//! `limit` unfinished pods; a pod created beyond that has its directory and its `Pending` record
//! but no supervisor, and starts, in the order pods were turned away, when a running one ends or
//! vanishes. Without a limit every pod starts at once: thousands of supervisors, shims and
//! executors then fight over two cores and the store's write lock, and the machine thrashes.
//!
//! The count lives in memory. A new runtime on the same root rebuilds it as it inspects pods:
//! a pod whose supervisor holds its lock counts as running (even beyond the limit), an unfinished
//! pod nobody drives asks for a slot like a new one.
//!
//! Must not: start or stop processes, or read pod files. It only says who may start.

use std::collections::{HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A pod's namespace and name.
pub(super) type PodKey = (String, String);

#[derive(Debug)]
pub(super) struct Admission {
    limit: Option<usize>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    running: HashSet<PodKey>,
    waiting: VecDeque<PodKey>,
    queued: HashSet<PodKey>,
}

impl Admission {
    /// At most `limit` pods at once; `None` for no limit.
    pub(super) fn new(limit: Option<usize>) -> Self {
        Admission {
            limit: limit.map(|l| l.max(1)),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// True when the pod may be driven now: it already holds a slot, or one is free and nobody
    /// waits ahead of it (the slot is then its). Otherwise it joins the line, once.
    pub(super) fn admit(&self, key: &PodKey) -> bool {
        let Some(limit) = self.limit else {
            return true;
        };
        let mut state = self.lock();
        if state.running.contains(key) {
            return true;
        }
        if state.running.len() < limit && state.waiting.is_empty() {
            state.running.insert(key.clone());
            return true;
        }
        if state.queued.insert(key.clone()) {
            state.waiting.push_back(key.clone());
        }
        false
    }

    /// Notes a pod that a live supervisor drives: it counts as running from now on, even when
    /// that exceeds the limit (a restarted runtime finds such pods).
    pub(super) fn driven(&self, key: &PodKey) {
        if self.limit.is_none() {
            return;
        }
        let mut state = self.lock();
        if state.running.contains(key) {
            return;
        }
        if state.queued.remove(key) {
            state.waiting.retain(|k| k != key);
        }
        state.running.insert(key.clone());
    }

    /// Whether `key` waits in line for a slot (it starts when one frees; nothing to check before).
    pub(super) fn is_waiting(&self, key: &PodKey) -> bool {
        self.limit.is_some() && self.lock().queued.contains(key)
    }

    /// The pod ended or vanished: it gives up its slot or its place in line. Returns the waiting
    /// pods that now hold the freed slots, in order; the caller starts them.
    #[must_use]
    pub(super) fn release(&self, key: &PodKey) -> Vec<PodKey> {
        let Some(limit) = self.limit else {
            return Vec::new();
        };
        let mut state = self.lock();
        let was_running = state.running.remove(key);
        if !was_running && state.queued.remove(key) {
            state.waiting.retain(|k| k != key);
        }
        let mut admitted = Vec::new();
        while state.running.len() < limit {
            let Some(next) = state.waiting.pop_front() else {
                break;
            };
            state.queued.remove(&next);
            state.running.insert(next.clone());
            admitted.push(next);
        }
        admitted
    }

    /// Pods holding a slot, and pods waiting for one.
    #[cfg(test)]
    pub(super) fn counts(&self) -> (usize, usize) {
        let state = self.lock();
        (state.running.len(), state.waiting.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> PodKey {
        ("argo".to_string(), name.to_string())
    }

    #[test]
    fn pods_beyond_the_limit_wait_and_start_in_order_as_slots_free() {
        let admission = Admission::new(Some(2));
        assert!(admission.admit(&key("a")));
        assert!(admission.admit(&key("b")));
        assert!(!admission.admit(&key("c")));
        assert!(!admission.admit(&key("d")));
        // Asking again neither takes a slot nor queues twice.
        assert!(admission.admit(&key("a")));
        assert!(!admission.admit(&key("c")));
        assert_eq!(admission.counts(), (2, 2));
        assert!(admission.is_waiting(&key("c")) && !admission.is_waiting(&key("a")));

        assert_eq!(admission.release(&key("a")), vec![key("c")]);
        assert!(!admission.is_waiting(&key("c")), "c runs now");
        assert!(admission.admit(&key("c")), "c holds a's slot now");
        assert_eq!(admission.release(&key("b")), vec![key("d")]);
        assert_eq!(admission.counts(), (2, 0));
    }

    #[test]
    fn a_newcomer_does_not_overtake_the_line() {
        let admission = Admission::new(Some(1));
        assert!(admission.admit(&key("a")));
        assert!(!admission.admit(&key("b")));
        // a ends, and b gets the slot, not whoever asks next.
        assert_eq!(admission.release(&key("a")), vec![key("b")]);
        assert!(!admission.admit(&key("c")));
        assert_eq!(admission.counts(), (1, 1));
    }

    #[test]
    fn a_waiting_pod_that_vanishes_leaves_the_line_without_freeing_a_slot() {
        let admission = Admission::new(Some(1));
        assert!(admission.admit(&key("a")));
        assert!(!admission.admit(&key("b")));
        assert!(!admission.admit(&key("c")));
        assert_eq!(admission.release(&key("b")), Vec::<PodKey>::new());
        assert_eq!(admission.release(&key("a")), vec![key("c")]);
        // Releasing a pod never seen changes nothing.
        assert_eq!(admission.release(&key("zz")), Vec::<PodKey>::new());
        assert_eq!(admission.counts(), (1, 0));
    }

    #[test]
    fn pods_found_driven_count_even_beyond_the_limit() {
        let admission = Admission::new(Some(1));
        assert!(admission.admit(&key("w")));
        admission.driven(&key("x"));
        admission.driven(&key("y"));
        // w took the only slot; x and y were found running anyway.
        assert_eq!(admission.counts(), (3, 0));
        assert!(!admission.admit(&key("z")));
        assert!(admission.release(&key("x")).is_empty());
        assert!(admission.release(&key("y")).is_empty());
        assert_eq!(admission.release(&key("w")), vec![key("z")]);
    }

    #[test]
    fn a_waiting_pod_found_driven_leaves_the_line() {
        let admission = Admission::new(Some(1));
        assert!(admission.admit(&key("a")));
        assert!(!admission.admit(&key("b")));
        admission.driven(&key("b"));
        assert_eq!(admission.counts(), (2, 0));
        assert!(admission.release(&key("a")).is_empty());
    }

    #[test]
    fn without_a_limit_everything_starts_and_nothing_is_kept() {
        let admission = Admission::new(None);
        for i in 0..100 {
            assert!(admission.admit(&key(&format!("p{i}"))));
        }
        admission.driven(&key("q"));
        assert!(admission.release(&key("p1")).is_empty());
        assert_eq!(admission.counts(), (0, 0));
    }
}
