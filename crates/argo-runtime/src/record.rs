//! The pod's recorded state (`status.json`) and a container's exit report (`exit.json`), and
//! their translation to the Kubernetes `PodStatus` callers see.
//!
//! Phase rules follow the kubelet with `restartPolicy: Never`: `Pending` while init containers
//! run, `Running` once the main containers started, `Succeeded` when all of them exited 0,
//! `Failed` when any init or main container exited non-zero or the deadline passed.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, PodCondition, PodIP, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::{Deserialize, Serialize};

/// The IP every local pod reports: all pods share the host's network.
pub(crate) const POD_IP: &str = "127.0.0.1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub(crate) fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Running => "Running",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
        }
    }
}

/// What a container is doing, as the supervisor last recorded it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub(crate) enum ContainerPhase {
    Waiting { reason: String },
    Running { started_at: Timestamp },
    Terminated(ExitReport),
}

/// How a container ended; written by its shim, copied into the pod record by the supervisor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExitReport {
    pub(crate) exit_code: i32,
    pub(crate) signal: Option<i32>,
    pub(crate) reason: String,
    pub(crate) message: Option<String>,
    pub(crate) started_at: Option<Timestamp>,
    pub(crate) finished_at: Timestamp,
}

impl ExitReport {
    /// A report for a container whose process ended with `code` or was killed by `signal`.
    pub(crate) fn from_status(
        code: Option<i32>,
        signal: Option<i32>,
        started_at: Timestamp,
    ) -> Self {
        let exit_code = match (code, signal) {
            (Some(code), _) => code,
            (None, Some(signal)) => 128 + signal,
            (None, None) => 128,
        };
        let reason = if exit_code == 0 { "Completed" } else { "Error" };
        Self {
            exit_code,
            signal,
            reason: reason.into(),
            message: None,
            started_at: Some(started_at),
            finished_at: Timestamp::now(),
        }
    }

    pub(crate) fn start_error(message: String, started_at: Option<Timestamp>) -> Self {
        Self {
            exit_code: 128,
            signal: None,
            reason: "StartError".into(),
            message: Some(message),
            started_at,
            finished_at: Timestamp::now(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContainerRecord {
    pub(crate) name: String,
    pub(crate) image: String,
    pub(crate) phase: ContainerPhase,
}

impl ContainerRecord {
    pub(crate) fn waiting(name: &str, image: &str, reason: &str) -> Self {
        Self {
            name: name.into(),
            image: image.into(),
            phase: ContainerPhase::Waiting {
                reason: reason.into(),
            },
        }
    }
    pub(crate) fn exit(&self) -> Option<&ExitReport> {
        match &self.phase {
            ContainerPhase::Terminated(report) => Some(report),
            _ => None,
        }
    }
    pub(crate) fn is_running(&self) -> bool {
        matches!(self.phase, ContainerPhase::Running { .. })
    }
}

/// The content of `status.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodRecord {
    /// Incremented on every write, so watchers notice changes.
    pub(crate) generation: u64,
    pub(crate) phase: Phase,
    pub(crate) reason: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) start_time: Option<Timestamp>,
    pub(crate) init_containers: Vec<ContainerRecord>,
    pub(crate) containers: Vec<ContainerRecord>,
}

impl PodRecord {
    pub(crate) fn all_containers_mut(&mut self) -> impl Iterator<Item = &mut ContainerRecord> {
        self.init_containers
            .iter_mut()
            .chain(self.containers.iter_mut())
    }
    pub(crate) fn all_containers(&self) -> impl Iterator<Item = &ContainerRecord> {
        self.init_containers.iter().chain(self.containers.iter())
    }

    /// The Kubernetes view of this record.
    pub(crate) fn to_pod_status(&self) -> PodStatus {
        let init_done = self
            .init_containers
            .iter()
            .all(|c| c.exit().is_some_and(|e| e.exit_code == 0));
        let all_running =
            !self.containers.is_empty() && self.containers.iter().all(ContainerRecord::is_running);
        let now = Some(time(self.start_time.unwrap_or_else(Timestamp::now)));
        let condition = |kind: &str, ok: bool| PodCondition {
            type_: kind.into(),
            status: if ok { "True" } else { "False" }.into(),
            last_transition_time: now.clone(),
            ..PodCondition::default()
        };
        PodStatus {
            phase: Some(self.phase.as_str().into()),
            reason: self.reason.clone(),
            message: self.message.clone(),
            start_time: self.start_time.map(time),
            host_ip: Some(POD_IP.into()),
            pod_ip: Some(POD_IP.into()),
            pod_ips: Some(vec![PodIP { ip: POD_IP.into() }]),
            conditions: Some(vec![
                condition("PodScheduled", true),
                condition("Initialized", init_done),
                condition("ContainersReady", all_running),
                condition("Ready", all_running),
            ]),
            init_container_statuses: Some(
                self.init_containers.iter().map(container_status).collect(),
            ),
            container_statuses: Some(self.containers.iter().map(container_status).collect()),
            ..PodStatus::default()
        }
    }
}

fn time(ts: Timestamp) -> Time {
    Time(ts)
}

fn container_status(record: &ContainerRecord) -> ContainerStatus {
    let state = match &record.phase {
        ContainerPhase::Waiting { reason } => ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.clone()),
                message: None,
            }),
            ..ContainerState::default()
        },
        ContainerPhase::Running { started_at } => ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(time(*started_at)),
            }),
            ..ContainerState::default()
        },
        ContainerPhase::Terminated(exit) => ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: exit.exit_code,
                signal: exit.signal,
                reason: Some(exit.reason.clone()),
                message: exit.message.clone(),
                started_at: exit.started_at.map(time),
                finished_at: Some(time(exit.finished_at)),
                container_id: None,
            }),
            ..ContainerState::default()
        },
    };
    let started = !matches!(record.phase, ContainerPhase::Waiting { .. });
    ContainerStatus {
        name: record.name.clone(),
        image: record.image.clone(),
        image_id: String::new(),
        ready: record.is_running(),
        restart_count: 0,
        started: Some(record.is_running()),
        container_id: started.then(|| format!("local://{}", record.name)),
        state: Some(state),
        ..ContainerStatus::default()
    }
}
