//! `workflowtemplate.WorkflowTemplateService`: the tonic adapter over [`Templates`] for
//! namespaced WorkflowTemplates.
//!
//! Must not: hold logic beyond converting messages and choosing Argo's wording for a missing
//! body.

use argo_proto::wf;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateService;
use argo_proto::workflowtemplate::{
    WorkflowTemplateCreateRequest, WorkflowTemplateDeleteRequest, WorkflowTemplateDeleteResponse,
    WorkflowTemplateGetRequest, WorkflowTemplateLintRequest, WorkflowTemplateListRequest,
    WorkflowTemplateUpdateRequest,
};
use std::sync::Arc;

use argo_store::ResourceStore;
use tonic::{Request, Response, Status};

use crate::templates::Templates;
use crate::{Config, Error, Result};
use argo_service::Caller;
use argo_service::conversion::{json_message, message_json};
use argo_service::instance::InstanceId;
use argo_service::manifest::is_dry_run;

/// WorkflowTemplateService over a store.
#[derive(Debug, Clone)]
pub struct WorkflowTemplateServer {
    templates: Templates,
}

impl WorkflowTemplateServer {
    /// The service over `store`.
    pub fn new(store: Arc<dyn ResourceStore>, config: Config) -> Self {
        Self {
            templates: Templates::namespaced(store, InstanceId(config.instance_id)),
        }
    }
}

fn body(template: Option<wf::WorkflowTemplate>, missing: &str) -> Result<serde_json::Value> {
    match template {
        Some(template) => message_json(&template),
        None => Err(Error::invalid_argument(missing)),
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

const MISSING_ON_CREATE: &str = "workflow template was not found in the request body";
const MISSING_ON_UPDATE: &str = "WorkflowTemplate is not found in Request body";

#[tonic::async_trait]
impl WorkflowTemplateService for WorkflowTemplateServer {
    async fn create_workflow_template(
        &self,
        request: Request<WorkflowTemplateCreateRequest>,
    ) -> Result<Response<wf::WorkflowTemplate>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.template, MISSING_ON_CREATE)?;
                let dry_run = is_dry_run(request.create_options.as_ref());
                let created = self
                    .templates
                    .create(&request.namespace, manifest, dry_run, &caller)
                    .await?;
                json_message(&created)
            }
            .await,
        )
    }

    async fn get_workflow_template(
        &self,
        request: Request<WorkflowTemplateGetRequest>,
    ) -> Result<Response<wf::WorkflowTemplate>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let found = self
                    .templates
                    .get(&request.namespace, &request.name)
                    .await?;
                json_message(&found)
            }
            .await,
        )
    }

    async fn list_workflow_templates(
        &self,
        request: Request<WorkflowTemplateListRequest>,
    ) -> Result<Response<wf::WorkflowTemplateList>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let options = request.list_options.unwrap_or_default();
                let list = self
                    .templates
                    .list(&request.namespace, &options, &request.name_pattern)
                    .await?;
                json_message(&list)
            }
            .await,
        )
    }

    async fn update_workflow_template(
        &self,
        request: Request<WorkflowTemplateUpdateRequest>,
    ) -> Result<Response<wf::WorkflowTemplate>, Status> {
        let request = request.into_inner();
        #[allow(deprecated)]
        let name = request.name;
        answer(
            async {
                let manifest = body(request.template, MISSING_ON_UPDATE)?;
                let updated = self
                    .templates
                    .update(&request.namespace, &name, manifest)
                    .await?;
                json_message(&updated)
            }
            .await,
        )
    }

    async fn delete_workflow_template(
        &self,
        request: Request<WorkflowTemplateDeleteRequest>,
    ) -> Result<Response<WorkflowTemplateDeleteResponse>, Status> {
        let request = request.into_inner();
        answer(
            self.templates
                .delete(
                    &request.namespace,
                    &request.name,
                    request.delete_options.as_ref(),
                )
                .await
                .map(|()| WorkflowTemplateDeleteResponse {}),
        )
    }

    async fn lint_workflow_template(
        &self,
        request: Request<WorkflowTemplateLintRequest>,
    ) -> Result<Response<wf::WorkflowTemplate>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.template, MISSING_ON_CREATE)?;
                let linted = self
                    .templates
                    .lint(&request.namespace, manifest, &caller)
                    .await?;
                json_message(&linted)
            }
            .await,
        )
    }
}
