//! Row-level access to the SQLite tables: reading and writing objects, labels, events and the
//! store state, synchronously, on a connection borrowed through `handle` and inside the caller's
//! transaction. These functions never begin, commit or serialize
//! transactions, and never publish events; `mod.rs` owns that orchestration.

use std::collections::BTreeMap;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::body::Body;
use super::query::{self, ListQuery};
use crate::watch::StoredEvent;
use crate::{Error, EventType, Object, ObjectKey, ResourceKind, Result, Revision};

pub fn backend(operation: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |source| Error::backend(operation, source)
}

pub fn to_sql(revision: Revision) -> i64 {
    i64::try_from(revision.0).unwrap_or(i64::MAX)
}

pub fn from_sql(revision: i64) -> Revision {
    Revision(u64::try_from(revision).unwrap_or(0))
}

pub fn encode<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::Serialization)
}

/// Takes the next revision; as the first statement of a write it also takes the write lock.
pub fn next_revision(connection: &Connection) -> Result<Revision> {
    let revision: i64 = connection
        .query_row(query::BUMP_REVISION, [], |row| row.get(0))
        .map_err(backend("taking the next revision"))?;
    Ok(from_sql(revision))
}

/// (current revision, revision compacted through).
pub fn revisions(connection: &Connection) -> Result<(Revision, Revision)> {
    let (revision, compacted): (i64, i64) = connection
        .query_row(query::CURRENT_REVISION, [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .map_err(backend("reading the revision"))?;
    Ok((from_sql(revision), from_sql(compacted)))
}

/// Whether an object is stored under `key`.
pub fn exists(connection: &Connection, key: &ObjectKey) -> Result<bool> {
    let found: Option<i64> = connection
        .query_row(
            query::SELECT_OBJECT_ID,
            params![
                key.kind.api_version.as_ref(),
                key.kind.kind.as_ref(),
                key.stored_namespace(),
                &key.name
            ],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend("reading an object"))?;
    Ok(found.is_some())
}

/// One object's row, not parsed yet: the caller may have parsed this revision before.
#[derive(Debug)]
pub struct ObjectRow {
    /// The row's id, which labels refer to.
    pub id: i64,
    pub namespace: String,
    pub name: String,
    /// The `resource_version` column: the revision of the last write of this object.
    pub revision: i64,
    pub body: Body,
}

/// Reads a row of `SELECT id, namespace, name, resource_version, object`.
fn object_row(row: &Row<'_>) -> rusqlite::Result<ObjectRow> {
    Ok(ObjectRow {
        id: row.get(0)?,
        namespace: row.get(1)?,
        name: row.get(2)?,
        revision: row.get(3)?,
        body: row.get(4)?,
    })
}

/// The row of one object, if stored.
pub fn stored_row(connection: &Connection, key: &ObjectKey) -> Result<Option<ObjectRow>> {
    connection
        .query_row(
            query::SELECT_OBJECT_ROW,
            params![
                key.kind.api_version.as_ref(),
                key.kind.kind.as_ref(),
                key.stored_namespace(),
                &key.name
            ],
            object_row,
        )
        .optional()
        .map_err(backend("reading an object"))
}

/// The rows matching `list` in SQL; the caller parses them and applies the requirements SQL
/// does not express.
pub fn select(connection: &Connection, list: &ListQuery<'_>) -> Result<Vec<ObjectRow>> {
    let sql = list.build();
    let mut statement = connection
        .prepare(&sql.text)
        .map_err(backend("listing objects"))?;
    let rows = statement
        .query_map(params_from_iter(sql.parameters.iter()), object_row)
        .map_err(backend("listing objects"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(backend("listing objects"))
}

/// Inserts (no `object_id`) or rewrites an object and its labels at `revision`; `body` is
/// the object encoded (once, for its row and its event).
pub fn put(
    connection: &Connection,
    kind: &ResourceKind,
    object: &Object,
    body: &Body,
    object_id: Option<i64>,
    revision: Revision,
) -> Result<()> {
    let id = match object_id {
        Some(id) => update_object(connection, id, body, revision)?,
        None => insert_object(connection, kind, object, body, revision)?,
    };
    replace_labels(connection, id, object)
}

/// Removes an object and its labels.
pub fn remove(connection: &Connection, object_id: i64) -> Result<()> {
    for statement in [query::DELETE_LABELS, query::DELETE_OBJECT] {
        connection
            .execute(statement, [object_id])
            .map_err(backend("deleting an object"))?;
    }
    Ok(())
}

fn insert_object(
    connection: &Connection,
    kind: &ResourceKind,
    object: &Object,
    body: &Body,
    revision: Revision,
) -> Result<i64> {
    let key = object.key(kind);
    connection
        .query_row(
            query::INSERT_OBJECT,
            params![
                key.kind.api_version.as_ref(),
                key.kind.kind.as_ref(),
                key.stored_namespace(),
                &key.name,
                object.uid().unwrap_or(""),
                to_sql(revision),
                body
            ],
            |row| row.get(0),
        )
        .map_err(|error| {
            if is_unique_violation(&error) {
                key.already_exists()
            } else {
                Error::backend("inserting an object", error)
            }
        })
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

fn update_object(connection: &Connection, id: i64, body: &Body, revision: Revision) -> Result<i64> {
    connection
        .execute(query::UPDATE_OBJECT, params![to_sql(revision), body, id])
        .map_err(backend("updating an object"))?;
    Ok(id)
}

fn replace_labels(connection: &Connection, id: i64, object: &Object) -> Result<()> {
    connection
        .execute(query::DELETE_LABELS, [id])
        .map_err(backend("replacing labels"))?;
    let Some(labels) = object
        .metadata
        .labels
        .as_ref()
        .filter(|labels| !labels.is_empty())
    else {
        return Ok(());
    };
    let mut insert = connection
        .prepare(query::INSERT_LABEL)
        .map_err(backend("replacing labels"))?;
    for (key, value) in labels {
        insert
            .execute(params![id, key, value])
            .map_err(backend("replacing labels"))?;
    }
    Ok(())
}

/// Appends `event` to the history; `body` is its object encoded.
pub fn insert_event(connection: &Connection, event: &StoredEvent, body: &Body) -> Result<()> {
    let previous_labels = event.previous_labels.as_ref().map(encode).transpose()?;
    connection
        .execute(
            query::INSERT_EVENT,
            params![
                to_sql(event.revision),
                &event.api_version,
                &event.kind,
                event.object.namespace().unwrap_or(""),
                event.object.name(),
                event.event_type.as_str(),
                body,
                previous_labels
            ],
        )
        .map_err(backend("recording an event"))?;
    Ok(())
}

/// Drops history through `through` and remembers how far it was compacted.
pub fn compact(connection: &Connection, through: Revision) -> Result<()> {
    connection
        .execute(query::DELETE_EVENTS_THROUGH, [to_sql(through)])
        .map_err(backend("compacting events"))?;
    connection
        .execute(
            query::RAISE_COMPACTED_THROUGH,
            [to_sql(through), to_sql(through)],
        )
        .map_err(backend("compacting events"))?;
    Ok(())
}

/// The retained events of `kind` after `after`, or `Expired` when some were compacted.
pub fn events_after(
    connection: &Connection,
    kind: &ResourceKind,
    after: Revision,
) -> Result<Vec<Arc<StoredEvent>>> {
    let (_, compacted_through) = revisions(connection)?;
    if after < compacted_through {
        return Err(Error::Expired {
            requested: after.to_string(),
            compacted_through: compacted_through.to_string(),
        });
    }
    events(
        connection,
        query::SELECT_EVENTS_AFTER,
        params![kind.api_version.as_ref(), kind.kind.as_ref(), to_sql(after)],
    )
}

/// The events of every kind strictly between `after` and `before` (whatever is retained).
pub fn events_between(
    connection: &Connection,
    after: Revision,
    before: Revision,
) -> Result<Vec<Arc<StoredEvent>>> {
    events(
        connection,
        query::SELECT_EVENTS_BETWEEN,
        [to_sql(after), to_sql(before)],
    )
}

/// Runs an events query (columns as in `SELECT_EVENTS_*`) and decodes its rows.
fn events(
    connection: &Connection,
    sql: &str,
    parameters: impl rusqlite::Params,
) -> Result<Vec<Arc<StoredEvent>>> {
    let mut statement = connection.prepare(sql).map_err(backend("reading events"))?;
    let rows = statement
        .query_map(parameters, |row| {
            Ok(EventRow {
                revision: row.get(0)?,
                api_version: row.get(1)?,
                kind: row.get(2)?,
                event_type: row.get(3)?,
                object: row.get(4)?,
                previous_labels: row.get(5)?,
            })
        })
        .map_err(backend("reading events"))?;
    rows.map(|row| {
        row.map_err(backend("reading events"))
            .and_then(decode_event)
    })
    .collect()
}

/// One row of the events table, not decoded yet.
struct EventRow {
    revision: i64,
    api_version: String,
    kind: String,
    event_type: String,
    object: Body,
    previous_labels: Option<String>,
}

fn decode_event(row: EventRow) -> Result<Arc<StoredEvent>> {
    let previous_labels = row
        .previous_labels
        .map(|json| serde_json::from_str::<BTreeMap<String, String>>(&json))
        .transpose()
        .map_err(Error::Serialization)?;
    let Some(event_type) = EventType::parse(&row.event_type) else {
        let message = format!("unknown event type {:?}", row.event_type);
        return Err(Error::backend(
            "reading events",
            std::io::Error::other(message),
        ));
    };
    Ok(Arc::new(StoredEvent {
        revision: from_sql(row.revision),
        event_type,
        api_version: row.api_version,
        kind: row.kind,
        object: Arc::new(row.object.decode()?),
        previous_labels,
    }))
}
