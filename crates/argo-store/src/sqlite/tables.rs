//! Row-level access to the SQLite tables: reading and writing objects, labels, events and the
//! store state inside a caller's transaction. These functions never begin, commit or serialize
//! transactions, and never publish events; `mod.rs` owns that orchestration.

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::query::{self, ListQuery};
use crate::watch::StoredEvent;
use crate::{Error, EventType, Object, ObjectKey, ResourceKind, Result, Revision};

pub fn backend(operation: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::backend(operation, source)
}

pub fn to_sql(revision: Revision) -> i64 {
    i64::try_from(revision.0).unwrap_or(i64::MAX)
}

pub fn from_sql(revision: i64) -> Revision {
    Revision(u64::try_from(revision).unwrap_or(0))
}

pub fn decode(json: &str) -> Result<Object> {
    serde_json::from_str(json).map_err(Error::Serialization)
}

pub fn encode<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::Serialization)
}

/// Takes the next revision; as the first statement of a write it also takes the write lock.
pub async fn next_revision(connection: &mut SqliteConnection) -> Result<Revision> {
    let revision: i64 = sqlx::query_scalar(query::BUMP_REVISION)
        .fetch_one(connection)
        .await
        .map_err(backend("taking the next revision"))?;
    Ok(from_sql(revision))
}

/// (current revision, revision compacted through).
pub async fn revisions(connection: &mut SqliteConnection) -> Result<(Revision, Revision)> {
    let row = sqlx::query(query::CURRENT_REVISION)
        .fetch_one(connection)
        .await
        .map_err(backend("reading the revision"))?;
    let revision: i64 = row
        .try_get("revision")
        .map_err(backend("reading the revision"))?;
    let compacted: i64 = row
        .try_get("compacted_through")
        .map_err(backend("reading the revision"))?;
    Ok((from_sql(revision), from_sql(compacted)))
}

/// The stored object with its row id.
pub async fn stored(
    connection: &mut SqliteConnection,
    key: &ObjectKey,
) -> Result<Option<(i64, Object)>> {
    let row = sqlx::query(query::SELECT_OBJECT)
        .bind(key.kind.api_version.to_string())
        .bind(key.kind.kind.to_string())
        .bind(key.stored_namespace())
        .bind(&key.name)
        .fetch_optional(connection)
        .await
        .map_err(backend("reading an object"))?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id").map_err(backend("reading an object"))?;
    let json: String = row
        .try_get("object")
        .map_err(backend("reading an object"))?;
    Ok(Some((id, decode(&json)?)))
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
    pub json: String,
}

fn object_row(row: &SqliteRow, operation: &'static str) -> Result<ObjectRow> {
    Ok(ObjectRow {
        id: row.try_get("id").map_err(backend(operation))?,
        namespace: row.try_get("namespace").map_err(backend(operation))?,
        name: row.try_get("name").map_err(backend(operation))?,
        revision: row
            .try_get("resource_version")
            .map_err(backend(operation))?,
        json: row.try_get("object").map_err(backend(operation))?,
    })
}

/// The row of one object, if stored.
pub async fn stored_row(
    connection: &mut SqliteConnection,
    key: &ObjectKey,
) -> Result<Option<ObjectRow>> {
    let row = sqlx::query(query::SELECT_OBJECT_ROW)
        .bind(key.kind.api_version.to_string())
        .bind(key.kind.kind.to_string())
        .bind(key.stored_namespace())
        .bind(&key.name)
        .fetch_optional(connection)
        .await
        .map_err(backend("reading an object"))?;
    row.map(|row| object_row(&row, "reading an object"))
        .transpose()
}

/// The rows matching `list` in SQL; the caller parses them and applies the requirements SQL
/// does not express.
pub async fn select(
    connection: &mut SqliteConnection,
    list: &ListQuery<'_>,
) -> Result<Vec<ObjectRow>> {
    let rows = list
        .build()
        .build()
        .fetch_all(connection)
        .await
        .map_err(backend("listing objects"))?;
    rows.iter()
        .map(|row| object_row(row, "listing objects"))
        .collect()
}

/// Inserts (no `object_id`) or rewrites an object and its labels at `revision`; `json` is
/// the object encoded (once, for its row and its event).
pub async fn put(
    connection: &mut SqliteConnection,
    kind: &ResourceKind,
    object: &Object,
    json: &str,
    object_id: Option<i64>,
    revision: Revision,
) -> Result<()> {
    let id = match object_id {
        Some(id) => update_object(connection, id, json, revision).await?,
        None => insert_object(connection, kind, object, json, revision).await?,
    };
    replace_labels(connection, id, object).await
}

/// Removes an object and its labels.
pub async fn remove(connection: &mut SqliteConnection, object_id: i64) -> Result<()> {
    for statement in [query::DELETE_LABELS, query::DELETE_OBJECT] {
        sqlx::query(statement)
            .bind(object_id)
            .execute(&mut *connection)
            .await
            .map_err(backend("deleting an object"))?;
    }
    Ok(())
}

async fn insert_object(
    connection: &mut SqliteConnection,
    kind: &ResourceKind,
    object: &Object,
    json: &str,
    revision: Revision,
) -> Result<i64> {
    let key = object.key(kind);
    sqlx::query_scalar(query::INSERT_OBJECT)
        .bind(key.kind.api_version.to_string())
        .bind(key.kind.kind.to_string())
        .bind(key.stored_namespace())
        .bind(&key.name)
        .bind(object.uid().unwrap_or(""))
        .bind(to_sql(revision))
        .bind(json)
        .fetch_one(connection)
        .await
        .map_err(|error| match error.as_database_error() {
            Some(database) if database.is_unique_violation() => key.already_exists(),
            _ => Error::backend("inserting an object", error),
        })
}

async fn update_object(
    connection: &mut SqliteConnection,
    id: i64,
    json: &str,
    revision: Revision,
) -> Result<i64> {
    sqlx::query(query::UPDATE_OBJECT)
        .bind(to_sql(revision))
        .bind(json)
        .bind(id)
        .execute(connection)
        .await
        .map_err(backend("updating an object"))?;
    Ok(id)
}

async fn replace_labels(connection: &mut SqliteConnection, id: i64, object: &Object) -> Result<()> {
    sqlx::query(query::DELETE_LABELS)
        .bind(id)
        .execute(&mut *connection)
        .await
        .map_err(backend("replacing labels"))?;
    for (key, value) in object.metadata.labels.iter().flatten() {
        sqlx::query(query::INSERT_LABEL)
            .bind(id)
            .bind(key)
            .bind(value)
            .execute(&mut *connection)
            .await
            .map_err(backend("replacing labels"))?;
    }
    Ok(())
}

/// Appends `event` to the history; `json` is its object encoded.
pub async fn insert_event(
    connection: &mut SqliteConnection,
    event: &StoredEvent,
    json: &str,
) -> Result<()> {
    let previous_labels = event.previous_labels.as_ref().map(encode).transpose()?;
    sqlx::query(query::INSERT_EVENT)
        .bind(to_sql(event.revision))
        .bind(&event.api_version)
        .bind(&event.kind)
        .bind(event.object.namespace().unwrap_or(""))
        .bind(event.object.name())
        .bind(event.event_type.as_str())
        .bind(json)
        .bind(previous_labels)
        .execute(connection)
        .await
        .map_err(backend("recording an event"))?;
    Ok(())
}

/// Drops history through `through` and remembers how far it was compacted.
pub async fn compact(connection: &mut SqliteConnection, through: Revision) -> Result<()> {
    sqlx::query(query::DELETE_EVENTS_THROUGH)
        .bind(to_sql(through))
        .execute(&mut *connection)
        .await
        .map_err(backend("compacting events"))?;
    sqlx::query(query::RAISE_COMPACTED_THROUGH)
        .bind(to_sql(through))
        .bind(to_sql(through))
        .execute(connection)
        .await
        .map_err(backend("compacting events"))?;
    Ok(())
}

/// The retained events of `kind` after `after`, or `Expired` when some were compacted.
pub async fn events_after(
    connection: &mut SqliteConnection,
    kind: &ResourceKind,
    after: Revision,
) -> Result<Vec<Arc<StoredEvent>>> {
    let (_, compacted_through) = revisions(&mut *connection).await?;
    if after < compacted_through {
        return Err(Error::Expired {
            requested: after.to_string(),
            compacted_through: compacted_through.to_string(),
        });
    }
    let rows = sqlx::query(query::SELECT_EVENTS_AFTER)
        .bind(kind.api_version.to_string())
        .bind(kind.kind.to_string())
        .bind(to_sql(after))
        .fetch_all(connection)
        .await
        .map_err(backend("reading events"))?;
    rows.iter().map(decode_event).collect()
}

/// The events of every kind strictly between `after` and `before` (whatever is retained).
pub async fn events_between(
    connection: &mut SqliteConnection,
    after: Revision,
    before: Revision,
) -> Result<Vec<Arc<StoredEvent>>> {
    let rows = sqlx::query(query::SELECT_EVENTS_BETWEEN)
        .bind(to_sql(after))
        .bind(to_sql(before))
        .fetch_all(connection)
        .await
        .map_err(backend("reading events"))?;
    rows.iter().map(decode_event).collect()
}

fn decode_event(row: &SqliteRow) -> Result<Arc<StoredEvent>> {
    let column =
        |name: &str| -> Result<String> { row.try_get(name).map_err(backend("reading events")) };
    let revision: i64 = row
        .try_get("resource_version")
        .map_err(backend("reading events"))?;
    let previous: Option<String> = row
        .try_get("previous_labels")
        .map_err(backend("reading events"))?;
    let previous_labels = previous
        .map(|json| serde_json::from_str::<BTreeMap<String, String>>(&json))
        .transpose()
        .map_err(Error::Serialization)?;
    let event_type = column("event_type")?;
    let Some(event_type) = EventType::parse(&event_type) else {
        let message = format!("unknown event type {event_type:?}");
        return Err(Error::backend(
            "reading events",
            std::io::Error::other(message),
        ));
    };
    Ok(Arc::new(StoredEvent {
        revision: from_sql(revision),
        event_type,
        api_version: column("api_version")?,
        kind: column("kind")?,
        object: Arc::new(decode(&column("object")?)?),
        previous_labels,
    }))
}
