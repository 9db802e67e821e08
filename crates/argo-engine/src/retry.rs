//! Retries: the Retry node that parents each attempt `name(N)`, the decision whether another
//! attempt runs (policy, limit, expression, backoff with factor/cap/maxDuration), and the
//! workflow-level default strategy.
//!
//! Must not: create attempts itself (`execute_template` does, after this module says go).

use argo_core::{NodePhase, NodeStatus, RetryPolicy, RetryStrategy, Template};
use argo_expr::{Scope, Unresolved};
use jiff::SignedDuration;

use crate::duration::{humanize, parse_duration};
use crate::error::{Error, Result};
use crate::operation::Operation;

impl Operation<'_> {
    /// The template's retry strategy, or the workflow's default one.
    pub(crate) fn retry_strategy(&self, template: &Template) -> Option<RetryStrategy> {
        template
            .retry_strategy
            .clone()
            .or_else(|| self.spec.retry_strategy.clone())
    }

    /// Copies the last attempt's outputs onto a finished retry node.
    pub(crate) fn finish_retry_node(
        &mut self,
        retry: &NodeStatus,
        last: Option<&NodeStatus>,
    ) -> NodeStatus {
        let Some(last) = last else {
            return retry.clone();
        };
        let outputs = last.outputs.clone();
        match self.node_by_id_mut(&retry.id) {
            Some(node) => {
                if outputs.is_some() {
                    node.outputs = outputs;
                }
                node.clone()
            }
            None => retry.clone(),
        }
    }

    /// Decides what happens to a retry node given its attempts (Argo's `processNodeRetries`);
    /// returns the node and whether execution continues (false while backing off).
    pub(crate) fn process_node_retries(
        &mut self,
        node: NodeStatus,
        strategy: &RetryStrategy,
    ) -> Result<(NodeStatus, bool)> {
        if node.is_fulfilled() {
            return Ok((node, true));
        }
        let attempts = self.retry_attempts(&node);
        let Some(last) = attempts.last().and_then(|id| self.node_by_id(id)).cloned() else {
            return Ok((node, true));
        };
        if !last.is_fulfilled() {
            return Ok((node, true));
        }
        if !last.is_failed_or_error() {
            if let Some(n) = self.node_by_id_mut(&node.id) {
                n.outputs = last.outputs.clone();
            }
            let done = self.mark_phase_by_id(&node.id, NodePhase::Succeeded, None);
            return Ok((done.unwrap_or(node), true));
        }
        let shut_down = self.spec.shutdown.is_some();
        let past_deadline = self.workflow_deadline.is_some_and(|d| self.now > d);
        if shut_down || past_deadline {
            let message = if shut_down {
                format!(
                    "Stopped with strategy '{}'",
                    self.spec
                        .shutdown
                        .as_ref()
                        .map(|s| s.as_str())
                        .unwrap_or_default()
                )
            } else {
                format!(
                    "retry exceeded workflow deadline {}",
                    self.workflow_deadline
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                )
            };
            let done = self.mark_phase_by_id(&node.id, last.phase.clone(), Some(&message));
            return Ok((done.unwrap_or(node), true));
        }
        let limit = match &strategy.limit {
            Some(limit) => Some(self.int_or_string(limit)?),
            None => None,
        };
        if let Some(backoff) = &strategy.backoff {
            let first_started = attempts
                .first()
                .and_then(|id| self.node_by_id(id))
                .and_then(|n| n.started_at.clone());
            let mut max_deadline = None;
            if !backoff.max_duration.is_empty() {
                let max = parse_duration(&backoff.max_duration)?;
                if let Some(started) = first_started {
                    let deadline = started.0.saturating_add(max).unwrap_or(started.0);
                    if self.now > deadline {
                        let done = self.mark_phase_by_id(
                            &node.id,
                            last.phase.clone(),
                            Some("Max duration limit exceeded"),
                        );
                        return Ok((done.unwrap_or(node), true));
                    }
                    max_deadline = Some(deadline);
                }
            }
            if backoff.duration.is_empty() {
                return Err(Error::msg("no base duration specified for retryStrategy"));
            }
            let base = parse_duration(&backoff.duration)?;
            let mut wait = base;
            if let Some(factor) = &backoff.factor {
                let factor = self.int_or_string(factor)?;
                if factor > 0 {
                    let exponent =
                        i32::try_from(attempts.len().saturating_sub(1)).unwrap_or(i32::MAX);
                    let multiplier = (factor as f64).powi(exponent);
                    let seconds = base.as_secs_f64() * multiplier;
                    wait = if seconds > 9.0e9 {
                        SignedDuration::MAX
                    } else {
                        SignedDuration::from_secs_f64(seconds)
                    };
                }
            }
            if !backoff.cap.is_empty() {
                wait = wait.min(parse_duration(&backoff.cap)?);
            }
            let finished = last.finished_at.as_ref().map_or(self.now, |t| t.0);
            let waiting_until = finished.saturating_add(wait).unwrap_or(finished);
            if max_deadline.is_some_and(|d| waiting_until > d) {
                let done = self.mark_phase_by_id(
                    &node.id,
                    last.phase.clone(),
                    Some("Backoff would exceed max duration limit"),
                );
                return Ok((done.unwrap_or(node), true));
            }
            if self.now < waiting_until && limit.is_some_and(|l| attempts.len() as i64 <= l) {
                self.requeue_at(waiting_until);
                let message = format!("Backoff for {}", humanize(wait));
                let current = node.phase.clone();
                let done = self.mark_phase_by_id(&node.id, current, Some(&message));
                return Ok((done.unwrap_or(node), false));
            }
            let current = node.phase.clone();
            self.mark_phase_by_id(&node.id, current, Some(""));
        }
        let policy = strategy
            .retry_policy
            .clone()
            .unwrap_or(RetryPolicy::OnFailure);
        let (retry_failed, retry_error) = match policy {
            RetryPolicy::Always => (true, true),
            RetryPolicy::OnError => (false, true),
            RetryPolicy::OnFailure => (true, false),
            RetryPolicy::OnTransientError => {
                let transient = is_transient_message(&last.message);
                (transient, transient)
            }
            RetryPolicy::Other(other) => {
                return Err(Error::msg(format!("{other} is not a valid RetryPolicy")));
            }
        };
        if (last.phase == NodePhase::Failed && !retry_failed)
            || (last.phase == NodePhase::Error && !retry_error)
        {
            let done = self.mark_phase_by_id(&node.id, last.phase.clone(), Some(&last.message));
            return Ok((done.unwrap_or(node), true));
        }
        if limit.is_some_and(|l| attempts.len() as i64 > l) {
            let done =
                self.mark_phase_by_id(&node.id, last.phase.clone(), Some("No more retries left"));
            return Ok((done.unwrap_or(node), true));
        }
        if !strategy.expression.is_empty() {
            let scope = self.retry_expression_scope(&last, attempts.len());
            let proceed = argo_expr::evaluate_bool(
                &strategy.expression,
                &scope,
                &self.options(Unresolved::Reject),
            )?;
            if !proceed {
                let done = self.mark_phase_by_id(
                    &node.id,
                    last.phase.clone(),
                    Some("retryStrategy.expression evaluated to false"),
                );
                return Ok((done.unwrap_or(node), true));
            }
        }
        Ok((self.node_by_id(&node.id).cloned().unwrap_or(node), true))
    }

    fn retry_expression_scope(&self, last: &NodeStatus, attempts: usize) -> Scope {
        let mut scope = self.globals.clone();
        scope.insert("retries", attempts.saturating_sub(1).to_string());
        let exit_code = last
            .outputs
            .as_ref()
            .and_then(|o| o.exit_code.clone())
            .unwrap_or_else(|| "-1".to_owned());
        scope.insert("lastRetry.exitCode", exit_code);
        scope.insert("lastRetry.status", last.phase.as_str().to_owned());
        let duration = match (&last.started_at, &last.finished_at) {
            (Some(s), Some(f)) => f.0.duration_since(s.0).as_secs_f64(),
            _ => 0.0,
        };
        scope.insert("lastRetry.duration", duration.to_string());
        scope.insert("lastRetry.message", last.message.clone());
        scope
    }

    /// Reads an int-or-string field, substituting globals into the string form.
    pub(crate) fn int_or_string(
        &self,
        value: &argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString,
    ) -> Result<i64> {
        use argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
        match value {
            IntOrString::Int(n) => Ok(i64::from(*n)),
            IntOrString::String(text) => {
                let text = self.substitute_text(text, &Scope::new())?;
                text.trim()
                    .parse()
                    .map_err(|_| Error::msg(format!("invalid value {text:?}: expected an integer")))
            }
        }
    }
}

/// Messages Argo treats as transient errors (a subset of its `IsTransientErr`).
fn is_transient_message(message: &str) -> bool {
    const PATTERNS: &[&str] = &[
        "connection refused",
        "connection reset",
        "i/o timeout",
        "TLS handshake timeout",
        "too many requests",
        "exceeded quota",
        "etcdserver: leader changed",
        "transport is closing",
        "unexpected EOF",
        "net/http: request canceled",
        "the object has been modified",
    ];
    PATTERNS.iter().any(|p| message.contains(p))
}
