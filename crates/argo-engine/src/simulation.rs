//! A scripted runtime for tests and benchmarks: it plays the controller and the pods. Each
//! round it runs `reconcile`, creates the requested pods, lets a script decide each pod's
//! outcome (exit code, stdout, output parameters, run time), advances a fake clock to the next
//! event and feeds pod observations and task results back, until the workflow completes or
//! the round budget runs out.
//!
//! Must not: sleep or read the wall clock; time only moves when the simulation advances it.

use std::collections::BTreeMap;

use argo_core::k8s_openapi::api::core::v1::Pod;
use argo_core::{
    NodePhase, NodeResult, NodeStatus, Outputs, Parameter, Template, Workflow, WorkflowPhase,
};
use jiff::{SignedDuration, Timestamp};

use crate::config::EngineConfig;
use crate::effect::Effect;
use crate::observed::{ContainerObservation, Observed, PodObservation, PodPhase};
use crate::reconcile::{LABEL_COMPLETED, Reconciled, reconcile_cached, reconcile_with_status};
use crate::spec_cache::SpecCache;

/// What the script sees of a pod the engine asked for.
#[derive(Debug, Clone)]
pub struct PodRequest {
    pub node_id: String,
    pub node_name: String,
    pub pod_name: String,
    /// The template from the pod's ARGO_TEMPLATE.
    pub template: Template,
    /// ARGO_INCLUDE_SCRIPT_OUTPUT.
    pub include_script_output: bool,
    /// The rendered pod.
    pub pod: Pod,
}

/// How a scripted pod ends.
#[derive(Debug, Clone, PartialEq)]
pub struct PodOutcome {
    pub exit_code: i32,
    /// Stdout (reported as `outputs.result` when the engine asked for it).
    pub stdout: Option<String>,
    /// Output parameter values by name (as if read from their `valueFrom.path`).
    pub parameters: BTreeMap<String, String>,
    /// How long the pod runs.
    pub duration: SignedDuration,
    /// A pod-level failure message (e.g. "OOMKilled"), failing the pod.
    pub pod_message: Option<String>,
    /// Keep running until deleted (daemons, long steps).
    pub run_forever: bool,
    /// Declared output artifacts the pod did not produce (every other one is reported).
    pub missing_artifacts: Vec<String>,
    /// Exit codes of other containers by name (containerSet members, sidecars); those not
    /// listed exit 0, except that without a `main` container every container exits with
    /// `exit_code`.
    pub container_exit_codes: BTreeMap<String, i32>,
}

impl Default for PodOutcome {
    fn default() -> Self {
        PodOutcome {
            exit_code: 0,
            stdout: None,
            parameters: BTreeMap::new(),
            duration: SignedDuration::from_secs(1),
            pod_message: None,
            run_forever: false,
            missing_artifacts: Vec::new(),
            container_exit_codes: BTreeMap::new(),
        }
    }
}

impl PodOutcome {
    /// Exits 0 after one second.
    pub fn success() -> Self {
        PodOutcome::default()
    }

    /// Exits with `code` after one second.
    pub fn exit(code: i32) -> Self {
        PodOutcome {
            exit_code: code,
            ..PodOutcome::default()
        }
    }

    /// Sets stdout.
    pub fn with_stdout(mut self, stdout: impl Into<String>) -> Self {
        self.stdout = Some(stdout.into());
        self
    }

    /// Sets an output parameter.
    pub fn with_parameter(mut self, name: &str, value: impl Into<String>) -> Self {
        self.parameters.insert(name.to_owned(), value.into());
        self
    }

    /// Sets the exit code of a container other than `main`.
    pub fn with_container_exit(mut self, container: &str, code: i32) -> Self {
        self.container_exit_codes.insert(container.to_owned(), code);
        self
    }

    /// The exit code of each container of a pod with these container names.
    fn container_exits(&self, names: &[String]) -> Vec<(String, i32)> {
        let has_main = names.iter().any(|n| n == "main");
        names
            .iter()
            .map(|name| {
                let code = match self.container_exit_codes.get(name) {
                    Some(code) => *code,
                    None if name == "wait" => 0,
                    None if name == "main" || !has_main => self.exit_code,
                    None => 0,
                };
                (name.clone(), code)
            })
            .collect()
    }

    /// Leaves out a declared output artifact, as if its file was never written.
    pub fn without_artifact(mut self, name: &str) -> Self {
        self.missing_artifacts.push(name.to_owned());
        self
    }

    /// Sets the run time.
    pub fn taking(mut self, duration: SignedDuration) -> Self {
        self.duration = duration;
        self
    }
}

/// The pod script: decides every pod's outcome.
pub type PodScript = Box<dyn FnMut(&PodRequest) -> PodOutcome>;

#[derive(Debug, Clone)]
struct ScheduledPod {
    node_id: String,
    request_template: Template,
    include_script_output: bool,
    outcome: PodOutcome,
    finishes_at: Timestamp,
    /// When the runtime stops the pod for its deadline, if it runs that long.
    killed_at: Option<Timestamp>,
    /// The pod's container names (`wait`, `main`, containerSet members, sidecars).
    containers: Vec<String>,
    finished: bool,
}

impl ScheduledPod {
    /// When this pod next changes: its deadline kill or its own finish.
    fn next_event(&self) -> Option<Timestamp> {
        if self.finished {
            return None;
        }
        match (self.killed_at, self.outcome.run_forever) {
            (Some(killed), _) => Some(killed),
            (None, true) => None,
            (None, false) => Some(self.finishes_at),
        }
    }
}

/// The message a runtime gives a pod stopped for its `activeDeadlineSeconds`.
pub const DEADLINE_EXCEEDED_MESSAGE: &str =
    "Pod was active on the node longer than the specified deadline";

/// When the runtime (the kubelet) stops a pod for its `activeDeadlineSeconds`. The
/// executor's own `ARGO_DEADLINE` kill is left to the engine, which fails such nodes itself.
fn pod_deadline(pod: &Pod, now: Timestamp) -> Option<Timestamp> {
    pod.spec
        .as_ref()
        .and_then(|s| s.active_deadline_seconds)
        .and_then(|secs| now.saturating_add(SignedDuration::from_secs(secs)).ok())
}

/// A pod the runtime stopped at its deadline: the pod fails with `DeadlineExceeded` and
/// main is killed.
fn killed_pod(at: Timestamp) -> PodObservation {
    let mut observation = PodObservation::exited(137, at);
    observation.host_node_name = "sim-node".to_owned();
    observation.reason = "DeadlineExceeded".to_owned();
    observation.message = DEADLINE_EXCEEDED_MESSAGE.to_owned();
    observation
}

/// A workflow running against scripted pods.
pub struct Simulation {
    pub workflow: Workflow,
    pub observed: Observed,
    pub now: Timestamp,
    pub config: EngineConfig,
    /// Every effect returned, in order.
    pub effects: Vec<Effect>,
    /// Names of pods created, in order (a pod name appears once per CreatePod).
    pub created_pods: Vec<String>,
    /// Number of reconciles run.
    pub reconciles: usize,
    /// The lock table the workflow's lock effects go to (share one between simulations to
    /// run several workflows against the same locks).
    pub locks: std::rc::Rc<std::cell::RefCell<crate::synchronization::LockBook>>,
    script: PodScript,
    scheduled: BTreeMap<String, ScheduledPod>,
    /// Template facts and the status index carried between this simulation's reconciles, as
    /// a controller does.
    spec_cache: SpecCache,
    /// The status the last reconcile returned, to tell whether the next one gets it back.
    applied_status: Option<argo_core::WorkflowStatus>,
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("workflow", &self.workflow.name())
            .field("now", &self.now)
            .field("reconciles", &self.reconciles)
            .finish()
    }
}

/// The simulation's default start time.
pub fn epoch() -> Timestamp {
    Timestamp::from_second(1_700_000_000).expect("a valid timestamp")
}

/// A pod whose containers all exited.
fn finished_pod(outcome: &PodOutcome, containers: &[String], at: Timestamp) -> PodObservation {
    let mut observation = PodObservation::exited(outcome.exit_code, at);
    if containers.is_empty() {
        return observation;
    }
    let exits = outcome.container_exits(containers);
    observation.containers = exits
        .iter()
        .map(|(name, code)| {
            let reason = if *code == 0 { "Completed" } else { "Error" };
            ContainerObservation::terminated(name, *code, reason, at)
        })
        .collect();
    observation.phase = if exits.iter().all(|(_, code)| *code == 0) {
        PodPhase::Succeeded
    } else {
        PodPhase::Failed
    };
    observation
}

impl Simulation {
    /// A simulation where every pod succeeds after one second.
    pub fn new(workflow: Workflow) -> Self {
        Simulation::with_script(workflow, Box::new(|_| PodOutcome::success()))
    }

    /// A simulation with a pod script.
    pub fn with_script(workflow: Workflow, script: PodScript) -> Self {
        Simulation {
            workflow,
            observed: Observed::default(),
            now: epoch(),
            config: EngineConfig::default(),
            effects: Vec::new(),
            created_pods: Vec::new(),
            reconciles: 0,
            locks: std::rc::Rc::default(),
            script,
            scheduled: BTreeMap::new(),
            spec_cache: SpecCache::new(),
            applied_status: None,
        }
    }

    /// Replaces the pod script.
    pub fn set_script(&mut self, script: PodScript) {
        self.script = script;
    }

    /// Runs one reconcile and applies its effects; returns the reconcile's result.
    pub fn step(&mut self) -> Reconciled {
        self.observe_locks();
        // Debug builds (every test) also reconcile without the cache: a warm cache must not
        // change a single field of the answer.
        let uncached = cfg!(debug_assertions).then(|| {
            reconcile_with_status(
                &self.workflow,
                self.workflow.status.clone(),
                &self.observed,
                self.now,
                &self.config,
            )
        });
        // The cache may start from the status index it left only when the status is the one
        // the last step applied (a test may have changed it since).
        if self.applied_status.as_ref() == Some(&self.workflow.status) {
            self.spec_cache.vouch_for_status();
        }
        let status = std::mem::take(&mut self.workflow.status);
        let reconciled = reconcile_cached(
            &self.workflow,
            status,
            &self.observed,
            self.now,
            &self.config,
            &mut self.spec_cache,
        );
        if let Some(uncached) = uncached {
            assert_eq!(reconciled, uncached, "the spec cache changed a reconcile");
        }
        self.apply(&reconciled);
        reconciled
    }

    /// Applies a reconcile's result (status, labels, effects) as [`Simulation::step`] does;
    /// for callers that run `reconcile` themselves (the benchmark times it alone).
    pub fn apply(&mut self, reconciled: &Reconciled) {
        self.reconciles += 1;
        self.workflow.status = reconciled.status.clone();
        self.applied_status = Some(reconciled.status.clone());
        self.workflow.metadata.labels = Some(reconciled.labels.clone().into_iter().collect());
        for effect in &reconciled.effects {
            self.apply_effect(effect);
        }
        self.effects.extend(reconciled.effects.iter().cloned());
    }

    /// [`Simulation::apply`] taking the result: nothing is copied, and nothing of it is
    /// freed until the simulation is (a benchmark's own copies would otherwise be freed, and
    /// their memory merged by the allocator, inside the next timed reconcile). The next
    /// [`Simulation::step`] does not reuse the status index.
    pub fn apply_owned(&mut self, reconciled: Reconciled) {
        self.reconciles += 1;
        self.applied_status = None;
        self.workflow.status = reconciled.status;
        self.workflow.metadata.labels = Some(reconciled.labels.into_iter().collect());
        for effect in &reconciled.effects {
            self.apply_effect(effect);
        }
        self.effects.extend(reconciled.effects);
    }

    fn apply_effect(&mut self, effect: &Effect) {
        match effect {
            Effect::CreatePod { node_id, pod } => {
                let pod = pod.render();
                let name = pod.metadata.name.clone().unwrap_or_default();
                self.created_pods.push(name.clone());
                let env = pod
                    .spec
                    .as_ref()
                    .and_then(|s| s.containers.iter().find(|c| c.name == "main"))
                    .and_then(|c| c.env.clone())
                    .unwrap_or_default();
                let env_value = |key: &str| {
                    env.iter()
                        .find(|e| e.name == key)
                        .and_then(|e| e.value.clone())
                        .unwrap_or_default()
                };
                let template: Template =
                    serde_json::from_str(&env_value("ARGO_TEMPLATE")).unwrap_or_default();
                let include_script_output = env_value("ARGO_INCLUDE_SCRIPT_OUTPUT") == "true";
                let node_name = pod
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(crate::pod_spec::ANNOTATION_NODE_NAME).cloned())
                    .unwrap_or_default();
                let request = PodRequest {
                    node_id: node_id.clone(),
                    node_name,
                    pod_name: name.clone(),
                    template: template.clone(),
                    include_script_output,
                    pod: pod.clone(),
                };
                let outcome = (self.script)(&request);
                let finishes_at = self
                    .now
                    .saturating_add(outcome.duration)
                    .unwrap_or(self.now);
                let containers: Vec<String> = pod
                    .spec
                    .as_ref()
                    .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
                    .unwrap_or_default();
                let killed_at = pod_deadline(&pod, self.now)
                    .filter(|at| outcome.run_forever || *at < finishes_at);
                self.scheduled.insert(
                    name.clone(),
                    ScheduledPod {
                        node_id: node_id.clone(),
                        request_template: template,
                        include_script_output,
                        outcome,
                        finishes_at,
                        killed_at,
                        containers: containers.clone(),
                        finished: false,
                    },
                );
                let mut running = PodObservation::in_phase(PodPhase::Running);
                running.host_node_name = "sim-node".to_owned();
                running.containers = containers
                    .iter()
                    .map(|c| ContainerObservation::running(c))
                    .collect();
                self.observed.pods.insert(name, running);
            }
            Effect::WriteMemo {
                cache,
                key,
                node_id,
                outputs,
            } => {
                let entry = crate::observed::MemoEntry {
                    node_id: node_id.clone(),
                    outputs: outputs.clone(),
                    last_hit: Some(self.now),
                    created_at: Some(self.now),
                };
                let entries = self.observed.memo.entry(cache.clone()).or_default();
                entries.insert(key.clone(), entry);
            }
            Effect::DeletePod { pod } => {
                self.scheduled.remove(pod);
                self.observed.pods.remove(pod);
                self.observed.deleted_pods.insert(pod.clone());
            }
            Effect::AcquireLock {
                holder,
                locks,
                priority,
                created_at,
                reacquire,
            } => {
                self.locks
                    .borrow_mut()
                    .request(holder, locks, *priority, *created_at, *reacquire);
            }
            Effect::ReleaseLock { key, holder } => {
                self.locks.borrow_mut().release(key, holder);
            }
            _ => {}
        }
    }

    /// Reports the lock table's grants for this workflow, as the controller does.
    pub fn observe_locks(&mut self) {
        let workflow = crate::synchronization::workflow_holder(
            self.workflow.namespace(),
            self.workflow.name(),
        );
        let book = self.locks.borrow();
        self.observed.locks = book.held_by(&workflow);
        self.observed.lock_status = book.status_for(&workflow);
    }

    /// Finishes every pod whose time has come (observations and task results).
    fn settle_pods(&mut self) {
        for (name, pod) in self.scheduled.iter_mut() {
            if let Some(killed_at) = pod.killed_at
                && !pod.finished
                && killed_at <= self.now
            {
                // The runtime stops the pod; its executor reports no result.
                pod.finished = true;
                let observation = killed_pod(killed_at);
                self.observed.pods.insert(name.clone(), observation);
                continue;
            }
            if pod.finished || pod.outcome.run_forever || pod.finishes_at > self.now {
                continue;
            }
            pod.finished = true;
            let mut observation = finished_pod(&pod.outcome, &pod.containers, pod.finishes_at);
            observation.host_node_name = "sim-node".to_owned();
            if let Some(message) = &pod.outcome.pod_message {
                observation.phase = PodPhase::Failed;
                observation.message = message.clone();
            }
            let missing = pod
                .request_template
                .outputs
                .parameters
                .iter()
                .find(|declared| {
                    !pod.outcome.parameters.contains_key(&declared.name)
                        && declared
                            .value_from
                            .as_ref()
                            .is_none_or(|v| v.default.is_none() && !v.path.is_empty())
                        && declared
                            .value_from
                            .as_ref()
                            .is_some_and(|v| !v.path.is_empty())
                });
            if let Some(declared) = missing {
                let path = declared
                    .value_from
                    .as_ref()
                    .map(|v| v.path.clone())
                    .unwrap_or_default();
                observation.phase = PodPhase::Failed;
                if let Some(wait) = observation.containers.iter_mut().find(|c| c.name == "wait") {
                    wait.exit_code = Some(1);
                    wait.reason = "Error".to_owned();
                    wait.message =
                        format!("failed to save outputs: open {path}: no such file or directory");
                }
            }
            self.observed.pods.insert(name.clone(), observation);
            let mut outputs = Outputs::default();
            for declared in &pod.request_template.outputs.parameters {
                let value = pod
                    .outcome
                    .parameters
                    .get(&declared.name)
                    .cloned()
                    .or_else(|| {
                        declared
                            .value_from
                            .as_ref()
                            .and_then(|v| v.default.clone())
                            .map(|d| d.0)
                    });
                outputs.parameters.push(Parameter {
                    name: declared.name.clone(),
                    value: value.map(Into::into),
                    value_from: None,
                    global_name: declared.global_name.clone(),
                    ..Parameter::default()
                });
            }
            for declared in &pod.request_template.outputs.artifacts {
                if pod.outcome.missing_artifacts.contains(&declared.name) {
                    continue;
                }
                // The executor saved it where the template says, or in the archive location.
                let mut artifact = declared.clone();
                if !artifact.location.has_location()
                    && let Some(archive) = &pod.request_template.archive_location
                {
                    artifact.location = archive.clone();
                }
                outputs.artifacts.push(artifact);
            }
            if pod.include_script_output {
                outputs.result = Some(pod.outcome.stdout.clone().unwrap_or_default());
            }
            outputs.exit_code = Some(pod.outcome.exit_code.to_string());
            self.observed.task_results.insert(
                pod.node_id.clone(),
                NodeResult {
                    phase: if pod.outcome.exit_code == 0 {
                        NodePhase::Succeeded
                    } else {
                        NodePhase::Failed
                    },
                    message: String::new(),
                    outputs: Some(outputs),
                    progress: argo_core::Progress::new(1, 1),
                },
            );
        }
    }

    /// The cache this simulation carries between reconciles.
    pub fn spec_cache(&self) -> &SpecCache {
        &self.spec_cache
    }

    /// True once the workflow carries `completed=true`.
    pub fn is_completed(&self) -> bool {
        self.workflow
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(LABEL_COMPLETED))
            .is_some_and(|v| v == "true")
    }

    /// Runs until the workflow completes or `max_rounds` reconciles ran; returns the phase.
    pub fn run(&mut self, max_rounds: usize) -> WorkflowPhase {
        self.run_until(max_rounds, |sim| sim.is_completed())
    }

    /// Runs until `done` holds (checked after each round) or the budget runs out.
    pub fn run_until(
        &mut self,
        max_rounds: usize,
        done: impl Fn(&Simulation) -> bool,
    ) -> WorkflowPhase {
        for _ in 0..max_rounds {
            let reconciled = self.step();
            if done(self) {
                break;
            }
            self.advance(reconciled.requeue_after);
        }
        self.workflow.status.phase.clone()
    }

    /// Moves the clock to the next event: the earliest pod finish or requeue, at least now.
    fn advance(&mut self, requeue_after: Option<SignedDuration>) {
        let next_pod = self
            .scheduled
            .values()
            .filter_map(ScheduledPod::next_event)
            .min();
        let requeue = requeue_after.and_then(|d| self.now.saturating_add(d).ok());
        let next = match (next_pod, requeue) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let next = next.unwrap_or_else(|| {
            self.now
                .saturating_add(SignedDuration::from_secs(1))
                .unwrap_or(self.now)
        });
        // A zero requeue still lets a little time pass, as it would for a real controller.
        self.now = if next > self.now {
            next
        } else {
            self.now
                .saturating_add(SignedDuration::from_secs(1))
                .unwrap_or(self.now)
        };
        self.settle_pods();
    }

    /// Moves the clock forward by `by` and settles pods (without reconciling).
    pub fn advance_by(&mut self, by: SignedDuration) {
        self.now = self.now.saturating_add(by).unwrap_or(self.now);
        self.settle_pods();
    }

    /// The node with this name.
    pub fn node(&self, name: &str) -> Option<&NodeStatus> {
        self.workflow
            .status
            .nodes
            .get(&crate::node_id::node_id(self.workflow.name(), name))
    }

    /// The node whose display name is `display_name` (first in id order).
    pub fn node_by_display_name(&self, display_name: &str) -> Option<&NodeStatus> {
        self.workflow
            .status
            .nodes
            .values()
            .find(|n| n.display_name == display_name)
    }
}
