//! WorkflowTemplateService reads (get, list, lint) through the generated trait, over an
//! in-memory store: each RPC's success, not-found and invalid-argument answers.

mod support;

use argo_proto::k8s_meta::{ListOptions, ObjectMeta};
use argo_proto::workflowtemplate::WorkflowTemplateListRequest;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateService;
use support::calls::{create, get, lint, list, names};
use support::{default_instance_over_blues_greeting, name_of, services, services_with, template};
use tonic::{Code, Request};

#[tokio::test]
async fn get_workflow_template_returns_the_stored_template() {
    let services = services();
    create(&services, template("greeting.json", None))
        .await
        .expect("created");
    let found = get(&services, "greeting").await.expect("found");
    let spec = found.spec.expect("spec");
    assert_eq!(spec.entrypoint.as_deref(), Some("main"));
    assert_eq!(spec.templates.len(), 1);
}

#[tokio::test]
async fn get_workflow_template_not_found_names_it_as_kubernetes_does() {
    let services = services();
    let status = get(&services, "nope").await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "workflowtemplates.argoproj.io \"nope\" not found"
    );
}

#[tokio::test]
async fn get_workflow_template_of_another_instance_is_invalid_argument() {
    let default = default_instance_over_blues_greeting().await;
    let status = get(&default, "greeting").await.expect_err("foreign");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "'greeting' is not managed by the current Argo Server"
    );
    let listed = list(&default, "", ListOptions::default())
        .await
        .expect("list");
    assert!(
        listed.items.is_empty(),
        "other instances' templates are not listed"
    );
}

#[tokio::test]
async fn list_workflow_templates_selects_by_label_and_field_and_pages() {
    let services = services();
    for name in ["c", "a", "b"] {
        create(&services, template("greeting.json", Some(name)))
            .await
            .expect("created");
    }
    let mut unlabelled = template("greeting.json", Some("d"));
    unlabelled
        .metadata
        .as_mut()
        .expect("metadata")
        .labels
        .clear();
    create(&services, unlabelled).await.expect("created");

    let by_label = list(
        &services,
        "",
        ListOptions {
            label_selector: Some("team=docs".into()),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(names(&by_label), ["a", "b", "c"]);

    let by_field = list(
        &services,
        "",
        ListOptions {
            field_selector: Some("metadata.name!=a".into()),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(names(&by_field), ["b", "c", "d"]);

    let first = list(
        &services,
        "",
        ListOptions {
            limit: Some(3),
            ..Default::default()
        },
    )
    .await
    .expect("first page");
    assert_eq!(names(&first), ["a", "b", "c"]);
    let token = first.metadata.and_then(|m| m.r#continue).expect("more");
    let second = list(
        &services,
        "",
        ListOptions {
            limit: Some(3),
            r#continue: Some(token),
            ..Default::default()
        },
    )
    .await
    .expect("second page");
    assert_eq!(names(&second), ["d"]);
    assert!(second.metadata.and_then(|m| m.r#continue).is_none());
}

#[tokio::test]
async fn list_workflow_templates_with_a_name_pattern_pages_by_resource_version() {
    let services = services();
    for name in ["build-a", "test-a", "build-b", "build-c"] {
        create(&services, template("greeting.json", Some(name)))
            .await
            .expect("created");
    }
    let options = |token: Option<String>| ListOptions {
        limit: Some(2),
        r#continue: token,
        ..Default::default()
    };
    let first = list(&services, "build", options(None))
        .await
        .expect("first page");
    assert_eq!(names(&first), ["build-b", "build-c"], "newest first");
    let token = first.metadata.and_then(|m| m.r#continue).expect("more");
    let second = list(&services, "build", options(Some(token)))
        .await
        .expect("second page");
    assert_eq!(names(&second), ["build-a"]);
}

#[tokio::test]
async fn list_workflow_templates_with_an_invalid_selector_is_invalid_argument() {
    let services = services();
    let status = list(
        &services,
        "",
        ListOptions {
            label_selector: Some("team in (docs".into()),
            ..Default::default()
        },
    )
    .await
    .expect_err("bad selector");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("team in (docs"),
        "{}",
        status.message()
    );
    let status = list(
        &services,
        "x",
        ListOptions {
            r#continue: Some("not-a-revision".into()),
            ..Default::default()
        },
    )
    .await
    .expect_err("bad token");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("listOptions.continue"));
}

#[tokio::test]
async fn list_workflow_templates_of_a_namespace_not_found_is_empty() {
    let services = services();
    create(&services, template("greeting.json", None))
        .await
        .expect("created");
    let listed = services
        .templates
        .list_workflow_templates(Request::new(WorkflowTemplateListRequest {
            namespace: "nowhere".into(),
            ..Default::default()
        }))
        .await
        .expect("an empty list, as Kubernetes answers")
        .into_inner();
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn lint_workflow_template_answers_the_template_and_stores_nothing() {
    let services = services();
    let linted = lint(&services, Some(template("greeting.json", None)))
        .await
        .expect("valid");
    assert_eq!(name_of(linted.metadata.as_ref()), "greeting");
    assert_eq!(
        get(&services, "greeting")
            .await
            .expect_err("not stored")
            .code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn lint_workflow_template_reports_argos_message_as_invalid_argument() {
    let services = services();
    let mut broken = template("greeting.json", None);
    broken.spec.as_mut().expect("spec").templates[0].name = Some(String::new());
    let status = lint(&services, Some(broken)).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("name is required"),
        "{}",
        status.message()
    );
    let status = lint(&services, None).await.expect_err("no body");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn lint_workflow_template_with_a_template_ref_not_found_is_invalid_argument() {
    let services = services();
    let status = lint(&services, Some(template("caller.json", None)))
        .await
        .expect_err("reference missing");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn lint_workflow_template_labels_the_answer_with_the_instance() {
    let blue = services_with(svc_template::Config {
        instance_id: Some("blue".into()),
    });
    let linted = lint(&blue, Some(template("greeting.json", None)))
        .await
        .expect("valid");
    let metadata = linted.metadata.unwrap_or(ObjectMeta::default());
    assert_eq!(
        metadata
            .labels
            .get(svc_template::INSTANCE_ID_LABEL)
            .map(String::as_str),
        Some("blue")
    );
}
