//! Watch events and the machinery backends share to deliver them: the record of one change, the
//! filter a watch applies, and the stream that replays history then follows live changes.
//!
//! Delivery without gaps or duplicates relies on one ordering rule the backends keep: a change is
//! published to the in-process broadcast after it is durable and in revision order, and a watch
//! subscribes to the broadcast *before* reading its snapshot or history. Live changes at or below
//! the last delivered revision are then skipped. This module never reads storage directly; it
//! asks the backend's [`EventLog`].

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};
use tokio::sync::broadcast;

use crate::{Object, ResourceKind, Result, Revision, Selectors};

/// One change seen by a watch.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent<T = Object> {
    Added(T),
    Modified(T),
    Deleted(T),
}

impl<T> WatchEvent<T> {
    pub fn object(&self) -> &T {
        match self {
            Self::Added(object) | Self::Modified(object) | Self::Deleted(object) => object,
        }
    }

    pub fn into_object(self) -> T {
        match self {
            Self::Added(object) | Self::Modified(object) | Self::Deleted(object) => object,
        }
    }

    pub fn event_type(&self) -> EventType {
        match self {
            Self::Added(_) => EventType::Added,
            Self::Modified(_) => EventType::Modified,
            Self::Deleted(_) => EventType::Deleted,
        }
    }

    pub fn map<U>(self, convert: impl FnOnce(T) -> Result<U>) -> Result<WatchEvent<U>> {
        Ok(match self {
            Self::Added(object) => WatchEvent::Added(convert(object)?),
            Self::Modified(object) => WatchEvent::Modified(convert(object)?),
            Self::Deleted(object) => WatchEvent::Deleted(convert(object)?),
        })
    }
}

/// The Kubernetes watch event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "ADDED",
            Self::Modified => "MODIFIED",
            Self::Deleted => "DELETED",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ADDED" => Some(Self::Added),
            "MODIFIED" => Some(Self::Modified),
            "DELETED" => Some(Self::Deleted),
            _ => None,
        }
    }
}

/// The changes of a watch, in revision order. An `Err` item ends the stream.
pub type WatchStream = BoxStream<'static, Result<WatchEvent>>;

/// One committed change as a backend records it: the object after the change (for deletions, its
/// last state) and, for modifications, the labels it had before, so selector watches can turn a
/// change that leaves or enters the selection into `Deleted` or `Added`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub revision: Revision,
    pub event_type: EventType,
    pub api_version: String,
    pub kind: String,
    /// Shared with the backend's read cache, so recording a change copies nothing.
    pub object: Arc<Object>,
    pub previous_labels: Option<BTreeMap<String, String>>,
}

/// What one watch selects.
#[derive(Debug, Clone)]
pub struct WatchFilter {
    pub kind: ResourceKind,
    pub namespace: Option<String>,
    pub selectors: Selectors,
    /// Deliver only each object's `apiVersion`, `kind` and `metadata`.
    pub metadata_only: bool,
}

impl WatchFilter {
    pub fn new(
        kind: &ResourceKind,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Self> {
        let namespace = if kind.is_namespaced() {
            namespace.map(str::to_owned)
        } else {
            None
        };
        Ok(Self {
            kind: kind.clone(),
            namespace,
            selectors: Selectors::parse(label_selector, field_selector)?,
            metadata_only: false,
        })
    }

    /// This filter delivering objects without their body (see [`Object::metadata_only`]).
    #[must_use]
    pub fn metadata_only(mut self, metadata_only: bool) -> Self {
        self.metadata_only = metadata_only;
        self
    }

    /// An object as this watch delivers it.
    fn deliver(&self, object: &Object) -> Object {
        if self.metadata_only {
            object.metadata_only()
        } else {
            object.clone()
        }
    }

    fn selects_kind_and_namespace(&self, event: &StoredEvent) -> bool {
        let namespace_matches = match &self.namespace {
            Some(namespace) => event.object.namespace() == Some(namespace.as_str()),
            None => true,
        };
        event.api_version == self.kind.api_version
            && event.kind == self.kind.kind
            && namespace_matches
    }

    /// The event this watch sees for a change, if any.
    pub fn view(&self, event: &StoredEvent) -> Option<WatchEvent> {
        if !self.selects_kind_and_namespace(event) || !self.selectors.fields.matches(&event.object)
        {
            return None;
        }
        let matches_now = self.selectors.labels.matches(&event.object);
        let object = self.deliver(&event.object);
        match event.event_type {
            EventType::Added => matches_now.then_some(WatchEvent::Added(object)),
            EventType::Deleted => matches_now.then_some(WatchEvent::Deleted(object)),
            EventType::Modified => {
                let empty = BTreeMap::new();
                let before = event.previous_labels.as_ref().unwrap_or(&empty);
                let matched_before = self.selectors.labels.matches_labels(before);
                match (matched_before, matches_now) {
                    (true, true) => Some(WatchEvent::Modified(object)),
                    (false, true) => Some(WatchEvent::Added(object)),
                    (true, false) => Some(WatchEvent::Deleted(object)),
                    (false, false) => None,
                }
            }
        }
    }
}

/// A backend's retained change history.
#[async_trait]
pub trait EventLog: Send + Sync + 'static {
    /// The retained changes of `kind` after `after`, oldest first (other kinds may be included);
    /// `Expired` if some were compacted.
    async fn events_after(
        &self,
        kind: &ResourceKind,
        after: Revision,
    ) -> Result<Vec<Arc<StoredEvent>>>;
}

/// Builds a watch stream: first `initial` (a snapshot or replayed history, ending at revision
/// `delivered`), then live changes from `live`, which must have been subscribed before `initial`
/// was read. A watcher that falls behind the broadcast catches up from `log`.
pub fn follow(
    filter: WatchFilter,
    initial: Vec<WatchEvent>,
    delivered: Revision,
    live: broadcast::Receiver<Arc<StoredEvent>>,
    log: Arc<dyn EventLog>,
) -> WatchStream {
    struct Following {
        filter: WatchFilter,
        delivered: Revision,
        live: broadcast::Receiver<Arc<StoredEvent>>,
        log: Arc<dyn EventLog>,
        ended: bool,
    }

    let following = Following {
        filter,
        delivered,
        live,
        log,
        ended: false,
    };
    let live_events = stream::unfold(following, |mut state| async move {
        if state.ended {
            return None;
        }
        loop {
            let batch = match state.live.recv().await {
                Ok(event) => vec![event],
                Err(broadcast::error::RecvError::Closed) => return None,
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    match state
                        .log
                        .events_after(&state.filter.kind, state.delivered)
                        .await
                    {
                        Ok(events) => events,
                        Err(error) => {
                            state.ended = true;
                            return Some((vec![Err(error)], state));
                        }
                    }
                }
            };
            let mut out = Vec::new();
            for event in batch {
                if event.revision <= state.delivered {
                    continue;
                }
                state.delivered = event.revision;
                if let Some(seen) = state.filter.view(&event) {
                    out.push(Ok(seen));
                }
            }
            if !out.is_empty() {
                return Some((out, state));
            }
        }
    })
    .flat_map(stream::iter);
    stream::iter(initial.into_iter().map(Ok))
        .chain(live_events)
        .boxed()
}

/// Where a watch starts. Unset, empty and `"0"` mean, as in Kubernetes, "from now": the watch
/// first delivers the current objects as `Added`, so `None` is returned. Any other value must be a
/// revision this store issued; the watch delivers the changes after it.
pub fn start_revision(resource_version: Option<&str>) -> Result<Option<Revision>> {
    match resource_version {
        None | Some("" | "0") => Ok(None),
        Some(version) => Revision::parse(version).map(Some),
    }
}

/// Turns a snapshot into the `Added` events a watch without a revision starts with.
pub fn snapshot_events(filter: &WatchFilter, objects: Vec<Object>) -> Vec<WatchEvent> {
    objects
        .into_iter()
        .map(|object| {
            WatchEvent::Added(if filter.metadata_only {
                object.metadata_only()
            } else {
                object
            })
        })
        .collect()
}

/// Filters replayed history through a watch's view.
pub fn replay(filter: &WatchFilter, events: &[Arc<StoredEvent>]) -> Vec<WatchEvent> {
    events
        .iter()
        .filter_map(|event| filter.view(event))
        .collect()
}
