//! Malformed label selectors and unsupported field selectors on every List RPC of both
//! template services are InvalidArgument naming the selector, and nothing is listed.

use std::sync::Arc;

use argo_proto::clusterworkflowtemplate::ClusterWorkflowTemplateListRequest;
use argo_proto::clusterworkflowtemplate::cluster_workflow_template_service_server::ClusterWorkflowTemplateService;
use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflowtemplate::WorkflowTemplateListRequest;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateService;
use argo_store::{MemoryStore, ResourceStore};
use svc_template::{ClusterWorkflowTemplateServer, Config, WorkflowTemplateServer};
use tonic::{Code, Request, Status};

const BAD_LABELS: &str = "team in (docs";
const BAD_FIELDS: &str = "spec.entrypoint=main";

fn store() -> Arc<dyn ResourceStore> {
    Arc::new(MemoryStore::default())
}

fn labels(selector: &str) -> Option<ListOptions> {
    Some(ListOptions {
        label_selector: Some(selector.to_owned()),
        ..Default::default()
    })
}

fn fields(selector: &str) -> Option<ListOptions> {
    Some(ListOptions {
        field_selector: Some(selector.to_owned()),
        ..Default::default()
    })
}

fn assert_names_selector(status: &Status, selector: &str) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().contains(selector),
        "the message should name {selector:?}: {}",
        status.message()
    );
}

#[tokio::test]
async fn list_workflow_templates_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = WorkflowTemplateServer::new(store(), Config::default());
    for (options, selector) in [
        (labels(BAD_LABELS), BAD_LABELS),
        (fields(BAD_FIELDS), BAD_FIELDS),
    ] {
        let status = server
            .list_workflow_templates(Request::new(WorkflowTemplateListRequest {
                namespace: "argo".into(),
                list_options: options,
                ..Default::default()
            }))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}

#[tokio::test]
async fn list_cluster_workflow_templates_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = ClusterWorkflowTemplateServer::new(store(), Config::default());
    for (options, selector) in [
        (labels(BAD_LABELS), BAD_LABELS),
        (fields(BAD_FIELDS), BAD_FIELDS),
    ] {
        let status = server
            .list_cluster_workflow_templates(Request::new(ClusterWorkflowTemplateListRequest {
                list_options: options,
            }))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}
