//! Malformed label selectors and unsupported field selectors on ListCronWorkflows are
//! InvalidArgument naming the selector.

use std::sync::Arc;

use argo_proto::cronworkflow::ListCronWorkflowsRequest;
use argo_proto::cronworkflow::cron_workflow_service_server::CronWorkflowService;
use argo_proto::k8s_meta::ListOptions;
use argo_store::MemoryStore;
use svc_cron::{Config, CronWorkflowServer};
use tonic::{Code, Request};

#[tokio::test]
async fn list_cron_workflows_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = CronWorkflowServer::new(Arc::new(MemoryStore::default()), Config::default());
    let cases = [
        ("team in (docs", true),
        ("!", true),
        ("spec.schedule=* * * * *", false),
    ];
    for (selector, is_label) in cases {
        let options = if is_label {
            ListOptions {
                label_selector: Some(selector.to_owned()),
                ..Default::default()
            }
        } else {
            ListOptions {
                field_selector: Some(selector.to_owned()),
                ..Default::default()
            }
        };
        let status = server
            .list_cron_workflows(Request::new(ListCronWorkflowsRequest {
                namespace: "argo".into(),
                list_options: Some(options),
            }))
            .await
            .expect_err("a bad selector is refused");
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        assert!(
            status.message().contains(selector),
            "the message should name {selector:?}: {}",
            status.message()
        );
    }
}
