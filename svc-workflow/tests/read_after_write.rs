//! A write is visible to the very next read. GetWorkflow is served from the service's
//! watch-fed copy of the store, and the gateway revalidates the JSON it keeps; still, right
//! after the store (as the controller writes it) or an RPC changed a workflow, REST through
//! the gateway and gRPC both answer the new resourceVersion and content.

mod support;

use std::sync::Arc;

use argo_proto::workflow::WorkflowGetRequest;
use argo_proto::workflow::workflow_service_client::WorkflowServiceClient;
use argo_service::testing::{get, local_gateway, put};
use argo_store::prelude::*;
use argo_store::{Environment, SqliteConfig, SqliteStore};
use serde_json::json;

#[test]
fn updates_are_read_back_at_once_over_rest_and_grpc() {
    support::on_service_runtime(read_after_write());
}

/// `GET` of the workflow through the gateway: its resourceVersion and JSON.
macro_rules! rest_version {
    ($rest:expr) => {{
        let (status, body) = get($rest, "/api/v1/workflows/argo/waiting").await;
        assert_eq!(status.as_u16(), 200, "{body}");
        let version = body["metadata"]["resourceVersion"]
            .as_str()
            .expect("a resourceVersion")
            .to_owned();
        (version, body)
    }};
}

async fn read_after_write() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(
        SqliteStore::open(
            &SqliteConfig::file(directory.path().join("argo.db")),
            Environment::default(),
        )
        .await
        .expect("sqlite"),
    );
    support::seed(&*store, "waiting.json").await;
    let service = svc_workflow::service(
        store.clone(),
        Arc::new(svc_workflow::NoLogs),
        svc_workflow::WorkflowConfig::default(),
    );
    let routes = tonic::service::Routes::new(service);
    let rest = local_gateway(routes.clone()).await;
    let mut grpc = WorkflowServiceClient::new(routes);
    let request = || WorkflowGetRequest {
        namespace: "argo".to_owned(),
        name: "waiting".to_owned(),
        ..WorkflowGetRequest::default()
    };

    for round in 0..10 {
        // Read twice so the gateway holds this version's JSON, then change the workflow the
        // way the controller does: straight in the store.
        let (before, _) = rest_version!(&rest);
        assert_eq!(rest_version!(&rest).0, before);
        let mut object = store
            .get(&support::workflow_kind(), Some("argo"), "waiting")
            .await
            .expect("stored");
        object
            .metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("example.com/round".to_owned(), round.to_string());
        let updated = store
            .update(&support::workflow_kind(), object)
            .await
            .expect("updated");
        let written = updated.metadata.resource_version.expect("a version");
        assert_ne!(written, before);

        let (after, body) = rest_version!(&rest);
        assert_eq!(after, written, "REST read in round {round}");
        assert_eq!(
            body["metadata"]["annotations"]["example.com/round"],
            json!(round.to_string())
        );
        let answer = grpc
            .get_workflow(request())
            .await
            .expect("gRPC get")
            .into_inner();
        let metadata = answer.metadata.expect("metadata");
        assert_eq!(metadata.resource_version.as_deref(), Some(written.as_str()));
    }

    // A write through an RPC is read back the same way.
    let (status, suspended) = put(
        &rest,
        "/api/v1/workflows/argo/waiting/suspend",
        json!({ "namespace": "argo", "name": "waiting" }),
    )
    .await;
    assert_eq!(status.as_u16(), 200, "{suspended}");
    let written = suspended["metadata"]["resourceVersion"].clone();
    let (after, body) = rest_version!(&rest);
    assert_eq!(json!(after), written);
    assert_eq!(body["spec"]["suspend"], json!(true));
    let answer = grpc
        .get_workflow(request())
        .await
        .expect("gRPC get")
        .into_inner();
    assert_eq!(
        answer.spec.and_then(|spec| spec.suspend),
        Some(true),
        "gRPC read after suspend"
    );
}
