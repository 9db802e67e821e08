//! Suspend templates: a Suspend node that stays Running until resumed (operations::resume)
//! or until its `duration` elapses, when it succeeds with its supplied outputs' defaults.
//!
//! Must not: resume nodes on request (that is the operations module).

use argo_core::{NodePhase, NodeType, Template};

use crate::duration::parse_duration;
use crate::error::Result;
use crate::operation::{ExecuteOpts, Operation, TemplateCall};
use crate::outputs::override_outputs_with_default;

impl Operation<'_> {
    pub(super) fn execute_suspend(
        &mut self,
        node_name: &str,
        template_scope: &str,
        template: &Template,
        call: &TemplateCall,
        opts: &ExecuteOpts,
    ) -> Result<()> {
        let node = match self.node(node_name).cloned() {
            Some(node) => node,
            None => self.init_executable_node(
                node_name,
                NodeType::Suspend,
                template_scope,
                template,
                call,
                opts,
                NodePhase::Pending,
            ),
        };
        let mut wake_at = None;
        let duration = template
            .suspend
            .as_ref()
            .map(|s| s.duration.clone())
            .unwrap_or_default();
        if !duration.is_empty() {
            let duration = parse_duration(&duration)?;
            let started = node.started_at.as_ref().map_or(self.now, |t| t.0);
            let deadline = started.saturating_add(duration).unwrap_or(started);
            if self.now >= deadline {
                let id = node.id.clone();
                if let Some(stored) = self.node_by_id_mut(&id) {
                    override_outputs_with_default(&mut stored.outputs);
                }
                self.mark_phase(node_name, NodePhase::Succeeded, None);
                return Ok(());
            }
            wake_at = Some(deadline);
        }
        if let Some(deadline) = self.workflow_deadline {
            wake_at = Some(wake_at.map_or(deadline, |w: jiff::Timestamp| w.min(deadline)));
        }
        if let Some(at) = wake_at {
            self.requeue_at(at);
        }
        self.mark_phase(node_name, NodePhase::Running, None);
        Ok(())
    }
}
