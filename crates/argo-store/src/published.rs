//! What a store handle has published to its watches, known without I/O: the newest revision of
//! each kind and of the whole store.
//!
//! A watch-fed cache ([`crate::informer`]) uses it to prove it is caught up: once it has
//! applied the newest published change of its kind, it reflects every write this handle made
//! (writes are published before they return) and every foreign write it has seen so far.
//!
//! Must not: do I/O or block beyond its short lock; it never decides what is published.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::watch::StoredEvent;
use crate::{ResourceKind, Revision};

/// The newest published revisions, as one consistent pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Published {
    /// The newest published change of the kind asked about (0 when none since the store opened).
    pub kind: Revision,
    /// The newest revision published for any kind (or known current, when nothing was published).
    pub store: Revision,
}

#[derive(Debug, Default)]
struct Revisions {
    store: Revision,
    by_kind: HashMap<(String, String), Revision>,
}

/// The per-kind and store-wide published revisions of one store handle.
#[derive(Debug, Default)]
pub struct PublishedRevisions {
    revisions: Mutex<Revisions>,
}

impl PublishedRevisions {
    /// Starts from the store's current revision (nothing of any kind published yet).
    pub fn starting_at(current: Revision) -> Self {
        let published = Self::default();
        published.note_current(current);
        published
    }

    /// Records an event about to be published; call it before sending the event to watches.
    pub fn note(&self, event: &StoredEvent) {
        let mut revisions = self.lock();
        revisions.store = revisions.store.max(event.revision);
        let key = (event.api_version.clone(), event.kind.clone());
        let entry = revisions.by_kind.entry(key).or_default();
        *entry = (*entry).max(event.revision);
    }

    /// Records that the store is at `current` (all changes up to it published).
    pub fn note_current(&self, current: Revision) {
        let mut revisions = self.lock();
        revisions.store = revisions.store.max(current);
    }

    /// The newest published revision of `kind` and of the store, read together.
    pub fn of(&self, kind: &ResourceKind) -> Published {
        let revisions = self.lock();
        let kind = revisions
            .by_kind
            .get(&(kind.api_version.to_string(), kind.kind.to_string()))
            .copied()
            .unwrap_or_default();
        Published {
            kind,
            store: revisions.store,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Revisions> {
        self.revisions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventType, Object, Scope};

    fn event(kind: &ResourceKind, revision: u64) -> StoredEvent {
        StoredEvent {
            revision: Revision(revision),
            event_type: EventType::Added,
            api_version: kind.api_version.to_string(),
            kind: kind.kind.to_string(),
            object: std::sync::Arc::new(Object::new(kind, Some("argo"), "a")),
            previous_labels: None,
        }
    }

    #[test]
    fn kinds_advance_separately_and_the_store_with_all() {
        let workflows = ResourceKind::new("argoproj.io/v1alpha1", "Workflow", Scope::Namespaced);
        let pods = ResourceKind::new("v1", "Pod", Scope::Namespaced);
        let published = PublishedRevisions::starting_at(Revision(4));
        assert_eq!(
            published.of(&workflows),
            Published {
                kind: Revision(0),
                store: Revision(4)
            }
        );
        published.note(&event(&workflows, 5));
        published.note(&event(&pods, 6));
        assert_eq!(
            published.of(&workflows),
            Published {
                kind: Revision(5),
                store: Revision(6)
            }
        );
        assert_eq!(published.of(&pods).kind, Revision(6));
    }
}
