//! WorkflowTemplateService calls the tests make, all in namespace `argo`.

#![allow(dead_code)]

use super::{Services, name_of};
use argo_proto::k8s_meta::{DeleteOptions, ListOptions};
use argo_proto::wf;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateService;
use argo_proto::workflowtemplate::{
    WorkflowTemplateCreateRequest, WorkflowTemplateDeleteRequest, WorkflowTemplateGetRequest,
    WorkflowTemplateLintRequest, WorkflowTemplateListRequest, WorkflowTemplateUpdateRequest,
};
use tonic::Request;

pub async fn create(
    services: &Services,
    template: wf::WorkflowTemplate,
) -> Result<wf::WorkflowTemplate, tonic::Status> {
    services
        .templates
        .create_workflow_template(Request::new(WorkflowTemplateCreateRequest {
            namespace: "argo".into(),
            template: Some(template),
            create_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn get(services: &Services, name: &str) -> Result<wf::WorkflowTemplate, tonic::Status> {
    services
        .templates
        .get_workflow_template(Request::new(WorkflowTemplateGetRequest {
            name: name.into(),
            namespace: "argo".into(),
            get_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn list(
    services: &Services,
    name_pattern: &str,
    options: ListOptions,
) -> Result<wf::WorkflowTemplateList, tonic::Status> {
    services
        .templates
        .list_workflow_templates(Request::new(WorkflowTemplateListRequest {
            namespace: "argo".into(),
            name_pattern: name_pattern.into(),
            list_options: Some(options),
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn update(
    services: &Services,
    template: wf::WorkflowTemplate,
) -> Result<wf::WorkflowTemplate, tonic::Status> {
    services
        .templates
        .update_workflow_template(Request::new(WorkflowTemplateUpdateRequest {
            namespace: "argo".into(),
            template: Some(template),
            ..Default::default()
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub fn names(list: &wf::WorkflowTemplateList) -> Vec<&str> {
    list.items
        .iter()
        .map(|item| name_of(item.metadata.as_ref()))
        .collect()
}

pub async fn delete(
    services: &Services,
    name: &str,
    options: Option<DeleteOptions>,
) -> Result<(), tonic::Status> {
    services
        .templates
        .delete_workflow_template(Request::new(WorkflowTemplateDeleteRequest {
            name: name.into(),
            namespace: "argo".into(),
            delete_options: options,
        }))
        .await
        .map(|_| ())
}

pub async fn lint(
    services: &Services,
    template: Option<wf::WorkflowTemplate>,
) -> Result<wf::WorkflowTemplate, tonic::Status> {
    services
        .templates
        .lint_workflow_template(Request::new(WorkflowTemplateLintRequest {
            namespace: "argo".into(),
            template,
            create_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}
