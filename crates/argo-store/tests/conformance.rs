//! Runs the conformance suite against every backend in this crate: memory, SQLite in a temporary
//! file (durable: reopened between phases), and SQLite in memory.

use argo_store::conformance::Backend;
use argo_store::sqlite::SqliteConfig;
use argo_store::{Environment, EventCompaction, MemoryStore, Revision, SqliteStore};
use async_trait::async_trait;

struct Memory;

#[async_trait]
impl Backend for Memory {
    type Store = MemoryStore;

    async fn open(&self, environment: Environment) -> MemoryStore {
        MemoryStore::new(environment)
    }

    async fn compact(&self, store: &MemoryStore, through: Revision) -> bool {
        store
            .compact_events(through)
            .await
            .expect("compaction succeeds");
        true
    }

    fn durable(&self) -> bool {
        false
    }
}

/// A SQLite file in a temporary directory that lives as long as the harness.
struct SqliteFile {
    directory: tempfile::TempDir,
}

impl SqliteFile {
    fn new() -> Self {
        Self {
            directory: tempfile::tempdir().expect("a temporary directory"),
        }
    }
}

#[async_trait]
impl Backend for SqliteFile {
    type Store = SqliteStore;

    async fn open(&self, environment: Environment) -> SqliteStore {
        let config = SqliteConfig::file(self.directory.path().join("nested").join("argo.db"));
        SqliteStore::open(&config, environment)
            .await
            .expect("the database opens")
    }

    async fn close(&self, store: SqliteStore) {
        store.close().await;
    }

    async fn compact(&self, store: &SqliteStore, through: Revision) -> bool {
        store
            .compact_events(through)
            .await
            .expect("compaction succeeds");
        true
    }

    fn durable(&self) -> bool {
        true
    }
}

struct SqliteMemory;

#[async_trait]
impl Backend for SqliteMemory {
    type Store = SqliteStore;

    async fn open(&self, environment: Environment) -> SqliteStore {
        SqliteStore::open(&SqliteConfig::in_memory(), environment)
            .await
            .expect("the database opens")
    }

    async fn compact(&self, store: &SqliteStore, through: Revision) -> bool {
        store
            .compact_events(through)
            .await
            .expect("compaction succeeds");
        true
    }

    fn durable(&self) -> bool {
        false
    }
}

mod memory {
    argo_store::conformance_suite!(super::Memory);
}

mod sqlite_file {
    argo_store::conformance_suite!(super::SqliteFile::new());
}

mod sqlite_in_memory {
    argo_store::conformance_suite!(super::SqliteMemory);
}
