//! Support for the synchronization cases (`tests/cases_locks_*.rs`): a fleet of simulated
//! workflows run round-robin against one lock book, as the controller shares its lock table,
//! and the workflows and look-ups those cases share.
//!
//! Must not: hide assertions; helpers only build, run and look up, the cases assert.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{MutexStatus, NodeStatus, Workflow, WorkflowPhase};
use argo_engine::simulation::{PodOutcome, Simulation, epoch};
use argo_engine::synchronization::LockBook;
use argo_engine::{PodPhase, Reconciled, reconcile};
use jiff::{SignedDuration, Timestamp};

use super::support::{slow, wf};

/// One workflow-level mutex `test` around one pod.
pub const MUTEX_WF: &str = "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - name: test
  templates:
  - name: main
    container: {image: busybox}
";

/// One workflow-level semaphore (`my-config`, key `workflow`) around one pod.
pub const SEMAPHORE_WF: &str = "
spec:
  entrypoint: main
  synchronization:
    semaphores:
    - configMapKeyRef: {name: my-config, key: workflow}
  templates:
  - name: main
    container: {image: busybox}
";

/// Several workflows run round-robin against one lock book, one second per round.
pub struct Fleet {
    pub sims: Vec<Simulation>,
    pub book: Rc<RefCell<LockBook>>,
    /// The most workflows seen running a pod at once.
    pub max_running: usize,
}

/// A workflow named `name`, created `created` seconds after the epoch, with `priority`; its
/// pods take five seconds and its `my-config` allows 1 for `workflow` and 2 for `template`.
pub fn member(name: &str, body: &str, created: i64, priority: Option<i32>) -> Simulation {
    let mut workflow = wf(&format!("metadata: {{name: {name}}}\n{body}"));
    workflow.metadata.creation_timestamp = Some(Time(
        epoch()
            .checked_add(SignedDuration::from_secs(created))
            .expect("time"),
    ));
    workflow.spec.priority = priority;
    let mut sim = Simulation::with_script(workflow, Box::new(|_| slow()));
    sim.observed.config_maps.insert(
        "my-config".into(),
        config(&[("workflow", "1"), ("template", "2")]),
    );
    sim
}

/// A [`MUTEX_WF`] member whose pod exits 1 after three seconds.
pub fn failing_member(name: &str, created: i64) -> Simulation {
    let mut sim = member(name, MUTEX_WF, created, None);
    sim.set_script(Box::new(|_| {
        PodOutcome::exit(1).taking(SignedDuration::from_secs(3))
    }));
    sim
}

/// The data of a config map.
pub fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The workflow's phase.
pub fn phase_of(sim: &Simulation) -> WorkflowPhase {
    sim.workflow.status.phase.clone()
}

/// True when no lock of the book has a holder.
pub fn all_released(book: &RefCell<LockBook>) -> bool {
    book.borrow()
        .snapshot()
        .values()
        .all(|l| l.holders.is_empty())
}

/// The workflow's mutex status (panics when it has none).
pub fn mutex_status(workflow: &Workflow) -> &MutexStatus {
    workflow
        .status
        .synchronization
        .as_ref()
        .expect("a synchronization status")
        .mutex
        .as_ref()
        .expect("a mutex status")
}

/// The nodes that wait for a lock (have a synchronization status).
pub fn waiting_nodes(sim: &Simulation) -> Vec<&NodeStatus> {
    sim.workflow
        .status
        .nodes
        .values()
        .filter(|n| n.synchronization_status.is_some())
        .collect()
}

/// Reconciles the workflow as it stands, then reconciles the result again, both against
/// the locks it sees now.
pub fn reconcile_twice(sim: &mut Simulation) -> (Reconciled, Reconciled) {
    sim.observe_locks();
    let once = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
    let again = reconcile(
        &once.apply_to(&sim.workflow),
        &sim.observed,
        sim.now,
        &sim.config,
    );
    (once, again)
}

impl Fleet {
    pub fn new(sims: Vec<Simulation>) -> Self {
        let book = Rc::new(RefCell::new(LockBook::default()));
        let sims = sims
            .into_iter()
            .map(|mut s| {
                s.locks = book.clone();
                s
            })
            .collect();
        Fleet {
            sims,
            book,
            max_running: 0,
        }
    }

    /// `first` (created at 0) and `second` (at 1), both [`MUTEX_WF`], after two rounds:
    /// `first` holds the mutex and `second` waits for it.
    pub fn contended(first: &str, second: &str) -> Self {
        let mut fleet = Fleet::new(vec![
            member(first, MUTEX_WF, 0, None),
            member(second, MUTEX_WF, 1, None),
        ]);
        fleet.round();
        fleet.round();
        fleet
    }

    pub fn set_limit(&mut self, key: &str, value: &str) {
        for sim in &mut self.sims {
            if let Some(data) = sim.observed.config_maps.get_mut("my-config") {
                data.insert(key.to_owned(), value.to_owned());
            }
        }
    }

    /// One round: every open workflow reconciles once, then a second passes.
    pub fn round(&mut self) {
        for sim in &mut self.sims {
            if !sim.is_completed() {
                sim.step();
            }
        }
        let running = self
            .sims
            .iter()
            .filter(|s| {
                s.observed
                    .pods
                    .values()
                    .any(|p| p.phase == PodPhase::Running)
            })
            .count();
        self.max_running = self.max_running.max(running);
        for sim in &mut self.sims {
            sim.advance_by(SignedDuration::from_secs(1));
        }
    }

    pub fn run(&mut self, rounds: usize) {
        for _ in 0..rounds {
            if self.sims.iter().all(Simulation::is_completed) {
                return;
            }
            self.round();
        }
    }

    pub fn sim(&self, name: &str) -> &Simulation {
        self.sims
            .iter()
            .find(|s| s.workflow.metadata.name.as_deref() == Some(name))
            .expect("a member")
    }

    pub fn sim_mut(&mut self, name: &str) -> &mut Simulation {
        self.sims
            .iter_mut()
            .find(|s| s.workflow.metadata.name.as_deref() == Some(name))
            .expect("a member")
    }

    pub fn started(&self, name: &str) -> Timestamp {
        self.sim(name)
            .workflow
            .status
            .started_at
            .clone()
            .expect("started")
            .0
    }

    pub fn finished(&self, name: &str) -> Timestamp {
        self.sim(name)
            .workflow
            .status
            .finished_at
            .clone()
            .expect("finished")
            .0
    }
}
