//! The engine's entry: `reconcile(workflow, observed, now, config) -> Reconciled`.
//!
//! One reconcile: start the workflow if new (spec from `workflowTemplateRef`, validation of
//! the entrypoint, global parameters, phase Running), fold pod observations into nodes, walk
//! the template tree from the entrypoint creating nodes and pod effects, run the exit
//! handler, and decide the workflow's phase.
//! Must not: do I/O, read a clock or sleep; the result is a function of the inputs.

use std::collections::BTreeMap;

use argo_core::{
    Condition, ConditionStatus, ConditionType, NodePhase, ShutdownStrategy, Workflow,
    WorkflowPhase, WorkflowStatus,
};
use jiff::{SignedDuration, Timestamp};

use crate::config::EngineConfig;
use crate::effect::{Effect, EventKind};
use crate::observed::Observed;
use crate::operation::{ExecuteOpts, Operation, TemplateCall};
use crate::spec_cache::SpecCache;
use crate::template_resolution::TemplateScope;

/// Label with the workflow's phase.
pub const LABEL_PHASE: &str = "workflows.argoproj.io/phase";
/// Label set to "true" once the workflow completed.
pub const LABEL_COMPLETED: &str = "workflows.argoproj.io/completed";

/// What one reconcile decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciled {
    /// The new status.
    pub status: WorkflowStatus,
    /// The workflow's labels after this reconcile (phase, completed, ...).
    pub labels: BTreeMap<String, String>,
    /// What the controller must do, in order.
    pub effects: Vec<Effect>,
    /// When to reconcile again even if nothing changes.
    pub requeue_after: Option<SignedDuration>,
}

impl Reconciled {
    /// Writes the status and labels back into a copy of the workflow.
    pub fn apply_to(&self, workflow: &Workflow) -> Workflow {
        let mut next = workflow.clone();
        next.status = self.status.clone();
        next.metadata.labels = Some(self.labels.clone().into_iter().collect());
        next
    }
}

/// Operates a workflow once. Pure: same inputs give the same output; feeding the returned
/// status back with the same observations yields no new effects.
pub fn reconcile(
    wf: &Workflow,
    observed: &Observed,
    now: Timestamp,
    config: &EngineConfig,
) -> Reconciled {
    reconcile_with_status(wf, wf.status.clone(), observed, now, config)
}

/// [`reconcile`] for a caller that owns the workflow: its status is moved into the reconcile,
/// not copied.
pub fn reconcile_owned(
    mut wf: Workflow,
    observed: &Observed,
    now: Timestamp,
    config: &EngineConfig,
) -> Reconciled {
    let status = std::mem::take(&mut wf.status);
    reconcile_with_status(&wf, status, observed, now, config)
}

/// [`reconcile`] with the current status passed by value: `status` stands for `wf.status`
/// (which is not read) and becomes the returned status, so a reconcile copies nothing it
/// does not change. A caller keeping the workflow takes the status out of it
/// (`std::mem::take(&mut wf.status)`) and puts the returned one back.
pub fn reconcile_with_status(
    wf: &Workflow,
    status: WorkflowStatus,
    observed: &Observed,
    now: Timestamp,
    config: &EngineConfig,
) -> Reconciled {
    let mut cache = SpecCache::walking_from_targets();
    reconcile_cached(wf, status, observed, now, config, &mut cache)
}

/// [`reconcile_with_status`] with the caller's [`SpecCache`] for this workflow: facts derived
/// from the templates alone are taken from it when the spec is unchanged and added to it
/// otherwise, so a reconcile costs what changed rather than the size of the templates. The
/// result is the same as without the cache.
pub fn reconcile_cached(
    wf: &Workflow,
    status: WorkflowStatus,
    observed: &Observed,
    now: Timestamp,
    config: &EngineConfig,
    cache: &mut SpecCache,
) -> Reconciled {
    cache.bind(wf);
    let carried = cache.take_status_memo();
    let mut op = Operation::new(wf, status, carried, observed, now, config);
    op.frontier_walks = !cache.walks_from_targets();
    if op.labels.get(LABEL_COMPLETED).map(String::as_str) == Some("true") {
        return op.finish();
    }
    op.spec_cache = std::mem::take(cache);
    op.operate();
    op.settle_locks();
    op.write_memo_entries();
    let memo = op.take_memo();
    *cache = std::mem::take(&mut op.spec_cache);
    cache.keep_status_memo(memo);
    op.finish()
}

impl Operation<'_> {
    /// The result. A completed workflow's reconcile changes nothing, so it has no memo
    /// entries to write either; others call `write_memo_entries` first.
    fn finish(self) -> Reconciled {
        Reconciled {
            status: self.status,
            labels: self.labels,
            effects: self.effects,
            requeue_after: self.requeue_after,
        }
    }

    fn operate(&mut self) {
        if !self.set_exec_spec() {
            return;
        }
        let starting = self.status.phase == WorkflowPhase::Unknown || self.waiting_to_start();
        if starting && !self.validate_entrypoint() {
            return;
        }
        if !self.acquire_workflow_locks() {
            return;
        }
        if let Err(err) = self.build_global_scope() {
            self.mark_workflow_phase(
                WorkflowPhase::Failed,
                &format!("failed to set global parameters: {err}"),
            );
            return;
        }
        self.workflow_deadline = self.workflow_deadline();
        if starting {
            self.mark_workflow_phase(WorkflowPhase::Running, "");
            self.globals.insert("workflow.status", "Running");
            if let Some(deadline) = self.workflow_deadline {
                self.requeue_at(deadline);
            }
        } else {
            self.reconcile_pods();
            self.reconcile_task_set();
            self.fail_unstarted_nodes_after_deadline_or_shutdown();
        }
        if self.spec.is_suspended() {
            return;
        }
        self.active_pods = self.count_active_pods(None);
        let entry = TemplateCall::named(&self.spec.entrypoint.clone());
        let arguments = self.spec.arguments.clone();
        let root_name = self.name.clone();
        let node = match self.execute_template(
            &root_name,
            &entry,
            &TemplateScope::Local,
            &arguments,
            ExecuteOpts::default(),
        ) {
            Ok(node) => node,
            Err(crate::Error::ParallelismReached) | Err(crate::Error::Requeue) => return,
            Err(err) => {
                if !self.status.phase.is_completed() {
                    self.mark_workflow_phase(
                        WorkflowPhase::Error,
                        &format!("error in entry template execution: {err}"),
                    );
                }
                return;
            }
        };
        let Some(node) = node else { return };
        let workflow_phase = workflow_phase_of(&node.phase);
        self.globals
            .insert("workflow.status", workflow_phase.as_str().to_owned());
        self.globals
            .insert("workflow.failures", self.failures_json());
        if !self.run_workflow_hooks() {
            return;
        }
        if !node.is_fulfilled() {
            return;
        }
        let Some(on_exit) = self.run_workflow_exit_handler() else {
            return;
        };
        let message = if node.is_failed_or_error() && self.spec.shutdown.is_some() {
            format!(
                "Stopped with strategy '{}'",
                self.spec
                    .shutdown
                    .as_ref()
                    .map(|s| s.as_str())
                    .unwrap_or_default()
            )
        } else {
            node.message.clone()
        };
        match workflow_phase {
            WorkflowPhase::Succeeded => match on_exit.as_ref().map(|n| n.phase.clone()) {
                Some(NodePhase::Failed) => {
                    let msg = on_exit.map(|n| n.message).unwrap_or_default();
                    self.mark_workflow_phase(WorkflowPhase::Failed, &msg)
                }
                Some(NodePhase::Error) => {
                    let msg = on_exit.map(|n| n.message).unwrap_or_default();
                    self.mark_workflow_phase(WorkflowPhase::Error, &msg)
                }
                _ => self.mark_workflow_phase(WorkflowPhase::Succeeded, ""),
            },
            WorkflowPhase::Failed => self.mark_workflow_phase(WorkflowPhase::Failed, &message),
            WorkflowPhase::Error => self.mark_workflow_phase(WorkflowPhase::Error, &message),
            _ => self.mark_workflow_phase(
                WorkflowPhase::Error,
                &format!("Unexpected node phase {}", self.name),
            ),
        }
    }

    /// Chooses the spec to execute: the workflow's own, or its WorkflowTemplate's merged with
    /// it (stored in `status.storedWorkflowTemplateSpec` on first use).
    fn set_exec_spec(&mut self) -> bool {
        let Some(reference) = self.wf.spec.workflow_template_ref.clone() else {
            return true;
        };
        if let Some(stored) = &self.status.stored_workflow_template_spec {
            let mut spec = (**stored).clone();
            // Runtime controls are read from the live spec.
            spec.shutdown = self.wf.spec.shutdown.clone();
            spec.suspend = self.wf.spec.suspend;
            self.spec = std::borrow::Cow::Owned(spec);
            return true;
        }
        let Some(template_spec) = self
            .observed
            .templates
            .spec(&reference.name, reference.cluster_scope)
        else {
            let kind = if reference.cluster_scope {
                "clusterworkflowtemplate"
            } else {
                "workflowtemplate"
            };
            let message = format!("{kind}.argoproj.io \"{}\" not found", reference.name);
            self.mark_workflow_phase(WorkflowPhase::Error, &message);
            return false;
        };
        let merged = crate::workflow_start::join_workflow_spec(&self.wf.spec, template_spec);
        self.status.stored_workflow_template_spec = Some(Box::new(merged.clone()));
        let label = if reference.cluster_scope {
            "workflows.argoproj.io/cluster-workflow-template"
        } else {
            "workflows.argoproj.io/workflow-template"
        };
        self.labels.insert(label.to_owned(), reference.name.clone());
        self.spec = std::borrow::Cow::Owned(merged);
        true
    }

    fn validate_entrypoint(&mut self) -> bool {
        let entrypoint = self.spec.entrypoint.clone();
        let message = if entrypoint.is_empty() {
            Some("invalid spec: spec.entrypoint is required".to_owned())
        } else if self.spec.template(&entrypoint).is_none() {
            Some(format!(
                "invalid spec: template name '{entrypoint}' undefined"
            ))
        } else {
            None
        };
        match message {
            Some(message) => {
                self.mark_workflow_phase(WorkflowPhase::Failed, &message);
                false
            }
            None => true,
        }
    }

    /// Sets the workflow's phase and message, labels, timestamps and the Completed condition
    /// (Argo's `markWorkflowPhase`).
    pub(crate) fn mark_workflow_phase(&mut self, phase: WorkflowPhase, message: &str) {
        if self.status.phase != phase {
            self.status.phase = phase.clone();
            self.labels
                .insert(LABEL_PHASE.to_owned(), phase.as_str().to_owned());
            self.labels
                .entry(LABEL_COMPLETED.to_owned())
                .or_insert_with(|| "false".to_owned());
            if self.config.workflow_events {
                let event = match phase {
                    WorkflowPhase::Running => Some((
                        EventKind::Normal,
                        "WorkflowRunning",
                        "Workflow Running".to_owned(),
                    )),
                    WorkflowPhase::Succeeded => Some((
                        EventKind::Normal,
                        "WorkflowSucceeded",
                        "Workflow completed".to_owned(),
                    )),
                    WorkflowPhase::Failed | WorkflowPhase::Error => {
                        Some((EventKind::Warning, "WorkflowFailed", message.to_owned()))
                    }
                    _ => None,
                };
                if let Some((kind, reason, message)) = event {
                    self.effects.push(Effect::EmitEvent {
                        kind,
                        reason: reason.to_owned(),
                        message,
                    });
                }
            }
        }
        if self.status.started_at.is_none() && phase != WorkflowPhase::Pending {
            self.status.started_at = Some(self.now_time());
        }
        self.status.message = message.to_owned();
        if phase == WorkflowPhase::Error {
            let root = self.name.clone();
            if self
                .node_by_id(&root)
                .is_some_and(|n| n.phase == NodePhase::Running)
            {
                self.mark_phase_by_id(&root, NodePhase::Error, Some("Workflow operation error"));
            }
        }
        if phase.is_completed() {
            self.status.finished_at = Some(self.now_time());
            self.labels
                .insert(LABEL_COMPLETED.to_owned(), "true".to_owned());
            let completed = Condition {
                condition_type: Some(ConditionType::Completed),
                status: Some(ConditionStatus::True),
                message: String::new(),
            };
            match self
                .status
                .conditions
                .iter_mut()
                .find(|c| c.condition_type == Some(ConditionType::Completed))
            {
                Some(existing) => *existing = completed,
                None => self.status.conditions.push(completed),
            }
            if self.config.archive {
                self.effects.push(Effect::Archive);
            }
            self.status.progress = self.workflow_progress();
        }
    }

    fn workflow_progress(&self) -> argo_core::Progress {
        let (mut done, mut total) = (0, 0);
        for node in self.status.nodes.values() {
            if node.node_type == argo_core::NodeType::Pod {
                total += 1;
                if node.phase.is_fulfilled(None) {
                    done += 1;
                }
            }
        }
        argo_core::Progress::new(done, total)
    }

    /// The JSON list `workflow.failures` holds for exit handlers.
    fn failures_json(&self) -> String {
        let failures: Vec<serde_json::Value> = self
            .indexed(|index| &index.failed)
            .into_iter()
            .map(|n| {
                let template = n
                    .template_ref
                    .as_ref()
                    .map(|r| r.template.clone())
                    .unwrap_or_else(|| n.template_name.clone());
                serde_json::json!({
                    "displayName": n.display_name,
                    "message": n.message,
                    "templateName": template,
                    "phase": n.phase.as_str(),
                    "podName": crate::node_id::pod_name(&self.name, &n.name, &template),
                    "finishedAt": n.finished_at.as_ref().map(crate::scope::rfc3339),
                })
            })
            .collect();
        serde_json::Value::Array(failures).to_string()
    }

    /// True when the workflow is being shut down with `strategy`.
    pub(crate) fn is_shutdown(&self, strategy: ShutdownStrategy) -> bool {
        self.spec.shutdown.as_ref() == Some(&strategy)
    }
}

/// The workflow phase a root node phase maps to.
fn workflow_phase_of(phase: &NodePhase) -> WorkflowPhase {
    match phase {
        NodePhase::Pending => WorkflowPhase::Pending,
        NodePhase::Running => WorkflowPhase::Running,
        NodePhase::Succeeded | NodePhase::Skipped | NodePhase::Omitted => WorkflowPhase::Succeeded,
        NodePhase::Failed => WorkflowPhase::Failed,
        NodePhase::Error => WorkflowPhase::Error,
        NodePhase::Unknown | NodePhase::Other(_) => WorkflowPhase::Running,
    }
}
