//! CronWorkflowService reads (get, list, lint) through the generated trait, over an in-memory
//! store: success, not-found and invalid-argument answers.

mod support;

use argo_proto::k8s_meta::ListOptions;
use support::calls::{create, get, lint, list};
use support::{cron, cron_from, name_of, service, service_with};
use tonic::Code;

#[tokio::test]
async fn get_cron_workflow_returns_the_stored_one() {
    let service = service();
    create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    let found = get(&service, "nightly").await.expect("found");
    assert_eq!(
        found.spec.expect("spec").concurrency_policy.as_deref(),
        Some("Forbid")
    );
}

#[tokio::test]
async fn get_cron_workflow_not_found_names_it() {
    let service = service();
    let status = get(&service, "nope").await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "cronworkflows.argoproj.io \"nope\" not found"
    );
}

#[tokio::test]
async fn get_cron_workflow_without_a_name_or_of_another_instance_is_invalid_argument() {
    let blue = service_with(
        std::sync::Arc::new(argo_store::MemoryStore::default()),
        svc_cron::Config {
            instance_id: Some("blue".into()),
        },
    );
    create(&blue, Some(cron("nightly", None)))
        .await
        .expect("created by blue");
    let default = service_with(blue.store.clone(), svc_cron::Config::default());
    let status = get(&default, "nightly").await.expect_err("foreign");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "'nightly' is not managed by the current Argo Server"
    );
    let status = get(&default, "").await.expect_err("no name");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        list(&default, "argo", ListOptions::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn list_cron_workflows_selects_by_label_and_pages() {
    let service = service();
    for name in ["a", "b", "c"] {
        create(&service, Some(cron(name, None)))
            .await
            .expect("created");
    }
    let by_label = list(
        &service,
        "argo",
        ListOptions {
            label_selector: Some("team=ops".into()),
            limit: Some(2),
            ..Default::default()
        },
    )
    .await
    .expect("first page");
    let names: Vec<&str> = by_label
        .items
        .iter()
        .map(|c| name_of(c.metadata.as_ref()))
        .collect();
    assert_eq!(names, ["a", "b"]);
    let token = by_label.metadata.and_then(|m| m.r#continue).expect("more");
    let rest = list(
        &service,
        "argo",
        ListOptions {
            label_selector: Some("team=ops".into()),
            limit: Some(2),
            r#continue: Some(token),
            ..Default::default()
        },
    )
    .await
    .expect("second page");
    assert_eq!(rest.items.len(), 1);
    let everywhere = list(&service, "", ListOptions::default())
        .await
        .expect("all namespaces");
    assert_eq!(everywhere.items.len(), 3);
}

#[tokio::test]
async fn list_cron_workflows_with_an_invalid_selector_is_invalid_argument() {
    let service = service();
    let status = list(
        &service,
        "argo",
        ListOptions {
            label_selector: Some("=x".into()),
            ..Default::default()
        },
    )
    .await
    .expect_err("bad selector");
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = list(
        &service,
        "argo",
        ListOptions {
            limit: Some(-1),
            ..Default::default()
        },
    )
    .await
    .expect_err("negative limit");
    assert!(status.message().contains("listOptions.limit"));
}

#[tokio::test]
async fn list_cron_workflows_of_a_namespace_not_found_is_empty() {
    let service = service();
    create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    assert!(
        list(&service, "elsewhere", ListOptions::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn lint_cron_workflow_answers_it_and_stores_nothing() {
    let service = service();
    let linted = lint(&service, Some(cron("nightly", None)))
        .await
        .expect("valid");
    assert_eq!(name_of(linted.metadata.as_ref()), "nightly");
    assert_eq!(
        get(&service, "nightly")
            .await
            .expect_err("not stored")
            .code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn lint_cron_workflow_reports_argos_messages_as_invalid_argument() {
    let service = service();
    let mut bad = cron("nightly", None);
    bad.spec.as_mut().expect("spec").concurrency_policy = Some("Sometimes".into());
    let status = lint(&service, Some(bad)).await.expect_err("bad policy");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "'Sometimes' is not a valid concurrencyPolicy"
    );
    let long = "n".repeat(53);
    let status = lint(&service, Some(cron(&long, None)))
        .await
        .expect_err("long name");
    assert!(
        status
            .message()
            .contains("must not be more than 52 characters")
    );
    assert_eq!(
        lint(&service, None).await.expect_err("no body").code(),
        Code::InvalidArgument
    );
}

#[tokio::test]
async fn lint_cron_workflow_with_a_workflow_template_ref_not_found_is_invalid_argument() {
    let service = service();
    let status = lint(&service, Some(cron_from("from-template.json")))
        .await
        .expect_err("missing template");
    assert_eq!(status.code(), Code::InvalidArgument);
}
