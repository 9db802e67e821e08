//! WorkflowTemplateService writes (create, update, delete) through the generated trait, over an
//! in-memory store: each RPC's success, not-found and invalid-argument answers.

mod support;

use argo_proto::k8s_meta::{CreateOptions, DeleteOptions, Preconditions};
use argo_proto::wf;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateService;
use argo_proto::workflowtemplate::{WorkflowTemplateCreateRequest, WorkflowTemplateUpdateRequest};
use support::calls::{create, delete, get, update};
use support::{default_instance_over_blues_greeting, name_of, services, template};
use tonic::{Code, Request};

#[tokio::test]
async fn create_workflow_template_stores_it_in_the_namespace_with_server_metadata() {
    let services = services();
    let created = create(&services, template("greeting.json", None))
        .await
        .expect("created");
    let metadata = created.metadata.expect("metadata");
    assert_eq!(metadata.name.as_deref(), Some("greeting"));
    assert_eq!(metadata.namespace.as_deref(), Some("argo"));
    assert!(metadata.uid.is_some() && metadata.resource_version.is_some());
    assert!(metadata.creation_timestamp.is_some());
}

#[tokio::test]
async fn create_workflow_template_of_an_existing_name_is_already_exists() {
    let services = services();
    create(&services, template("greeting.json", None))
        .await
        .expect("first");
    let status = create(&services, template("greeting.json", None))
        .await
        .expect_err("second");
    assert_eq!(status.code(), Code::AlreadyExists);
    assert_eq!(
        status.message(),
        "workflowtemplates.argoproj.io \"greeting\" already exists"
    );
}

#[tokio::test]
async fn create_workflow_template_that_fails_lint_is_invalid_argument_and_stores_nothing() {
    let services = services();
    let mut broken = template("greeting.json", None);
    broken.spec.as_mut().expect("spec").entrypoint = Some("missing".into());
    let status = create(&services, broken).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("missing"), "{}", status.message());
    let status = get(&services, "greeting")
        .await
        .expect_err("nothing stored");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn create_workflow_template_with_a_template_ref_not_found_is_invalid_argument() {
    let services = services();
    let status = create(&services, template("caller.json", None))
        .await
        .expect_err("reference missing");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("greeting"),
        "the message names the reference: {}",
        status.message()
    );
    create(&services, template("greeting.json", None))
        .await
        .expect("referenced template");
    create(&services, template("caller.json", None))
        .await
        .expect("the reference resolves from the store");
}

#[tokio::test]
async fn create_workflow_template_without_a_body_is_invalid_argument() {
    let services = services();
    let status = services
        .templates
        .create_workflow_template(Request::new(WorkflowTemplateCreateRequest {
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("no body");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "workflow template was not found in the request body"
    );
}

#[tokio::test]
async fn create_workflow_template_in_another_namespace_than_its_own_is_invalid_argument() {
    let services = services();
    let mut elsewhere = template("greeting.json", None);
    elsewhere.metadata.as_mut().expect("metadata").namespace = Some("other".into());
    let status = create(&services, elsewhere).await.expect_err("mismatch");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("does not match"));
}

#[tokio::test]
async fn create_workflow_template_as_a_dry_run_stores_nothing() {
    let services = services();
    let answered = services
        .templates
        .create_workflow_template(Request::new(WorkflowTemplateCreateRequest {
            namespace: "argo".into(),
            template: Some(template("greeting.json", None)),
            create_options: Some(CreateOptions {
                dry_run: vec!["All".into()],
                ..Default::default()
            }),
        }))
        .await
        .expect("dry run")
        .into_inner();
    assert_eq!(name_of(answered.metadata.as_ref()), "greeting");
    assert_eq!(
        get(&services, "greeting")
            .await
            .expect_err("not stored")
            .code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn update_workflow_template_replaces_the_stored_spec() {
    let services = services();
    let mut stored = create(&services, template("greeting.json", None))
        .await
        .expect("created");
    stored.spec.as_mut().expect("spec").templates[0]
        .container
        .as_mut()
        .expect("container")
        .image = Some("alpine".into());
    let updated = update(&services, stored.clone()).await.expect("updated");
    let image = |template: &wf::WorkflowTemplate| {
        template.spec.as_ref().expect("spec").templates[0]
            .container
            .as_ref()
            .expect("container")
            .image
            .clone()
    };
    assert_eq!(image(&updated).as_deref(), Some("alpine"));
    assert_ne!(
        updated
            .metadata
            .as_ref()
            .and_then(|m| m.resource_version.clone()),
        stored
            .metadata
            .as_ref()
            .and_then(|m| m.resource_version.clone())
    );
    let fetched = get(&services, "greeting").await.expect("found");
    assert_eq!(image(&fetched).as_deref(), Some("alpine"));
}

#[tokio::test]
async fn update_workflow_template_not_found_is_not_found() {
    let services = services();
    let mut absent = template("greeting.json", Some("absent"));
    absent.metadata.as_mut().expect("metadata").resource_version = Some("1".into());
    let status = update(&services, absent).await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "workflowtemplates.argoproj.io \"absent\" not found"
    );
}

#[tokio::test]
async fn update_workflow_template_with_a_stale_resource_version_is_already_exists() {
    let services = services();
    let stored = create(&services, template("greeting.json", None))
        .await
        .expect("created");
    let mut first = stored.clone();
    first
        .metadata
        .as_mut()
        .expect("metadata")
        .labels
        .insert("v".into(), "1".into());
    update(&services, first).await.expect("first update");
    let mut changed = stored;
    changed
        .metadata
        .as_mut()
        .expect("metadata")
        .labels
        .insert("v".into(), "2".into());
    let status = update(&services, changed).await.expect_err("stale");
    assert_eq!(status.code(), Code::AlreadyExists);
    assert!(
        status.message().starts_with(
            "Operation cannot be fulfilled on workflowtemplates.argoproj.io \"greeting\""
        ),
        "{}",
        status.message()
    );
}

#[tokio::test]
async fn update_workflow_template_without_a_resource_version_is_invalid_argument() {
    let services = services();
    create(&services, template("greeting.json", None))
        .await
        .expect("created");
    let status = update(&services, template("greeting.json", None))
        .await
        .expect_err("unconditional");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("metadata.resourceVersion"));
}

#[tokio::test]
async fn update_workflow_template_that_fails_lint_is_invalid_argument_and_keeps_the_old_one() {
    let services = services();
    let mut stored = create(&services, template("greeting.json", None))
        .await
        .expect("created");
    stored.spec.as_mut().expect("spec").entrypoint = Some("missing".into());
    let status = update(&services, stored).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    let kept = get(&services, "greeting").await.expect("still there");
    assert_eq!(kept.spec.expect("spec").entrypoint.as_deref(), Some("main"));
}

#[tokio::test]
async fn update_workflow_template_without_a_body_is_invalid_argument() {
    let services = services();
    let status = services
        .templates
        .update_workflow_template(Request::new(WorkflowTemplateUpdateRequest::default()))
        .await
        .expect_err("no body");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "WorkflowTemplate is not found in Request body"
    );
}

#[tokio::test]
async fn delete_workflow_template_removes_it() {
    let services = services();
    create(&services, template("greeting.json", None))
        .await
        .expect("created");
    delete(&services, "greeting", None).await.expect("deleted");
    assert_eq!(
        get(&services, "greeting").await.expect_err("gone").code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn delete_workflow_template_not_found_is_not_found() {
    let services = services();
    let status = delete(&services, "nope", None).await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn delete_workflow_template_with_a_stale_precondition_keeps_it() {
    let services = services();
    create(&services, template("greeting.json", None))
        .await
        .expect("created");
    let status = delete(
        &services,
        "greeting",
        Some(DeleteOptions {
            preconditions: Some(Preconditions {
                uid: Some("someone-else".into()),
                resource_version: None,
            }),
            ..Default::default()
        }),
    )
    .await
    .expect_err("stale uid");
    assert_eq!(status.code(), Code::AlreadyExists);
    get(&services, "greeting").await.expect("kept");
}

#[tokio::test]
async fn delete_workflow_template_of_another_instance_is_invalid_argument() {
    let default = default_instance_over_blues_greeting().await;
    let status = delete(&default, "greeting", None)
        .await
        .expect_err("foreign");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn update_workflow_template_not_found_without_a_resource_version_is_not_found() {
    let services = services();
    let status = update(&services, template("greeting.json", Some("absent")))
        .await
        .expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
}
