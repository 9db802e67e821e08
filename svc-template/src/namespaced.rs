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
use tonic::Request;

use crate::Config;
use crate::answers::{self, Answer};
use crate::templates::Templates;
use argo_service::Caller;
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

const MISSING_ON_CREATE: &str = "workflow template was not found in the request body";
const MISSING_ON_UPDATE: &str = "WorkflowTemplate is not found in Request body";

#[tonic::async_trait]
impl WorkflowTemplateService for WorkflowTemplateServer {
    async fn create_workflow_template(
        &self,
        request: Request<WorkflowTemplateCreateRequest>,
    ) -> Answer<wf::WorkflowTemplate> {
        let caller = Caller::from_metadata(request.metadata());
        let r = request.into_inner();
        let dry_run = is_dry_run(r.create_options.as_ref());
        let (namespace, missing) = (&r.namespace, MISSING_ON_CREATE);
        answers::create(
            &self.templates,
            namespace,
            r.template,
            missing,
            dry_run,
            &caller,
        )
        .await
    }

    async fn get_workflow_template(
        &self,
        request: Request<WorkflowTemplateGetRequest>,
    ) -> Answer<wf::WorkflowTemplate> {
        let r = request.into_inner();
        answers::get(&self.templates, &r.namespace, &r.name).await
    }

    async fn list_workflow_templates(
        &self,
        request: Request<WorkflowTemplateListRequest>,
    ) -> Answer<wf::WorkflowTemplateList> {
        let r = request.into_inner();
        answers::list(
            &self.templates,
            &r.namespace,
            r.list_options,
            &r.name_pattern,
        )
        .await
    }

    async fn update_workflow_template(
        &self,
        request: Request<WorkflowTemplateUpdateRequest>,
    ) -> Answer<wf::WorkflowTemplate> {
        let r = request.into_inner();
        #[allow(deprecated)]
        let name = r.name;
        let (namespace, missing) = (&r.namespace, MISSING_ON_UPDATE);
        answers::update(&self.templates, namespace, &name, r.template, missing).await
    }

    async fn delete_workflow_template(
        &self,
        request: Request<WorkflowTemplateDeleteRequest>,
    ) -> Answer<WorkflowTemplateDeleteResponse> {
        let r = request.into_inner();
        let (options, deleted) = (r.delete_options.as_ref(), WorkflowTemplateDeleteResponse {});
        answers::delete(&self.templates, &r.namespace, &r.name, options, deleted).await
    }

    async fn lint_workflow_template(
        &self,
        request: Request<WorkflowTemplateLintRequest>,
    ) -> Answer<wf::WorkflowTemplate> {
        let caller = Caller::from_metadata(request.metadata());
        let r = request.into_inner();
        let (namespace, missing) = (&r.namespace, MISSING_ON_CREATE);
        answers::lint(&self.templates, namespace, r.template, missing, &caller).await
    }
}
