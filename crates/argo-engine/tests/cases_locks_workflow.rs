//! Targeted cases: workflow-level synchronization (mutexes and semaphores on the workflow)
//! against one lock book shared by several simulated workflows, as the controller shares its
//! lock table: queueing order, all-or-nothing locks, release on failure, stop, retry and
//! restart, limit changes, and the lock requests the engine makes.

#[path = "golden/case_support.rs"]
mod support;

#[path = "golden/fleet.rs"]
mod fleet;

use argo_core::{ShutdownStrategy, WorkflowPhase};
use argo_engine::Effect;
use argo_engine::simulation::{Simulation, epoch};
use argo_engine::synchronization::LockBook;
use fleet::*;
use jiff::SignedDuration;
use support::*;

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
    let fleet = Fleet::contended("first", "second");
    let second = &fleet.sim("second").workflow;
    assert_eq!(second.status.phase, WorkflowPhase::Pending);
    assert_eq!(
        second.status.message,
        "Waiting for argo/Mutex/test lock. Lock status: 0/1"
    );
    let waiting = &mutex_status(second).waiting;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].mutex, "argo/Mutex/test");
    assert_eq!(waiting[0].holder, "argo/first");
    assert!(second.status.nodes.is_empty());
    let first = &fleet.sim("first").workflow;
    let holding = &mutex_status(first).holding;
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
    assert!(all_released(&fleet.book));
}

fn shut_down_after_start(strategy: ShutdownStrategy) -> Fleet {
    let mut fleet = Fleet::contended("first", "second");
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
    let mut fleet = Fleet::contended("first", "second");
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

/// `count` [`SEMAPHORE_WF`] members `w0`, `w1`, … created a second apart, the pod of
/// member `i` succeeding after `seconds(i)`.
fn semaphore_members(count: i64, seconds: impl Fn(i64) -> i64) -> Vec<Simulation> {
    (0..count)
        .map(|i| {
            let mut sim = member(&format!("w{i}"), SEMAPHORE_WF, i, None);
            let secs = seconds(i);
            sim.set_script(Box::new(move |_| succeeding_after(secs)));
            sim
        })
        .collect()
}

#[test]
fn a_raised_semaphore_limit_admits_more_waiters() {
    let mut fleet = Fleet::new(semaphore_members(3, |_| 60));
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
    let mut fleet = Fleet::new(semaphore_members(4, |i| 10 + 10 * i));
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
    let mut fleet = Fleet::contended("holder", "waiter");
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
    let mut fleet = Fleet::contended("holder", "waiter");
    let sim = fleet.sim_mut("waiter");
    let (once, again) = reconcile_twice(sim);
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
    let (once, again) = reconcile_twice(sim);
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
