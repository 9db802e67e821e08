//! The service as a client sees it: the generated tonic client over a loopback socket, with
//! health served beside it, and the SQLite store underneath.

mod support;

use std::sync::Arc;

use argo_proto::workflow::workflow_service_client::WorkflowServiceClient;
use argo_proto::workflow::{WorkflowCreateRequest, WorkflowGetRequest, WorkflowListRequest};
use argo_store::{Environment, SqliteConfig, SqliteStore};
use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

#[test]
fn a_generated_client_creates_gets_and_lists_over_sqlite() {
    support::on_service_runtime(create_get_and_list_over_sqlite());
}

async fn create_get_and_list_over_sqlite() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(
        &SqliteConfig::file(directory.path().join("argo.db")),
        Environment::default(),
    )
    .await
    .expect("sqlite");
    let address = support::serve_grpc(Arc::new(store)).await;
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
