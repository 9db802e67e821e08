//! Outcomes that other files check together with a failure, one per test, so
//! `argo_service::rpc_coverage` finds the success by name.

use std::sync::Arc;

use argo_proto::clusterworkflowtemplate::cluster_workflow_template_service_server::ClusterWorkflowTemplateService;
use argo_proto::clusterworkflowtemplate::{
    ClusterWorkflowTemplateCreateRequest, ClusterWorkflowTemplateGetRequest,
};
use argo_store::MemoryStore;
use svc_template::{ClusterWorkflowTemplateServer, Config};
use tonic::Request;

fn shared_template() -> argo_proto::wf::ClusterWorkflowTemplate {
    let path = format!("{}/tests/fixtures/shared.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let json: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    argo_proto::json_to_prost(&json).expect("fixture converts")
}

#[tokio::test]
async fn get_cluster_workflow_template_answers_the_stored_template() {
    let server =
        ClusterWorkflowTemplateServer::new(Arc::new(MemoryStore::default()), Config::default());
    server
        .create_cluster_workflow_template(Request::new(ClusterWorkflowTemplateCreateRequest {
            template: Some(shared_template()),
            create_options: None,
        }))
        .await
        .expect("created");
    let found = server
        .get_cluster_workflow_template(Request::new(ClusterWorkflowTemplateGetRequest {
            name: "shared".into(),
            get_options: None,
        }))
        .await
        .expect("found")
        .into_inner();
    assert_eq!(found.spec.expect("spec").templates.len(), 1);
}
