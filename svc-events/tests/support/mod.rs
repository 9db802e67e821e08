//! Shared set-up: the three services over one memory store, fixtures from files.

#![allow(dead_code)]

pub mod sources;

use std::sync::Arc;

use argo_store::{MemoryStore, Object, ResourceKind, ResourceStore};
use serde_json::Value;

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub fn message<M: prost::Message + prost::Name + Default>(name: &str) -> M {
    argo_proto::json_to_prost(&fixture(name)).expect("fixture converts")
}

pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::Workflow>()
}

pub fn store() -> Arc<dyn ResourceStore> {
    Arc::new(MemoryStore::default())
}

/// Stores a fixture of `kind` as is.
pub async fn seed(store: &dyn ResourceStore, kind: &ResourceKind, name: &str) {
    let object: Object = serde_json::from_value(fixture(name)).expect("object");
    store.create(kind, object).await.expect("seeded");
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
