//! Container sets: one pod running several containers ordered by their `dependencies`. The
//! pod node (type Pod) gets one child node of type Container per container, named
//! `<pod node>.<container>`, created once the pod is requested; a container without
//! dependencies hangs under the pod node, the others under each container they wait for.
//! Container nodes follow their container's state in the observed pod.
//!
//! Must not: order the containers at run time (the emissary in each container waits for its
//! dependencies) or create pods (the `pod` executor does).

use argo_core::{ContainerSetTemplate, NodePhase, NodeStatus, NodeType};

use crate::observed::{ContainerState, PodObservation};
use crate::operation::{Operation, TemplateCall};

/// The exit code the emissary uses when it failed itself (e.g. a dependency failed).
const EMISSARY_ERROR_EXIT_CODE: i32 = 64;

impl Operation<'_> {
    /// Creates the Container nodes of a container-set pod node and links them.
    pub(crate) fn add_container_nodes(
        &mut self,
        node_name: &str,
        template_scope: &str,
        set: &ContainerSetTemplate,
    ) {
        for container in &set.containers {
            let name = format!("{node_name}.{}", container.container.name);
            if self.node(&name).is_none() {
                self.init_node(
                    &name,
                    NodeType::Container,
                    template_scope,
                    &TemplateCall::default(),
                    "",
                    NodePhase::Pending,
                    None,
                    None,
                );
            }
        }
        for container in &set.containers {
            let name = format!("{node_name}.{}", container.container.name);
            if container.dependencies.is_empty() {
                self.add_child(node_name, &name);
            }
            for dependency in &container.dependencies {
                self.add_child(&format!("{node_name}.{dependency}"), &name);
            }
        }
    }

    /// Moves the Container nodes of a pod node to their containers' observed states; when
    /// the pod is done, containers that never ran end with the pod's phase.
    pub(crate) fn assess_container_nodes(
        &mut self,
        pod_node: &NodeStatus,
        set: &ContainerSetTemplate,
        pod: &PodObservation,
        pod_done: Option<&NodePhase>,
    ) {
        for container in &set.containers {
            let container_name = &container.container.name;
            let id = self.node_id(&format!("{}.{container_name}", pod_node.name));
            let Some(node) = self.node_by_id(&id) else {
                continue;
            };
            if node.is_fulfilled() {
                continue;
            }
            let (phase, message) = match pod.container(container_name) {
                Some(observed) => match observed.state {
                    ContainerState::Waiting => (NodePhase::Pending, None),
                    ContainerState::Running => (NodePhase::Running, None),
                    ContainerState::Terminated => {
                        let code = observed.exit_code.unwrap_or(0);
                        match code {
                            0 => (NodePhase::Succeeded, None),
                            EMISSARY_ERROR_EXIT_CODE => (
                                NodePhase::Error,
                                Some(format!("{} (exit code {code})", observed.reason)),
                            ),
                            _ => {
                                let mut message = format!("{} (exit code {code})", observed.reason);
                                if !observed.message.is_empty() {
                                    message = format!("{message}: {}", observed.message);
                                }
                                (NodePhase::Failed, Some(message))
                            }
                        }
                    }
                },
                None => (NodePhase::Pending, None),
            };
            let phase = match (pod_done, phase.is_fulfilled(None)) {
                (Some(done), false) if done.is_failed_or_error() => done.clone(),
                (Some(_), false) => NodePhase::Failed,
                _ => phase,
            };
            if phase != node.phase {
                self.mark_phase_by_id(&id, phase, message.as_deref());
            }
        }
    }
}
