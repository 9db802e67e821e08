//! Where a reconcile meets synchronization: the workflow-level acquisition before the walk,
//! the template-level acquisition when a node is evaluated, and the release pass after the
//! walk for every holder that ended.
//!
//! Invariant: a holder runs only when every lock it declares is granted in `Observed::locks`
//! (or, after a restart, recorded as held in the status); a waiting node is a Pending
//! placeholder carrying `synchronizationStatus.waiting` and Argo's waiting message, replaced
//! by a fresh node once granted.
//! Must not: grant locks or decide the order of waiters (the lock table does).

use argo_core::{
    NodePhase, NodeStatus, NodeSynchronizationStatus, NodeType, ShutdownStrategy, Template,
    TemplateKind, WorkflowPhase,
};

use super::{
    LOCK_RECHECK, LockKind, lock_keys, lock_requests, node_holder, status, waiting_message,
    workflow_holder,
};
use crate::effect::{Effect, LockRequest};
use crate::operation::{ExecuteOpts, Operation, TemplateCall};

/// The outcome of asking for a holder's locks.
enum Acquisition {
    Held,
    Waiting { message: String, key: String },
}

impl Operation<'_> {
    fn workflow_lock_holder(&self) -> String {
        workflow_holder(self.wf.namespace(), &self.name)
    }

    /// Asks for all of `requests` for `holder` (see the module's invariant).
    fn acquire(&mut self, holder: &str, declared: Vec<(LockKind, LockRequest)>) -> Acquisition {
        let (kinds, requests): (Vec<LockKind>, Vec<LockRequest>) = declared.into_iter().unzip();
        let granted = |op: &Self, key: &str| {
            op.observed
                .locks
                .get(key)
                .is_some_and(|holders| holders.contains(holder))
        };
        let priority = self.wf.spec.priority.unwrap_or(0);
        let created_at = self.wf.metadata.creation_timestamp.as_ref().map(|t| t.0);
        if requests.iter().all(|r| granted(self, &r.key)) {
            for (kind, request) in kinds.iter().zip(&requests) {
                status::record_held(&mut self.status, *kind, &request.key, holder);
            }
            return Acquisition::Held;
        }
        if requests
            .iter()
            .all(|r| status::is_held(&self.status, &r.key, holder))
        {
            // Held before the lock table was rebuilt (a controller restart): take them again.
            self.effects.push(Effect::AcquireLock {
                holder: holder.to_owned(),
                locks: requests,
                priority,
                created_at,
                reacquire: true,
            });
            return Acquisition::Held;
        }
        let mut first = None;
        for (kind, request) in kinds.iter().zip(&requests) {
            if granted(self, &request.key) {
                continue;
            }
            let table = self.observed.lock_status.get(&request.key);
            let holders = table.map(|t| t.holders.clone()).unwrap_or_default();
            let limit = request.limit.or(table.map(|t| t.limit)).unwrap_or(1);
            status::record_waiting(&mut self.status, *kind, &request.key, &holders);
            if first.is_none() {
                first = Some((
                    waiting_message(&request.key, limit, holders.len()),
                    request.key.clone(),
                ));
            }
        }
        self.effects.push(Effect::AcquireLock {
            holder: holder.to_owned(),
            locks: requests,
            priority,
            created_at,
            reacquire: false,
        });
        self.requeue_after(LOCK_RECHECK);
        let (message, key) = first.unwrap_or_default();
        Acquisition::Waiting { message, key }
    }

    /// Workflow-level synchronization, before anything runs; false when the workflow must
    /// wait (phase Pending with Argo's message) or failed to declare its locks.
    pub(crate) fn acquire_workflow_locks(&mut self) -> bool {
        let Some(sync) = self.spec.synchronization.clone().filter(|s| !s.is_empty()) else {
            return true;
        };
        let namespace = self.wf.namespace().to_owned();
        let requests = match lock_requests(&sync, &namespace, &self.observed.config_maps) {
            Ok(requests) => requests,
            Err(err) => {
                self.mark_workflow_phase(
                    WorkflowPhase::Failed,
                    &format!("Failed to acquire the synchronization lock. {err}"),
                );
                return false;
            }
        };
        let holder = self.workflow_lock_holder();
        match self.acquire(&holder, requests) {
            Acquisition::Held => true,
            Acquisition::Waiting { message, .. } => {
                if let Some(strategy) = self.spec.shutdown.clone() {
                    let message = format!("Stopped with strategy '{}'", strategy.as_str());
                    self.mark_workflow_phase(WorkflowPhase::Failed, &message);
                    return false;
                }
                let phase = match self.status.phase {
                    WorkflowPhase::Unknown => WorkflowPhase::Pending,
                    ref other => other.clone(),
                };
                self.mark_workflow_phase(phase, &message);
                false
            }
        }
    }

    /// True when the workflow waited for its locks and has not started its entry node yet.
    pub(crate) fn waiting_to_start(&self) -> bool {
        self.status.phase == WorkflowPhase::Pending && self.status.nodes.is_empty()
    }

    /// Template-level synchronization for the node `node_name`. `None`: go on evaluating the
    /// node (its locks are held; a waiting placeholder was dropped from `existing`).
    /// `Some(node)`: the node waits, was stopped, or its declaration is invalid.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn template_locks(
        &mut self,
        node_name: &str,
        template: &Template,
        retried: bool,
        call: &TemplateCall,
        template_scope: &str,
        opts: &ExecuteOpts,
        existing: &mut Option<NodeStatus>,
    ) -> Option<Option<NodeStatus>> {
        let sync = template
            .synchronization
            .as_ref()
            .filter(|s| !s.is_empty())?;
        let namespace = self.wf.namespace().to_owned();
        let requests = match lock_requests(sync, &namespace, &self.observed.config_maps) {
            Ok(requests) => requests,
            Err(err) => {
                let message = err.to_string();
                return Some(self.init_or_mark_error(
                    existing.take(),
                    node_name,
                    template_scope,
                    call,
                    opts,
                    &message,
                ));
            }
        };
        let node_id = self.node_id(node_name);
        let holder = node_holder(&namespace, &self.name, &node_id);
        let blocked = match &self.spec.shutdown {
            Some(ShutdownStrategy::Terminate) => true,
            Some(ShutdownStrategy::Stop) => !opts.on_exit_template,
            _ => false,
        };
        let held = requests.iter().all(|(_, r)| {
            self.observed
                .locks
                .get(&r.key)
                .is_some_and(|h| h.contains(&holder))
                || status::is_held(&self.status, &r.key, &holder)
        });
        if blocked && !held {
            let strategy = self.spec.shutdown.as_ref().map(|s| s.as_str().to_owned());
            let message = format!("Stopped with strategy '{}'", strategy.unwrap_or_default());
            if existing.is_none() {
                self.init_placeholder(node_name, template, retried, call, template_scope, opts);
            }
            return Some(self.mark_phase(node_name, NodePhase::Failed, Some(&message)));
        }
        match self.acquire(&holder, requests) {
            Acquisition::Held => {
                if existing
                    .as_ref()
                    .is_some_and(|n| n.synchronization_status.is_some())
                {
                    self.remove_node(&node_id);
                    *existing = None;
                }
                None
            }
            Acquisition::Waiting { message, key } => {
                if existing.is_none() {
                    self.init_placeholder(node_name, template, retried, call, template_scope, opts);
                }
                let node = self.node_by_id_mut(&node_id)?;
                node.message = message;
                node.synchronization_status = Some(NodeSynchronizationStatus { waiting: key });
                Some(Some(node.clone()))
            }
        }
    }

    /// A Pending node of the type the template will create, standing in while it waits.
    fn init_placeholder(
        &mut self,
        node_name: &str,
        template: &Template,
        retried: bool,
        call: &TemplateCall,
        template_scope: &str,
        opts: &ExecuteOpts,
    ) {
        let node_type = if retried {
            NodeType::Retry
        } else {
            match template.kind() {
                Some(TemplateKind::Steps) => NodeType::Steps,
                Some(TemplateKind::Dag) => NodeType::Dag,
                Some(TemplateKind::Suspend) => NodeType::Suspend,
                Some(TemplateKind::Http) => NodeType::Http,
                Some(TemplateKind::Plugin) => NodeType::Plugin,
                Some(_) => NodeType::Pod,
                None => NodeType::Skipped,
            }
        };
        self.init_executable_node(
            node_name,
            node_type,
            template_scope,
            template,
            call,
            opts,
            NodePhase::Pending,
        );
    }

    /// After the walk: releases the locks of every holder that ended (node fulfilled or
    /// gone, workflow completed) and takes ended waiters out of the queue.
    pub(crate) fn settle_locks(&mut self) {
        let namespace = self.wf.namespace().to_owned();
        let workflow = self.workflow_lock_holder();
        let prefix = format!("{workflow}/");
        let done = self.status.phase.is_completed();
        let mut released = Vec::new();
        for (key, holder) in status::holdings(&self.status) {
            let ended = match holder.strip_prefix(&prefix) {
                _ if done => true,
                Some(node_id) => self
                    .status
                    .nodes
                    .get(node_id)
                    .is_none_or(NodeStatus::is_fulfilled),
                None => false,
            };
            if ended {
                status::remove_held(&mut self.status, &key, &holder);
                released.push((key, holder));
            }
        }
        let ended_waiters: Vec<(String, String)> = self
            .indexed(|index| &index.waiting)
            .into_iter()
            .filter(|n| done || n.is_fulfilled())
            .filter_map(|n| {
                let waiting = &n.synchronization_status.as_ref()?.waiting;
                (!waiting.is_empty()).then(|| (n.id.clone(), waiting.clone()))
            })
            .collect();
        for (node_id, key) in ended_waiters {
            if let Some(node) = self.node_by_id_mut(&node_id) {
                node.synchronization_status = None;
            }
            released.push((key, node_holder(&namespace, &self.name, &node_id)));
        }
        if done {
            let declared = self
                .spec
                .synchronization
                .as_ref()
                .and_then(|s| lock_keys(s, &namespace).ok())
                .unwrap_or_default();
            for (_, key) in declared {
                if !released.iter().any(|(k, h)| *k == key && *h == workflow) {
                    released.push((key, workflow.clone()));
                }
            }
            self.status.synchronization = None;
        }
        for (key, holder) in released {
            self.effects.push(Effect::ReleaseLock { key, holder });
        }
    }
}
