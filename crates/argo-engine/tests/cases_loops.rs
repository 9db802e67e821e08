//! Targeted cases: `when` and loop edge cases (empty lists, sequences counting down and
//! formatted, maps, parameters from earlier outputs, invalid input).

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use support::*;

fn steps(step: &str) -> String {
    format!(
        "metadata: {{name: l}}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {step}
  - name: leaf
    inputs: {{parameters: [{{name: v, value: x}}]}}
    container: {{image: busybox, args: ['{{{{inputs.parameters.v}}}}']}}
"
    )
}

fn loop_children(sim: &argo_engine::simulation::Simulation) -> Vec<String> {
    let mut names: Vec<String> = sim
        .workflow
        .status
        .nodes
        .values()
        .filter(|n| n.node_type == NodeType::Pod)
        .map(|n| n.display_name.clone())
        .collect();
    names.sort();
    names
}

#[test]
fn an_empty_with_items_is_no_loop_and_runs_the_step_once() {
    // As in Argo, where an empty `withItems` list is indistinguishable from none.
    let sim = run(&steps("{name: each, template: leaf, withItems: []}"));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "each"), NodePhase::Succeeded);
    assert_eq!(node(&sim, "each").node_type, NodeType::Pod);
    assert_eq!(sim.created_pods.len(), 1);
}

#[test]
fn an_empty_with_param_skips_the_step() {
    let sim = run(&steps("{name: each, template: leaf, withParam: '[]'}"));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "each"), NodePhase::Skipped);
    assert_eq!(message(&sim, "each"), "Skipped, empty params");
    assert_eq!(sim.created_pods.len(), 0);
}

#[test]
fn with_sequence_count_starts_at_zero() {
    let sim = run(&steps(
        "{name: n, template: leaf, withSequence: {count: '3'}, arguments: {parameters: [{name: v, value: '{{item}}'}]}}",
    ));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(loop_children(&sim), ["n(0:0)", "n(1:1)", "n(2:2)"]);
}

#[test]
fn with_sequence_counts_down_when_end_is_below_start() {
    let sim = run(&steps(
        "{name: n, template: leaf, withSequence: {start: '3', end: '1'}}",
    ));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(loop_children(&sim), ["n(0:3)", "n(1:2)", "n(2:1)"]);
}

#[test]
fn with_sequence_formats_with_printf() {
    let sim = run(&steps(
        "{name: n, template: leaf, withSequence: {start: '8', end: '10', format: 'v%03d'}}",
    ));
    assert_eq!(loop_children(&sim), ["n(0:v008)", "n(1:v009)", "n(2:v010)"]);
}

#[test]
#[ignore = "engine: withSequence with both count and end runs instead of erroring (Argo: only one of count or end can be defined)"]
fn with_sequence_with_both_count_and_end_is_an_error() {
    let sim = run(&steps(
        "{name: n, template: leaf, withSequence: {count: '2', end: '5'}}",
    ));
    assert_ne!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 0);
    assert!(
        summary(&sim)
            .iter()
            .any(|n| n.contains("count") && n.contains("end"))
            || sim.workflow.status.message.contains("count"),
        "{:?} {:?}",
        sim.workflow.status.message,
        summary(&sim)
    );
}

#[test]
fn when_filters_loop_items() {
    let sim = run(&steps(
        "{name: pick, template: leaf, withItems: [a, b, c], when: '{{item}} == b'}",
    ));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "pick(1:b)"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "pick(0:a)"), NodePhase::Skipped);
    assert_eq!(phase(&sim, "pick(2:c)"), NodePhase::Skipped);
    assert_eq!(sim.created_pods.len(), 1);
}

#[test]
fn with_items_of_maps_exposes_fields() {
    let sim = run_with(
        &steps(
            "{name: m, template: leaf, withItems: [{os: linux, arch: arm64}], arguments: {parameters: [{name: v, value: '{{item.os}}-{{item.arch}}'}]}}",
        ),
        |req| {
            let args = req.template.container.as_ref().and_then(|c| c.args.clone());
            assert_eq!(args, Some(vec!["linux-arm64".to_owned()]));
            PodOutcome::success()
        },
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 1);
}

#[test]
fn with_param_from_a_previous_result_fans_out() {
    let sim = run_with(
        "metadata: {name: l}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gen, template: gen}
    - - name: use
        template: leaf
        withParam: '{{steps.gen.outputs.result}}'
        arguments: {parameters: [{name: v, value: '{{item}}'}]}
  - name: gen
    script: {image: python, command: [python], source: pass}
  - name: leaf
    inputs: {parameters: [{name: v}]}
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".gen") {
                PodOutcome::success().with_stdout("[\"x\", \"y\"]")
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "use(0:x)"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "use(1:y)"), NodePhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn with_param_that_is_a_json_object_is_an_error() {
    let sim = run(&steps(
        "{name: each, template: leaf, withParam: '{\"a\": 1}'}",
    ));
    assert_ne!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 0);
}

#[test]
fn when_on_a_previous_step_status_takes_the_matching_branch() {
    let sim = run_with(
        "metadata: {name: l}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: try, template: leaf, continueOn: {failed: true}}
    - - {name: on-ok, template: leaf, when: '{{steps.try.status}} == Succeeded'}
      - {name: on-fail, template: leaf, when: '{{steps.try.status}} == Failed'}
  - name: leaf
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".try") {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "on-ok"), NodePhase::Skipped);
    assert_eq!(phase(&sim, "on-fail"), NodePhase::Succeeded);
}

#[test]
fn when_with_and_or_combines_conditions() {
    let sim = run(&steps(
        "{name: s, template: leaf, when: '(1 == 1 && 2 == 3) || \"a\" == \"a\"'}",
    ));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "s"), NodePhase::Succeeded);
}

#[test]
fn an_unparsable_when_errors_instead_of_running() {
    let sim = run(&steps("{name: s, template: leaf, when: '1 == == 1'}"));
    assert_ne!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 0);
}

#[test]
fn a_skipped_dag_task_still_lets_its_dependents_run() {
    let sim = run("metadata: {name: l}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf, when: 'false'}
      - {name: b, template: leaf, depends: a}
  - name: leaf
    container: {image: busybox}
");
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "a"), NodePhase::Skipped);
    assert_eq!(phase(&sim, "b"), NodePhase::Succeeded);
}

#[test]
fn a_dag_loop_task_aggregates_its_children_into_a_task_group() {
    let sim = run("metadata: {name: l}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: fan, template: leaf, withItems: [1, 2, 3]}
      - {name: join, template: leaf, depends: fan}
  - name: leaf
    container: {image: busybox}
");
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let group = node(&sim, "fan");
    assert_eq!(group.node_type, NodeType::TaskGroup);
    assert_eq!(group.children.len(), 3);
    assert_eq!(phase(&sim, "join"), NodePhase::Succeeded);
}

#[test]
fn a_failed_loop_item_fails_the_loop_but_the_others_finish() {
    let sim = run_with(
        &steps("{name: each, template: leaf, withItems: [1, 2, 3]}"),
        |req| {
            if req.node_name.ends_with("(1:2)") {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "each(1:2)"), NodePhase::Failed);
    assert_eq!(phase(&sim, "each(0:1)"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "each(2:3)"), NodePhase::Succeeded);
}
