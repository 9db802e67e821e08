//! The SQLite backend: one database file in WAL mode holding objects, their labels and the event
//! history, with an in-process broadcast for live watch delivery.
//!
//! Every write runs in one transaction that first takes the next revision (so it holds SQLite's
//! write lock from its first statement) and is serialized in-process, so changes are published in
//! revision order after they are durable. Watches resume by replaying the `events` table, which is
//! compacted to the configured retention. Other processes may write the same file: their changes
//! are published here before this process's next write, or by a poller when it is idle, always in
//! revision order (a change compacted away before it could be read is not delivered live).

mod config;
mod connect;
mod migrations;
mod query;
mod read_cache;
mod tables;

use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, SqliteConnection, Transaction};
use tokio::sync::{Mutex, MutexGuard, broadcast};

pub use config::{
    DEFAULT_EVENT_RETENTION, Location, SqliteConfig, Synchronous, default_database_path,
};
pub use migrations::migrator;
pub use read_cache::DEFAULT_READ_CACHE_CAPACITY;

use crate::mutation::{self, Change, GENERATE_NAME_ATTEMPTS};
use crate::pagination::{self, ContinueToken};
use crate::watch::{self, EventLog, StoredEvent, WatchFilter};
use crate::{
    Deletion, Environment, Error, EventCompaction, EventType, ListParams, Object, ObjectKey,
    ObjectList, Preconditions, Published, PublishedRevisions, ResourceKind, ResourceReader,
    ResourceWatcher, ResourceWriter, Result, Revision, Selectors, WatchParams, WatchStream,
};
use query::ListQuery;
use read_cache::ReadCache;
use tables::backend;

const BROADCAST_CAPACITY: usize = 1024;

struct Shared {
    pool: SqlitePool,
    /// Serializes writes and publication; holds the last revision published to `live`.
    published: Mutex<Revision>,
    live: broadcast::Sender<Arc<StoredEvent>>,
    /// What has been sent to `live`, per kind, readable without the write lock.
    announced: PublishedRevisions,
    environment: Environment,
    event_retention: u64,
    /// Parsed objects by row revision; `None` when configured off.
    cache: Option<ReadCache>,
}

/// A durable store in one SQLite file. Clones share the pool and the live broadcast.
#[derive(Clone)]
pub struct SqliteStore {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

/// A write in progress: the in-process write lock, the transaction and the revision it takes.
struct Write<'a> {
    published: MutexGuard<'a, Revision>,
    transaction: Transaction<'static, Sqlite>,
    revision: Revision,
}

impl SqliteStore {
    /// Opens (creating when missing) the database and applies pending migrations.
    pub async fn open(config: &SqliteConfig, environment: Environment) -> Result<Self> {
        let synchronous = match config.synchronous {
            Synchronous::Off => SqliteSynchronous::Off,
            Synchronous::Normal => SqliteSynchronous::Normal,
            Synchronous::Full => SqliteSynchronous::Full,
            Synchronous::Extra => SqliteSynchronous::Extra,
        };
        let options = SqliteConnectOptions::new()
            .foreign_keys(true)
            .busy_timeout(config.busy_timeout)
            .synchronous(synchronous);
        let (options, pool_options) = match &config.location {
            Location::File(path) => {
                if let Some(directory) = path
                    .parent()
                    .filter(|parent| !parent.as_os_str().is_empty())
                {
                    tokio::fs::create_dir_all(directory)
                        .await
                        .map_err(|source| Error::Backend {
                            operation: "creating the database directory",
                            source: Box::new(source),
                        })?;
                }
                let options = options
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal);
                (
                    options,
                    SqlitePoolOptions::new().max_connections(config.max_connections.max(1)),
                )
            }
            // Each in-memory connection is its own database: keep exactly one, forever.
            Location::InMemory => (
                options.in_memory(true),
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None),
            ),
        };
        let pool = connect::connect(pool_options, options, config.busy_timeout)
            .await
            .map_err(backend("opening the database"))?;
        migrations::apply(&pool).await?;
        let mut transaction = pool.begin().await.map_err(backend("starting a read"))?;
        let (current, _) = tables::revisions(&mut transaction).await?;
        Self::finish_read(transaction).await?;
        let (live, _) = broadcast::channel(BROADCAST_CAPACITY);
        let shared = Arc::new(Shared {
            pool,
            published: Mutex::new(current),
            live,
            announced: PublishedRevisions::starting_at(current),
            environment,
            event_retention: config.event_retention.max(1),
            cache: ReadCache::new(config.read_cache_capacity),
        });
        if let Some(interval) = config.poll_interval {
            tokio::spawn(poll_for_foreign_changes(Arc::downgrade(&shared), interval));
        }
        Ok(Self { shared })
    }

    /// The connection pool, for the workflow archive's tables in the same database.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.shared.pool
    }

    /// Closes the pool, waiting for connections to finish (checkpointing the WAL).
    pub async fn close(&self) {
        self.shared.pool.close().await;
    }

    async fn begin_write(&self) -> Result<Write<'_>> {
        let published = self.shared.published.lock().await;
        let mut transaction = self
            .shared
            .pool
            .begin()
            .await
            .map_err(backend("starting a write"))?;
        let revision = tables::next_revision(&mut transaction).await?;
        Ok(Write {
            published,
            transaction,
            revision,
        })
    }

    /// Reads one object inside a write transaction: its row id and the object, shared with the
    /// read cache (the write rules only borrow it, so an unchanged object is not parsed again).
    async fn stored_or_not_found(
        &self,
        connection: &mut SqliteConnection,
        key: &ObjectKey,
    ) -> Result<(i64, Arc<Object>)> {
        let row = tables::stored_row(connection, key)
            .await?
            .ok_or_else(|| key.not_found())?;
        let id = row.id;
        Ok((id, self.parsed_shared(&key.kind, row)?))
    }

    /// Persists `change`, records its event and compacts, commits, then publishes the event.
    /// The object is encoded once (for its row and its event) and, once committed, shared by
    /// the event, the read cache (a stored object is cached at the revision it took) and the
    /// caller.
    async fn commit(
        &self,
        mut write: Write<'_>,
        kind: &ResourceKind,
        event_type: EventType,
        change: Change,
        object_id: Option<i64>,
    ) -> Result<Arc<Object>> {
        let connection = &mut *write.transaction;
        let (object, json, previous_labels, event_type, stored) = match change {
            Change::Unchanged(object) => {
                write
                    .transaction
                    .rollback()
                    .await
                    .map_err(backend("abandoning a write"))?;
                return Ok(Arc::new(object));
            }
            Change::Put {
                object,
                previous_labels,
            } => {
                let json = tables::encode(&object)?;
                tables::put(connection, kind, &object, &json, object_id, write.revision).await?;
                (object, json, previous_labels, event_type, true)
            }
            Change::Remove(object) => {
                if let Some(id) = object_id {
                    tables::remove(connection, id).await?;
                }
                let json = tables::encode(&object)?;
                (object, json, None, EventType::Deleted, false)
            }
        };
        let event = StoredEvent {
            revision: write.revision,
            event_type,
            api_version: kind.api_version.to_string(),
            kind: kind.kind.to_string(),
            object: Arc::new(object),
            previous_labels,
        };
        let previous = *write.published;
        // Changes other processes wrote since this handle last published are read (inside the
        // write lock) only when a watch of this handle could receive them. A handle nobody
        // watches (an executor's) skips them: they may be whole large workflows, and a watch
        // that subscribes later reads them from the table, since they were committed before
        // this write took the lock and so before the watch's own snapshot.
        let watched = self.shared.live.receiver_count() > 0;
        let foreign = if watched && write.revision.0 > previous.0.saturating_add(1) {
            tables::events_between(connection, previous, write.revision).await?
        } else {
            Vec::new()
        };
        tables::insert_event(connection, &event, &json).await?;
        drop(json);
        let horizon = event.revision.0.saturating_sub(self.shared.event_retention);
        if horizon > 0 {
            tables::compact(connection, Revision(horizon)).await?;
        }
        write
            .transaction
            .commit()
            .await
            .map_err(backend("committing a write"))?;
        if stored && let Some(cache) = &self.shared.cache {
            let key = event.object.key(kind);
            cache.fill(key, tables::to_sql(write.revision), event.object.clone());
        }
        let event = Arc::new(event);
        for change in foreign.into_iter().chain([event.clone()]) {
            self.shared.announced.note(&change);
            // No receivers is fine: nobody is watching.
            let _ = self.shared.live.send(change);
        }
        *write.published = write.revision;
        Ok(event.object.clone())
    }

    /// The stored row of `key`, shared with the read cache.
    async fn get_row_shared(&self, kind: &ResourceKind, key: &ObjectKey) -> Result<Arc<Object>> {
        // One statement is its own snapshot: no explicit transaction needed.
        let mut connection = self
            .shared
            .pool
            .acquire()
            .await
            .map_err(backend("starting a read"))?;
        let row = tables::stored_row(&mut connection, key).await?;
        drop(connection);
        let row = row.ok_or_else(|| key.not_found())?;
        self.parsed_shared(kind, row)
    }

    /// Starts a read transaction: its statements see one consistent snapshot (WAL mode).
    async fn begin_read(&self) -> Result<Transaction<'static, Sqlite>> {
        self.shared
            .pool
            .begin()
            .await
            .map_err(backend("starting a read"))
    }

    async fn finish_read(transaction: Transaction<'static, Sqlite>) -> Result<()> {
        transaction
            .commit()
            .await
            .map_err(backend("finishing a read"))
    }

    /// Matching objects and the revision they reflect, read in one snapshot.
    async fn select(&self, list: &ListQuery<'_>) -> Result<(Revision, Vec<Arc<Object>>)> {
        let mut transaction = self.begin_read().await?;
        let (revision, _) = tables::revisions(&mut transaction).await?;
        let rows = tables::select(&mut transaction, list).await?;
        Self::finish_read(transaction).await?;
        let mut objects = Vec::with_capacity(rows.len());
        for row in rows {
            let object = self.parsed_shared(list.kind, row)?;
            if list.selectors.matches(&object) {
                objects.push(object);
            }
        }
        Ok((revision, objects))
    }

    /// The object of a row, shared with the read cache (parsed and cached on a miss).
    fn parsed_shared(&self, kind: &ResourceKind, row: tables::ObjectRow) -> Result<Arc<Object>> {
        let Some(cache) = &self.shared.cache else {
            return tables::decode(&row.json).map(Arc::new);
        };
        let key = ObjectKey::new(kind, Some(&row.namespace), &row.name);
        if let Some(object) = cache.get(&key, row.revision) {
            return Ok(object);
        }
        let object = Arc::new(tables::decode(&row.json)?);
        cache.fill(key, row.revision, object.clone());
        Ok(object)
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
impl ResourceReader for SqliteStore {
    async fn get(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Object> {
        let key = ObjectKey::new(kind, namespace, name);
        self.get_row_shared(kind, &key)
            .await
            .map(Arc::unwrap_or_clone)
    }

    async fn get_shared(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Arc<Object>> {
        self.get_row_shared(kind, &ObjectKey::new(kind, namespace, name))
            .await
    }

    async fn list(&self, kind: &ResourceKind, params: &ListParams) -> Result<ObjectList> {
        self.list_shared(kind, params)
            .await?
            .map(|object| Ok(Arc::unwrap_or_clone(object)))
    }

    async fn list_shared(
        &self,
        kind: &ResourceKind,
        params: &ListParams,
    ) -> Result<ObjectList<Arc<Object>>> {
        let selectors = Selectors::parse(
            params.label_selector.as_deref(),
            params.field_selector.as_deref(),
        )?;
        let cursor = pagination::decode_optional(params.continue_token.as_deref())?;
        let page_size = pagination::page_size(params.limit);
        let list = ListQuery {
            kind,
            namespace: list_namespace(kind, params.namespace.as_deref()),
            selectors: &selectors,
            after: cursor.as_ref(),
            limit: page_size,
        };
        let (current, mut items) = self.select(&list).await?;
        let revision = cursor.as_ref().map_or(current, ContinueToken::revision);
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
impl ResourceWriter for SqliteStore {
    async fn create(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        let environment = &self.shared.environment;
        let attempts = if mutation::name_is_generated(&object) {
            GENERATE_NAME_ATTEMPTS
        } else {
            1
        };
        let mut write = self.begin_write().await?;
        let mut last_error = None;
        for _ in 0..attempts {
            let name = mutation::creation_name(kind, &object, environment)?;
            let key = ObjectKey::new(kind, object.namespace(), &name);
            if tables::stored(&mut write.transaction, &key)
                .await?
                .is_some()
            {
                last_error = Some(key.already_exists());
                continue;
            }
            let created =
                mutation::created(kind, object.clone(), name, environment, write.revision)?;
            let change = Change::Put {
                object: created,
                previous_labels: None,
            };
            return self
                .commit(write, kind, EventType::Added, change, None)
                .await
                .map(Arc::unwrap_or_clone);
        }
        Err(last_error.unwrap_or_else(|| object.key(kind).already_exists()))
    }

    async fn update(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        self.update_shared(kind, object)
            .await
            .map(Arc::unwrap_or_clone)
    }

    async fn update_shared(&self, kind: &ResourceKind, object: Object) -> Result<Arc<Object>> {
        let mut write = self.begin_write().await?;
        let (id, stored) = self
            .stored_or_not_found(&mut write.transaction, &object.key(kind))
            .await?;
        let change = mutation::updated(kind, &stored, object, write.revision)?;
        self.commit(write, kind, EventType::Modified, change, Some(id))
            .await
    }

    async fn update_status(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        let mut write = self.begin_write().await?;
        let (id, stored) = self
            .stored_or_not_found(&mut write.transaction, &object.key(kind))
            .await?;
        let change = mutation::status_updated(kind, &stored, object, write.revision)?;
        self.commit(write, kind, EventType::Modified, change, Some(id))
            .await
            .map(Arc::unwrap_or_clone)
    }

    async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
        preconditions: &Preconditions,
    ) -> Result<Deletion> {
        let now = self.shared.environment.clock.now();
        let mut write = self.begin_write().await?;
        let key = ObjectKey::new(kind, namespace, name);
        let (id, stored) = self
            .stored_or_not_found(&mut write.transaction, &key)
            .await?;
        let change = mutation::deleted(kind, &stored, preconditions, now, write.revision)?;
        let removed = matches!(change, Change::Remove(_));
        let object = self
            .commit(write, kind, EventType::Modified, change, Some(id))
            .await
            .map(Arc::unwrap_or_clone)?;
        Ok(if removed {
            Deletion::Deleted(object)
        } else {
            Deletion::Finalizing(object)
        })
    }
}

#[async_trait]
impl ResourceWatcher for SqliteStore {
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

impl SqliteStore {
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
        let live = self.shared.live.subscribe();
        let (initial, delivered) = match from {
            None => {
                let list = ListQuery {
                    kind,
                    namespace: filter.namespace.as_deref(),
                    selectors: &filter.selectors,
                    after: None,
                    limit: None,
                };
                let (revision, objects) = self.select(&list).await?;
                let objects = objects.into_iter().map(Arc::unwrap_or_clone).collect();
                (watch::snapshot_events(&filter, objects), revision)
            }
            Some(from) => {
                let events = self.events_after(kind, from).await?;
                let delivered = events.last().map_or(from, |event| event.revision);
                (watch::replay(&filter, &events), delivered)
            }
        };
        let log: Arc<dyn EventLog> = Arc::new(self.clone());
        Ok(watch::follow(filter, initial, delivered, live, log))
    }
}

#[async_trait]
impl EventLog for SqliteStore {
    async fn events_after(
        &self,
        kind: &ResourceKind,
        after: Revision,
    ) -> Result<Vec<Arc<StoredEvent>>> {
        let mut transaction = self.begin_read().await?;
        let events = tables::events_after(&mut transaction, kind, after).await;
        Self::finish_read(transaction).await?;
        events
    }
}

#[async_trait]
impl EventCompaction for SqliteStore {
    async fn compact_events(&self, through: Revision) -> Result<()> {
        let _serialized = self.shared.published.lock().await;
        let mut transaction = self
            .shared
            .pool
            .begin()
            .await
            .map_err(backend("starting a compaction"))?;
        let (current, _) = tables::revisions(&mut transaction).await?;
        tables::compact(&mut transaction, through.min(current)).await?;
        transaction
            .commit()
            .await
            .map_err(backend("committing a compaction"))
    }

    async fn current_revision(&self) -> Result<Revision> {
        let mut transaction = self.begin_read().await?;
        let (revision, _) = tables::revisions(&mut transaction).await?;
        Self::finish_read(transaction).await?;
        Ok(revision)
    }
}

/// Publishes changes other processes wrote while this one is idle; ends with the store.
async fn poll_for_foreign_changes(shared: Weak<Shared>, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if shared.pool.is_closed() {
            return;
        }
        if let Err(error) = publish_foreign_changes(&shared).await {
            tracing::warn!(%error, "could not read changes written by another process");
        }
    }
}

async fn publish_foreign_changes(shared: &Shared) -> Result<()> {
    let mut published = shared.published.lock().await;
    let mut transaction = shared
        .pool
        .begin()
        .await
        .map_err(backend("starting a read"))?;
    let (current, _) = tables::revisions(&mut transaction).await?;
    let foreign = if current > *published {
        tables::events_between(&mut transaction, *published, current.next()).await?
    } else {
        Vec::new()
    };
    transaction
        .commit()
        .await
        .map_err(backend("finishing a read"))?;
    for change in foreign {
        shared.announced.note(&change);
        let _ = shared.live.send(change);
    }
    *published = (*published).max(current);
    shared.announced.note_current(*published);
    Ok(())
}

#[cfg(test)]
mod tests;
