//! Shared test set-up: the service over an in-memory store, and fixtures.

#![allow(dead_code)]

pub mod calls;

use std::sync::Arc;

use argo_proto::wf;
use argo_store::{MemoryStore, Object, ResourceKind, ResourceStore};
use serde_json::Value;
use svc_cron::{Config, CronWorkflowServer};

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The `nightly` cron workflow with its schedules replaced when `schedules` is given.
pub fn cron(name: &str, schedules: Option<&[&str]>) -> wf::CronWorkflow {
    let mut json = fixture("nightly.json");
    json["metadata"]["name"] = Value::String(name.to_owned());
    if let Some(schedules) = schedules {
        json["spec"]["schedules"] = serde_json::json!(schedules);
    }
    argo_proto::json_to_prost(&json).expect("fixture converts")
}

pub fn cron_from(fixture_name: &str) -> wf::CronWorkflow {
    argo_proto::json_to_prost(&fixture(fixture_name)).expect("fixture converts")
}

pub struct Service {
    pub store: Arc<dyn ResourceStore>,
    pub server: CronWorkflowServer,
}

pub fn service_with(store: Arc<dyn ResourceStore>, config: Config) -> Service {
    Service {
        server: CronWorkflowServer::new(store.clone(), config),
        store,
    }
}

pub fn service() -> Service {
    service_with(Arc::new(MemoryStore::default()), Config::default())
}

/// Stores a manifest fixture as is (a template another test references).
pub async fn seed(store: &dyn ResourceStore, kind: &ResourceKind, fixture_name: &str) {
    let object: Object = serde_json::from_value(fixture(fixture_name)).expect("object");
    store.create(kind, object).await.expect("seeded");
}

pub fn name_of(metadata: Option<&argo_proto::k8s_meta::ObjectMeta>) -> &str {
    metadata
        .and_then(|metadata| metadata.name.as_deref())
        .unwrap_or_default()
}

/// Runs a test body on a runtime with large worker stacks (prost's decoders nest deeply).
pub fn big_stack<F>(future: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(svc_cron::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .expect("test runtime builds");
    runtime.block_on(async move {
        tokio::spawn(future).await.expect("the test body completes");
    });
}
