//! Pod observations into node state (Argo's `podReconciliation` and `assessNodeStatus`):
//! phase and message from the pod and its containers, exit code, host and IP, outputs from
//! the node's task result, and pods reported deleted.
//!
//! Invariant: a Succeeded pod whose template declares output parameters or a result does
//! not complete its node until the task result carrying those outputs is observed.
//! Must not: create pods or walk the template tree.

use argo_core::{NodePhase, NodeStatus, NodeType, Outputs, Template};

use crate::observed::{ContainerState, PodObservation, PodPhase};
use crate::operation::{Operation, TemplateCall};
use crate::shared_template::SharedTemplate;
use crate::template_resolution::TemplateScope;

/// The new phase and message a pod implies (Argo's `assessNodeStatus` core).
pub fn assess_pod(
    pod: &PodObservation,
    pod_name: &str,
    namespace: &str,
    daemon: bool,
) -> (NodePhase, String) {
    match pod.phase {
        PodPhase::Pending => (NodePhase::Pending, pending_reason(pod)),
        PodPhase::Succeeded if daemon => (NodePhase::Failed, String::new()),
        PodPhase::Succeeded => (NodePhase::Succeeded, String::new()),
        PodPhase::Failed => infer_failed_reason(pod, pod_name, namespace),
        PodPhase::Running => (NodePhase::Running, String::new()),
        PodPhase::Unknown => (
            NodePhase::Error,
            format!("Unexpected pod phase for {pod_name}: Unknown"),
        ),
    }
}

fn pending_reason(pod: &PodObservation) -> String {
    for container in &pod.containers {
        if container.state == ContainerState::Waiting && !container.reason.is_empty() {
            return if container.message.is_empty() {
                container.reason.clone()
            } else {
                format!("{}: {}", container.reason, container.message)
            };
        }
    }
    match &pod.unschedulable {
        Some(message) if !message.is_empty() => format!("Unschedulable: {message}"),
        Some(_) => "Unschedulable".to_owned(),
        None => String::new(),
    }
}

/// Argo's `inferFailedReason`: the most telling container failure of a failed pod.
fn infer_failed_reason(
    pod: &PodObservation,
    pod_name: &str,
    namespace: &str,
) -> (NodePhase, String) {
    if !pod.message.is_empty() {
        return (NodePhase::Failed, pod.message.clone());
    }
    let order = |name: &str| match name {
        "main" => 1,
        "wait" => 2,
        _ => 3,
    };
    let mut containers: Vec<_> = pod.containers.iter().collect();
    containers.sort_by_key(|c| order(&c.name));
    let all: Vec<_> = pod.init_containers.iter().chain(containers).collect();
    if all.is_empty() {
        return (
            NodePhase::Failed,
            format!("can't find failed message for pod {pod_name} namespace {namespace}"),
        );
    }
    let (mut main_ok, mut wait_ok) = (false, false);
    for container in all {
        match container.state {
            ContainerState::Waiting => {
                return (
                    NodePhase::Error,
                    format!(
                        "Pod failed before {} container starts due to {}: {}",
                        container.name, container.reason, container.message
                    ),
                );
            }
            ContainerState::Running => continue,
            ContainerState::Terminated => {}
        }
        let code = container.exit_code.unwrap_or(0);
        if code == 0 {
            match container.name.as_str() {
                "main" => main_ok = true,
                "wait" => wait_ok = true,
                _ => {}
            }
            continue;
        }
        let mut message = format!("{} (exit code {code})", container.reason);
        if !container.message.is_empty() {
            message = format!("{message}: {}", container.message);
        }
        let message = format!("{}: {message}", container.name);
        match container.name.as_str() {
            "init" | "wait" => return (NodePhase::Error, message),
            "main" => return (NodePhase::Failed, message),
            _ if code != 137 && code != 143 => return (NodePhase::Failed, message),
            _ => {}
        }
    }
    match (main_ok, wait_ok) {
        (true, true) => (NodePhase::Succeeded, String::new()),
        (true, false) => (
            NodePhase::Failed,
            "pod failed: wait container did not complete successfully".to_owned(),
        ),
        (false, true) => (
            NodePhase::Failed,
            "pod failed: main container did not complete successfully".to_owned(),
        ),
        (false, false) => (
            NodePhase::Failed,
            "pod failed: neither main nor wait container completed successfully".to_owned(),
        ),
    }
}

impl<'a> Operation<'a> {
    /// Folds every observed pod into its node.
    pub(crate) fn reconcile_pods(&mut self) {
        let open: Vec<String> = self
            .indexed(|index| &index.open)
            .into_iter()
            .filter(|n| n.node_type == NodeType::Pod)
            .map(|n| n.id.clone())
            .collect();
        for id in open {
            let Some(call) = self.node_by_id(&id).map(template_call_of) else {
                continue;
            };
            let template = call.and_then(|(scope, call)| {
                self.resolve_template(&scope, &call).ok().map(|(_, t)| t)
            });
            let node = self.node_by_id(&id).expect("the node looked up above");
            let pod_name = crate::node_id::pod_name(
                &self.name,
                &node.name,
                match (&template, &node.template_ref) {
                    (Some(t), _) => &t.name,
                    (None, Some(r)) => &r.template,
                    (None, None) => &node.template_name,
                },
            );
            let observed = self.observed;
            if let Some(pod) = observed.pods.get(&pod_name) {
                let node = node.clone();
                self.apply_pod(&node, pod, &pod_name, template.as_deref());
            } else if node.phase != NodePhase::Pending
                && self.pod_is_gone(node.started_at.clone(), &pod_name)
            {
                self.mark_phase_by_id(&id, NodePhase::Error, Some("pod deleted"));
            }
        }
    }

    /// Whether the pod of a started node is gone: known deleted, or missing from a complete
    /// listing ([`crate::Observed::pods_listed`]) although the node started more than
    /// `pod_missing_grace` ago. A node started more recently asks to be looked at again once
    /// the grace has passed (as Argo spares recently started pods).
    fn pod_is_gone(
        &mut self,
        started_at: Option<argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
        pod_name: &str,
    ) -> bool {
        if self.observed.deleted_pods.contains(pod_name) {
            return true;
        }
        if !self.observed.pods_listed {
            return false;
        }
        let grace = self.config.pod_missing_grace;
        let Some(started) = started_at else {
            return true;
        };
        match started.0.checked_add(grace) {
            Ok(deadline) if deadline > self.now => {
                self.requeue_at(deadline);
                false
            }
            _ => true,
        }
    }

    /// The template a node was created from (no defaults applied beyond merging).
    pub(crate) fn node_template(&mut self, node: &NodeStatus) -> Option<SharedTemplate<'a>> {
        let (scope, call) = template_call_of(node)?;
        self.resolve_template(&scope, &call).ok().map(|(_, t)| t)
    }

    fn apply_pod(
        &mut self,
        node: &NodeStatus,
        pod: &PodObservation,
        pod_name: &str,
        template: Option<&Template>,
    ) {
        let daemon = template.is_some_and(Template::is_daemon);
        let namespace = self.wf.namespace().to_owned();
        let (mut phase, mut message) = assess_pod(pod, pod_name, &namespace, daemon);
        if let Some(reported) = self.executor_failure_message(node, template, &phase) {
            message = if message.is_empty() {
                reported
            } else {
                format!("{message}: {reported}")
            };
        }
        if pod.phase == PodPhase::Running && daemon {
            let ready = pod.containers.iter().all(|c| c.ready);
            if !ready {
                return;
            }
        }
        let mut updated = node.clone();
        updated.host_node_name = pod.host_node_name.clone();
        if daemon && pod.phase == PodPhase::Running {
            updated.daemoned = Some(true);
            updated.pod_ip = pod.pod_ip.clone();
        } else {
            updated.daemoned = None;
        }
        if let Some(code) = pod.container("main").and_then(|c| c.exit_code) {
            updated
                .outputs
                .get_or_insert_with(Outputs::default)
                .exit_code = Some(code.to_string());
        }
        if let Some(result) = self.observed.task_results.get(&node.id) {
            if let Some(outputs) = &result.outputs {
                let merged = updated.outputs.get_or_insert_with(Outputs::default);
                merged.parameters = outputs.parameters.clone();
                merged.artifacts = outputs.artifacts.clone();
                if outputs.result.is_some() {
                    merged.result = outputs.result.clone();
                }
                if outputs.exit_code.is_some() && merged.exit_code.is_none() {
                    merged.exit_code = outputs.exit_code.clone();
                }
            }
            if !result.progress.is_empty() {
                updated.progress = result.progress.clone();
            }
        }
        let wait_running = pod
            .container("wait")
            .is_some_and(|c| c.state == ContainerState::Running);
        if wait_running && phase.is_completed() && pod.phase != PodPhase::Failed {
            phase = node.phase.clone();
        }
        if phase == NodePhase::Succeeded
            && let Some(template) = template
            && outputs_not_ready(template, updated.outputs.as_ref())
        {
            phase = node.phase.clone();
        }
        let message = match phase {
            NodePhase::Pending | NodePhase::Failed | NodePhase::Error => Some(message),
            _ if node.phase == NodePhase::Pending => Some(String::new()),
            _ => None,
        };
        if updated.progress.is_empty() {
            updated.progress = argo_core::Progress::new(0, 1);
        }
        if phase.is_fulfilled(None)
            && updated.progress.n() < updated.progress.m()
            && phase == NodePhase::Succeeded
        {
            updated.progress = argo_core::Progress::new(updated.progress.m(), updated.progress.m());
        }
        if let Some(set) = template.and_then(|t| t.container_set.as_ref()) {
            let done = phase.is_fulfilled(None).then_some(&phase);
            self.assess_container_nodes(node, set, pod, done);
        }
        let finished_at = pod.latest_finished_at();
        let now = self.now_time();
        crate::phase::transition(&mut updated, phase, message.as_deref(), now);
        if updated.phase.is_fulfilled(None)
            && let Some(finished) = finished_at
            && node.finished_at.is_none()
        {
            updated.finished_at =
                Some(argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(finished));
        }
        if updated != *node {
            if updated.phase.is_completed() && updated.phase == NodePhase::Succeeded {
                let outputs = updated.outputs.clone();
                self.add_outputs_to_global_scope(outputs.as_ref());
            }
            self.put_node(updated);
        }
    }
}

/// The scope and call a node's template is resolved with; `None` for an inline template,
/// whose body no node records (it is treated as unknown).
fn template_call_of(node: &NodeStatus) -> Option<(TemplateScope, TemplateCall)> {
    if node.template_name.is_empty() && node.template_ref.is_none() {
        return None;
    }
    let call = TemplateCall {
        template: node.template_name.clone(),
        template_ref: node.template_ref.clone(),
        ..TemplateCall::default()
    };
    Some((TemplateScope::parse(&node.template_scope), call))
}

/// Declared output parameters or result that the observed outputs do not carry yet.
fn outputs_not_ready(template: &Template, outputs: Option<&Outputs>) -> bool {
    let declared_params = !template.outputs.parameters.is_empty();
    let declared_result = template.outputs.result.is_some();
    let Some(outputs) = outputs else {
        return declared_params || declared_result;
    };
    (declared_params && outputs.parameters.is_empty())
        || (declared_result && outputs.result.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observed::ContainerObservation;

    fn at(s: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(s).expect("valid")
    }

    #[test]
    fn a_main_container_exit_code_fails_the_node_with_argos_message() {
        let pod = PodObservation::exited(1, at(5));
        assert_eq!(
            assess_pod(&pod, "p", "ns", false),
            (NodePhase::Failed, "main: Error (exit code 1)".to_owned())
        );
    }

    #[test]
    fn a_pod_message_wins_over_container_details() {
        let mut pod = PodObservation::exited(1, at(5));
        pod.message = "OOMKilled".into();
        assert_eq!(assess_pod(&pod, "p", "ns", false).1, "OOMKilled");
    }

    #[test]
    fn a_failed_wait_container_is_an_error() {
        let mut pod = PodObservation::in_phase(PodPhase::Failed);
        pod.containers = vec![
            ContainerObservation::terminated("main", 0, "Completed", at(1)),
            ContainerObservation::terminated("wait", 2, "Error", at(1)),
        ];
        assert_eq!(assess_pod(&pod, "p", "ns", false).0, NodePhase::Error);
    }

    #[test]
    fn waiting_containers_explain_pending_pods() {
        let mut pod = PodObservation::in_phase(PodPhase::Pending);
        pod.containers = vec![ContainerObservation {
            name: "main".into(),
            reason: "ImagePullBackOff".into(),
            message: "Back-off pulling image".into(),
            ..ContainerObservation::default()
        }];
        assert_eq!(
            assess_pod(&pod, "p", "ns", false),
            (
                NodePhase::Pending,
                "ImagePullBackOff: Back-off pulling image".to_owned()
            )
        );
    }

    #[test]
    fn a_failed_pod_without_containers_says_so() {
        let pod = PodObservation::in_phase(PodPhase::Failed);
        assert_eq!(
            assess_pod(&pod, "p", "ns", false).1,
            "can't find failed message for pod p namespace ns"
        );
    }

    #[test]
    fn a_succeeded_daemon_fails() {
        let pod = PodObservation::exited(0, at(1));
        assert_eq!(assess_pod(&pod, "p", "ns", true).0, NodePhase::Failed);
    }
}
