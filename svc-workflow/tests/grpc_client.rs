//! The service as a client sees it: the generated tonic client over a loopback socket, with
//! health served beside it, and the SQLite store underneath.

mod support;

use std::sync::Arc;

use argo_proto::workflow::workflow_service_client::WorkflowServiceClient;
use argo_proto::workflow::{WorkflowCreateRequest, WorkflowGetRequest, WorkflowListRequest};
use argo_store::{Environment, ResourceStore, SqliteConfig, SqliteStore};
use tonic::Code;
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

async fn serve(store: Arc<dyn ResourceStore>) -> String {
    let incoming = TcpIncoming::bind("127.0.0.1:0".parse().expect("address")).expect("bind");
    let address = incoming.local_addr().expect("bound address");
    let service = svc_workflow::service(
        store,
        Arc::new(svc_workflow::NoLogs),
        svc_workflow::WorkflowConfig::default(),
    );
    let router = argo_service::base_router(&["workflow.WorkflowService"])
        .await
        .expect("router");
    tokio::spawn(router.add_service(service).serve_with_incoming(incoming));
    format!("http://{address}")
}

/// Debug builds nest the server's futures and the linter's recursion deeper than tokio's
/// default 2 MiB worker stacks allow; the binaries use the same larger stacks.
#[test]
fn a_generated_client_creates_gets_and_lists_over_sqlite() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(svc_workflow::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .expect("runtime");
    // The client decodes on a worker thread too: prost's decoders for the Workflow message
    // nest deeply.
    runtime
        .block_on(runtime.spawn(create_get_and_list_over_sqlite()))
        .expect("test task");
}

async fn create_get_and_list_over_sqlite() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(
        &SqliteConfig::file(directory.path().join("argo.db")),
        Environment::default(),
    )
    .await
    .expect("sqlite");
    let address = serve(Arc::new(store)).await;
    let mut client = WorkflowServiceClient::connect(address.clone())
        .await
        .expect("connected");
    let created = client
        .create_workflow(WorkflowCreateRequest {
            namespace: "argo".into(),
            workflow: Some(support::workflow_message("hello-world.json")),
            ..Default::default()
        })
        .await
        .expect("created")
        .into_inner();
    let name = created
        .metadata
        .and_then(|metadata| metadata.name)
        .expect("name");
    let fetched = client
        .get_workflow(WorkflowGetRequest {
            name: name.clone(),
            namespace: "argo".into(),
            ..Default::default()
        })
        .await
        .expect("fetched")
        .into_inner();
    assert_eq!(
        fetched.metadata.and_then(|metadata| metadata.name),
        Some(name)
    );
    let list = client
        .list_workflows(WorkflowListRequest {
            namespace: "argo".into(),
            ..Default::default()
        })
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(list.items.len(), 1);
    let missing = client
        .get_workflow(WorkflowGetRequest {
            name: "nope".into(),
            namespace: "argo".into(),
            ..Default::default()
        })
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);

    let channel = tonic::transport::Endpoint::from_shared(address)
        .expect("uri")
        .connect()
        .await
        .expect("connected");
    let mut health = HealthClient::new(channel);
    let serving = health
        .check(HealthCheckRequest {
            service: "workflow.WorkflowService".into(),
        })
        .await
        .expect("health")
        .into_inner();
    assert_eq!(serving.status, 1, "SERVING");
}
