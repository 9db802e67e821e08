//! Shared test set-up: a service over an in-memory store, fixtures, a fake log source, the
//! runtime the tests run on and the service mounted on a loopback port.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use argo_proto::wf;
use argo_store::{MemoryStore, Object, ResourceKind, ResourceStore};
use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};
use serde_json::Value;
use svc_workflow::{Error, LogLine, LogQuery, LogSource, Result, WorkflowConfig, WorkflowServer};

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub fn workflow_message(name: &str) -> wf::Workflow {
    argo_proto::json_to_prost(&fixture(name)).expect("fixture converts")
}

pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::Workflow>()
}

/// Stores a fixture as is (status included), as the controller would have left it.
pub async fn seed(store: &dyn ResourceStore, name: &str) {
    let mut json = fixture(name);
    json["apiVersion"] = "argoproj.io/v1alpha1".into();
    json["kind"] = "Workflow".into();
    let object: Object = serde_json::from_value(json).expect("object");
    store
        .create(&workflow_kind(), object)
        .await
        .expect("seeded");
}

/// Logs by (pod, container).
#[derive(Debug, Default)]
pub struct FakeLogs {
    pub lines: BTreeMap<(String, String), Vec<String>>,
}

#[async_trait]
impl LogSource for FakeLogs {
    async fn logs(
        &self,
        _namespace: &str,
        pod: &str,
        container: &str,
        query: &LogQuery,
    ) -> Result<BoxStream<'static, Result<LogLine>>> {
        let Some(lines) = self.lines.get(&(pod.to_owned(), container.to_owned())) else {
            return Err(Error::not_found(format!("pods \"{pod}\" not found")));
        };
        let skip = query
            .tail_lines
            .map_or(0, |tail| lines.len().saturating_sub(tail));
        let lines: Vec<Result<LogLine>> = lines
            .iter()
            .skip(skip)
            .map(|text| {
                Ok(LogLine {
                    timestamp: jiff::Timestamp::UNIX_EPOCH,
                    text: text.clone(),
                })
            })
            .collect();
        Ok(stream::iter(lines).boxed())
    }
}

pub fn server_with(
    store: Arc<dyn ResourceStore>,
    logs: FakeLogs,
) -> WorkflowServer<dyn ResourceStore> {
    WorkflowServer::new(store, Arc::new(logs), WorkflowConfig::default())
}

pub fn server() -> (WorkflowServer<dyn ResourceStore>, Arc<dyn ResourceStore>) {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    (server_with(store.clone(), FakeLogs::default()), store)
}

/// Runs `test` on a runtime with the service's worker stacks: debug builds nest the server's
/// futures, the linter's recursion and prost's decoders for the Workflow message deeper than
/// tokio's default 2 MiB allow, so the test body runs on a worker too, not on this thread.
pub fn on_service_runtime(test: impl std::future::Future<Output = ()> + Send + 'static) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(svc_workflow::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(runtime.spawn(test)).expect("test task");
}

/// The service as mounted (with health and reflection beside it) on a loopback port; its
/// `http://` address.
pub async fn serve_grpc(store: Arc<dyn ResourceStore>) -> String {
    let incoming =
        tonic::transport::server::TcpIncoming::bind("127.0.0.1:0".parse().expect("address"))
            .expect("bind");
    let address = incoming.local_addr().expect("bound address");
    let service = svc_workflow::service(
        store,
        Arc::new(svc_workflow::NoLogs),
        WorkflowConfig::default(),
    );
    let router = argo_service::base_router(&["workflow.WorkflowService"])
        .await
        .expect("router");
    tokio::spawn(router.add_service(service).serve_with_incoming(incoming));
    format!("http://{address}")
}
