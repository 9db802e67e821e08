//! `clusterworkflowtemplate.ClusterWorkflowTemplateService`: the tonic adapter over
//! [`Templates`] for cluster-scoped ClusterWorkflowTemplates.
//!
//! Must not: hold logic beyond converting messages and choosing Argo's wording for a missing
//! body.

use argo_proto::clusterworkflowtemplate::cluster_workflow_template_service_server::ClusterWorkflowTemplateService;
use argo_proto::clusterworkflowtemplate::{
    ClusterWorkflowTemplateCreateRequest, ClusterWorkflowTemplateDeleteRequest,
    ClusterWorkflowTemplateDeleteResponse, ClusterWorkflowTemplateGetRequest,
    ClusterWorkflowTemplateLintRequest, ClusterWorkflowTemplateListRequest,
    ClusterWorkflowTemplateUpdateRequest,
};
use argo_proto::wf;
use std::sync::Arc;

use argo_store::ResourceStore;
use tonic::{Request, Response, Status};

use crate::templates::Templates;
use crate::{Config, Error, Result};
use argo_service::Caller;
use argo_service::conversion::{json_message, message_json};
use argo_service::instance::InstanceId;
use argo_service::manifest::is_dry_run;

/// ClusterWorkflowTemplateService over a store.
#[derive(Debug, Clone)]
pub struct ClusterWorkflowTemplateServer {
    templates: Templates,
}

impl ClusterWorkflowTemplateServer {
    /// The service over `store`.
    pub fn new(store: Arc<dyn ResourceStore>, config: Config) -> Self {
        Self {
            templates: Templates::cluster(store, InstanceId(config.instance_id)),
        }
    }
}

fn body(template: Option<wf::ClusterWorkflowTemplate>, missing: &str) -> Result<serde_json::Value> {
    match template {
        Some(template) => message_json(&template),
        None => Err(Error::invalid_argument(missing)),
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

const MISSING_ON_CREATE: &str = "cluster workflow template was not found in the request body";
const MISSING_ON_UPDATE: &str = "ClusterWorkflowTemplate is not found in Request body";

#[tonic::async_trait]
impl ClusterWorkflowTemplateService for ClusterWorkflowTemplateServer {
    async fn create_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateCreateRequest>,
    ) -> Result<Response<wf::ClusterWorkflowTemplate>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.template, MISSING_ON_CREATE)?;
                let dry_run = is_dry_run(request.create_options.as_ref());
                let created = self
                    .templates
                    .create("", manifest, dry_run, &caller)
                    .await?;
                json_message(&created)
            }
            .await,
        )
    }

    async fn get_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateGetRequest>,
    ) -> Result<Response<wf::ClusterWorkflowTemplate>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let found = self.templates.get("", &request.name).await?;
                json_message(&found)
            }
            .await,
        )
    }

    async fn list_cluster_workflow_templates(
        &self,
        request: Request<ClusterWorkflowTemplateListRequest>,
    ) -> Result<Response<wf::ClusterWorkflowTemplateList>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let options = request.list_options.unwrap_or_default();
                let list = self.templates.list("", &options, "").await?;
                json_message(&list)
            }
            .await,
        )
    }

    async fn update_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateUpdateRequest>,
    ) -> Result<Response<wf::ClusterWorkflowTemplate>, Status> {
        let request = request.into_inner();
        #[allow(deprecated)]
        let name = request.name;
        answer(
            async {
                let manifest = body(request.template, MISSING_ON_UPDATE)?;
                let updated = self.templates.update("", &name, manifest).await?;
                json_message(&updated)
            }
            .await,
        )
    }

    async fn delete_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateDeleteRequest>,
    ) -> Result<Response<ClusterWorkflowTemplateDeleteResponse>, Status> {
        let request = request.into_inner();
        answer(
            self.templates
                .delete("", &request.name, request.delete_options.as_ref())
                .await
                .map(|()| ClusterWorkflowTemplateDeleteResponse {}),
        )
    }

    async fn lint_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateLintRequest>,
    ) -> Result<Response<wf::ClusterWorkflowTemplate>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.template, MISSING_ON_CREATE)?;
                let linted = self.templates.lint("", manifest, &caller).await?;
                json_message(&linted)
            }
            .await,
        )
    }
}
