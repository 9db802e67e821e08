//! Every ArchivedWorkflowService RPC through the generated trait: success, not found and
//! invalid argument. Test names start with the RPC's snake-case name (see `rpc_coverage.rs`).

mod support;

use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflowarchive::archived_workflow_service_server::ArchivedWorkflowService;
use argo_proto::workflowarchive::{
    DeleteArchivedWorkflowRequest, GetArchivedWorkflowRequest,
    ListArchivedWorkflowLabelKeysRequest, ListArchivedWorkflowLabelValuesRequest,
    ListArchivedWorkflowsRequest, ResubmitArchivedWorkflowRequest, RetryArchivedWorkflowRequest,
};
use argo_store::ResourceKind;
use support::{FAILED_UID, Harness, SUCCEEDED_UID, fixture};
use tonic::{Code, Request};

const ARCHIVING_STATUS: &str = "workflows.argoproj.io/workflow-archiving-status";

fn list_request(label_selector: &str, field_selector: &str) -> ListArchivedWorkflowsRequest {
    ListArchivedWorkflowsRequest {
        list_options: Some(ListOptions {
            label_selector: Some(label_selector.into()),
            field_selector: Some(field_selector.into()),
            ..ListOptions::default()
        }),
        ..ListArchivedWorkflowsRequest::default()
    }
}

fn names(list: &argo_proto::wf::WorkflowList) -> Vec<String> {
    list.items
        .iter()
        .filter_map(|item| item.metadata.as_ref()?.name.clone())
        .collect()
}

#[tokio::test]
async fn list_archived_workflows_filters_by_labels_and_summarises() {
    let server = Harness::seeded().await.server();
    let all = server
        .list_archived_workflows(Request::new(list_request("", "")))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(
        names(&all),
        ["report", "nightly-x7k2p"],
        "newest start first"
    );
    let data = server
        .list_archived_workflows(Request::new(list_request("team=data", "")))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(names(&data), ["nightly-x7k2p"]);
    let item = &data.items[0];
    let status = item.status.as_ref().expect("status");
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert!(status.nodes.is_empty(), "lists carry no node tree");
    let labels = &item.metadata.as_ref().expect("metadata").labels;
    assert_eq!(
        labels.get(ARCHIVING_STATUS).map(String::as_str),
        Some("Persisted")
    );
}

#[tokio::test]
async fn list_archived_workflows_pages_with_integer_continue_and_name_filters() {
    let server = Harness::seeded().await.server();
    let mut request = list_request("", "ext.showRemainingItemCount=true");
    if let Some(options) = request.list_options.as_mut() {
        options.limit = Some(1);
    }
    let first = server
        .list_archived_workflows(Request::new(request.clone()))
        .await
        .expect("first page")
        .into_inner();
    let metadata = first.metadata.clone().expect("list metadata");
    assert_eq!(names(&first), ["report"]);
    assert_eq!(metadata.r#continue.as_deref(), Some("1"));
    assert_eq!(metadata.remaining_item_count, Some(1));
    if let Some(options) = request.list_options.as_mut() {
        options.r#continue = Some("1".into());
    }
    let second = server
        .list_archived_workflows(Request::new(request))
        .await
        .expect("second page")
        .into_inner();
    assert_eq!(names(&second), ["nightly-x7k2p"]);
    assert_eq!(second.metadata.and_then(|m| m.r#continue), None);

    let mut contains = list_request("", "metadata.name=ghtly");
    contains.name_filter = "Contains".into();
    contains.namespace = "argo".into();
    let found = server
        .list_archived_workflows(Request::new(contains))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(names(&found), ["nightly-x7k2p"]);
}

#[tokio::test]
async fn list_archived_workflows_in_a_namespace_without_any_is_empty_not_an_error() {
    let server = Harness::seeded().await.server();
    let request = ListArchivedWorkflowsRequest {
        namespace: "nowhere".into(),
        ..ListArchivedWorkflowsRequest::default()
    };
    let list = server
        .list_archived_workflows(Request::new(request))
        .await
        .expect("listed")
        .into_inner();
    assert!(list.items.is_empty());
}

#[tokio::test]
async fn list_archived_workflows_rejects_bad_selectors_and_continue() {
    let server = Harness::seeded().await.server();
    for (request, expected) in [
        (
            list_request("", "status.phase=Failed"),
            "unsupported requirement",
        ),
        (list_request("team in (", ""), "invalid selector"),
        (
            list_request("", "spec.startedAt>tomorrow"),
            "spec.startedAt>tomorrow",
        ),
    ] {
        let error = server
            .list_archived_workflows(Request::new(request))
            .await
            .expect_err(expected);
        assert_eq!(error.code(), Code::InvalidArgument, "{expected}");
        assert!(error.message().contains(expected), "{}", error.message());
    }
    let mut bad_continue = list_request("", "");
    if let Some(options) = bad_continue.list_options.as_mut() {
        options.r#continue = Some("next".into());
    }
    let error = server
        .list_archived_workflows(Request::new(bad_continue))
        .await
        .expect_err("continue");
    assert_eq!(error.message(), "listOptions.continue must be int");
}

#[tokio::test]
async fn get_archived_workflow_by_uid_or_by_namespace_and_name() {
    let server = Harness::seeded().await.server();
    let by_uid = server
        .get_archived_workflow(Request::new(GetArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            ..Default::default()
        }))
        .await
        .expect("found")
        .into_inner();
    let status = by_uid.status.expect("status");
    assert_eq!(status.nodes.len(), 1, "get returns the full workflow");
    let labels = by_uid.metadata.expect("metadata").labels;
    assert_eq!(
        labels.get(ARCHIVING_STATUS).map(String::as_str),
        Some("Persisted")
    );
    let by_name = server
        .get_archived_workflow(Request::new(GetArchivedWorkflowRequest {
            namespace: "finance".into(),
            name: "report".into(),
            ..Default::default()
        }))
        .await
        .expect("found")
        .into_inner();
    assert_eq!(
        by_name.metadata.and_then(|m| m.uid).as_deref(),
        Some(SUCCEEDED_UID)
    );
}

#[tokio::test]
async fn get_archived_workflow_not_found_and_invalid_argument() {
    let server = Harness::seeded().await.server();
    let missing = server
        .get_archived_workflow(Request::new(GetArchivedWorkflowRequest {
            uid: "no-such-uid".into(),
            ..Default::default()
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unnamed = server
        .get_archived_workflow(Request::new(GetArchivedWorkflowRequest {
            name: "report".into(),
            ..Default::default()
        }))
        .await
        .expect_err("no namespace");
    assert_eq!(unnamed.code(), Code::InvalidArgument);
    assert!(
        unnamed.message().contains("namespace"),
        "{}",
        unnamed.message()
    );
}

#[tokio::test]
async fn delete_archived_workflow_removes_it_and_then_it_is_not_found() {
    let harness = Harness::seeded().await;
    let server = harness.server();
    let request = || {
        Request::new(DeleteArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            ..Default::default()
        })
    };
    server
        .delete_archived_workflow(request())
        .await
        .expect("deleted");
    assert_eq!(harness.archive.get(FAILED_UID).await.expect("read"), None);
    let again = server
        .delete_archived_workflow(request())
        .await
        .expect_err("gone");
    assert_eq!(again.code(), Code::NotFound);
}

#[tokio::test]
async fn delete_archived_workflow_without_uid_or_name_is_invalid() {
    let server = Harness::seeded().await.server();
    let error = server
        .delete_archived_workflow(Request::new(DeleteArchivedWorkflowRequest::default()))
        .await
        .expect_err("nothing named");
    assert_eq!(error.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn list_archived_workflow_label_keys_lists_every_key_once() {
    let server = Harness::seeded().await.server();
    let keys = server
        .list_archived_workflow_label_keys(Request::new(
            ListArchivedWorkflowLabelKeysRequest::default(),
        ))
        .await
        .expect("keys")
        .into_inner()
        .items;
    assert!(keys.contains(&"team".to_owned()) && keys.contains(&"schedule".to_owned()));
    assert_eq!(keys.iter().filter(|key| *key == "team").count(), 1);
    let scoped = server
        .list_archived_workflow_label_keys(Request::new(ListArchivedWorkflowLabelKeysRequest {
            namespace: "finance".into(),
        }))
        .await
        .expect("keys")
        .into_inner()
        .items;
    assert!(!scoped.contains(&"schedule".to_owned()), "{scoped:?}");
}

#[tokio::test]
async fn list_archived_workflow_label_keys_of_an_empty_namespace_is_empty_not_found_free() {
    let server = Harness::seeded().await.server();
    let keys = server
        .list_archived_workflow_label_keys(Request::new(ListArchivedWorkflowLabelKeysRequest {
            namespace: "nowhere".into(),
        }))
        .await
        .expect("keys")
        .into_inner();
    assert!(keys.items.is_empty());
}

fn values_request(selector: &str) -> Request<ListArchivedWorkflowLabelValuesRequest> {
    Request::new(ListArchivedWorkflowLabelValuesRequest {
        list_options: Some(ListOptions {
            label_selector: Some(selector.into()),
            ..ListOptions::default()
        }),
        namespace: String::new(),
    })
}

#[tokio::test]
async fn list_archived_workflow_label_values_of_one_key() {
    let server = Harness::seeded().await.server();
    let values = server
        .list_archived_workflow_label_values(values_request("team"))
        .await
        .expect("values")
        .into_inner();
    assert_eq!(values.items, ["data", "finance"]);
    let unknown = server
        .list_archived_workflow_label_values(values_request("no-such-key"))
        .await
        .expect("values")
        .into_inner();
    assert!(unknown.items.is_empty(), "an unknown key has no values");
}

#[tokio::test]
async fn list_archived_workflow_label_values_needs_exactly_one_exists_requirement() {
    let server = Harness::seeded().await.server();
    for (selector, expected) in [
        ("", "found 0"),
        ("team,schedule", "found 2"),
        ("team=data", "not supported"),
        ("team in (", "invalid selector"),
    ] {
        let error = server
            .list_archived_workflow_label_values(values_request(selector))
            .await
            .expect_err(selector);
        assert_eq!(error.code(), Code::InvalidArgument, "{selector}");
        assert!(error.message().contains(expected), "{}", error.message());
    }
}

#[tokio::test]
async fn list_archived_workflow_label_values_skips_keys_matching_the_pattern() {
    let mut harness = Harness::seeded().await;
    harness.config = harness
        .config
        .clone()
        .with_skipped_value_keys("^tea")
        .expect("valid pattern");
    let values = harness
        .server()
        .list_archived_workflow_label_values(values_request("team"))
        .await
        .expect("values")
        .into_inner();
    assert!(values.items.is_empty());
}

fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::Workflow>()
}

#[tokio::test]
async fn retry_archived_workflow_creates_it_live_and_running() {
    let harness = Harness::seeded().await;
    let retried = harness
        .server()
        .retry_archived_workflow(Request::new(RetryArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            namespace: "argo".into(),
            parameters: vec!["day=tuesday".into()],
            ..Default::default()
        }))
        .await
        .expect("retried")
        .into_inner();
    let metadata = retried.metadata.expect("metadata");
    assert_eq!(metadata.name.as_deref(), Some("nightly-x7k2p"));
    assert_ne!(
        metadata.uid.as_deref(),
        Some(FAILED_UID),
        "a new live object"
    );
    assert!(!metadata.labels.contains_key(ARCHIVING_STATUS));
    let live = harness
        .store
        .get(&workflow_kind(), Some("argo"), "nightly-x7k2p")
        .await
        .expect("stored live");
    let json = serde_json::to_value(&live).expect("json");
    assert_eq!(json["status"]["phase"], "Running");
    assert_eq!(
        json["spec"]["arguments"]["parameters"][0]["value"],
        "tuesday"
    );
}

#[tokio::test]
async fn retry_archived_workflow_refuses_when_the_workflow_is_live() {
    let harness = Harness::seeded().await;
    let server = harness.server();
    let request = || {
        Request::new(RetryArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            namespace: "argo".into(),
            ..Default::default()
        })
    };
    server
        .retry_archived_workflow(request())
        .await
        .expect("first retry");
    let again = server
        .retry_archived_workflow(request())
        .await
        .expect_err("live already");
    assert_eq!(again.code(), Code::AlreadyExists);
    assert!(
        again.message().contains("argo retry"),
        "{}",
        again.message()
    );
}

#[tokio::test]
async fn retry_archived_workflow_not_found_and_invalid_argument() {
    let server = Harness::seeded().await.server();
    let missing = server
        .retry_archived_workflow(Request::new(RetryArchivedWorkflowRequest {
            uid: "no-such-uid".into(),
            ..Default::default()
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let bad_selector = server
        .retry_archived_workflow(Request::new(RetryArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            restart_successful: true,
            node_field_selector: "no operator here".into(),
            ..Default::default()
        }))
        .await
        .expect_err("bad selector");
    assert_eq!(bad_selector.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn resubmit_archived_workflow_creates_a_new_run_from_generate_name() {
    let harness = Harness::seeded().await;
    let created = harness
        .server()
        .resubmit_archived_workflow(Request::new(ResubmitArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            namespace: "argo".into(),
            memoized: true,
            ..Default::default()
        }))
        .await
        .expect("resubmitted")
        .into_inner();
    let name = created.metadata.and_then(|m| m.name).expect("named");
    assert_eq!(
        name, "nightly-bbbbb",
        "generateName plus the injected suffix"
    );
    let live = harness
        .store
        .get(&workflow_kind(), Some("argo"), &name)
        .await
        .expect("stored live");
    assert_eq!(
        live.label("workflows.argoproj.io/resubmitted-from-workflow"),
        Some("nightly-x7k2p")
    );
}

#[tokio::test]
async fn resubmit_archived_workflow_not_found_and_invalid_argument() {
    let server = Harness::seeded().await.server();
    let missing = server
        .resubmit_archived_workflow(Request::new(ResubmitArchivedWorkflowRequest {
            uid: "no-such-uid".into(),
            ..Default::default()
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unnamed = server
        .resubmit_archived_workflow(Request::new(ResubmitArchivedWorkflowRequest {
            name: "report".into(),
            ..Default::default()
        }))
        .await
        .expect_err("no namespace");
    assert_eq!(unnamed.code(), Code::InvalidArgument);
    // Memoized resubmission needs a failed run; this one succeeded.
    let memoized = server
        .resubmit_archived_workflow(Request::new(ResubmitArchivedWorkflowRequest {
            uid: SUCCEEDED_UID.into(),
            memoized: true,
            ..Default::default()
        }))
        .await
        .expect_err("succeeded");
    assert!(
        memoized.message().contains("memoized"),
        "{}",
        memoized.message()
    );
    let _ = fixture("report-succeeded.json");
}
