//! Pod garbage collection (`spec.podGC.strategy`): which pods of a workflow may be deleted
//! now that the engine has recorded their nodes' results.
//! Must not: delete a pod whose node is not completed in the status being written (its
//! outputs might still be needed), or delete anything itself (the worker does).

use argo_core::{NodePhase, NodeType, PodGCStrategy, Workflow, WorkflowPhase};

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
