//! Targeted cases: lifecycle hooks other than `exit`: the workflow's `spec.hooks` and step /
//! task `hooks` with an `expression`, run once when it becomes true, named
//! `<parent>.hooks.<name>`, waited for by their caller, and failing nothing by themselves.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, NodeStatus, WorkflowPhase};
use argo_engine::reconcile;
use argo_engine::simulation::{PodOutcome, PodRequest, Simulation};
use jiff::SignedDuration;
use support::*;

fn pods_named(sim: &Simulation, part: &str) -> usize {
    sim.created_pods.iter().filter(|p| p.contains(part)).count()
}

fn hooked(node: &NodeStatus) -> bool {
    node.node_flag.as_ref().is_some_and(|f| f.hooked)
}

/// Runs a workflow with [`tick`], so phases such as a pod's Running are seen by hook
/// expressions.
fn ticking(yaml: &str, script: impl FnMut(&PodRequest) -> PodOutcome + 'static) -> Simulation {
    let mut sim = sim_with(yaml, script);
    tick(&mut sim, 300);
    sim
}

/// A pod that succeeds after three seconds (long enough to be seen Running).
fn ok() -> PodOutcome {
    succeeding_after(3)
}

/// [`ticking`] with every pod succeeding after three seconds.
fn ticking_ok(yaml: &str) -> Simulation {
    ticking(yaml, |_| ok())
}

/// Pods whose node name contains `part` take `seconds`; others three seconds.
fn slow_named(part: &'static str, seconds: i64) -> impl FnMut(&PodRequest) -> PodOutcome {
    move |req| {
        if req.node_name.contains(part) {
            succeeding_after(seconds)
        } else {
            ok()
        }
    }
}

/// Pods whose node name contains `part` exit 1; others succeed after three seconds.
fn failing(part: &'static str) -> impl FnMut(&PodRequest) -> PodOutcome {
    move |req| {
        if req.node_name.contains(part) {
            PodOutcome::exit(1)
        } else {
            ok()
        }
    }
}

const WORKFLOW_HOOKS: &str = "metadata: {name: h}
spec:
  entrypoint: main
  hooks:
    running:
      expression: workflow.status == \"Running\"
      template: note
    failed:
      expression: workflow.status == \"Failed\"
      template: note
  templates:
  - name: main
    container: {image: busybox}
  - name: note
    container: {image: busybox}
";

#[test]
fn a_workflow_hook_runs_once_when_its_expression_holds() {
    let sim = ticking(WORKFLOW_HOOKS, slow_named("h", 5));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let hook = node(&sim, "h.hooks.running");
    assert_eq!(hook.phase, NodePhase::Succeeded);
    assert!(hooked(hook));
    assert_eq!(hook.template_name, "note");
    assert_eq!(
        pods_named(&sim, "hooks-running"),
        0,
        "pods are named by template"
    );
    assert_eq!(sim.created_pods.len(), 2, "{:?}", sim.created_pods);
}

#[test]
fn a_workflow_hook_is_a_child_of_the_entry_node() {
    let sim = ticking_ok(WORKFLOW_HOOKS);
    let hook_id = node(&sim, "h.hooks.running").id.clone();
    assert!(node(&sim, "h").children.contains(&hook_id));
}

#[test]
fn a_hook_whose_expression_never_holds_does_not_run_or_block() {
    let sim = ticking_ok(WORKFLOW_HOOKS);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert!(!has(&sim, "h.hooks.failed"));
}

#[test]
fn a_failure_hook_runs_when_the_workflow_fails() {
    let sim = ticking(WORKFLOW_HOOKS, |req| {
        if req.node_name == "h" {
            PodOutcome::exit(1).taking(SignedDuration::from_secs(3))
        } else {
            ok()
        }
    });
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "h.hooks.failed"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "h.hooks.running"), NodePhase::Succeeded);
}

#[test]
fn the_workflow_waits_for_a_hook_it_started() {
    let sim = ticking(WORKFLOW_HOOKS, slow_named("hooks", 30));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let hook = node(&sim, "h.hooks.running");
    let main = node(&sim, "h");
    assert!(finished(main) < finished(hook));
    let workflow_finished = sim.workflow.status.finished_at.as_ref().expect("done").0;
    assert!(workflow_finished >= finished(hook));
}

#[test]
fn a_failed_workflow_hook_does_not_fail_the_workflow() {
    let sim = ticking(WORKFLOW_HOOKS, failing("hooks"));
    assert_eq!(phase(&sim, "h.hooks.running"), NodePhase::Failed);
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn a_workflow_hook_gets_its_arguments() {
    let yaml = "metadata: {name: a}
spec:
  entrypoint: main
  hooks:
    running:
      expression: workflow.status == \"Running\"
      template: note
      arguments: {parameters: [{name: who, value: '{{workflow.name}}'}]}
  templates:
  - name: main
    container: {image: busybox}
  - name: note
    inputs: {parameters: [{name: who}]}
    container: {image: busybox}
";
    let sim = ticking_ok(yaml);
    let who = input(&sim, "a.hooks.running", "who");
    assert_eq!(who.as_deref(), Some("a"));
}

#[test]
fn workflow_hooks_and_on_exit_both_run() {
    let yaml = "metadata: {name: x}
spec:
  entrypoint: main
  onExit: bye
  hooks:
    running:
      expression: workflow.status == \"Running\"
      template: note
  templates:
  - name: main
    container: {image: busybox}
  - name: note
    container: {image: busybox}
  - name: bye
    container: {image: busybox}
";
    let sim = ticking(yaml, slow_named("hooks", 10));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "x.hooks.running"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "x.onExit"), NodePhase::Succeeded);
    assert!(started(node(&sim, "x.onExit")) >= finished(node(&sim, "x.hooks.running")));
}

#[test]
fn a_hook_without_an_expression_errors() {
    let yaml = "metadata: {name: n}
spec:
  entrypoint: main
  hooks:
    odd: {template: main}
  templates:
  - name: main
    container: {image: busybox}
";
    let sim = ticking_ok(yaml);
    assert_eq!(phase(&sim, "n"), NodePhase::Error);
    assert_eq!(
        message(&sim, "n"),
        "Expression required for hook n.hooks.odd"
    );
    assert_phase(&sim, WorkflowPhase::Error);
}

const STEP_HOOKS: &str = "metadata: {name: s}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: a
        template: produce
        hooks:
          done:
            expression: steps.a.status == \"Succeeded\"
            template: note
            arguments: {parameters: [{name: v, value: '{{steps.a.outputs.parameters.out}}'}]}
          started:
            expression: steps.a.status == \"Running\"
            template: plain
    - - {name: b, template: plain}
  - name: produce
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
    container: {image: busybox}
  - name: note
    inputs: {parameters: [{name: v}]}
    container: {image: busybox}
  - name: plain
    container: {image: busybox}
";

fn producing(req: &PodRequest) -> PodOutcome {
    if req.node_name.ends_with(".a") {
        PodOutcome::success()
            .with_parameter("out", "made")
            .taking(SignedDuration::from_secs(5))
    } else {
        PodOutcome::success()
    }
}

#[test]
fn step_hooks_are_named_under_the_step_and_run_once() {
    let sim = ticking(STEP_HOOKS, producing);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let done = node(&sim, "a.hooks.done");
    assert_eq!(done.name, "s[0].a.hooks.done");
    assert!(hooked(done));
    assert_eq!(done.phase, NodePhase::Succeeded);
    assert!(node(&sim, "a").children.contains(&done.id));
    let started_hook = node(&sim, "a.hooks.started");
    assert_eq!(started_hook.phase, NodePhase::Succeeded);
    assert_eq!(
        sim.created_pods.len(),
        4,
        "a, its two hooks, b: {:?}",
        sim.created_pods
    );
}

#[test]
fn a_running_hook_starts_while_the_step_runs() {
    let sim = ticking(STEP_HOOKS, producing);
    assert!(started(node(&sim, "a.hooks.started")) < finished(node(&sim, "a")));
}

#[test]
fn a_step_hook_gets_the_steps_outputs_as_arguments() {
    let sim = ticking(STEP_HOOKS, producing);
    let value = input(&sim, "a.hooks.done", "v");
    assert_eq!(value.as_deref(), Some("made"));
}

#[test]
fn the_next_step_group_waits_for_a_step_hook() {
    let sim = ticking(STEP_HOOKS, |req| {
        if req.node_name.contains("hooks.done") {
            succeeding_after(20)
        } else {
            producing(req)
        }
    });
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert!(started(node(&sim, "b")) >= finished(node(&sim, "a.hooks.done")));
}

#[test]
fn a_failed_step_hook_fails_nothing() {
    let sim = ticking(STEP_HOOKS, |req| {
        if req.node_name.contains("hooks.done") {
            PodOutcome::exit(1)
        } else {
            producing(req)
        }
    });
    assert_eq!(phase(&sim, "a.hooks.done"), NodePhase::Failed);
    assert_eq!(phase(&sim, "a"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "b"), NodePhase::Succeeded);
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn step_hooks_and_step_on_exit_both_run_the_exit_after_the_hook() {
    let yaml = "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: a
        template: plain
        hooks:
          exit: {template: plain}
          done: {expression: steps.a.status == \"Succeeded\", template: plain}
  - name: plain
    container: {image: busybox}
";
    let sim = ticking(yaml, slow_named("hooks.done", 10));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let exit = node(&sim, "a.onExit");
    let done = node(&sim, "a.hooks.done");
    assert_eq!(exit.phase, NodePhase::Succeeded);
    assert_eq!(done.phase, NodePhase::Succeeded);
    assert!(started(exit) >= finished(done));
}

const DAG_HOOKS: &str = "metadata: {name: d}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: a
        template: plain
        hooks:
          ok: {expression: tasks.a.status == \"Succeeded\", template: plain}
          bad: {expression: tasks.a.status == \"Failed\", template: plain}
      - {name: b, template: plain, depends: a}
  - name: plain
    container: {image: busybox}
";

#[test]
fn a_task_hook_runs_once_under_the_task() {
    let sim = ticking_ok(DAG_HOOKS);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let ok = node(&sim, "a.hooks.ok");
    assert_eq!(ok.name, "d.a.hooks.ok");
    assert!(hooked(ok));
    assert_eq!(ok.phase, NodePhase::Succeeded);
    assert!(!has(&sim, "a.hooks.bad"));
    assert_eq!(sim.created_pods.len(), 3, "{:?}", sim.created_pods);
}

#[test]
fn a_dependent_task_waits_for_its_dependencys_hook() {
    let sim = ticking(DAG_HOOKS, slow_named("hooks.ok", 15));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert!(started(node(&sim, "b")) >= finished(node(&sim, "a.hooks.ok")));
}

#[test]
fn a_failed_task_hook_fails_nothing() {
    let sim = ticking(DAG_HOOKS, failing("hooks.ok"));
    assert_eq!(phase(&sim, "a.hooks.ok"), NodePhase::Failed);
    assert_eq!(phase(&sim, "b"), NodePhase::Succeeded);
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn a_failure_hook_of_a_task_runs_when_the_task_fails() {
    let sim = ticking(DAG_HOOKS, |req| {
        if req.node_name == "d.a" {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(phase(&sim, "a.hooks.bad"), NodePhase::Succeeded);
    assert!(!has(&sim, "a.hooks.ok"));
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn the_dag_waits_for_a_hook_of_its_last_task() {
    let yaml = "metadata: {name: l}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: a
        template: plain
        hooks:
          ok: {expression: tasks.a.status == \"Succeeded\", template: plain}
  - name: plain
    container: {image: busybox}
";
    let sim = ticking(yaml, slow_named("hooks.ok", 20));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert!(finished(node(&sim, "l")) >= finished(node(&sim, "a.hooks.ok")));
}

#[test]
fn reconciling_a_finished_workflow_with_hooks_asks_for_nothing() {
    let sim = ticking(STEP_HOOKS, producing);
    let again = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
    assert!(again.effects.is_empty(), "{:?}", again.effects);
}
