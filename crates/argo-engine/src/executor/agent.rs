//! HTTP and plugin templates (Argo's `executeHTTPTemplate` / `executePluginTemplate`): the node
//! (type HTTP or Plugin) is created Pending and, while it is open and has no final result, the
//! engine asks the agent to run its template with a [`Effect::RunAgentTask`] (Argo's
//! WorkflowTaskSet entry). What the agent reports comes back through
//! [`crate::Observed::task_results`] and is folded into the node by
//! [`Operation::reconcile_task_set`] (Argo's `reconcileTaskSet`).
//!
//! Invariant: a node gets a result at most once; after that it is never asked for again.
//! Must not: send requests, evaluate `successCondition` or look for plugins (the agent does).

use argo_core::{NodePhase, NodeStatus, NodeType, Template};

use crate::effect::Effect;
use crate::error::Result;
use crate::operation::{ExecuteOpts, Operation, TemplateCall};

impl Operation<'_> {
    /// Creates the HTTP or Plugin node and asks the agent to run it while it is open.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn execute_agent_task(
        &mut self,
        node_name: &str,
        node_type: NodeType,
        template_scope: &str,
        template: &Template,
        call: &TemplateCall,
        opts: &ExecuteOpts,
        existing: Option<NodeStatus>,
    ) -> Result<()> {
        let node = match existing {
            Some(node) => node,
            None => self.init_executable_node(
                node_name,
                node_type,
                template_scope,
                template,
                call,
                opts,
                NodePhase::Pending,
            ),
        };
        if node.is_fulfilled() {
            return Ok(());
        }
        let reported = self
            .observed
            .task_results
            .get(&node.id)
            .is_some_and(|r| r.phase.is_fulfilled(None));
        if !reported {
            self.effects.push(Effect::RunAgentTask {
                node_id: node.id.clone(),
                node_name: node.name.clone(),
                template: Box::new(template.clone()),
            });
        }
        Ok(())
    }

    /// Folds the agent's final results into open HTTP and Plugin nodes: phase, message and
    /// outputs as reported, finished now (as Argo's task-set reconciliation does).
    pub(crate) fn reconcile_task_set(&mut self) {
        if self.observed.task_results.is_empty() {
            return;
        }
        let open: Vec<String> = self
            .indexed(|index| &index.open)
            .into_iter()
            .filter(|n| n.is_task_set_node())
            .map(|n| n.id.clone())
            .collect();
        for id in open {
            let Some(result) = self.observed.task_results.get(&id) else {
                continue;
            };
            if !result.phase.is_fulfilled(None) {
                continue;
            }
            let now = self.now_time();
            let Some(node) = self.node_by_id_mut(&id) else {
                continue;
            };
            node.outputs = result.outputs.clone();
            crate::phase::transition(
                node,
                result.phase.clone(),
                Some(&result.message),
                now.clone(),
            );
            node.finished_at = Some(now);
            if node.phase == NodePhase::Succeeded {
                let outputs = node.outputs.clone();
                self.add_outputs_to_global_scope(outputs.as_ref());
            }
        }
    }
}
