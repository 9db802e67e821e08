//! `cronworkflow.CronWorkflowService`: the tonic adapter over [`CronWorkflows`].
//!
//! Must not: hold logic beyond converting messages and choosing Argo's wording for a missing
//! body.

use argo_proto::cronworkflow::cron_workflow_service_server::CronWorkflowService;
use argo_proto::cronworkflow::{
    CreateCronWorkflowRequest, CronWorkflowDeletedResponse, CronWorkflowResumeRequest,
    CronWorkflowSuspendRequest, DeleteCronWorkflowRequest, GetCronWorkflowRequest,
    LintCronWorkflowRequest, ListCronWorkflowsRequest, UpdateCronWorkflowRequest,
};
use argo_proto::wf;
use std::sync::Arc;

use argo_store::ResourceStore;
use tonic::{Request, Response, Status};

use crate::crons::CronWorkflows;
use crate::{Config, Error, Result};
use argo_service::Caller;
use argo_service::conversion::{json_message, message_json};
use argo_service::instance::InstanceId;
use argo_service::manifest::is_dry_run;

/// CronWorkflowService over a store.
#[derive(Debug, Clone)]
pub struct CronWorkflowServer {
    crons: CronWorkflows,
}

impl CronWorkflowServer {
    /// The service over `store`.
    pub fn new(store: Arc<dyn ResourceStore>, config: Config) -> Self {
        Self {
            crons: CronWorkflows::new(store, InstanceId(config.instance_id)),
        }
    }
}

const MISSING: &str = "cron workflow was not found in the request body";

fn body(cron: Option<wf::CronWorkflow>) -> Result<serde_json::Value> {
    match cron {
        Some(cron) => message_json(&cron),
        None => Err(Error::invalid_argument(MISSING)),
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

#[tonic::async_trait]
impl CronWorkflowService for CronWorkflowServer {
    async fn lint_cron_workflow(
        &self,
        request: Request<LintCronWorkflowRequest>,
    ) -> Result<Response<wf::CronWorkflow>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        let request = request.into_inner();
        answer(
            async {
                let linted = self
                    .crons
                    .lint(&request.namespace, body(request.cron_workflow)?, &caller)
                    .await?;
                json_message(&linted)
            }
            .await,
        )
    }

    async fn create_cron_workflow(
        &self,
        request: Request<CreateCronWorkflowRequest>,
    ) -> Result<Response<wf::CronWorkflow>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        let request = request.into_inner();
        answer(
            async {
                // Argo answers a create without a body with NotFound, not InvalidArgument.
                let Some(cron) = request.cron_workflow else {
                    return Err(Error::not_found(MISSING));
                };
                let dry_run = is_dry_run(request.create_options.as_ref());
                let created = self
                    .crons
                    .create(&request.namespace, message_json(&cron)?, dry_run, &caller)
                    .await?;
                json_message(&created)
            }
            .await,
        )
    }

    async fn list_cron_workflows(
        &self,
        request: Request<ListCronWorkflowsRequest>,
    ) -> Result<Response<wf::CronWorkflowList>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let options = request.list_options.unwrap_or_default();
                let list = self.crons.list(&request.namespace, &options).await?;
                json_message(&list)
            }
            .await,
        )
    }

    async fn get_cron_workflow(
        &self,
        request: Request<GetCronWorkflowRequest>,
    ) -> Result<Response<wf::CronWorkflow>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let found = self.crons.get(&request.namespace, &request.name).await?;
                json_message(&found)
            }
            .await,
        )
    }

    async fn update_cron_workflow(
        &self,
        request: Request<UpdateCronWorkflowRequest>,
    ) -> Result<Response<wf::CronWorkflow>, Status> {
        let request = request.into_inner();
        #[allow(deprecated)]
        let name = request.name;
        answer(
            async {
                let updated = self
                    .crons
                    .update(&request.namespace, &name, body(request.cron_workflow)?)
                    .await?;
                json_message(&updated)
            }
            .await,
        )
    }

    async fn delete_cron_workflow(
        &self,
        request: Request<DeleteCronWorkflowRequest>,
    ) -> Result<Response<CronWorkflowDeletedResponse>, Status> {
        let request = request.into_inner();
        answer(
            self.crons
                .delete(
                    &request.namespace,
                    &request.name,
                    request.delete_options.as_ref(),
                )
                .await
                .map(|()| CronWorkflowDeletedResponse {}),
        )
    }

    async fn resume_cron_workflow(
        &self,
        request: Request<CronWorkflowResumeRequest>,
    ) -> Result<Response<wf::CronWorkflow>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let resumed = self
                    .crons
                    .set_suspend(&request.namespace, &request.name, false)
                    .await?;
                json_message(&resumed)
            }
            .await,
        )
    }

    async fn suspend_cron_workflow(
        &self,
        request: Request<CronWorkflowSuspendRequest>,
    ) -> Result<Response<wf::CronWorkflow>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let suspended = self
                    .crons
                    .set_suspend(&request.namespace, &request.name, true)
                    .await?;
                json_message(&suspended)
            }
            .await,
        )
    }
}
