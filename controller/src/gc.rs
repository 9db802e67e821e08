//! Pod garbage collection: which pods of a workflow its `spec.podGC.strategy` lets go now that
//! the engine has recorded their nodes' results, and the pods (and task results) a retry left
//! behind ([`RetryLeftovers`]), which must be gone before the retried workflow is reconciled
//! (reset nodes keep their pod names, so an old finished pod would fail them again at once).
//! Must not: delete a pod whose node is not completed in the status being written (its
//! outputs might still be needed), or reconcile anything (the worker does).

use std::time::Duration;

use argo_core::{NodePhase, NodeType, PodGCStrategy, Workflow, WorkflowPhase};
use argo_engine::operations::RetryLeftovers;
use argo_store::Preconditions;

use crate::cluster::Cluster;
use crate::error::Result;

/// How soon a workflow waiting for its retry leftovers to disappear is looked at again.
pub const LEFTOVERS_RECHECK: Duration = Duration::from_millis(200);
/// Grace given to a leftover pod (it has normally finished long ago).
const LEFTOVER_GRACE: Duration = Duration::from_secs(1);

/// Where a retried workflow stands with its leftovers.
#[derive(Debug)]
pub enum RetryCleanup {
    /// Nothing left over (any record is dropped and written): reconcile this workflow.
    Ready(Box<Workflow>),
    /// Leftover pods are still listed by the runtime (deletion is asynchronous on some
    /// runtimes); look again after [`LEFTOVERS_RECHECK`].
    Waiting { phase: WorkflowPhase },
}

/// Deletes the pods and task results `workflow`'s retry left behind and, once the runtime no
/// longer lists those pods, writes the workflow without the record (with its resourceVersion
/// as precondition: a conflict is retried like any status write, and deleting again is
/// harmless because nothing was created in between). A workflow without a record is returned
/// as is, with no I/O.
pub async fn clear_retry_leftovers(cluster: &Cluster, workflow: Workflow) -> Result<RetryCleanup> {
    let name = workflow.name().to_owned();
    let leftovers = match RetryLeftovers::of(&workflow) {
        Ok(None) => return Ok(RetryCleanup::Ready(Box::new(workflow))),
        Ok(Some(leftovers)) => leftovers,
        Err(error) => {
            tracing::warn!(workflow = %name, %error, "unreadable retry leftovers; dropping the record");
            RetryLeftovers::default()
        }
    };
    let namespace = workflow.namespace().to_owned();
    for pod in &leftovers.pods {
        tracing::info!(workflow = %name, pod, "deleting the pod of a retried node");
        cluster
            .runtime
            .delete(&namespace, pod, LEFTOVER_GRACE)
            .await?;
    }
    for node_id in &leftovers.task_results {
        match cluster
            .task_results()
            .delete(Some(&namespace), node_id, &Preconditions::default())
            .await
        {
            Ok(_) | Err(argo_store::Error::NotFound { .. }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    if !leftovers.pods.is_empty() {
        let listed = cluster
            .runtime
            .list_owned(&namespace, workflow.name())
            .await?;
        if listed.iter().any(|pod| leftovers.pods.contains(&pod.name)) {
            return Ok(RetryCleanup::Waiting {
                phase: workflow.status.phase.clone(),
            });
        }
    }
    let mut next = workflow;
    RetryLeftovers::clear_from(&mut next);
    let stored = cluster.workflows().update(&next).await?;
    Ok(RetryCleanup::Ready(Box::new(stored)))
}

/// Names of the pods `workflow`'s podGC strategy lets go, given its (new) status.
pub fn collectable_pods(workflow: &Workflow) -> Vec<String> {
    let Some(strategy) = workflow
        .spec
        .pod_gc
        .as_ref()
        .and_then(|gc| gc.strategy.clone())
    else {
        return Vec::new();
    };
    let phase = &workflow.status.phase;
    let workflow_done = phase.is_completed();
    let workflow_succeeded = *phase == WorkflowPhase::Succeeded;
    workflow
        .status
        .nodes
        .values()
        .filter(|node| node.node_type == NodeType::Pod)
        .filter(|node| {
            let node_done = node.phase.is_completed();
            match strategy {
                PodGCStrategy::OnPodCompletion => node_done,
                PodGCStrategy::OnPodSuccess => node.phase == NodePhase::Succeeded,
                PodGCStrategy::OnWorkflowCompletion => workflow_done && node_done,
                PodGCStrategy::OnWorkflowSuccess => workflow_succeeded && node_done,
                #[allow(unreachable_patterns)]
                _ => false,
            }
        })
        .map(|node| {
            let template = node
                .template_ref
                .as_ref()
                .map(|r| r.template.clone())
                .unwrap_or_else(|| node.template_name.clone());
            argo_engine::node_id::pod_name(workflow.name(), &node.name, &template)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::{NodeStatus, PodGC};

    fn workflow(strategy: PodGCStrategy, phase: WorkflowPhase, node_phase: NodePhase) -> Workflow {
        let mut wf = Workflow::test().name("wf").namespace("ns").build();
        wf.spec.pod_gc = Some(PodGC {
            strategy: Some(strategy),
            ..PodGC::default()
        });
        wf.status.phase = phase;
        let mut node = NodeStatus::new("wf-1", "wf.a", NodeType::Pod);
        node.template_name = "whalesay".to_owned();
        node.phase = node_phase;
        wf.status.nodes.insert(node.id.clone(), node);
        wf
    }

    #[test]
    fn on_pod_success_collects_succeeded_pods_only() {
        let done = workflow(
            PodGCStrategy::OnPodSuccess,
            WorkflowPhase::Running,
            NodePhase::Succeeded,
        );
        assert_eq!(
            collectable_pods(&done),
            vec!["wf-whalesay-2962115457".to_owned()]
        );
        let failed = workflow(
            PodGCStrategy::OnPodSuccess,
            WorkflowPhase::Running,
            NodePhase::Failed,
        );
        assert!(collectable_pods(&failed).is_empty());
    }

    #[test]
    fn on_workflow_success_waits_for_the_workflow() {
        let running = workflow(
            PodGCStrategy::OnWorkflowSuccess,
            WorkflowPhase::Running,
            NodePhase::Succeeded,
        );
        assert!(collectable_pods(&running).is_empty());
        let failed = workflow(
            PodGCStrategy::OnWorkflowSuccess,
            WorkflowPhase::Failed,
            NodePhase::Succeeded,
        );
        assert!(collectable_pods(&failed).is_empty());
        let succeeded = workflow(
            PodGCStrategy::OnWorkflowSuccess,
            WorkflowPhase::Succeeded,
            NodePhase::Succeeded,
        );
        assert_eq!(collectable_pods(&succeeded).len(), 1);
    }
}
