//! One write's record inside its transaction: the change a write planned, persisted with its
//! event (and the changes of other processes a watch still needs), and the history compacted.
//! Runs synchronously on a borrowed connection; it never begins, commits or publishes (the
//! store's `write` does).

use std::sync::Arc;

use rusqlite::Connection;

use super::body::Body;
use super::tables;
use crate::mutation::Change;
use crate::watch::StoredEvent;
use crate::{EventType, Object, ResourceKind, Result, Revision};

/// What a write decided inside its transaction, once it knew the stored object and its
/// revision.
pub(super) struct Planned {
    pub(super) event_type: EventType,
    pub(super) change: Change,
    /// The row of the stored object, for an update or a removal.
    pub(super) object_id: Option<i64>,
}

/// A write's outcome, committed and waiting to be published.
pub(super) enum Committed {
    Unchanged(Box<Object>),
    Recorded {
        event: StoredEvent,
        /// Changes other processes committed since this handle last published.
        foreign: Vec<Arc<StoredEvent>>,
        /// Whether the object is still stored (so the read cache may hold it).
        stored: bool,
    },
}

/// How a write records its change: what the store was like when it took the write lock.
pub(super) struct Recording<'a> {
    pub(super) kind: &'a ResourceKind,
    pub(super) revision: Revision,
    /// The last revision this handle published.
    pub(super) published: Revision,
    /// Whether a watch of this handle could receive changes other processes wrote.
    pub(super) watched: bool,
    pub(super) event_retention: u64,
}

/// Persists a planned change and its event (with the foreign changes a watch needs), and
/// compacts the history; the caller commits.
pub(super) fn record(
    connection: &Connection,
    recording: &Recording<'_>,
    planned: Planned,
) -> Result<Committed> {
    let Planned {
        event_type,
        change,
        object_id,
    } = planned;
    let kind = recording.kind;
    let (object, body, previous_labels, event_type, stored) = match change {
        Change::Unchanged(object) => return Ok(Committed::Unchanged(Box::new(object))),
        Change::Put {
            object,
            previous_labels,
        } => {
            let body = Body::encode(&object)?;
            tables::put(
                connection,
                kind,
                &object,
                &body,
                object_id,
                recording.revision,
            )?;
            (object, body, previous_labels, event_type, true)
        }
        Change::Remove(object) => {
            if let Some(id) = object_id {
                tables::remove(connection, id)?;
            }
            let body = Body::encode(&object)?;
            (object, body, None, EventType::Deleted, false)
        }
    };
    let event = StoredEvent {
        revision: recording.revision,
        event_type,
        api_version: kind.api_version.to_string(),
        kind: kind.kind.to_string(),
        object: Arc::new(object),
        previous_labels,
    };
    let foreign =
        if recording.watched && recording.revision.0 > recording.published.0.saturating_add(1) {
            tables::events_between(connection, recording.published, recording.revision)?
        } else {
            Vec::new()
        };
    tables::insert_event(connection, &event, &body)?;
    drop(body);
    let horizon = event.revision.0.saturating_sub(recording.event_retention);
    if horizon > 0 {
        tables::compact(connection, Revision(horizon))?;
    }
    Ok(Committed::Recorded {
        event,
        foreign,
        stored,
    })
}
