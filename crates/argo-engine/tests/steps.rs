//! Steps templates in the simulation: groups, parallel steps, `when`, loops, outputs.

mod harness;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use harness::*;

#[test]
fn step_groups_run_in_order_and_steps_in_a_group_in_parallel() {
    let sim = run("steps-sequence");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(sim.created_pods.len(), 3);
    let root = sim.node("steps").expect("root");
    assert_eq!(root.node_type, NodeType::Steps);
    assert_eq!(children(&sim, "steps"), ["[0]"]);
    assert_eq!(children(&sim, "[0]"), ["hello1"]);
    assert_eq!(children(&sim, "hello1"), ["[1]"]);
    assert_eq!(children(&sim, "[1]"), ["hello2a", "hello2b"]);
    assert_eq!(node(&sim, "[0]").node_type, NodeType::StepGroup);
}

#[test]
fn steps_node_names_follow_argos_tree_paths() {
    let sim = run("steps-sequence");
    assert!(sim.node("steps[0].hello1").is_some());
    assert!(sim.node("steps[1].hello2a").is_some());
    let pod = &sim.created_pods[0];
    assert_eq!(
        pod,
        &argo_engine::node_id::pod_name("steps", "steps[0].hello1", "print")
    );
}

#[test]
fn second_group_starts_only_after_the_first_finishes() {
    let sim = run("steps-sequence");
    let first = node(&sim, "hello1");
    let second = node(&sim, "hello2a");
    assert!(
        second.started_at.as_ref().expect("started").0
            >= first.finished_at.as_ref().expect("finished").0
    );
}

#[test]
fn steps_outbound_nodes_are_the_last_groups_steps() {
    let sim = run("steps-sequence");
    let root = sim.node("steps").expect("root");
    let mut outbound: Vec<String> = root
        .outbound_nodes
        .iter()
        .map(|id| sim.workflow.status.nodes[id].display_name.clone())
        .collect();
    outbound.sort();
    assert_eq!(outbound, ["hello2a", "hello2b"]);
}

#[test]
fn inputs_are_substituted_into_the_pod_command() {
    let sim = run("steps-sequence");
    let Some(argo_engine::Effect::CreatePod { pod, .. }) =
        sim.effects.iter().find(|e| e.created_pod_name().is_some())
    else {
        panic!("no pod");
    };
    let pod = pod.render();
    let main = pod
        .spec
        .as_ref()
        .expect("spec")
        .containers
        .iter()
        .find(|c| c.name == "main")
        .expect("main");
    assert_eq!(
        main.command
            .as_ref()
            .expect("command")
            .last()
            .map(String::as_str),
        Some("hello1")
    );
}

#[test]
fn when_false_skips_a_step_with_argos_message() {
    let sim = run_with("coinflip", |req| {
        if req.template.name == "flip" {
            PodOutcome::success().with_stdout("heads")
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "heads"), NodePhase::Succeeded);
    let tails = node(&sim, "tails");
    assert_eq!(tails.phase, NodePhase::Skipped);
    assert_eq!(tails.node_type, NodeType::Skipped);
    assert_eq!(tails.message, "when 'heads == tails' evaluated false");
}

#[test]
fn result_is_captured_only_for_steps_whose_result_is_referenced() {
    let sim = run_with("coinflip", |req| {
        let expected = req.template.name == "flip";
        assert_eq!(req.include_script_output, expected, "{}", req.node_name);
        PodOutcome::success().with_stdout("tails")
    });
    assert_eq!(phase(&sim, "tails"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "heads"), NodePhase::Skipped);
}

#[test]
fn with_items_children_are_named_with_index_and_item() {
    let sim = run("loops");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    for name in ["print(0:hello)", "print(1:fx)", "print(2:3)"] {
        assert_eq!(phase(&sim, name), NodePhase::Succeeded, "{name}");
    }
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn with_items_maps_name_children_by_sorted_keys() {
    let sim = run("loops-maps");
    assert_eq!(
        phase(&sim, "test(0:os:debian,version:9.1)"),
        NodePhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(
        phase(&sim, "test(1:os:ubuntu,version:18.04)"),
        NodePhase::Succeeded
    );
    let inputs = node(&sim, "test(1:os:ubuntu,version:18.04)")
        .inputs
        .clone()
        .expect("inputs");
    assert_eq!(
        inputs
            .parameter("version")
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
            .as_deref(),
        Some("18.04")
    );
}

#[test]
fn with_param_expands_a_json_list_from_a_previous_step() {
    let sim = run_with("loops-param", |req| {
        if req.template.name == "gen" {
            PodOutcome::success().with_stdout("[1, 2, 3]")
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    for name in ["consume(0:1)", "consume(1:2)", "consume(2:3)"] {
        assert_eq!(phase(&sim, name), NodePhase::Succeeded, "{name}");
    }
}

#[test]
fn with_param_that_is_not_json_errors_the_step_group() {
    let sim = run_with("loops-param", |req| {
        if req.template.name == "gen" {
            PodOutcome::success().with_stdout("nope")
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
    let group = sim.node("loops-param[1]").expect("group");
    assert_eq!(group.phase, NodePhase::Error);
    assert!(
        group
            .message
            .starts_with("withParam value could not be parsed as a JSON list: nope"),
        "{}",
        group.message
    );
}

#[test]
fn with_sequence_formats_items() {
    let sim = run("loops-sequence");
    for name in ["seq(0:n01)", "seq(1:n02)", "seq(2:n03)"] {
        assert_eq!(
            phase(&sim, name),
            NodePhase::Succeeded,
            "{name}: {:?}",
            names(&sim)
        );
    }
}

#[test]
fn loop_outputs_aggregate_into_json_lists() {
    let sim = run_with("loops-aggregate", |req| {
        let n = if req.node_name.contains("(0:a)") {
            "A"
        } else {
            "B"
        };
        PodOutcome::success().with_parameter("out", n)
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let collect = node(&sim, "collect").inputs.clone().expect("inputs");
    let value = |name: &str| {
        collect
            .parameter(name)
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
    };
    assert_eq!(value("values").as_deref(), Some(r#"["A","B"]"#));
    assert_eq!(
        value("all").as_deref(),
        Some(r#"[{"out":"A"},{"out":"B"}]"#)
    );
    assert_eq!(
        output(&sim, "loops-aggregate", "values").as_deref(),
        Some(r#"["A","B"]"#)
    );
}

#[test]
fn step_outputs_flow_to_later_steps_and_template_outputs() {
    let sim = run_with("steps-outputs", |req| {
        PodOutcome::success().with_parameter("hello", format!("hi from {}", req.template.name))
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let consume = node(&sim, "consume").inputs.clone().expect("inputs");
    assert_eq!(
        consume.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("hi from generate")
    );
    assert_eq!(
        output(&sim, "steps-outputs", "final").as_deref(),
        Some("hi from generate")
    );
    assert_eq!(
        output(&sim, "steps-outputs", "via-expression").as_deref(),
        Some("hi from generate!")
    );
}

#[test]
fn global_output_parameters_reach_the_workflow_outputs() {
    let sim = run_with("steps-outputs", |_| {
        PodOutcome::success().with_parameter("hello", "world")
    });
    assert_eq!(workflow_output(&sim, "greeting").as_deref(), Some("world"));
}

#[test]
fn a_failed_step_fails_its_group_and_the_workflow() {
    let sim = run_with("steps-sequence", |req| {
        if req.node_name.ends_with("hello1") {
            PodOutcome::exit(2)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    let hello1 = node(&sim, "hello1");
    let group = sim.node("steps[0]").expect("group");
    assert_eq!(group.phase, NodePhase::Failed);
    assert_eq!(group.message, format!("child '{}' failed", hello1.id));
    assert_eq!(sim.workflow.status.message, group.message);
    assert!(sim.node("steps[1]").is_none(), "second group never starts");
    assert_eq!(sim.created_pods.len(), 1);
}

#[test]
fn continue_on_failed_lets_the_next_group_run() {
    let sim = run_with("continue-on", |req| {
        if req.node_name.ends_with(".bad") {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(phase(&sim, "bad"), NodePhase::Failed);
    assert_eq!(phase(&sim, "after"), NodePhase::Succeeded);
    let mut from_bad = children(&sim, "bad");
    from_bad.sort();
    assert_eq!(from_bad, ["[1]"]);
}

#[test]
fn node_display_names_and_boundaries_are_set() {
    let sim = run("steps-sequence");
    let hello = node(&sim, "hello2b");
    assert_eq!(hello.boundary_id, "steps");
    assert_eq!(hello.template_name, "print");
    assert_eq!(hello.template_scope, "local/steps");
    assert!(hello.finished_at.is_some());
}
