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
use tonic::Request;

use crate::Config;
use crate::answers::{self, Answer};
use crate::templates::Templates;
use argo_service::Caller;
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

const MISSING_ON_CREATE: &str = "cluster workflow template was not found in the request body";
const MISSING_ON_UPDATE: &str = "ClusterWorkflowTemplate is not found in Request body";

/// Cluster-scoped: the namespace passed to [`Templates`] is always empty.
const NO_NAMESPACE: &str = "";

#[tonic::async_trait]
impl ClusterWorkflowTemplateService for ClusterWorkflowTemplateServer {
    async fn create_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateCreateRequest>,
    ) -> Answer<wf::ClusterWorkflowTemplate> {
        let caller = Caller::from_metadata(request.metadata());
        let r = request.into_inner();
        let dry_run = is_dry_run(r.create_options.as_ref());
        let (namespace, missing) = (NO_NAMESPACE, MISSING_ON_CREATE);
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

    async fn get_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateGetRequest>,
    ) -> Answer<wf::ClusterWorkflowTemplate> {
        let r = request.into_inner();
        answers::get(&self.templates, NO_NAMESPACE, &r.name).await
    }

    async fn list_cluster_workflow_templates(
        &self,
        request: Request<ClusterWorkflowTemplateListRequest>,
    ) -> Answer<wf::ClusterWorkflowTemplateList> {
        let r = request.into_inner();
        answers::list(&self.templates, NO_NAMESPACE, r.list_options, "").await
    }

    async fn update_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateUpdateRequest>,
    ) -> Answer<wf::ClusterWorkflowTemplate> {
        let r = request.into_inner();
        #[allow(deprecated)]
        let name = r.name;
        let (namespace, missing) = (NO_NAMESPACE, MISSING_ON_UPDATE);
        answers::update(&self.templates, namespace, &name, r.template, missing).await
    }

    async fn delete_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateDeleteRequest>,
    ) -> Answer<ClusterWorkflowTemplateDeleteResponse> {
        let r = request.into_inner();
        let options = r.delete_options.as_ref();
        let deleted = ClusterWorkflowTemplateDeleteResponse {};
        answers::delete(&self.templates, NO_NAMESPACE, &r.name, options, deleted).await
    }

    async fn lint_cluster_workflow_template(
        &self,
        request: Request<ClusterWorkflowTemplateLintRequest>,
    ) -> Answer<wf::ClusterWorkflowTemplate> {
        let caller = Caller::from_metadata(request.metadata());
        let r = request.into_inner();
        let (namespace, missing) = (NO_NAMESPACE, MISSING_ON_CREATE);
        answers::lint(&self.templates, namespace, r.template, missing, &caller).await
    }
}
