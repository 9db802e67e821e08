//! Shared set-up: the service over a memory archive and store, seeded from fixture files.

#![allow(dead_code)]

use std::sync::Arc;

use argo_store::{ArchiveStore, MemoryArchive, MemoryStore, ResourceStore, SequentialIds};
use serde_json::Value;
use svc_archive::{ArchiveConfig, ArchivedWorkflowServer};

pub const FAILED_UID: &str = "4c1f0a52-0000-4000-8000-000000000001";
pub const SUCCEEDED_UID: &str = "4c1f0a52-0000-4000-8000-000000000002";

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub struct Harness {
    pub archive: Arc<dyn ArchiveStore>,
    pub store: Arc<dyn ResourceStore>,
    pub config: ArchiveConfig,
}

impl Harness {
    /// An archive holding both fixtures, an empty live store, sequential name suffixes.
    pub async fn seeded() -> Self {
        let archive: Arc<dyn ArchiveStore> = Arc::new(MemoryArchive::default());
        for name in ["nightly-failed.json", "report-succeeded.json"] {
            archive.archive(&fixture(name)).await.expect("archived");
        }
        Self {
            archive,
            store: Arc::new(MemoryStore::default()),
            config: ArchiveConfig {
                ids: Arc::new(SequentialIds::default()),
                ..ArchiveConfig::default()
            },
        }
    }

    pub fn server(&self) -> ArchivedWorkflowServer {
        ArchivedWorkflowServer::new(
            self.archive.clone(),
            self.store.clone(),
            self.config.clone(),
        )
    }
}

/// Runs `future` on a runtime with large stacks (deep protobuf conversions in debug builds).
pub fn big_stack<F>(future: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(32 << 20)
        .enable_all()
        .build()
        .expect("test runtime builds");
    runtime.block_on(async move {
        tokio::spawn(future).await.expect("the test body completes");
    });
}
