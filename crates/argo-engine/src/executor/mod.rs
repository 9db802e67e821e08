//! `execute_template`: evaluate one node of the tree (Argo's `executeTemplate`): resolve its
//! template, apply arguments, check timeouts and parallelism, wrap it in a retry node when the
//! template retries, and dispatch to the executor of its kind.
//!
//! Invariant: a node that is already fulfilled is returned untouched before any substitution,
//! so re-walking a finished subtree costs one lookup per node.
//! Must not: create pods directly (the `pod` executor emits CreatePod effects).

mod agent;
mod container_set;
mod dag;
mod data;
mod pod;
mod resource;
mod steps;
mod suspend;

pub(crate) use dag::{DagFacts, Frontier};
pub(crate) use data::captures_result;
pub(crate) use resource::{executor_main_container, needs_wait_container};

use std::collections::BTreeMap;

use argo_core::{Arguments, NodeFlag, NodePhase, NodeStatus, NodeType, Template, TemplateKind};

use crate::error::{Error, Result};
use crate::node_id;
use crate::operation::{Caller, ExecuteOpts, Operation, TemplateCall};
use crate::shared_template::SharedTemplate;
use crate::template_resolution::TemplateScope;

impl<'a> Operation<'a> {
    /// Evaluates the node `node_name` calling `call`; returns the node (None when it could not
    /// be created, e.g. waiting for parallelism).
    pub(crate) fn execute_template(
        &mut self,
        node_name: &str,
        call: &TemplateCall,
        scope: &TemplateScope,
        args: &Arguments,
        mut opts: ExecuteOpts,
    ) -> Result<Option<NodeStatus>> {
        let existing = match self.node(node_name) {
            Some(node) if node.is_fulfilled() => return Ok(Some(node.clone())),
            found => found.cloned(),
        };
        let template_scope = scope.render(&self.name);
        if self.depth + 1 >= self.config.max_stack_depth {
            let node = self.init_or_mark_error(
                existing,
                node_name,
                &template_scope,
                call,
                &opts,
                &Error::MaxDepthExceeded.to_string(),
            );
            return Err(Error::MaxDepthExceeded).map(|_: ()| node);
        }
        self.depth += 1;
        let result = self.execute_template_inner(
            node_name,
            call,
            scope,
            &template_scope,
            args,
            &mut opts,
            existing,
        );
        self.depth -= 1;
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn execute_template_inner(
        &mut self,
        node_name: &str,
        call: &TemplateCall,
        scope: &TemplateScope,
        template_scope: &str,
        args: &Arguments,
        opts: &mut ExecuteOpts,
        existing: Option<NodeStatus>,
    ) -> Result<Option<NodeStatus>> {
        let Prepared {
            inner_scope,
            kind,
            processed,
            retry_strategy,
        } = *self.prepare(
            node_name,
            call,
            scope,
            template_scope,
            args,
            opts,
            existing.as_ref(),
        )?;
        if existing.is_none()
            && let Some(hit) =
                self.memoized_node(node_name, &processed, call, template_scope, opts)?
        {
            return Ok(Some(hit));
        }
        let mut existing = existing;
        if let Some(waiting) = self.template_locks(
            node_name,
            &processed,
            retry_strategy.is_some(),
            call,
            template_scope,
            opts,
            &mut existing,
        ) {
            return Ok(waiting);
        }
        let mut node_name = node_name.to_owned();
        let mut processed = processed;
        let mut retry_node_name = None;
        if let Some(strategy) = retry_strategy {
            let retry_parent = match existing.clone() {
                Some(node) => node,
                None => {
                    let mut node = self.init_node(
                        &node_name,
                        NodeType::Retry,
                        template_scope,
                        call,
                        &opts.boundary_id,
                        NodePhase::Running,
                        opts.node_flag.clone(),
                        None,
                    );
                    if !processed.inputs.is_empty() {
                        node.inputs = Some(processed.inputs.clone());
                        self.put_node(node.clone());
                    }
                    node
                }
            };
            let flag = opts.node_flag.get_or_insert_with(NodeFlag::default);
            flag.retried = true;
            let (retry_parent, proceed) = match self.process_node_retries(retry_parent, &strategy) {
                Ok(v) => v,
                Err(err) => {
                    self.mark_error(&node_name, &err.to_string());
                    return Err(err);
                }
            };
            if !proceed {
                return Ok(Some(retry_parent));
            }
            let attempts = self.retry_attempts(&retry_parent);
            let last = attempts.last().and_then(|id| self.node_by_id(id)).cloned();
            if retry_parent.is_fulfilled() {
                return Ok(Some(self.finish_retry_node(&retry_parent, last.as_ref())));
            }
            let attempt;
            match last {
                Some(last) if !last.is_fulfilled() => {
                    attempt = attempts.len() - 1;
                    node_name = last.name.clone();
                    existing = Some(last);
                }
                _ => {
                    attempt = attempts.len();
                    let child = node_id::retry_node_name(&retry_parent.name, attempt);
                    node_name = child;
                    existing = None;
                }
            }
            let last_done = attempts
                .iter()
                .rev()
                .filter_map(|id| self.node_by_id(id))
                .find(|n| n.is_fulfilled())
                .cloned();
            let mut locals = BTreeMap::new();
            if kind.is_some_and(TemplateKind::is_pod) {
                locals.insert(
                    "pod.name".to_owned(),
                    node_id::pod_name(&self.name, &node_name, &processed.name),
                );
            }
            locals.insert("retries".to_owned(), attempt.to_string());
            let (exit_code, status, duration, message) = match &last_done {
                Some(n) => (
                    n.outputs
                        .as_ref()
                        .and_then(|o| o.exit_code.clone())
                        .unwrap_or_else(|| "0".to_owned()),
                    n.phase.as_str().to_owned(),
                    node_duration_seconds(n).to_string(),
                    n.message.clone(),
                ),
                None => ("0".to_owned(), String::new(), "0".to_owned(), String::new()),
            };
            locals.insert("lastRetry.exitCode".to_owned(), exit_code);
            locals.insert("lastRetry.status".to_owned(), status);
            locals.insert("lastRetry.duration".to_owned(), duration);
            locals.insert("lastRetry.message".to_owned(), message);
            self.substitute_in_place(&mut processed, &locals)?;
            if existing.is_none() {
                retry_node_name = Some(retry_parent.name.clone());
                // The attempt is created below by the kind executor; link it first.
                let parent_id = retry_parent.id.clone();
                let child_id = self.node_id(&node_name);
                self.add_child_by_id(&parent_id, child_id);
            } else {
                retry_node_name = Some(retry_parent.name.clone());
            }
        }

        let dispatched = match kind {
            Some(
                TemplateKind::Container
                | TemplateKind::Script
                | TemplateKind::ContainerSet
                | TemplateKind::Resource
                | TemplateKind::Data,
            ) => self.execute_pod(&node_name, template_scope, &processed, call, opts, existing),
            Some(kind @ (TemplateKind::Http | TemplateKind::Plugin)) => {
                let node_type = match kind {
                    TemplateKind::Http => NodeType::Http,
                    _ => NodeType::Plugin,
                };
                self.execute_agent_task(
                    &node_name,
                    node_type,
                    template_scope,
                    &processed,
                    call,
                    opts,
                    existing,
                )
            }
            Some(TemplateKind::Steps) => self.execute_steps(
                &node_name,
                &inner_scope,
                template_scope,
                &processed,
                call,
                opts,
            ),
            Some(TemplateKind::Dag) => self.execute_dag(
                &node_name,
                &inner_scope,
                template_scope,
                &processed,
                call,
                opts,
            ),
            Some(TemplateKind::Suspend) => {
                self.execute_suspend(&node_name, template_scope, &processed, call, opts)
            }
            None => {
                let message = format!("Template '{}' missing specification", processed.name);
                let node = self.init_node(
                    &node_name,
                    NodeType::Skipped,
                    template_scope,
                    call,
                    &opts.boundary_id,
                    NodePhase::Error,
                    opts.node_flag.clone(),
                    Some(&message),
                );
                return Err(Error::msg(message)).map(|_: ()| Some(node));
            }
        };
        if let Err(err) = dispatched {
            self.mark_error(&node_name, &err.to_string());
            if retry_node_name.is_none() {
                return Err(err);
            }
        }
        let node = self.node(&node_name).cloned();
        if let Some(retry_name) = retry_node_name {
            let retry = self.node(&retry_name).cloned();
            if let (Some(retry), Some(child)) = (&retry, &node)
                && !retry.is_fulfilled()
                && child.is_fulfilled()
            {
                return self.execute_template(
                    &retry_name,
                    call,
                    scope,
                    args,
                    ExecuteOpts {
                        node_flag: None,
                        ..opts.clone()
                    },
                );
            }
            return Ok(retry);
        }
        Ok(node)
    }

    /// Resolves the template and applies arguments, outside the recursive frame so that the
    /// large `Template` values do not sit on the stack of every nesting level.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn prepare(
        &mut self,
        node_name: &str,
        call: &TemplateCall,
        scope: &TemplateScope,
        template_scope: &str,
        args: &Arguments,
        opts: &ExecuteOpts,
        existing: Option<&NodeStatus>,
    ) -> Result<Box<Prepared<'a>>> {
        let (inner_scope, resolved, tagged) = match self.resolve_template_marked(scope, call) {
            Ok(found) => (found.scope, found.template, found.marks.tagged),
            Err(err) => {
                self.init_or_mark_error(
                    existing.cloned(),
                    node_name,
                    template_scope,
                    call,
                    opts,
                    &err.to_string(),
                );
                return Err(err);
            }
        };
        let kind = resolved.kind();
        let retry_strategy = self.retry_strategy(&resolved);
        let mut locals = BTreeMap::new();
        if kind.is_some_and(TemplateKind::is_pod) && retry_strategy.is_none() {
            locals.insert(
                "pod.name".to_owned(),
                node_id::pod_name(&self.name, node_name, &resolved.name),
            );
        }
        match call.caller {
            Caller::Task => {
                locals.insert("tasks.name".to_owned(), call.name.clone());
            }
            Caller::Step => {
                locals.insert("steps.name".to_owned(), call.name.clone());
            }
            Caller::Workflow => {}
        }
        locals.insert("node.name".to_owned(), node_name.to_owned());
        let processed = match self.process_args_shared(&resolved, tagged, args, &locals) {
            Ok(t) => t,
            Err(err) => {
                self.init_or_mark_error(
                    existing.cloned(),
                    node_name,
                    template_scope,
                    call,
                    opts,
                    &err.to_string(),
                );
                return Err(err);
            }
        };
        if let Some(node) = existing
            && let Err(err) = self.check_template_timeouts(&processed, node)
        {
            self.mark_phase(node_name, NodePhase::Failed, Some(&err.to_string()));
            return Err(err);
        }
        self.check_parallelism(&processed, existing, &opts.boundary_id)?;
        Ok(Box::new(Prepared {
            inner_scope,
            kind,
            processed,
            retry_strategy,
        }))
    }

    #[inline(never)]
    fn substitute_in_place(
        &self,
        template: &mut SharedTemplate<'_>,
        locals: &BTreeMap<String, String>,
    ) -> Result<()> {
        if crate::tags::contains_tags(&**template) {
            *template = SharedTemplate::from(self.substitute_params(template, locals)?);
        }
        Ok(())
    }

    /// Creates an Error node (type Skipped) or marks the existing one Error.
    pub(crate) fn init_or_mark_error(
        &mut self,
        existing: Option<NodeStatus>,
        node_name: &str,
        template_scope: &str,
        call: &TemplateCall,
        opts: &ExecuteOpts,
        message: &str,
    ) -> Option<NodeStatus> {
        match existing {
            Some(_) => self.mark_error(node_name, message),
            None => Some(self.init_node(
                node_name,
                NodeType::Skipped,
                template_scope,
                call,
                &opts.boundary_id,
                NodePhase::Error,
                opts.node_flag.clone(),
                Some(message),
            )),
        }
    }

    /// Creates a node for a template (Argo's `initializeExecutableNode`): records inputs and,
    /// for suspend nodes, the supplied output parameters.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn init_executable_node(
        &mut self,
        node_name: &str,
        node_type: NodeType,
        template_scope: &str,
        template: &Template,
        call: &TemplateCall,
        opts: &ExecuteOpts,
        phase: NodePhase,
    ) -> NodeStatus {
        let mut node = self.init_node(
            node_name,
            node_type.clone(),
            template_scope,
            call,
            &opts.boundary_id,
            phase,
            opts.node_flag.clone(),
            None,
        );
        let memoization_status = crate::memoization::memoization_status(template);
        let daemon_pod = template.is_daemon() && node_type == NodeType::Pod;
        // The additions go to the returned copy and to the stored node alike, so the node is
        // copied once (by init_node) rather than copied again whole.
        let complete = |node: &mut NodeStatus| {
            if !template.inputs.is_empty() {
                node.inputs = Some(template.inputs.clone());
            }
            node.memoization_status = memoization_status.clone();
            if daemon_pod {
                node.task_result_synced = None;
            }
            if node_type == NodeType::Suspend {
                crate::outputs::add_supplied_output_fields(node, template);
            }
        };
        complete(&mut node);
        if let Some(stored) = self.node_by_id_mut(&node.id) {
            complete(stored);
        }
        node
    }
}

/// A resolved, argument-applied template ready to dispatch.
struct Prepared<'a> {
    inner_scope: TemplateScope,
    kind: Option<TemplateKind>,
    processed: SharedTemplate<'a>,
    retry_strategy: Option<argo_core::RetryStrategy>,
}

/// Seconds between a node's start and finish (or 0).
fn node_duration_seconds(node: &NodeStatus) -> f64 {
    match (&node.started_at, &node.finished_at) {
        (Some(start), Some(end)) => end.0.duration_since(start.0).as_secs_f64(),
        _ => 0.0,
    }
}
