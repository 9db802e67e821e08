//! Suspend, exit handlers, deadlines and parallelism in the simulation.

mod harness;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::operations::{self, NodeSelector};
use argo_engine::simulation::{PodOutcome, Simulation};
use harness::*;
use jiff::SignedDuration;

#[test]
fn a_suspend_step_waits_until_resumed() {
    let mut sim = Simulation::new(fixture("suspend"));
    sim.run(10);
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Running);
    let approve = node(&sim, "approve");
    assert_eq!(approve.node_type, NodeType::Suspend);
    assert_eq!(approve.phase, NodePhase::Running);
    assert!(sim.created_pods.is_empty());
    sim.workflow =
        operations::resume(&sim.workflow, &NodeSelector::default(), sim.now).expect("resume");
    sim.run(20);
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let inputs = node(&sim, "release").inputs.clone().expect("inputs");
    assert_eq!(
        inputs.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("no"),
        "default of the supplied output"
    );
}

#[test]
fn set_supplies_a_suspend_nodes_output_before_resuming() {
    let mut sim = Simulation::new(fixture("suspend"));
    sim.run(5);
    let selector = NodeSelector::parse("displayName=approve").expect("selector");
    let values = operations::SetValues {
        output_parameters: vec![("answer".into(), "yes".into())],
        ..Default::default()
    };
    sim.workflow = operations::set(&sim.workflow, &selector, &values, sim.now).expect("set");
    sim.workflow = operations::resume(&sim.workflow, &selector, sim.now).expect("resume");
    sim.run(20);
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let inputs = node(&sim, "release").inputs.clone().expect("inputs");
    assert_eq!(
        inputs.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("yes")
    );
}

#[test]
fn stopping_a_suspend_node_by_selector_fails_it_with_the_message() {
    let mut sim = Simulation::new(fixture("suspend"));
    sim.run(5);
    let selector = NodeSelector::parse("displayName=approve").expect("selector");
    sim.workflow = operations::stop(&sim.workflow, &selector, "rejected", sim.now).expect("stop");
    sim.run(10);
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    assert_eq!(node(&sim, "approve").message, "rejected");
}

#[test]
fn a_suspend_duration_resumes_by_itself_and_asks_to_be_requeued() {
    let mut sim = Simulation::new(fixture("suspend-duration"));
    let first = sim.step();
    assert_eq!(first.requeue_after, Some(SignedDuration::from_secs(30)));
    sim.run(20);
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let wait = node(&sim, "wait");
    let waited = wait
        .finished_at
        .clone()
        .expect("f")
        .0
        .duration_since(wait.started_at.clone().expect("s").0);
    assert_eq!(waited, SignedDuration::from_secs(30));
}

#[test]
fn suspending_the_workflow_stops_new_pods_until_resumed() {
    let mut sim = Simulation::new(fixture("steps-sequence"));
    sim.step();
    sim.workflow = operations::suspend(&sim.workflow).expect("suspend");
    sim.run_until(5, |_| false);
    assert_eq!(sim.created_pods.len(), 1);
    assert_eq!(phase(&sim, "hello1"), NodePhase::Succeeded);
    sim.workflow =
        operations::resume(&sim.workflow, &NodeSelector::default(), sim.now).expect("resume");
    sim.run(20);
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn the_workflow_exit_handler_sees_the_final_status() {
    let sim = run("exit-handler");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let on_exit = sim.node("exit-handler.onExit").expect("onExit node");
    assert_eq!(on_exit.node_type, NodeType::Steps);
    assert!(on_exit.node_flag.as_ref().is_some_and(|f| f.hooked));
    let inputs = node(&sim, "notify").inputs.clone().expect("inputs");
    assert_eq!(
        inputs
            .parameter("status")
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
            .as_deref(),
        Some("Succeeded")
    );
    assert_eq!(
        inputs
            .parameter("failures")
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
            .as_deref(),
        Some("[]")
    );
}

#[test]
fn the_exit_handler_sees_failures_of_a_failed_workflow() {
    let sim = run_with("exit-handler", |req| {
        if req.node_name == "exit-handler" {
            PodOutcome::exit(3)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    let inputs = node(&sim, "notify").inputs.clone().expect("inputs");
    assert_eq!(
        inputs
            .parameter("status")
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
            .as_deref(),
        Some("Failed")
    );
    let failures = inputs
        .parameter("failures")
        .and_then(|p| p.value.clone())
        .map(|v| v.0)
        .expect("failures");
    let parsed: serde_json::Value = serde_json::from_str(&failures).expect("json");
    assert_eq!(parsed[0]["displayName"], "exit-handler");
    assert_eq!(parsed[0]["message"], "main: Error (exit code 3)");
    assert_eq!(sim.workflow.status.message, "main: Error (exit code 3)");
}

#[test]
fn a_failing_exit_handler_fails_a_successful_workflow() {
    let sim = run_with("exit-handler", |req| {
        if req.template.name == "notify" {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
}

#[test]
fn a_step_exit_handler_runs_before_the_next_group() {
    let sim = run("step-exit-handler");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let cleanup = sim.node("step-exit[0].work.onExit").expect("cleanup");
    assert_eq!(cleanup.phase, NodePhase::Succeeded);
    assert!(
        children(&sim, "work").contains(&"work.onExit".to_owned()),
        "{:?}",
        children(&sim, "work")
    );
    let after = node(&sim, "after");
    assert!(after.started_at.clone().expect("s").0 >= cleanup.finished_at.clone().expect("f").0);
}

#[test]
fn stop_fails_running_work_but_runs_the_exit_handler() {
    let mut sim = Simulation::with_script(
        fixture("exit-handler"),
        Box::new(|req| {
            if req.node_name == "exit-handler" {
                PodOutcome {
                    run_forever: true,
                    ..PodOutcome::success()
                }
            } else {
                PodOutcome::success()
            }
        }),
    );
    sim.run_until(3, |_| false);
    sim.workflow =
        operations::stop(&sim.workflow, &NodeSelector::default(), "", sim.now).expect("stop");
    sim.run(20);
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    assert_eq!(sim.workflow.status.message, "Stopped with strategy 'Stop'");
    assert_eq!(phase(&sim, "notify"), NodePhase::Succeeded);
    assert!(
        sim.effects
            .iter()
            .any(|e| matches!(e, argo_engine::Effect::DeletePod { pod } if pod == "exit-handler"))
    );
}

#[test]
fn terminate_does_not_run_the_exit_handler() {
    let mut sim = Simulation::with_script(
        fixture("exit-handler"),
        Box::new(|_| PodOutcome {
            run_forever: true,
            ..PodOutcome::success()
        }),
    );
    sim.run_until(3, |_| false);
    sim.workflow = operations::terminate(&sim.workflow).expect("terminate");
    sim.run(20);
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    assert_eq!(
        sim.workflow.status.message,
        "Stopped with strategy 'Terminate'"
    );
    assert!(sim.node("exit-handler.onExit").is_none());
}

#[test]
fn operations_refuse_completed_workflows() {
    let sim = run("hello-world");
    assert!(operations::suspend(&sim.workflow).is_err());
    assert!(operations::terminate(&sim.workflow).is_err());
    let err =
        operations::stop(&sim.workflow, &NodeSelector::default(), "", sim.now).expect_err("stop");
    assert!(
        err.to_string()
            .starts_with("cannot shutdown a completed workflow")
    );
}

#[test]
fn active_deadline_seconds_fails_the_running_step() {
    let sim = run_with("deadline", |_| PodOutcome {
        run_forever: true,
        ..PodOutcome::success()
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    let root = sim.node("deadline").expect("root");
    assert_eq!(root.message, "Step exceeded its deadline");
    let finished = sim.workflow.status.finished_at.clone().expect("finished").0;
    let started = sim.workflow.status.started_at.clone().expect("started").0;
    assert!(finished.duration_since(started) <= SignedDuration::from_secs(11));
}

#[test]
fn the_pod_gets_the_deadline_in_its_environment() {
    let sim = run_with("deadline", |req| {
        let main = req
            .pod
            .spec
            .as_ref()
            .expect("spec")
            .containers
            .iter()
            .find(|c| c.name == "main")
            .cloned()
            .expect("main");
        let deadline = main
            .env
            .unwrap_or_default()
            .into_iter()
            .find(|e| e.name == "ARGO_DEADLINE")
            .and_then(|e| e.value);
        assert_eq!(deadline.as_deref(), Some("2023-11-14T22:13:30Z"));
        PodOutcome::success()
    });
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn a_template_timeout_stops_a_long_running_step() {
    let sim = run_with("timeout", |_| PodOutcome {
        run_forever: true,
        ..PodOutcome::success()
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    assert_eq!(
        sim.node("timeout").expect("root").message,
        "Step exceeded its deadline"
    );
}

#[test]
fn workflow_parallelism_limits_running_pods() {
    let mut sim = Simulation::new(fixture("parallelism"));
    let mut max_running = 0;
    for _ in 0..50 {
        sim.step();
        let running = sim
            .workflow
            .status
            .nodes
            .values()
            .filter(|n| n.node_type == NodeType::Pod && !n.is_fulfilled())
            .count();
        max_running = max_running.max(running);
        if sim.is_completed() {
            break;
        }
        sim.advance_by(SignedDuration::from_secs(1));
    }
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(max_running, 2);
    assert_eq!(sim.created_pods.len(), 5);
}

#[test]
fn template_parallelism_limits_a_dags_children() {
    let mut sim = Simulation::new(fixture("template-parallelism"));
    let mut max_running = 0;
    for _ in 0..50 {
        sim.step();
        let running = sim
            .workflow
            .status
            .nodes
            .values()
            .filter(|n| n.node_type == NodeType::Pod && !n.is_fulfilled())
            .count();
        max_running = max_running.max(running);
        if sim.is_completed() {
            break;
        }
        sim.advance_by(SignedDuration::from_secs(1));
    }
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(max_running, 1);
}
