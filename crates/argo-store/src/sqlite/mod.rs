//! The SQLite backend: one database file in WAL mode holding objects, their labels and the event
//! history, with an in-process broadcast for live watch delivery.
//!
//! sqlx owns the pool (connecting, the pragmas, migrations); each store operation then runs all
//! its statements in one go on a pooled connection's handle (see `handle`), not one worker-thread
//! round trip per statement. Every write runs in one `IMMEDIATE` transaction (so it holds
//! SQLite's write lock from the start) that first takes the next revision, and is serialized
//! in-process, so changes are published in
//! revision order after they are durable. Watches resume by replaying the `events` table, which is
//! compacted to the configured retention. Other processes may write the same file: their changes
//! are published here before this process's next write, or by a poller when it is idle, always in
//! revision order (a change compacted away before it could be read is not delivered live).
//! An object's JSON is stored as text, or LZ4-compressed when it is large (see `body`).

mod body;
mod config;
mod connect;
mod foreign;
mod handle;
mod migrations;
mod query;
mod read_cache;
mod recording;
mod tables;

use std::sync::Arc;

use async_trait::async_trait;
use rusqlite::{Connection, TransactionBehavior};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tokio::sync::{Mutex, broadcast};

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
use handle::Access;
use query::ListQuery;
use read_cache::ReadCache;
use recording::{Committed, Planned, Recording, record};
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

/// Maps a pool error (sqlx's) to the store's.
fn pool_error(operation: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::backend(operation, source)
}

/// Runs `work` in one read transaction: its statements see one snapshot (WAL mode).
fn snapshot<T>(
    connection: &mut Connection,
    work: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let transaction = connection
        .transaction()
        .map_err(backend("starting a read"))?;
    let outcome = work(&transaction)?;
    transaction.commit().map_err(backend("finishing a read"))?;
    Ok(outcome)
}

/// Starts a write: `IMMEDIATE` takes SQLite's write lock at once (waiting for another
/// process's with the busy timeout), so nothing read inside can go stale before the commit.
fn begin_write(connection: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(backend("starting a write"))
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
            .map_err(pool_error("opening the database"))?;
        migrations::apply(&pool).await?;
        let mut connection = pool
            .acquire()
            .await
            .map_err(pool_error("starting a read"))?;
        let (current, _) = handle::run(&mut connection, Access::Read, |connection| {
            tables::revisions(connection)
        })
        .await?;
        drop(connection);
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
            tokio::spawn(foreign::poll_for_foreign_changes(
                Arc::downgrade(&shared),
                interval,
            ));
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

    /// Runs `work` on a pooled connection, in one go (see `handle`).
    async fn read<T>(&self, work: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut connection = self
            .shared
            .pool
            .acquire()
            .await
            .map_err(pool_error("starting a read"))?;
        handle::run(&mut connection, Access::Read, work).await
    }

    /// Reads one object inside a write transaction: its row id and the object, shared with the
    /// read cache (the write rules only borrow it, so an unchanged object is not parsed again).
    fn stored_or_not_found(
        &self,
        connection: &Connection,
        key: &ObjectKey,
    ) -> Result<(i64, Arc<Object>)> {
        let row = tables::stored_row(connection, key)?.ok_or_else(|| key.not_found())?;
        let id = row.id;
        Ok((id, self.parsed_shared(&key.kind, row)?))
    }

    /// One write, serialized in-process and run in one transaction: takes the next revision
    /// (and with it the write lock), lets `plan` decide the change, persists it with its event
    /// and compacts, commits, then publishes the event. The object is encoded once (for its row
    /// and its event) and, once committed, shared by the event, the read cache (a stored object
    /// is cached at the revision it took) and the caller.
    async fn write(
        &self,
        kind: &ResourceKind,
        plan: impl FnOnce(&Connection, Revision) -> Result<Planned>,
    ) -> Result<Arc<Object>> {
        let mut published = self.shared.published.lock().await;
        let mut connection = self
            .shared
            .pool
            .acquire()
            .await
            .map_err(pool_error("starting a write"))?;
        // Changes other processes wrote since this handle last published are read (inside the
        // write lock) only when a watch of this handle could receive them. A handle nobody
        // watches (an executor's) skips them: they may be whole large workflows, and a watch
        // that subscribes later reads them from the table, since they were committed before
        // this write took the lock and so before the watch's own snapshot.
        let watched = self.shared.live.receiver_count() > 0;
        let committed = handle::run(&mut connection, Access::Write, |connection| {
            let transaction = begin_write(connection)?;
            let revision = tables::next_revision(&transaction)?;
            let planned = plan(&transaction, revision)?;
            let recording = Recording {
                kind,
                revision,
                published: *published,
                watched,
                event_retention: self.shared.event_retention,
            };
            let committed = record(&transaction, &recording, planned)?;
            if matches!(committed, Committed::Unchanged(_)) {
                transaction
                    .rollback()
                    .map_err(backend("abandoning a write"))?;
            } else {
                transaction
                    .commit()
                    .map_err(backend("committing a write"))?;
            }
            Ok(committed)
        })
        .await?;
        drop(connection);
        let (event, foreign, stored) = match committed {
            Committed::Unchanged(object) => return Ok(Arc::new(*object)),
            Committed::Recorded {
                event,
                foreign,
                stored,
            } => (event, foreign, stored),
        };
        if stored && let Some(cache) = &self.shared.cache {
            let key = event.object.key(kind);
            cache.fill(key, tables::to_sql(event.revision), event.object.clone());
        }
        let revision = event.revision;
        let event = Arc::new(event);
        for change in foreign.into_iter().chain([event.clone()]) {
            self.shared.announced.note(&change);
            // No receivers is fine: nobody is watching.
            let _ = self.shared.live.send(change);
        }
        *published = revision;
        Ok(event.object.clone())
    }

    /// The stored row of `key`, shared with the read cache.
    async fn get_row_shared(&self, kind: &ResourceKind, key: &ObjectKey) -> Result<Arc<Object>> {
        // One statement is its own snapshot: no explicit transaction needed.
        let row = self
            .read(|connection| tables::stored_row(connection, key))
            .await?
            .ok_or_else(|| key.not_found())?;
        self.parsed_shared(kind, row)
    }

    /// Matching objects and the revision they reflect, read in one snapshot.
    async fn select(&self, list: &ListQuery<'_>) -> Result<(Revision, Vec<Arc<Object>>)> {
        let (revision, rows) = self
            .read(|connection| {
                snapshot(connection, |connection| {
                    let (revision, _) = tables::revisions(connection)?;
                    Ok((revision, tables::select(connection, list)?))
                })
            })
            .await?;
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
            return row.body.decode().map(Arc::new);
        };
        let key = ObjectKey::new(kind, Some(&row.namespace), &row.name);
        if let Some(object) = cache.get(&key, row.revision) {
            return Ok(object);
        }
        let object = Arc::new(row.body.decode()?);
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
        self.write(kind, |connection, revision| {
            let mut last_error = None;
            for _ in 0..attempts {
                let name = mutation::creation_name(kind, &object, environment)?;
                let key = ObjectKey::new(kind, object.namespace(), &name);
                if tables::exists(connection, &key)? {
                    last_error = Some(key.already_exists());
                    continue;
                }
                let created = mutation::created(kind, object, name, environment, revision)?;
                return Ok(Planned {
                    event_type: EventType::Added,
                    change: Change::Put {
                        object: created,
                        previous_labels: None,
                    },
                    object_id: None,
                });
            }
            Err(last_error.unwrap_or_else(|| object.key(kind).already_exists()))
        })
        .await
        .map(Arc::unwrap_or_clone)
    }

    async fn update(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        self.update_shared(kind, object)
            .await
            .map(Arc::unwrap_or_clone)
    }

    async fn update_shared(&self, kind: &ResourceKind, object: Object) -> Result<Arc<Object>> {
        self.write(kind, |connection, revision| {
            let (id, stored) = self.stored_or_not_found(connection, &object.key(kind))?;
            Ok(Planned {
                event_type: EventType::Modified,
                change: mutation::updated(kind, &stored, object, revision)?,
                object_id: Some(id),
            })
        })
        .await
    }

    async fn update_status(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        self.write(kind, |connection, revision| {
            let (id, stored) = self.stored_or_not_found(connection, &object.key(kind))?;
            Ok(Planned {
                event_type: EventType::Modified,
                change: mutation::status_updated(kind, &stored, object, revision)?,
                object_id: Some(id),
            })
        })
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
        let key = ObjectKey::new(kind, namespace, name);
        let mut removed = false;
        let object = self
            .write(kind, |connection, revision| {
                let (id, stored) = self.stored_or_not_found(connection, &key)?;
                let change = mutation::deleted(kind, &stored, preconditions, now, revision)?;
                removed = matches!(change, Change::Remove(_));
                Ok(Planned {
                    event_type: EventType::Modified,
                    change,
                    object_id: Some(id),
                })
            })
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
        self.read(|connection| {
            snapshot(connection, |connection| {
                tables::events_after(connection, kind, after)
            })
        })
        .await
    }
}

#[async_trait]
impl EventCompaction for SqliteStore {
    async fn compact_events(&self, through: Revision) -> Result<()> {
        let _serialized = self.shared.published.lock().await;
        let mut connection = self
            .shared
            .pool
            .acquire()
            .await
            .map_err(pool_error("starting a compaction"))?;
        handle::run(&mut connection, Access::Write, |connection| {
            let transaction = begin_write(connection)?;
            let (current, _) = tables::revisions(&transaction)?;
            tables::compact(&transaction, through.min(current))?;
            transaction
                .commit()
                .map_err(backend("committing a compaction"))
        })
        .await
    }

    async fn current_revision(&self) -> Result<Revision> {
        self.read(|connection| tables::revisions(connection))
            .await
            .map(|(revision, _)| revision)
    }
}

#[cfg(test)]
mod tests;
