//! The RPCs that steer a workflow: retry, resubmit, resume, suspend, terminate, stop and set.
//! Each reads the stored workflow, applies the pure `argo_engine::operations` function and
//! writes the result back (a stale read fails on the resourceVersion); the controller acts on
//! it at its next reconcile.
//!
//! Must not: delete pods or run anything itself (a retry's pods to delete travel with the
//! stored workflow to the controller).

use argo_core::{NodePhase, Workflow};
use argo_engine::operations::{self, NodeSelector, RetryOptions, SetValues};
use argo_proto::wf;
use argo_proto::workflow::{
    WorkflowResubmitRequest, WorkflowResumeRequest, WorkflowRetryRequest, WorkflowSetRequest,
    WorkflowStopRequest, WorkflowSuspendRequest, WorkflowTerminateRequest,
};
use argo_service::{Caller, creator};
use argo_store::ResourceStore;
use jiff::Timestamp;
use serde_json::Value;

use crate::conversion::{json_object, object_json, object_of, workflow_kind, workflow_of};
use crate::server::WorkflowServer;
use crate::{Error, Result};

/// Writes tried before a conflict is reported (Argo's `retry.DefaultRetry` has five steps).
const CONFLICT_ATTEMPTS: usize = 5;

fn selector(text: &str) -> Result<NodeSelector> {
    NodeSelector::parse(text).map_err(|error| Error::invalid_argument(error.to_string()))
}

impl<S: ResourceStore + ?Sized + 'static> WorkflowServer<S> {
    async fn load(&self, namespace: &str, name: &str) -> Result<Workflow> {
        workflow_of(
            self.store
                .get(&workflow_kind(), Some(namespace), name)
                .await?,
        )
    }

    /// Applies `change` to the stored workflow and writes the result; a write that lost a race
    /// with the controller is retried on a fresh read, as Argo retries on conflicts.
    async fn operate(
        &self,
        namespace: &str,
        name: &str,
        change: impl Fn(&Workflow) -> Result<Workflow>,
    ) -> Result<wf::Workflow> {
        let mut attempts_left = CONFLICT_ATTEMPTS;
        loop {
            let workflow = self.load(namespace, name).await?;
            let next = change(&workflow)?;
            match self.store.update(&workflow_kind(), object_of(&next)?).await {
                Ok(stored) => return Self::answer(&stored, ""),
                Err(error) if error.is_conflict() && attempts_left > 1 => attempts_left -= 1,
                Err(error) => return Err(error.into()),
            }
        }
    }

    pub(crate) async fn retry(&self, request: WorkflowRetryRequest) -> Result<wf::Workflow> {
        let options = RetryOptions {
            restart_successful: request.restart_successful,
            node_selector: selector(&request.node_field_selector)?,
            parameters: request.parameters,
        };
        // The retried workflow carries the pods and task results of its reset nodes in an
        // annotation (`RetryLeftovers`): the controller, which owns pods, deletes them before
        // it reconciles the workflow again, whether it runs in this process or not.
        self.operate(&request.namespace, &request.name, |workflow| {
            Ok(operations::retry(workflow, &options)?.workflow)
        })
        .await
    }

    /// Creates the resubmitted copy, labelled with its creator (`caller`, the one resubmitting,
    /// not the original's creator) as Argo's `FormulateResubmitWorkflow` does.
    pub(crate) async fn resubmit(
        &self,
        request: WorkflowResubmitRequest,
        caller: &Caller,
    ) -> Result<wf::Workflow> {
        let original = self.load(&request.namespace, &request.name).await?;
        let name = resubmitted_name(&original);
        let next = operations::resubmit(&original, &name, request.memoized, &request.parameters)?;
        let mut manifest = object_json(&object_of(&next)?)?;
        creator::label(caller, &mut manifest);
        let object = json_object(&workflow_kind(), manifest)?;
        let created = self.store.create(&workflow_kind(), object).await?;
        Self::answer(&created, "")
    }

    pub(crate) async fn resume(&self, request: WorkflowResumeRequest) -> Result<wf::Workflow> {
        let nodes = selector(&request.node_field_selector)?;
        let now = Timestamp::now();
        self.operate(&request.namespace, &request.name, |workflow| {
            Ok(operations::resume(workflow, &nodes, now)?)
        })
        .await
    }

    pub(crate) async fn suspend(&self, request: WorkflowSuspendRequest) -> Result<wf::Workflow> {
        self.operate(&request.namespace, &request.name, |workflow| {
            Ok(operations::suspend(workflow)?)
        })
        .await
    }

    pub(crate) async fn terminate(
        &self,
        request: WorkflowTerminateRequest,
    ) -> Result<wf::Workflow> {
        self.operate(&request.namespace, &request.name, |workflow| {
            Ok(operations::terminate(workflow)?)
        })
        .await
    }

    pub(crate) async fn stop(&self, request: WorkflowStopRequest) -> Result<wf::Workflow> {
        let nodes = selector(&request.node_field_selector)?;
        let now = Timestamp::now();
        self.operate(&request.namespace, &request.name, |workflow| {
            Ok(operations::stop(workflow, &nodes, &request.message, now)?)
        })
        .await
    }

    pub(crate) async fn set(&self, request: WorkflowSetRequest) -> Result<wf::Workflow> {
        let nodes = selector(&request.node_field_selector)?;
        let values = SetValues {
            phase: parse_phase(&request.phase)?,
            message: Some(request.message.clone()).filter(|message| !message.is_empty()),
            output_parameters: parse_output_parameters(&request.output_parameters)?,
        };
        let now = Timestamp::now();
        self.operate(&request.namespace, &request.name, |workflow| {
            Ok(operations::set(workflow, &nodes, &values, now)?)
        })
        .await
    }
}

/// The resubmitted workflow's name: from its generateName when it had one, else its name, with
/// a random suffix.
fn resubmitted_name(original: &Workflow) -> String {
    let suffix: String = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .take(5)
        .collect();
    match original.metadata.generate_name.as_deref() {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}{suffix}"),
        _ => format!(
            "{}-{suffix}",
            original.metadata.name.as_deref().unwrap_or("workflow")
        ),
    }
}

fn parse_phase(phase: &str) -> Result<Option<NodePhase>> {
    if phase.is_empty() {
        return Ok(None);
    }
    let parsed: NodePhase = serde_json::from_value(Value::String(phase.to_owned()))
        .map_err(|_| Error::invalid_argument(format!("{phase} is an invalid phase to set to")))?;
    if !matches!(parsed, NodePhase::Succeeded | NodePhase::Failed) {
        return Err(Error::invalid_argument(format!(
            "{phase} is an invalid phase to set to"
        )));
    }
    Ok(Some(parsed))
}

/// `{"name": "value", ...}` as Argo's set takes output parameters.
fn parse_output_parameters(text: &str) -> Result<Vec<(String, String)>> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let parsed: serde_json::Map<String, Value> = serde_json::from_str(text).map_err(|error| {
        Error::invalid_argument(format!(
            "unable to parse output parameter set request: {error}"
        ))
    })?;
    Ok(parsed
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            (name, value)
        })
        .collect())
}
