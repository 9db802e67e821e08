//! Translating a runtime's Kubernetes `PodStatus` into the engine's runtime-agnostic
//! [`PodObservation`]. Must not: decide node phases (the engine's `assess_pod` does).

use argo_core::k8s_openapi::api::core::v1::{ContainerStatus, PodStatus};
use argo_engine::{ContainerObservation, ContainerState, PodObservation, PodPhase};

/// The engine's view of one pod status.
pub fn observe_pod(status: &PodStatus) -> PodObservation {
    let phase = match status.phase.as_deref() {
        Some("Running") => PodPhase::Running,
        Some("Succeeded") => PodPhase::Succeeded,
        Some("Failed") => PodPhase::Failed,
        Some("Unknown") => PodPhase::Unknown,
        _ => PodPhase::Pending,
    };
    let unschedulable = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("Unschedulable"))
        .map(|c| c.message.clone().unwrap_or_default());
    PodObservation {
        phase,
        message: status.message.clone().unwrap_or_default(),
        reason: status.reason.clone().unwrap_or_default(),
        host_node_name: String::new(),
        pod_ip: status.pod_ip.clone().unwrap_or_default(),
        init_containers: status
            .init_container_statuses
            .iter()
            .flatten()
            .map(observe_container)
            .collect(),
        containers: status
            .container_statuses
            .iter()
            .flatten()
            .map(observe_container)
            .collect(),
        unschedulable,
    }
}

fn observe_container(status: &ContainerStatus) -> ContainerObservation {
    let state = status.state.as_ref();
    let terminated = state.and_then(|s| s.terminated.as_ref());
    let running = state.and_then(|s| s.running.as_ref());
    let waiting = state.and_then(|s| s.waiting.as_ref());
    let (kind, exit_code, reason, message) = if let Some(t) = terminated {
        (
            ContainerState::Terminated,
            Some(t.exit_code),
            t.reason.clone().unwrap_or_default(),
            t.message.clone().unwrap_or_default(),
        )
    } else if running.is_some() {
        (ContainerState::Running, None, String::new(), String::new())
    } else {
        (
            ContainerState::Waiting,
            None,
            waiting.and_then(|w| w.reason.clone()).unwrap_or_default(),
            waiting.and_then(|w| w.message.clone()).unwrap_or_default(),
        )
    };
    ContainerObservation {
        name: status.name.clone(),
        state: kind,
        exit_code,
        reason,
        message,
        ready: status.ready,
        started_at: terminated
            .and_then(|t| t.started_at.as_ref())
            .or_else(|| running.and_then(|r| r.started_at.as_ref()))
            .map(|t| t.0),
        finished_at: terminated.and_then(|t| t.finished_at.as_ref()).map(|t| t.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::k8s_openapi::api::core::v1::{
        ContainerState as K8sState, ContainerStateTerminated,
    };

    #[test]
    fn a_failed_pod_keeps_its_main_exit_code_and_reason() {
        let status = PodStatus {
            phase: Some("Failed".to_owned()),
            container_statuses: Some(vec![ContainerStatus {
                name: "main".to_owned(),
                state: Some(K8sState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: 3,
                        reason: Some("Error".to_owned()),
                        ..ContainerStateTerminated::default()
                    }),
                    ..K8sState::default()
                }),
                ..ContainerStatus::default()
            }]),
            ..PodStatus::default()
        };
        let pod = observe_pod(&status);
        assert_eq!(pod.phase, PodPhase::Failed);
        let main = pod.container("main").expect("main");
        assert_eq!(main.exit_code, Some(3));
        assert_eq!(main.state, ContainerState::Terminated);
        assert_eq!(main.reason, "Error");
    }

    #[test]
    fn a_pod_without_phase_is_pending() {
        assert_eq!(observe_pod(&PodStatus::default()).phase, PodPhase::Pending);
    }
}
