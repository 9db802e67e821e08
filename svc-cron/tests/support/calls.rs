//! CronWorkflowService calls the tests make, all in namespace `argo`.

#![allow(dead_code)]

use super::Service;
use argo_proto::cronworkflow::cron_workflow_service_server::CronWorkflowService;
use argo_proto::cronworkflow::{
    CreateCronWorkflowRequest, CronWorkflowResumeRequest, CronWorkflowSuspendRequest,
    DeleteCronWorkflowRequest, GetCronWorkflowRequest, LintCronWorkflowRequest,
    ListCronWorkflowsRequest, UpdateCronWorkflowRequest,
};
use argo_proto::k8s_meta::ListOptions;
use argo_proto::wf;
use argo_store::ResourceKind;
use tonic::{Request, Status};

pub async fn create(
    service: &Service,
    cron: Option<wf::CronWorkflow>,
) -> Result<wf::CronWorkflow, Status> {
    service
        .server
        .create_cron_workflow(Request::new(CreateCronWorkflowRequest {
            namespace: "argo".into(),
            cron_workflow: cron,
            create_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn get(service: &Service, name: &str) -> Result<wf::CronWorkflow, Status> {
    service
        .server
        .get_cron_workflow(Request::new(GetCronWorkflowRequest {
            name: name.into(),
            namespace: "argo".into(),
            get_options: None,
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn list(
    service: &Service,
    namespace: &str,
    options: ListOptions,
) -> Result<wf::CronWorkflowList, Status> {
    service
        .server
        .list_cron_workflows(Request::new(ListCronWorkflowsRequest {
            namespace: namespace.into(),
            list_options: Some(options),
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn update(
    service: &Service,
    cron: Option<wf::CronWorkflow>,
) -> Result<wf::CronWorkflow, Status> {
    service
        .server
        .update_cron_workflow(Request::new(UpdateCronWorkflowRequest {
            namespace: "argo".into(),
            cron_workflow: cron,
            ..Default::default()
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn delete(service: &Service, name: &str) -> Result<(), Status> {
    service
        .server
        .delete_cron_workflow(Request::new(DeleteCronWorkflowRequest {
            name: name.into(),
            namespace: "argo".into(),
            delete_options: None,
        }))
        .await
        .map(|_| ())
}

pub async fn lint(
    service: &Service,
    cron: Option<wf::CronWorkflow>,
) -> Result<wf::CronWorkflow, Status> {
    service
        .server
        .lint_cron_workflow(Request::new(LintCronWorkflowRequest {
            namespace: "argo".into(),
            cron_workflow: cron,
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn suspend(service: &Service, name: &str) -> Result<wf::CronWorkflow, Status> {
    service
        .server
        .suspend_cron_workflow(Request::new(CronWorkflowSuspendRequest {
            name: name.into(),
            namespace: "argo".into(),
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub async fn resume(service: &Service, name: &str) -> Result<wf::CronWorkflow, Status> {
    service
        .server
        .resume_cron_workflow(Request::new(CronWorkflowResumeRequest {
            name: name.into(),
            namespace: "argo".into(),
        }))
        .await
        .map(tonic::Response::into_inner)
}

pub fn suspended(cron: &wf::CronWorkflow) -> Option<bool> {
    cron.spec.as_ref().and_then(|spec| spec.suspend)
}

pub fn template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowTemplate>()
}
