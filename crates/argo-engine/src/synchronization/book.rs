//! The lock book: who holds which lock and who waits, across every workflow, and the one rule
//! that grants locks. The controller keeps one behind a mutex (its `LockTable`); tests and the
//! simulation of several workflows use it directly.
//!
//! Rule: a waiting request is granted all of its locks at once or none of them. Waiters are
//! considered by workflow priority (higher first), then creation time (older first), then
//! arrival; a waiter that cannot be granted blocks every lock it asks for against waiters
//! behind it, so a lower-priority request never overtakes on a lock a better one waits for.
//! A lock with limit `n` has at most `n` holders (a mutex has limit 1); a lowered limit grants
//! nothing until the holders drop below it, a raised one grants waiters straight away.
//! Must not: do I/O or read a clock; it only orders the requests it is given.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::effect::LockRequest;
use crate::observed::LockStatus;

/// One lock: its limit and holders (in grant order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Lock {
    limit: u32,
    holders: Vec<String>,
}

/// A request still waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Waiter {
    keys: Vec<String>,
    priority: i32,
    created_at: Option<Timestamp>,
    arrival: u64,
}

/// Locks, their holders and the queue of waiting requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockBook {
    locks: BTreeMap<String, Lock>,
    waiting: BTreeMap<String, Waiter>,
    arrivals: u64,
}

/// The workflow part (`<namespace>/<workflow>`) of a holder key.
pub fn workflow_of_holder(holder: &str) -> &str {
    let mut slashes = holder.match_indices('/').map(|(i, _)| i);
    let _namespace_end = slashes.next();
    match slashes.next() {
        Some(end) => &holder[..end],
        None => holder,
    }
}

/// True when `holder` belongs to the workflow `<namespace>/<workflow>`.
fn belongs_to(holder: &str, workflow: &str) -> bool {
    workflow_of_holder(holder) == workflow
}

impl LockBook {
    /// Queues `holder`'s request for all of `locks` and grants whatever the rule allows.
    /// With `reacquire`, the holder takes the locks at once (it held them before a restart).
    /// Returns the holders granted by this call (possibly including `holder`).
    pub fn request(
        &mut self,
        holder: &str,
        locks: &[LockRequest],
        priority: i32,
        created_at: Option<Timestamp>,
        reacquire: bool,
    ) -> Vec<String> {
        for lock in locks {
            let entry = self.locks.entry(lock.key.clone()).or_default();
            if let Some(limit) = lock.limit {
                entry.limit = limit;
            }
        }
        if reacquire {
            for lock in locks {
                let entry = self.locks.entry(lock.key.clone()).or_default();
                if !entry.holders.iter().any(|h| h == holder) {
                    entry.holders.push(holder.to_owned());
                }
            }
            self.waiting.remove(holder);
            return vec![holder.to_owned()];
        }
        let holds_all = locks.iter().all(|lock| self.holds(&lock.key, holder));
        if !holds_all {
            let arrival = match self.waiting.get(holder) {
                Some(existing) => existing.arrival,
                None => {
                    self.arrivals += 1;
                    self.arrivals
                }
            };
            self.waiting.insert(
                holder.to_owned(),
                Waiter {
                    keys: locks.iter().map(|l| l.key.clone()).collect(),
                    priority,
                    created_at,
                    arrival,
                },
            );
        }
        self.grant()
    }

    /// Gives `key` back for `holder` and takes `holder` out of the queue; returns the holders
    /// granted as a result.
    pub fn release(&mut self, key: &str, holder: &str) -> Vec<String> {
        if let Some(lock) = self.locks.get_mut(key) {
            lock.holders.retain(|h| h != holder);
        }
        self.waiting.remove(holder);
        self.grant()
    }

    /// Sets a lock's limit (a semaphore's ConfigMap changed); returns the holders granted.
    pub fn set_limit(&mut self, key: &str, limit: u32) -> Vec<String> {
        self.locks.entry(key.to_owned()).or_default().limit = limit;
        self.grant()
    }

    /// Drops every hold and wait of the workflow `<namespace>/<workflow>` (it was deleted);
    /// returns the holders granted as a result.
    pub fn forget_workflow(&mut self, workflow: &str) -> Vec<String> {
        for lock in self.locks.values_mut() {
            lock.holders.retain(|h| !belongs_to(h, workflow));
        }
        self.waiting.retain(|h, _| !belongs_to(h, workflow));
        self.grant()
    }

    /// True when `holder` holds `key`.
    pub fn holds(&self, key: &str, holder: &str) -> bool {
        self.locks
            .get(key)
            .is_some_and(|l| l.holders.iter().any(|h| h == holder))
    }

    /// True when `holder` is queued.
    pub fn is_waiting(&self, holder: &str) -> bool {
        self.waiting.contains_key(holder)
    }

    /// The locks held by holders of the workflow `<namespace>/<workflow>`: key -> holders.
    pub fn held_by(&self, workflow: &str) -> BTreeMap<String, BTreeSet<String>> {
        self.locks
            .iter()
            .filter_map(|(key, lock)| {
                let mine: BTreeSet<String> = lock
                    .holders
                    .iter()
                    .filter(|h| belongs_to(h, workflow))
                    .cloned()
                    .collect();
                (!mine.is_empty()).then(|| (key.clone(), mine))
            })
            .collect()
    }

    /// Limit and holders of every lock the workflow holds or waits for.
    pub fn status_for(&self, workflow: &str) -> BTreeMap<String, LockStatus> {
        let mut keys: BTreeSet<String> = self.held_by(workflow).into_keys().collect();
        for (holder, waiter) in &self.waiting {
            if belongs_to(holder, workflow) {
                keys.extend(waiter.keys.iter().cloned());
            }
        }
        keys.into_iter()
            .filter_map(|key| {
                let lock = self.locks.get(&key)?;
                Some((
                    key,
                    LockStatus {
                        limit: lock.limit,
                        holders: lock.holders.clone(),
                    },
                ))
            })
            .collect()
    }

    /// Every lock with its limit and holders.
    pub fn snapshot(&self) -> BTreeMap<String, LockStatus> {
        self.locks
            .iter()
            .map(|(key, lock)| {
                (
                    key.clone(),
                    LockStatus {
                        limit: lock.limit,
                        holders: lock.holders.clone(),
                    },
                )
            })
            .collect()
    }

    /// Grants every waiter the rule allows, best first; returns them.
    fn grant(&mut self) -> Vec<String> {
        let mut order: Vec<(&String, &Waiter)> = self.waiting.iter().collect();
        order.sort_by(|(ha, a), (hb, b)| {
            b.priority
                .cmp(&a.priority)
                .then_with(|| match (a.created_at, b.created_at) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
                .then_with(|| a.arrival.cmp(&b.arrival))
                .then_with(|| ha.cmp(hb))
        });
        let order: Vec<(String, Vec<String>)> = order
            .into_iter()
            .map(|(h, w)| (h.clone(), w.keys.clone()))
            .collect();
        let mut blocked: BTreeSet<String> = BTreeSet::new();
        let mut granted = Vec::new();
        for (holder, keys) in order {
            let grantable = keys.iter().all(|key| {
                if blocked.contains(key) {
                    return false;
                }
                let Some(lock) = self.locks.get(key) else {
                    return false;
                };
                lock.holders.contains(&holder)
                    || (lock.holders.len() as u64) < u64::from(lock.limit)
            });
            if grantable {
                for key in &keys {
                    if let Some(lock) = self.locks.get_mut(key)
                        && !lock.holders.contains(&holder)
                    {
                        lock.holders.push(holder.clone());
                    }
                }
                self.waiting.remove(&holder);
                granted.push(holder);
            } else {
                blocked.extend(keys);
            }
        }
        granted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mutex(key: &str) -> Vec<LockRequest> {
        vec![LockRequest {
            key: key.to_owned(),
            limit: Some(1),
        }]
    }

    #[test]
    fn the_workflow_of_a_holder_is_its_first_two_segments() {
        assert_eq!(workflow_of_holder("ns/wf"), "ns/wf");
        assert_eq!(workflow_of_holder("ns/wf/wf-123"), "ns/wf");
        assert!(!belongs_to("ns/wf-2/x", "ns/wf"));
    }

    #[test]
    fn a_mutex_goes_to_the_next_waiter_on_release() {
        let mut book = LockBook::default();
        assert_eq!(
            book.request("ns/a", &mutex("ns/Mutex/m"), 0, None, false),
            vec!["ns/a"]
        );
        assert!(
            book.request("ns/b", &mutex("ns/Mutex/m"), 0, None, false)
                .is_empty()
        );
        assert!(book.is_waiting("ns/b"));
        assert_eq!(book.release("ns/Mutex/m", "ns/a"), vec!["ns/b"]);
        assert!(book.holds("ns/Mutex/m", "ns/b"));
    }
}
