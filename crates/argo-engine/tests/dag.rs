//! DAG templates in the simulation: dependencies, depends, target, failFast, loops, scopes.

mod harness;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use harness::*;

fn fail_named(
    suffix: &'static str,
) -> impl FnMut(&argo_engine::simulation::PodRequest) -> PodOutcome {
    move |req| {
        if req.node_name.ends_with(suffix) {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    }
}

#[test]
fn a_diamond_runs_each_task_after_its_dependencies() {
    let sim = run("dag-diamond");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(
        sim.node("dag-diamond").expect("root").node_type,
        NodeType::Dag
    );
    let a = node(&sim, "A").finished_at.clone().expect("A finished").0;
    for later in ["B", "C"] {
        assert!(
            node(&sim, later).started_at.clone().expect("started").0 >= a,
            "{later}"
        );
    }
    let d_start = node(&sim, "D").started_at.clone().expect("D").0;
    assert!(d_start >= node(&sim, "B").finished_at.clone().expect("B").0);
    assert!(d_start >= node(&sim, "C").finished_at.clone().expect("C").0);
}

#[test]
fn dag_children_link_through_dependencies() {
    let sim = run("dag-diamond");
    assert_eq!(children(&sim, "dag-diamond"), ["A"]);
    assert_eq!(children(&sim, "A"), ["B", "C"]);
    assert_eq!(children(&sim, "B"), ["D"]);
    assert_eq!(children(&sim, "C"), ["D"]);
    let root = sim.node("dag-diamond").expect("root");
    assert_eq!(root.outbound_nodes, [node(&sim, "D").id.clone()]);
}

#[test]
fn dag_task_node_names_use_the_dag_name_and_task() {
    let sim = run("dag-diamond");
    assert!(sim.node("dag-diamond.A").is_some());
    assert!(sim.node("dag-diamond.D").is_some());
    assert_eq!(node(&sim, "D").boundary_id, "dag-diamond");
}

#[test]
fn a_failed_dependency_omits_downstream_tasks_and_fails_the_dag() {
    let sim = run_with("dag-diamond", fail_named(".B"));
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "B"), NodePhase::Failed);
    assert_eq!(phase(&sim, "C"), NodePhase::Succeeded);
    let d = node(&sim, "D");
    assert_eq!(d.phase, NodePhase::Omitted);
    assert_eq!(d.node_type, NodeType::Skipped);
    assert_eq!(d.message, "omitted: depends condition not met");
}

#[test]
fn depends_runs_the_branch_matching_the_outcome() {
    let sim = run("dag-depends");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "on-success"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "on-failure"), NodePhase::Omitted);
    assert_eq!(phase(&sim, "always"), NodePhase::Succeeded);
}

#[test]
fn depends_on_failure_runs_the_failure_branch() {
    let sim = run_with("dag-depends", fail_named(".A"));
    assert_eq!(
        phase(&sim, "on-failure"),
        NodePhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "on-success"), NodePhase::Omitted);
    assert_eq!(phase(&sim, "always"), NodePhase::Succeeded);
    // As in Argo, the failed branch phase flows through the omitted target: the DAG fails.
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
}

#[test]
fn target_runs_only_the_target_and_its_dependencies() {
    let sim = run("dag-target");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert!(sim.node("dag-target.C").is_none());
    assert_eq!(sim.created_pods.len(), 2);
}

#[test]
fn fail_fast_false_lets_independent_branches_finish() {
    let sim = run_with("dag-fail-fast", |req| {
        if req.node_name.ends_with(".bad") {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success().taking(jiff::SignedDuration::from_secs(5))
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "after-slow"), NodePhase::Succeeded);
}

#[test]
fn loops_in_a_dag_create_a_task_group_with_item_children() {
    let sim = run_with("dag-loops", |req| {
        let n = req
            .template
            .inputs
            .parameter("n")
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
            .unwrap_or_default();
        PodOutcome::success().with_stdout(format!("{n}0"))
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let group = node(&sim, "fan");
    assert_eq!(group.node_type, NodeType::TaskGroup);
    assert_eq!(group.phase, NodePhase::Succeeded);
    assert_eq!(children(&sim, "fan"), ["fan(0:1)", "fan(1:2)", "fan(2:3)"]);
    let join_inputs = node(&sim, "join").inputs.clone().expect("inputs");
    assert_eq!(
        join_inputs.parameters[0]
            .value
            .as_ref()
            .map(|v| v.0.as_str()),
        Some("[10,20,30]")
    );
    assert_eq!(
        output(&sim, "dag-loops", "results").as_deref(),
        Some("[10,20,30]")
    );
}

#[test]
fn loop_children_link_to_the_downstream_task() {
    let sim = run_with("dag-loops", |_| PodOutcome::success().with_stdout("1"));
    for child in ["fan(0:1)", "fan(1:2)", "fan(2:3)"] {
        assert_eq!(children(&sim, child), ["join"], "{child}");
    }
}

#[test]
fn task_outputs_exit_codes_and_ids_are_in_scope() {
    let sim = run_with("dag-outputs", |req| {
        let word = req
            .template
            .inputs
            .parameter("word")
            .and_then(|p| p.value.clone())
            .map(|v| v.0);
        PodOutcome::success()
            .with_parameter("out", word.unwrap_or_default())
            .with_parameter("echoed", "echo!")
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let inputs = node(&sim, "consume").inputs.clone().expect("inputs");
    let value = |name: &str| {
        inputs
            .parameter(name)
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
    };
    assert_eq!(value("got").as_deref(), Some("hello"));
    assert_eq!(value("code").as_deref(), Some("0"));
    assert_eq!(value("id"), Some(node(&sim, "produce").id.clone()));
    assert_eq!(
        output(&sim, "dag-outputs", "final").as_deref(),
        Some("echo!")
    );
}

#[test]
fn a_missing_output_file_errors_the_node_through_the_wait_container() {
    let sim = run_with("dag-outputs", |_| PodOutcome::success());
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Error,
        "{:?}",
        names(&sim)
    );
    let produce = node(&sim, "produce");
    assert_eq!(produce.phase, NodePhase::Error);
    assert_eq!(
        produce.message,
        "wait: Error (exit code 1): failed to save outputs: open /out: no such file or directory"
    );
    assert_eq!(phase(&sim, "consume"), NodePhase::Omitted);
}

#[test]
fn continue_on_failed_lets_dependents_run() {
    let sim = run_with("dag-continue-on", fail_named(".A"));
    assert_eq!(phase(&sim, "A"), NodePhase::Failed);
    assert_eq!(phase(&sim, "B"), NodePhase::Succeeded, "{:?}", names(&sim));
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn when_false_tasks_are_skipped_and_dependents_still_run() {
    let sim = run("dag-when");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "A"), NodePhase::Succeeded);
    let b = node(&sim, "B");
    assert_eq!(b.phase, NodePhase::Skipped);
    assert_eq!(b.message, "when 'false == true' evaluated false");
    assert_eq!(phase(&sim, "C"), NodePhase::Succeeded);
}

/// A 150-task chain beside tasks that end without a pod (`when` false: Skipped; a `depends` on a
/// failure that does not happen: Omitted) and their dependents. After the first reconcile the
/// DAG walks from the frontier its last reconcile left; debug builds (these tests) compare
/// every such reconcile with one that walks from the targets, field by field. That walk
/// recurses once per waiting task, so the test runs on a thread with room for it.
#[test]
fn a_long_chain_walks_from_its_frontier_and_runs_each_task_once() {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(long_chain)
        .expect("a test thread")
        .join()
        .expect("the long chain test passes");
}

fn long_chain() {
    use argo_core::k8s_openapi::api::core::v1::Container;
    use argo_core::{DagTask, DagTemplate, Template};
    let mut tasks = vec![DagTask::calling("t0", "run")];
    for i in 1..150 {
        tasks.push(DagTask {
            dependencies: vec![format!("t{}", i - 1)],
            ..DagTask::calling(format!("t{i}"), "run")
        });
    }
    tasks.push(DagTask {
        dependencies: vec!["t10".into()],
        when: "false".into(),
        ..DagTask::calling("skipped", "run")
    });
    tasks.push(DagTask {
        dependencies: vec!["skipped".into()],
        ..DagTask::calling("after-skipped", "run")
    });
    tasks.push(DagTask {
        depends: "t20.Failed".into(),
        ..DagTask::calling("omitted", "run")
    });
    tasks.push(DagTask {
        depends: "omitted".into(),
        ..DagTask::calling("after-omitted", "run")
    });
    let main = Template {
        dag: Some(DagTemplate {
            tasks,
            ..DagTemplate::default()
        }),
        ..Template::named("main")
    };
    let run = Template {
        container: Some(Container {
            image: Some("busybox".into()),
            ..Container::default()
        }),
        ..Template::named("run")
    };
    let workflow = argo_core::Workflow::test()
        .name("chain")
        .entrypoint("main")
        .template(main)
        .template(run)
        .build();
    let mut sim = argo_engine::simulation::Simulation::new(workflow);
    let mut carried = 0;
    for _ in 0..2_000 {
        sim.step();
        carried = carried.max(sim.spec_cache().carried_frontiers());
        if sim.is_completed() {
            break;
        }
        sim.advance_by(jiff::SignedDuration::from_secs(1));
    }
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
    assert_eq!(carried, 1, "the running DAG leaves its frontier");
    let mut pods = sim.created_pods.clone();
    pods.sort();
    pods.dedup();
    assert_eq!(
        pods.len(),
        sim.created_pods.len(),
        "no pod is created twice"
    );
    assert_eq!(pods.len(), 151, "t0..t149 and after-skipped");
    assert_eq!(node(&sim, "skipped").phase, NodePhase::Skipped);
    assert_eq!(node(&sim, "omitted").phase, NodePhase::Omitted);
    assert_eq!(node(&sim, "after-omitted").phase, NodePhase::Omitted);
    assert_eq!(node(&sim, "after-skipped").phase, NodePhase::Succeeded);
}

#[test]
fn a_dag_without_outputs_still_exports_its_tasks_global_outputs() {
    let sim = run_with("dag-global-outputs", |req| {
        if req.node_name.ends_with(".generate") {
            PodOutcome::success().with_parameter("word", "hi")
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
    assert!(node(&sim, "dag-global-outputs").outputs.is_none());
    assert_eq!(workflow_output(&sim, "dag-word").as_deref(), Some("hi"));
    let artifacts = sim.workflow.status.outputs.as_ref().map(|o| &o.artifacts);
    assert!(
        artifacts.is_some_and(|a| a.iter().any(|a| a.name == "dag-file")),
        "global artifact missing: {artifacts:?}"
    );
}
