//! Targeted cases: synchronization (mutexes and semaphores, workflow and template level)
//! against one lock book shared by several simulated workflows, as the controller shares its
//! lock table.

#[path = "golden/case_support.rs"]
mod support;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{NodePhase, ShutdownStrategy, WorkflowPhase};
use argo_engine::simulation::{PodOutcome, Simulation, epoch};
use argo_engine::synchronization::LockBook;
use argo_engine::{Effect, PodPhase, reconcile};
use jiff::SignedDuration;
use support::*;

const MUTEX_WF: &str = "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - name: test
  templates:
  - name: main
    container: {image: busybox}
";

const SEMAPHORE_WF: &str = "
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
struct Fleet {
    sims: Vec<Simulation>,
    book: Rc<RefCell<LockBook>>,
    /// The most workflows seen running a pod at once.
    max_running: usize,
}

fn slow() -> PodOutcome {
    PodOutcome::success().taking(SignedDuration::from_secs(5))
}

/// A workflow named `name`, created `created` seconds after the epoch, with `priority`.
fn member(name: &str, body: &str, created: i64, priority: Option<i32>) -> Simulation {
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

fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Fleet {
    fn new(sims: Vec<Simulation>) -> Self {
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

    fn set_limit(&mut self, key: &str, value: &str) {
        for sim in &mut self.sims {
            if let Some(data) = sim.observed.config_maps.get_mut("my-config") {
                data.insert(key.to_owned(), value.to_owned());
            }
        }
    }

    /// One round: every open workflow reconciles once, then a second passes.
    fn round(&mut self) {
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

    fn run(&mut self, rounds: usize) {
        for _ in 0..rounds {
            if self.sims.iter().all(Simulation::is_completed) {
                return;
            }
            self.round();
        }
    }

    fn sim(&self, name: &str) -> &Simulation {
        self.sims
            .iter()
            .find(|s| s.workflow.metadata.name.as_deref() == Some(name))
            .expect("a member")
    }

    fn sim_mut(&mut self, name: &str) -> &mut Simulation {
        self.sims
            .iter_mut()
            .find(|s| s.workflow.metadata.name.as_deref() == Some(name))
            .expect("a member")
    }

    fn started(&self, name: &str) -> jiff::Timestamp {
        self.sim(name)
            .workflow
            .status
            .started_at
            .clone()
            .expect("started")
            .0
    }

    fn finished(&self, name: &str) -> jiff::Timestamp {
        self.sim(name)
            .workflow
            .status
            .finished_at
            .clone()
            .expect("finished")
            .0
    }
}

fn phase_of(sim: &Simulation) -> WorkflowPhase {
    sim.workflow.status.phase.clone()
}

#[test]
fn a_mutex_runs_two_workflows_one_after_the_other() {
    let mut fleet = Fleet::new(vec![
        member("first", MUTEX_WF, 0, None),
        member("second", MUTEX_WF, 1, None),
    ]);
    fleet.run(100);
    assert_eq!(fleet.max_running, 1);
    assert_eq!(phase_of(fleet.sim("first")), WorkflowPhase::Succeeded);
    assert_eq!(phase_of(fleet.sim("second")), WorkflowPhase::Succeeded);
    assert!(fleet.started("second") >= fleet.finished("first"));
}

#[test]
fn a_waiting_workflow_is_pending_with_argos_message_and_status() {
    let mut fleet = Fleet::new(vec![
        member("first", MUTEX_WF, 0, None),
        member("second", MUTEX_WF, 1, None),
    ]);
    fleet.round();
    fleet.round();
    let second = &fleet.sim("second").workflow;
    assert_eq!(second.status.phase, WorkflowPhase::Pending);
    assert_eq!(
        second.status.message,
        "Waiting for argo/Mutex/test lock. Lock status: 0/1"
    );
    let waiting = &second
        .status
        .synchronization
        .as_ref()
        .unwrap()
        .mutex
        .as_ref()
        .unwrap()
        .waiting;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].mutex, "argo/Mutex/test");
    assert_eq!(waiting[0].holder, "argo/first");
    assert!(second.status.nodes.is_empty());
    let first = &fleet.sim("first").workflow;
    let holding = &first
        .status
        .synchronization
        .as_ref()
        .unwrap()
        .mutex
        .as_ref()
        .unwrap()
        .holding;
    assert_eq!(holding[0].holder, "argo/first");
    assert_eq!(first.status.phase, WorkflowPhase::Running);
}

#[test]
fn a_semaphore_of_two_admits_two_of_five_workflows_at_a_time() {
    let mut sims: Vec<Simulation> = (0..5)
        .map(|i| member(&format!("w{i}"), SEMAPHORE_WF, i, None))
        .collect();
    for sim in &mut sims {
        sim.observed
            .config_maps
            .insert("my-config".into(), config(&[("workflow", "2")]));
    }
    let mut fleet = Fleet::new(sims);
    fleet.run(200);
    assert_eq!(fleet.max_running, 2);
    for i in 0..5 {
        assert_eq!(
            phase_of(fleet.sim(&format!("w{i}"))),
            WorkflowPhase::Succeeded
        );
    }
}

#[test]
fn a_template_semaphore_limits_a_steps_loop() {
    let mut sim = sim_with(
        "metadata: {name: loop}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: each, template: leaf, withItems: [1, 2, 3, 4, 5]}
  - name: leaf
    synchronization:
      semaphores:
      - configMapKeyRef: {name: my-config, key: template}
    container: {image: busybox}
",
        |_| slow(),
    );
    sim.observed
        .config_maps
        .insert("my-config".into(), config(&[("template", "2")]));
    let mut max = 0;
    for _ in 0..200 {
        sim.step();
        let running = sim
            .observed
            .pods
            .values()
            .filter(|p| p.phase == PodPhase::Running)
            .count();
        max = max.max(running);
        if sim.is_completed() {
            break;
        }
        sim.advance_by(SignedDuration::from_secs(1));
    }
    assert_eq!(max, 2);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 5);
    assert!(sim.workflow.status.synchronization.is_none());
}

#[test]
fn a_waiting_node_is_pending_with_the_lock_it_waits_for() {
    let mut sim = sim_with(
        "metadata: {name: loop}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: each, template: leaf, withItems: [1, 2, 3]}
  - name: leaf
    synchronization:
      semaphores:
      - configMapKeyRef: {name: my-config, key: template}
    container: {image: busybox}
",
        |_| slow(),
    );
    sim.observed
        .config_maps
        .insert("my-config".into(), config(&[("template", "2")]));
    sim.step();
    sim.step();
    let waiting: Vec<_> = sim
        .workflow
        .status
        .nodes
        .values()
        .filter(|n| n.synchronization_status.is_some())
        .collect();
    assert_eq!(waiting.len(), 1);
    let node = waiting[0];
    assert_eq!(node.phase, NodePhase::Pending);
    assert_eq!(
        node.message,
        "Waiting for argo/ConfigMap/my-config/template lock. Lock status: 0/2"
    );
    assert_eq!(
        node.synchronization_status.as_ref().unwrap().waiting,
        "argo/ConfigMap/my-config/template"
    );
    let semaphore = sim
        .workflow
        .status
        .synchronization
        .as_ref()
        .unwrap()
        .semaphore
        .as_ref()
        .unwrap();
    assert_eq!(semaphore.holding[0].holders.len(), 2);
    assert_eq!(semaphore.waiting[0].holders.len(), 2);
}

#[test]
fn a_template_mutex_serialises_parallel_dag_tasks() {
    let mut sim = sim_with(
        "metadata: {name: dag}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf}
      - {name: b, template: leaf}
      - {name: c, template: leaf}
  - name: leaf
    synchronization:
      mutexes:
      - name: one-at-a-time
    container: {image: busybox}
",
        |_| slow(),
    );
    let mut max = 0;
    for _ in 0..200 {
        sim.step();
        let running = sim
            .observed
            .pods
            .values()
            .filter(|p| p.phase == PodPhase::Running)
            .count();
        max = max.max(running);
        if sim.is_completed() {
            break;
        }
        sim.advance_by(SignedDuration::from_secs(1));
    }
    assert_eq!(max, 1);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 3);
}

const TWO_MUTEXES_WF: &str = "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - name: m1
    - name: m2
  templates:
  - name: main
    container: {image: busybox}
";

fn body_with_mutex(name: &str) -> String {
    format!(
        "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - name: {name}
  templates:
  - name: main
    container: {{image: busybox}}
"
    )
}

#[test]
fn several_locks_are_taken_all_or_nothing() {
    let mut fleet = Fleet::new(vec![
        member("holder", &body_with_mutex("m1"), 0, None),
        member("both", TWO_MUTEXES_WF, 1, None),
    ]);
    fleet.round();
    fleet.round();
    let book = fleet.book.borrow();
    assert!(book.holds("argo/Mutex/m1", "argo/holder"));
    assert!(
        !book.holds("argo/Mutex/m2", "argo/both"),
        "m2 is free but must not be taken alone"
    );
    assert!(book.is_waiting("argo/both"));
    drop(book);
    fleet.run(100);
    assert_eq!(phase_of(fleet.sim("both")), WorkflowPhase::Succeeded);
    assert!(fleet.started("both") >= fleet.finished("holder"));
}

#[test]
fn a_waiter_for_several_locks_keeps_lower_ones_from_overtaking_on_them() {
    let mut fleet = Fleet::new(vec![
        member("holder", &body_with_mutex("m1"), 0, None),
        member("both", TWO_MUTEXES_WF, 1, None),
        member("later", &body_with_mutex("m2"), 2, None),
    ]);
    fleet.run(100);
    assert!(fleet.started("later") >= fleet.started("both"));
    assert_eq!(phase_of(fleet.sim("later")), WorkflowPhase::Succeeded);
}

#[test]
fn a_higher_priority_waiter_goes_first() {
    let mut fleet = Fleet::new(vec![
        member("running", MUTEX_WF, 0, None),
        member("low", MUTEX_WF, 1, Some(1)),
        member("high", MUTEX_WF, 2, Some(5)),
    ]);
    fleet.run(100);
    assert!(fleet.started("high") < fleet.started("low"));
    assert!(fleet.started("high") >= fleet.finished("running"));
}

#[test]
fn with_equal_priority_the_older_workflow_goes_first() {
    // "young" is listed (and so asks) before "old", but was created later.
    let mut fleet = Fleet::new(vec![
        member("running", MUTEX_WF, 0, None),
        member("young", MUTEX_WF, 20, None),
        member("old", MUTEX_WF, 10, None),
    ]);
    fleet.run(100);
    assert!(fleet.started("old") < fleet.started("young"));
}

fn failing_member(name: &str, created: i64) -> Simulation {
    let mut sim = member(name, MUTEX_WF, created, None);
    sim.set_script(Box::new(|_| {
        PodOutcome::exit(1).taking(SignedDuration::from_secs(3))
    }));
    sim
}

#[test]
fn a_failed_holder_releases_its_lock() {
    let mut fleet = Fleet::new(vec![
        failing_member("fails", 0),
        member("next", MUTEX_WF, 1, None),
    ]);
    fleet.run(100);
    assert_eq!(phase_of(fleet.sim("fails")), WorkflowPhase::Failed);
    assert_eq!(phase_of(fleet.sim("next")), WorkflowPhase::Succeeded);
    assert!(fleet.sim("fails").workflow.status.synchronization.is_none());
    assert!(
        fleet
            .book
            .borrow()
            .snapshot()
            .values()
            .all(|l| l.holders.is_empty())
    );
}

fn shut_down_after_start(strategy: ShutdownStrategy) -> Fleet {
    let mut fleet = Fleet::new(vec![
        member("first", MUTEX_WF, 0, None),
        member("second", MUTEX_WF, 1, None),
    ]);
    fleet.round();
    fleet.round();
    fleet.sim_mut("first").workflow.spec.shutdown = Some(strategy);
    fleet.run(100);
    fleet
}

#[test]
fn a_stopped_holder_releases_its_lock() {
    let fleet = shut_down_after_start(ShutdownStrategy::Stop);
    assert_eq!(phase_of(fleet.sim("first")), WorkflowPhase::Failed);
    assert_eq!(phase_of(fleet.sim("second")), WorkflowPhase::Succeeded);
}

#[test]
fn a_terminated_holder_releases_its_lock() {
    let fleet = shut_down_after_start(ShutdownStrategy::Terminate);
    assert_eq!(phase_of(fleet.sim("first")), WorkflowPhase::Failed);
    assert_eq!(phase_of(fleet.sim("second")), WorkflowPhase::Succeeded);
    assert!(fleet.started("second") >= fleet.finished("first"));
}

#[test]
fn a_terminated_waiter_leaves_the_queue() {
    let mut fleet = Fleet::new(vec![
        member("first", MUTEX_WF, 0, None),
        member("second", MUTEX_WF, 1, None),
    ]);
    fleet.round();
    fleet.round();
    assert!(fleet.book.borrow().is_waiting("argo/second"));
    fleet.sim_mut("second").workflow.spec.shutdown = Some(ShutdownStrategy::Terminate);
    fleet.round();
    let second = &fleet.sim("second").workflow;
    assert_eq!(second.status.phase, WorkflowPhase::Failed);
    assert_eq!(second.status.message, "Stopped with strategy 'Terminate'");
    assert!(!fleet.book.borrow().is_waiting("argo/second"));
    assert!(fleet.sim("second").created_pods.is_empty());
}

#[test]
fn a_retrying_node_keeps_its_lock_across_attempts_and_releases_it_at_the_end() {
    let body = "
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2}
    synchronization:
      mutexes:
      - name: shared
    container: {image: busybox}
";
    let mut retrying = member("retrying", body, 0, None);
    retrying.set_script(Box::new(|_| {
        PodOutcome::exit(1).taking(SignedDuration::from_secs(2))
    }));
    let mut fleet = Fleet::new(vec![retrying, member("other", body, 1, None)]);
    fleet.run(200);
    assert_eq!(phase_of(fleet.sim("retrying")), WorkflowPhase::Failed);
    assert_eq!(fleet.sim("retrying").created_pods.len(), 3);
    assert_eq!(phase_of(fleet.sim("other")), WorkflowPhase::Succeeded);
    assert_eq!(fleet.max_running, 1);
    let other_started = node(fleet.sim("other"), "other")
        .started_at
        .clone()
        .unwrap()
        .0;
    let retry_finished = node(fleet.sim("retrying"), "retrying")
        .finished_at
        .clone()
        .unwrap()
        .0;
    assert!(other_started >= retry_finished);
}

#[test]
fn a_retried_workflow_takes_its_lock_again() {
    let mut fleet = Fleet::new(vec![failing_member("flaky", 0)]);
    fleet.run(50);
    assert_eq!(phase_of(fleet.sim("flaky")), WorkflowPhase::Failed);
    let retried = argo_engine::operations::retry(
        &fleet.sim("flaky").workflow,
        &argo_engine::operations::RetryOptions::default(),
    )
    .expect("retry");
    let sim = fleet.sim_mut("flaky");
    sim.workflow = retried.workflow;
    sim.set_script(Box::new(|_| slow()));
    for pod in retried.pods_to_delete {
        sim.observed.pods.remove(&pod);
        sim.observed.task_results.clear();
    }
    fleet.sims.push({
        let mut s = member("waiter", MUTEX_WF, 5, None);
        s.locks = fleet.book.clone();
        s
    });
    fleet.round();
    assert!(fleet.book.borrow().holds("argo/Mutex/test", "argo/flaky"));
    assert!(fleet.book.borrow().is_waiting("argo/waiter"));
    fleet.run(100);
    assert_eq!(phase_of(fleet.sim("flaky")), WorkflowPhase::Succeeded);
    assert_eq!(phase_of(fleet.sim("waiter")), WorkflowPhase::Succeeded);
}

#[test]
fn a_raised_semaphore_limit_admits_more_waiters() {
    let sims: Vec<Simulation> = (0..3)
        .map(|i| {
            let mut s = member(&format!("w{i}"), SEMAPHORE_WF, i, None);
            s.set_script(Box::new(|_| {
                PodOutcome::success().taking(SignedDuration::from_secs(60))
            }));
            s
        })
        .collect();
    let mut fleet = Fleet::new(sims);
    for _ in 0..3 {
        fleet.round();
    }
    assert_eq!(fleet.max_running, 1);
    fleet.set_limit("workflow", "3");
    for _ in 0..3 {
        fleet.round();
    }
    assert_eq!(fleet.max_running, 3);
}

#[test]
fn a_lowered_semaphore_limit_grants_nothing_until_holders_drop_below_it() {
    let sims: Vec<Simulation> = (0..4)
        .map(|i| {
            let mut s = member(&format!("w{i}"), SEMAPHORE_WF, i, None);
            let secs = 10 + 10 * i;
            s.set_script(Box::new(move |_| {
                PodOutcome::success().taking(SignedDuration::from_secs(secs))
            }));
            s
        })
        .collect();
    let mut fleet = Fleet::new(sims);
    fleet.set_limit("workflow", "3");
    for _ in 0..3 {
        fleet.round();
    }
    assert_eq!(phase_of(fleet.sim("w3")), WorkflowPhase::Pending);
    fleet.set_limit("workflow", "1");
    fleet.run(300);
    // w3 may only start once a single holder is left and it is gone too.
    let last_holder_done = ["w0", "w1", "w2"]
        .iter()
        .map(|n| fleet.finished(n))
        .max()
        .unwrap();
    assert!(fleet.started("w3") >= last_holder_done);
    assert_eq!(phase_of(fleet.sim("w3")), WorkflowPhase::Succeeded);
}

#[test]
fn after_a_restart_a_holder_takes_its_locks_again_from_its_status() {
    let mut fleet = Fleet::new(vec![
        member("holder", MUTEX_WF, 0, None),
        member("waiter", MUTEX_WF, 1, None),
    ]);
    fleet.round();
    fleet.round();
    let pods_before = fleet.sim("holder").created_pods.len();
    // The controller restarts: its lock table is empty; the holder reconciles first.
    *fleet.book.borrow_mut() = LockBook::default();
    let reconciled = fleet.sim_mut("holder").step();
    assert!(reconciled.effects.iter().any(|e| matches!(
        e,
        Effect::AcquireLock { holder, reacquire: true, .. } if holder == "argo/holder"
    )));
    assert!(fleet.book.borrow().holds("argo/Mutex/test", "argo/holder"));
    assert_eq!(fleet.sim("holder").created_pods.len(), pods_before);
    fleet.run(100);
    assert!(fleet.started("waiter") >= fleet.finished("holder"));
    assert_eq!(phase_of(fleet.sim("waiter")), WorkflowPhase::Succeeded);
}

#[test]
fn reconciling_a_waiting_workflow_twice_changes_nothing() {
    let mut fleet = Fleet::new(vec![
        member("holder", MUTEX_WF, 0, None),
        member("waiter", MUTEX_WF, 1, None),
    ]);
    fleet.round();
    fleet.round();
    let sim = fleet.sim_mut("waiter");
    sim.observe_locks();
    let once = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
    let again = reconcile(
        &once.apply_to(&sim.workflow),
        &sim.observed,
        sim.now,
        &sim.config,
    );
    assert_eq!(once.status, again.status);
    assert_eq!(once.effects, again.effects);
    assert!(again.effects.iter().all(|e| matches!(
        e,
        Effect::AcquireLock {
            reacquire: false,
            ..
        }
    )));
    assert_eq!(again.effects.len(), 1);
}

#[test]
fn reconciling_a_holder_twice_asks_for_nothing() {
    let mut fleet = Fleet::new(vec![member("holder", MUTEX_WF, 0, None)]);
    fleet.round();
    fleet.round();
    let sim = fleet.sim_mut("holder");
    sim.observe_locks();
    let once = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
    let again = reconcile(
        &once.apply_to(&sim.workflow),
        &sim.observed,
        sim.now,
        &sim.config,
    );
    assert!(once.effects.is_empty(), "{:?}", once.effects);
    assert!(again.effects.is_empty());
    assert_eq!(once.status, again.status);
}

#[test]
fn the_acquire_request_carries_every_key_limit_priority_and_creation_time() {
    let body = "
spec:
  entrypoint: main
  synchronization:
    semaphores:
    - configMapKeyRef: {name: my-config, key: template}
    mutexes:
    - name: local
    - {name: shared, namespace: other}
  templates:
  - name: main
    container: {image: busybox}
";
    let mut sim = member("asks", body, 7, Some(3));
    let reconciled = sim.step();
    let Some(Effect::AcquireLock {
        holder,
        locks,
        priority,
        created_at,
        reacquire,
    }) = reconciled.effects.first()
    else {
        panic!("expected an AcquireLock, got {:?}", reconciled.effects);
    };
    assert_eq!(holder, "argo/asks");
    let keys: Vec<(&str, Option<u32>)> = locks.iter().map(|l| (l.key.as_str(), l.limit)).collect();
    assert_eq!(
        keys,
        vec![
            ("argo/ConfigMap/my-config/template", Some(2)),
            ("argo/Mutex/local", Some(1)),
            ("other/Mutex/shared", Some(1)),
        ]
    );
    assert_eq!(*priority, 3);
    assert_eq!(
        *created_at,
        Some(epoch().checked_add(SignedDuration::from_secs(7)).unwrap())
    );
    assert!(!reacquire);
}

#[test]
fn a_missing_semaphore_config_map_fails_the_workflow() {
    let mut sim = member("lost", SEMAPHORE_WF, 0, None);
    sim.observed.config_maps.clear();
    sim.run(5);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(
        sim.workflow.status.message,
        "Failed to acquire the synchronization lock. configmaps \"my-config\" not found"
    );
}

#[test]
fn a_semaphore_limit_that_is_not_a_number_fails_the_node() {
    let mut sim = member(
        "bad",
        "
spec:
  entrypoint: main
  templates:
  - name: main
    synchronization:
      semaphores:
      - configMapKeyRef: {name: my-config, key: template}
    container: {image: busybox}
",
        0,
        None,
    );
    sim.observed
        .config_maps
        .insert("my-config".into(), config(&[("template", "two")]));
    sim.run(5);
    assert_phase(&sim, WorkflowPhase::Error);
    assert_eq!(
        message(&sim, "bad"),
        "strconv.Atoi: parsing \"two\": invalid syntax"
    );
}

#[test]
fn a_database_mutex_is_a_lock_under_its_database_key() {
    let body = "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - {name: test, database: true}
  templates:
  - name: main
    container: {image: busybox}
";
    let mut fleet = Fleet::new(vec![
        member("one", body, 0, None),
        member("two", body, 1, None),
    ]);
    fleet.round();
    assert!(fleet.book.borrow().holds("argo/Database/test", "argo/one"));
    fleet.run(100);
    assert_eq!(fleet.max_running, 1);
    assert_eq!(phase_of(fleet.sim("two")), WorkflowPhase::Succeeded);
}

#[test]
fn a_completed_workflow_releases_everything_and_clears_its_status() {
    let body = "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - name: outer
  templates:
  - name: main
    steps:
    - - {name: inner, template: leaf}
  - name: leaf
    synchronization:
      mutexes:
      - name: inner
    container: {image: busybox}
";
    let mut fleet = Fleet::new(vec![member("nested", body, 0, None)]);
    fleet.run(60);
    let sim = fleet.sim("nested");
    assert_eq!(phase_of(sim), WorkflowPhase::Succeeded);
    assert!(sim.workflow.status.synchronization.is_none());
    let released: Vec<&str> = sim
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReleaseLock { key, .. } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    assert!(released.contains(&"argo/Mutex/outer"));
    assert!(released.contains(&"argo/Mutex/inner"));
    assert!(
        fleet
            .book
            .borrow()
            .snapshot()
            .values()
            .all(|l| l.holders.is_empty())
    );
}

#[test]
fn a_stopped_workflow_fails_its_waiting_nodes_and_leaves_the_queue() {
    let body = "
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: each, template: leaf, withItems: [1, 2]}
  - name: leaf
    synchronization:
      mutexes:
      - name: m
    container: {image: busybox}
";
    let mut sim = member("stopping", body, 0, None);
    sim.step();
    sim.step();
    let waiting = sim
        .workflow
        .status
        .nodes
        .values()
        .filter(|n| n.synchronization_status.is_some())
        .count();
    assert_eq!(waiting, 1);
    sim.workflow.spec.shutdown = Some(ShutdownStrategy::Stop);
    sim.run(50);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(sim.created_pods.len(), 1);
    assert!(
        sim.workflow
            .status
            .nodes
            .values()
            .all(|n| n.synchronization_status.is_none())
    );
    assert!(
        sim.locks
            .borrow()
            .snapshot()
            .values()
            .all(|l| l.holders.is_empty())
    );
}
