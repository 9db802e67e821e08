//! The in-memory backend: every object and a bounded change history in one mutex-guarded map, for
//! tests and the engine's simulations. It passes the same conformance suite as the durable
//! backends. Nothing is persisted; the lock is never held across an `.await`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use tokio::sync::broadcast;

use crate::mutation::{self, Change, GENERATE_NAME_ATTEMPTS};
use crate::pagination::{self, ContinueToken};
use crate::watch::{self, EventLog, StoredEvent, WatchFilter};
use crate::{
    Deletion, Environment, Error, EventCompaction, EventType, ListParams, Object, ObjectKey,
    ObjectList, Preconditions, Published, PublishedRevisions, ResourceKind, ResourceReader,
    ResourceWatcher, ResourceWriter, Result, Revision, Selectors, WatchParams, WatchStream,
};

/// How many changes the memory store keeps for watches to resume from, by default.
pub const DEFAULT_EVENT_RETENTION: usize = 10_000;

const BROADCAST_CAPACITY: usize = 1024;

/// (apiVersion, kind, namespace or "", name): sorts like the list order.
type Slot = (String, String, String, String);

fn slot(key: &ObjectKey) -> Slot {
    (
        key.kind.api_version.to_string(),
        key.kind.kind.to_string(),
        key.stored_namespace().to_owned(),
        key.name.clone(),
    )
}

struct State {
    revision: Revision,
    compacted_through: Revision,
    objects: BTreeMap<Slot, Object>,
    events: VecDeque<Arc<StoredEvent>>,
}

struct Shared {
    state: Mutex<State>,
    live: broadcast::Sender<Arc<StoredEvent>>,
    /// What has been sent to `live`, per kind.
    announced: PublishedRevisions,
    environment: Environment,
    event_retention: usize,
}

/// An in-process store. Clones share the same objects.
#[derive(Clone)]
pub struct MemoryStore {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(Environment::system())
    }
}

impl MemoryStore {
    pub fn new(environment: Environment) -> Self {
        Self::with_event_retention(environment, DEFAULT_EVENT_RETENTION)
    }

    /// A store that keeps at most `event_retention` changes for watches to resume from.
    pub fn with_event_retention(environment: Environment, event_retention: usize) -> Self {
        let (live, _) = broadcast::channel(BROADCAST_CAPACITY);
        let state = State {
            revision: Revision(0),
            compacted_through: Revision(0),
            objects: BTreeMap::new(),
            events: VecDeque::new(),
        };
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                live,
                announced: PublishedRevisions::default(),
                environment,
                event_retention: event_retention.max(1),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the maps consistent (writes are applied last).
        self.shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Applies `change` at `revision`, records and publishes the event. Called with the lock held.
    fn commit(
        &self,
        state: &mut State,
        kind: &ResourceKind,
        event_type: EventType,
        change: Change,
    ) -> Object {
        let (object, previous_labels, event_type) = match change {
            Change::Unchanged(object) => return object,
            Change::Put {
                object,
                previous_labels,
            } => {
                state
                    .objects
                    .insert(slot(&object.key(kind)), object.clone());
                (object, previous_labels, event_type)
            }
            Change::Remove(object) => {
                state.objects.remove(&slot(&object.key(kind)));
                (object, None, EventType::Deleted)
            }
        };
        state.revision = state.revision.next();
        let event = Arc::new(StoredEvent {
            revision: state.revision,
            event_type,
            api_version: kind.api_version.to_string(),
            kind: kind.kind.to_string(),
            object: Arc::new(object.clone()),
            previous_labels,
        });
        state.events.push_back(event.clone());
        while state.events.len() > self.shared.event_retention {
            if let Some(dropped) = state.events.pop_front() {
                state.compacted_through = dropped.revision;
            }
        }
        self.shared.announced.note(&event);
        // No receivers is fine: nobody is watching.
        let _ = self.shared.live.send(event);
        object
    }

    fn stored(state: &State, key: &ObjectKey) -> Result<Object> {
        state
            .objects
            .get(&slot(key))
            .cloned()
            .ok_or_else(|| key.not_found())
    }

    fn matching(
        state: &State,
        kind: &ResourceKind,
        namespace: Option<&str>,
        selectors: &Selectors,
    ) -> Vec<Object> {
        let lower = (
            kind.api_version.to_string(),
            kind.kind.to_string(),
            String::new(),
            String::new(),
        );
        state
            .objects
            .range(lower..)
            .take_while(|((api_version, kind_name, _, _), _)| {
                *api_version == kind.api_version && *kind_name == kind.kind
            })
            .filter(|((_, _, stored_namespace, _), _)| {
                namespace.is_none_or(|ns| ns == stored_namespace)
            })
            .map(|(_, object)| object)
            .filter(|object| selectors.matches(object))
            .cloned()
            .collect()
    }

    fn events_after_locked(state: &State, after: Revision) -> Result<Vec<Arc<StoredEvent>>> {
        if after < state.compacted_through {
            return Err(Error::Expired {
                requested: after.to_string(),
                compacted_through: state.compacted_through.to_string(),
            });
        }
        Ok(state
            .events
            .iter()
            .filter(|event| event.revision > after)
            .cloned()
            .collect())
    }
}

fn list_namespace<'a>(kind: &ResourceKind, namespace: Option<&'a str>) -> Option<&'a str> {
    if kind.is_namespaced() {
        namespace
    } else {
        None
    }
}

#[async_trait]
impl ResourceReader for MemoryStore {
    async fn get(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Object> {
        Self::stored(&self.lock(), &ObjectKey::new(kind, namespace, name))
    }

    async fn list(&self, kind: &ResourceKind, params: &ListParams) -> Result<ObjectList> {
        let selectors = Selectors::parse(
            params.label_selector.as_deref(),
            params.field_selector.as_deref(),
        )?;
        let cursor = pagination::decode_optional(params.continue_token.as_deref())?;
        let page_size = pagination::page_size(params.limit);
        let state = self.lock();
        let namespace = list_namespace(kind, params.namespace.as_deref());
        let revision = cursor
            .as_ref()
            .map_or(state.revision, ContinueToken::revision);
        let mut items: Vec<Object> = Self::matching(&state, kind, namespace, &selectors)
            .into_iter()
            .filter(|object| {
                cursor.as_ref().is_none_or(|cursor| {
                    cursor.precedes(object.namespace().unwrap_or(""), object.name())
                })
            })
            .collect();
        let mut continue_token = None;
        if let Some(size) = page_size
            && items.len() > size
        {
            items.truncate(size);
            continue_token = items.last().map(|last| {
                ContinueToken::new(revision, last.namespace().unwrap_or(""), last.name()).encode()
            });
        }
        Ok(ObjectList {
            items,
            resource_version: revision.to_string(),
            continue_token,
        })
    }
}

#[async_trait]
impl ResourceWriter for MemoryStore {
    async fn create(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        let environment = &self.shared.environment;
        let attempts = if mutation::name_is_generated(&object) {
            GENERATE_NAME_ATTEMPTS
        } else {
            1
        };
        let mut state = self.lock();
        let mut last_error = None;
        for _ in 0..attempts {
            let name = mutation::creation_name(kind, &object, environment)?;
            let key = ObjectKey::new(kind, object.namespace(), &name);
            if state.objects.contains_key(&slot(&key)) {
                last_error = Some(key.already_exists());
                continue;
            }
            let created = mutation::created(
                kind,
                object.clone(),
                name,
                environment,
                state.revision.next(),
            )?;
            let change = Change::Put {
                object: created,
                previous_labels: None,
            };
            return Ok(self.commit(&mut state, kind, EventType::Added, change));
        }
        Err(last_error.unwrap_or_else(|| object.key(kind).already_exists()))
    }

    async fn update(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        let mut state = self.lock();
        let stored = Self::stored(&state, &object.key(kind))?;
        let change = mutation::updated(kind, &stored, object, state.revision.next())?;
        Ok(self.commit(&mut state, kind, EventType::Modified, change))
    }

    async fn update_status(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        let mut state = self.lock();
        let stored = Self::stored(&state, &object.key(kind))?;
        let change = mutation::status_updated(kind, &stored, object, state.revision.next())?;
        Ok(self.commit(&mut state, kind, EventType::Modified, change))
    }

    async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
        preconditions: &Preconditions,
    ) -> Result<Deletion> {
        let now = self.shared.environment.clock.now();
        let mut state = self.lock();
        let stored = Self::stored(&state, &ObjectKey::new(kind, namespace, name))?;
        let change = mutation::deleted(kind, &stored, preconditions, now, state.revision.next())?;
        let removed = matches!(change, Change::Remove(_));
        let object = self.commit(&mut state, kind, EventType::Modified, change);
        Ok(if removed {
            Deletion::Deleted(object)
        } else {
            Deletion::Finalizing(object)
        })
    }
}

#[async_trait]
impl ResourceWatcher for MemoryStore {
    async fn watch(&self, kind: &ResourceKind, params: &WatchParams) -> Result<WatchStream> {
        self.watch_filtered(kind, params, false).await
    }

    async fn watch_metadata(
        &self,
        kind: &ResourceKind,
        params: &WatchParams,
    ) -> Result<WatchStream> {
        self.watch_filtered(kind, params, true).await
    }

    fn published(&self, kind: &ResourceKind) -> Option<Published> {
        Some(self.shared.announced.of(kind))
    }
}

impl MemoryStore {
    async fn watch_filtered(
        &self,
        kind: &ResourceKind,
        params: &WatchParams,
        metadata_only: bool,
    ) -> Result<WatchStream> {
        let filter = WatchFilter::new(
            kind,
            params.namespace.as_deref(),
            params.label_selector.as_deref(),
            params.field_selector.as_deref(),
        )?
        .metadata_only(metadata_only);
        let from = watch::start_revision(params.resource_version.as_deref())?;
        let state = self.lock();
        let live = self.shared.live.subscribe();
        let (initial, delivered) = match from {
            None => {
                let objects =
                    Self::matching(&state, kind, filter.namespace.as_deref(), &filter.selectors);
                (watch::snapshot_events(&filter, objects), state.revision)
            }
            Some(from) => {
                let events = Self::events_after_locked(&state, from)?;
                let delivered = events.last().map_or(from, |event| event.revision);
                (watch::replay(&filter, &events), delivered)
            }
        };
        drop(state);
        let log: Arc<dyn EventLog> = Arc::new(self.clone());
        Ok(watch::follow(filter, initial, delivered, live, log))
    }
}

#[async_trait]
impl EventLog for MemoryStore {
    async fn events_after(
        &self,
        _kind: &ResourceKind,
        after: Revision,
    ) -> Result<Vec<Arc<StoredEvent>>> {
        Self::events_after_locked(&self.lock(), after)
    }
}

#[async_trait]
impl EventCompaction for MemoryStore {
    async fn compact_events(&self, through: Revision) -> Result<()> {
        let mut state = self.lock();
        while state
            .events
            .front()
            .is_some_and(|event| event.revision <= through)
        {
            state.events.pop_front();
        }
        state.compacted_through = state.compacted_through.max(through.min(state.revision));
        Ok(())
    }

    async fn current_revision(&self) -> Result<Revision> {
        Ok(self.lock().revision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scope, WatchEvent};

    #[tokio::test]
    async fn history_beyond_the_retention_is_dropped() {
        let kind = ResourceKind::new("example.argoproj.io/v1", "Thing", Scope::Namespaced);
        let store = MemoryStore::with_event_retention(Environment::system(), 2);
        for name in ["a", "b", "c", "d"] {
            store
                .create(&kind, Object::new(&kind, Some("ns"), name))
                .await
                .expect("create");
        }
        let expired = store
            .watch(&kind, &WatchParams::default().from_version("1"))
            .await;
        assert!(matches!(expired, Err(Error::Expired { .. })));
        let mut resumed = store
            .watch(&kind, &WatchParams::default().from_version("2"))
            .await
            .expect("the retained history replays");
        let first = futures::StreamExt::next(&mut resumed).await;
        assert!(matches!(first, Some(Ok(WatchEvent::Added(object))) if object.name() == "c"));
    }
}
