//! ClusterWorkflowTemplateService through the generated trait, over an in-memory store: each
//! RPC's success, not-found and invalid-argument answers.

mod support;

use argo_proto::clusterworkflowtemplate::cluster_workflow_template_service_server::ClusterWorkflowTemplateService;
use argo_proto::clusterworkflowtemplate::{
    ClusterWorkflowTemplateCreateRequest, ClusterWorkflowTemplateDeleteRequest,
    ClusterWorkflowTemplateGetRequest, ClusterWorkflowTemplateLintRequest,
    ClusterWorkflowTemplateListRequest, ClusterWorkflowTemplateUpdateRequest,
};
use argo_proto::k8s_meta::ListOptions;
use argo_proto::wf;
use argo_proto::workflowtemplate::WorkflowTemplateCreateRequest;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateService;
use support::{
    Services, cluster_template, name_of, seed_blue_cluster_template, services, template,
};
use tonic::{Code, Request, Status};

async fn create(
    services: &Services,
    template: Option<wf::ClusterWorkflowTemplate>,
) -> Result<wf::ClusterWorkflowTemplate, Status> {
    services
        .cluster
        .create_cluster_workflow_template(Request::new(ClusterWorkflowTemplateCreateRequest {
            template,
            create_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn get(services: &Services, name: &str) -> Result<wf::ClusterWorkflowTemplate, Status> {
    services
        .cluster
        .get_cluster_workflow_template(Request::new(ClusterWorkflowTemplateGetRequest {
            name: name.into(),
            get_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn list(
    services: &Services,
    options: ListOptions,
) -> Result<wf::ClusterWorkflowTemplateList, Status> {
    services
        .cluster
        .list_cluster_workflow_templates(Request::new(ClusterWorkflowTemplateListRequest {
            list_options: Some(options),
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn update(
    services: &Services,
    template: Option<wf::ClusterWorkflowTemplate>,
) -> Result<wf::ClusterWorkflowTemplate, Status> {
    services
        .cluster
        .update_cluster_workflow_template(Request::new(ClusterWorkflowTemplateUpdateRequest {
            template,
            ..Default::default()
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn delete(services: &Services, name: &str) -> Result<(), Status> {
    services
        .cluster
        .delete_cluster_workflow_template(Request::new(ClusterWorkflowTemplateDeleteRequest {
            name: name.into(),
            delete_options: None,
        }))
        .await
        .map(|_| ())
}

async fn lint(
    services: &Services,
    template: Option<wf::ClusterWorkflowTemplate>,
) -> Result<wf::ClusterWorkflowTemplate, Status> {
    services
        .cluster
        .lint_cluster_workflow_template(Request::new(ClusterWorkflowTemplateLintRequest {
            template,
            create_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

fn broken() -> wf::ClusterWorkflowTemplate {
    let mut broken = cluster_template("shared.json", None);
    broken.spec.as_mut().expect("spec").templates[0].name = Some("Not_A_Name".into());
    broken
}

#[tokio::test]
async fn create_cluster_workflow_template_stores_it_without_a_namespace() {
    let services = services();
    let created = create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("created");
    let metadata = created.metadata.expect("metadata");
    assert_eq!(metadata.name.as_deref(), Some("shared"));
    assert_eq!(metadata.namespace, None);
}

#[tokio::test]
async fn create_cluster_workflow_template_that_fails_lint_or_has_no_body_is_invalid_argument() {
    let services = services();
    let status = create(&services, Some(broken()))
        .await
        .expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("Not_A_Name"),
        "{}",
        status.message()
    );
    let status = create(&services, None).await.expect_err("no body");
    assert_eq!(
        status.message(),
        "cluster workflow template was not found in the request body"
    );
    assert!(
        list(&services, ListOptions::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn create_cluster_workflow_template_with_a_template_ref_not_found_is_invalid_argument() {
    let services = services();
    let mut caller = cluster_template("caller.json", None);
    caller.spec.as_mut().expect("spec").templates[0].steps[0].steps[0]
        .template_ref
        .as_mut()
        .expect("templateRef")
        .cluster_scope = Some(true);
    let status = create(&services, Some(caller))
        .await
        .expect_err("missing reference");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn create_cluster_workflow_template_twice_is_already_exists() {
    let services = services();
    create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("first");
    let status = create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect_err("second");
    assert_eq!(status.code(), Code::AlreadyExists);
    assert_eq!(
        status.message(),
        "clusterworkflowtemplates.argoproj.io \"shared\" already exists"
    );
}

#[tokio::test]
async fn get_cluster_workflow_template_returns_it_or_not_found_names_it() {
    let services = services();
    create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("created");
    let found = get(&services, "shared").await.expect("found");
    assert_eq!(found.spec.expect("spec").templates.len(), 1);
    let status = get(&services, "nope").await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "clusterworkflowtemplates.argoproj.io \"nope\" not found"
    );
}

#[tokio::test]
async fn get_cluster_workflow_template_without_a_name_is_invalid_argument() {
    let services = services();
    let status = get(&services, "").await.expect_err("no name");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "name is required");
}

#[tokio::test]
async fn get_cluster_workflow_template_of_another_instance_is_invalid_argument() {
    let services = services();
    seed_blue_cluster_template(&services, "shared").await;
    let status = get(&services, "shared").await.expect_err("foreign");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn list_cluster_workflow_templates_by_label_sorted_by_name() {
    let services = services();
    for name in ["zeta", "alpha"] {
        create(&services, Some(cluster_template("shared.json", Some(name))))
            .await
            .expect("created");
    }
    // Namespaced templates are another kind: never listed here.
    services
        .templates
        .create_workflow_template(Request::new(WorkflowTemplateCreateRequest {
            namespace: "argo".into(),
            template: Some(template("greeting.json", None)),
            create_options: None,
        }))
        .await
        .expect("namespaced");
    let listed = list(
        &services,
        ListOptions {
            label_selector: Some("scope=cluster".into()),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    let names: Vec<&str> = listed
        .items
        .iter()
        .map(|item| name_of(item.metadata.as_ref()))
        .collect();
    assert_eq!(names, ["alpha", "zeta"]);
}

#[tokio::test]
async fn list_cluster_workflow_templates_with_an_invalid_selector_is_invalid_argument() {
    let services = services();
    let status = list(
        &services,
        ListOptions {
            field_selector: Some("spec.templates=x".into()),
            ..Default::default()
        },
    )
    .await
    .expect_err("unsupported field");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn list_cluster_workflow_templates_not_found_is_an_empty_list() {
    let services = services();
    let listed = list(&services, ListOptions::default()).await.expect("list");
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn update_cluster_workflow_template_replaces_it_at_its_resource_version() {
    let services = services();
    let mut stored = create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("created");
    stored
        .metadata
        .as_mut()
        .expect("metadata")
        .labels
        .insert("v".into(), "2".into());
    let updated = update(&services, Some(stored)).await.expect("updated");
    assert_eq!(
        updated
            .metadata
            .expect("metadata")
            .labels
            .get("v")
            .map(String::as_str),
        Some("2")
    );
}

#[tokio::test]
async fn update_cluster_workflow_template_not_found_is_not_found() {
    let services = services();
    let mut absent = cluster_template("shared.json", None);
    absent.metadata.as_mut().expect("metadata").resource_version = Some("3".into());
    let status = update(&services, Some(absent)).await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn update_cluster_workflow_template_that_fails_lint_is_invalid_argument() {
    let services = services();
    let stored = create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("created");
    let mut changed = broken();
    changed.metadata = stored.metadata;
    let status = update(&services, Some(changed)).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = update(&services, None).await.expect_err("no body");
    assert_eq!(
        status.message(),
        "ClusterWorkflowTemplate is not found in Request body"
    );
}

#[tokio::test]
async fn delete_cluster_workflow_template_removes_it_and_reports_missing_ones() {
    let services = services();
    create(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("created");
    delete(&services, "shared").await.expect("deleted");
    let status = delete(&services, "shared").await.expect_err("gone");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn delete_cluster_workflow_template_not_found_is_not_found() {
    let services = services();
    let status = delete(&services, "never").await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "clusterworkflowtemplates.argoproj.io \"never\" not found"
    );
}

#[tokio::test]
async fn delete_cluster_workflow_template_of_another_instance_is_invalid_argument() {
    let services = services();
    seed_blue_cluster_template(&services, "foreign").await;
    let status = delete(&services, "foreign").await.expect_err("foreign");
    assert_eq!(status.code(), Code::InvalidArgument);
    get(&services, "foreign")
        .await
        .expect_err("still hidden from this instance");
}

#[tokio::test]
async fn lint_cluster_workflow_template_answers_it_and_stores_nothing() {
    let services = services();
    lint(&services, Some(cluster_template("shared.json", None)))
        .await
        .expect("valid");
    assert_eq!(
        get(&services, "shared")
            .await
            .expect_err("not stored")
            .code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn lint_cluster_workflow_template_reports_problems_as_invalid_argument() {
    let services = services();
    let status = lint(&services, Some(broken())).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = lint(&services, None).await.expect_err("no body");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn lint_cluster_workflow_template_with_a_cluster_template_ref_not_found_is_invalid_argument()
{
    let services = services();
    let mut caller = cluster_template("caller.json", None);
    caller.spec.as_mut().expect("spec").templates[0].steps[0].steps[0]
        .template_ref
        .as_mut()
        .expect("templateRef")
        .cluster_scope = Some(true);
    let status = lint(&services, Some(caller.clone()))
        .await
        .expect_err("missing");
    assert_eq!(status.code(), Code::InvalidArgument);
    let mut greeting = cluster_template("greeting.json", None);
    greeting.metadata.as_mut().expect("metadata").labels.clear();
    create(&services, Some(greeting))
        .await
        .expect("referenced one");
    lint(&services, Some(caller))
        .await
        .expect("now it resolves");
}
