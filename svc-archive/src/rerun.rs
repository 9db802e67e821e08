//! Retry and resubmit from the archive. Both read the archived copy and apply the pure
//! `argo_engine::operations` function; the result is created as a new live Workflow (retry
//! keeps the name, so it is refused while a live workflow of that name exists; resubmit takes
//! a new name from the original's `generateName`, or its name and a dash, plus a suffix).
//!
//! Must not: delete pods (the controller owns them) or change the archived copy.

use argo_core::Workflow;
use argo_engine::operations::{self, NodeSelector, RetryOptions};
use argo_proto::wf;
use argo_proto::workflowarchive::{ResubmitArchivedWorkflowRequest, RetryArchivedWorkflowRequest};
use argo_store::archive::LABEL_ARCHIVING_STATUS;
use argo_store::environment::generated_name;
use argo_store::{Object, ResourceKind};
use serde_json::Value;

use crate::conversion::{json_message, json_of, workflow_of};
use crate::server::ArchivedWorkflowServer;
use crate::{Error, Result};

fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<Workflow>()
}

/// The namespace a re-run goes to: the request's, else the archived workflow's.
fn target_namespace(requested: &str, workflow: &Workflow) -> String {
    if requested.is_empty() {
        workflow.metadata.namespace.clone().unwrap_or_default()
    } else {
        requested.to_owned()
    }
}

/// A workflow ready to be created anew: no store identity, no archiving state.
fn fresh(mut workflow: Workflow, namespace: String) -> Workflow {
    workflow.metadata.namespace = Some(namespace);
    workflow.metadata.uid = None;
    workflow.metadata.resource_version = None;
    workflow.metadata.creation_timestamp = None;
    workflow.metadata.generation = None;
    workflow.metadata.managed_fields = None;
    if let Some(labels) = workflow.metadata.labels.as_mut() {
        labels.remove(LABEL_ARCHIVING_STATUS);
    }
    workflow
}

impl ArchivedWorkflowServer {
    async fn create(&self, workflow: &Workflow) -> Result<wf::Workflow> {
        let object: Object = serde_json::from_value(json_of(workflow)?)
            .map_err(|error| Error::conversion(error.to_string()))?;
        let created = self.store.create(&workflow_kind(), object).await?;
        let json: Value =
            serde_json::to_value(&created).map_err(|error| Error::conversion(error.to_string()))?;
        json_message(&json)
    }

    pub(crate) async fn retry(
        &self,
        request: RetryArchivedWorkflowRequest,
    ) -> Result<wf::Workflow> {
        let archived = workflow_of(
            self.archived(&request.uid, &request.namespace, &request.name)
                .await?,
        )?;
        let namespace = target_namespace(&request.namespace, &archived);
        let name = archived.metadata.name.clone().unwrap_or_default();
        match self
            .store
            .get(&workflow_kind(), Some(&namespace), &name)
            .await
        {
            Ok(_) => {
                return Err(Error::Store(argo_store::Error::AlreadyExists {
                    kind: "Workflow".into(),
                    namespace: Some(namespace),
                    name: format!(
                        "{name}: it exists on the cluster, use argo retry {name} instead"
                    ),
                }));
            }
            Err(error) if error.is_not_found() => {}
            Err(error) => return Err(error.into()),
        }
        let options = RetryOptions {
            restart_successful: request.restart_successful,
            node_selector: NodeSelector::parse(&request.node_field_selector)
                .map_err(|error| Error::invalid_argument(error.to_string()))?,
            parameters: request.parameters,
        };
        // A workflow that cannot be retried is Internal, as Argo answers.
        let retried = operations::retry(&archived, &options)?;
        self.create(&fresh(retried.workflow, namespace)).await
    }

    pub(crate) async fn resubmit(
        &self,
        request: ResubmitArchivedWorkflowRequest,
    ) -> Result<wf::Workflow> {
        let archived = workflow_of(
            self.archived(&request.uid, &request.namespace, &request.name)
                .await?,
        )?;
        let namespace = target_namespace(&request.namespace, &archived);
        let prefix = match archived.metadata.generate_name.as_deref() {
            Some(prefix) if !prefix.is_empty() => prefix.to_owned(),
            _ => format!(
                "{}-",
                archived.metadata.name.as_deref().unwrap_or("workflow")
            ),
        };
        let name = generated_name(&prefix, &self.config.ids.name_suffix());
        let next = operations::resubmit(&archived, &name, request.memoized, &request.parameters)?;
        self.create(&fresh(next, namespace)).await
    }
}
