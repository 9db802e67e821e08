//! Workflow start: validation of the entrypoint, global variables, workflowTemplateRef,
//! templateRef, template defaults, labels and the pod spec.

mod harness;

use argo_core::{NodePhase, NodeType, WorkflowPhase, WorkflowSpec, WorkflowTemplate};
use argo_engine::simulation::{PodOutcome, Simulation};
use argo_engine::{EngineConfig, Observed, reconcile};
use harness::*;

fn greeter() -> WorkflowTemplate {
    let spec: WorkflowSpec = serde_norway::from_str(
        r#"
entrypoint: greet
arguments:
  parameters:
    - name: message
      value: default
templates:
  - name: greet
    inputs:
      parameters:
        - name: message
          value: "{{workflow.parameters.message}}"
    container:
      image: busybox
      command: [echo, "{{inputs.parameters.message}}"]
"#,
    )
    .expect("spec");
    WorkflowTemplate::test("greeter", spec)
}

#[test]
fn a_missing_entrypoint_template_fails_the_workflow_as_invalid() {
    let sim = run("missing-entrypoint");
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    assert_eq!(
        sim.workflow.status.message,
        "invalid spec: template name 'nope' undefined"
    );
    assert!(sim.workflow.status.nodes.is_empty());
}

#[test]
fn an_empty_entrypoint_is_required() {
    let mut wf = fixture("missing-entrypoint");
    wf.spec.entrypoint.clear();
    let mut sim = Simulation::new(wf);
    sim.run(3);
    assert_eq!(
        sim.workflow.status.message,
        "invalid spec: spec.entrypoint is required"
    );
}

#[test]
fn the_first_reconcile_starts_the_workflow_and_labels_it() {
    let wf = fixture("hello-world");
    let now = argo_engine::simulation::epoch();
    let reconciled = reconcile(&wf, &Observed::default(), now, &EngineConfig::default());
    assert_eq!(reconciled.status.phase, WorkflowPhase::Running);
    assert_eq!(
        reconciled.status.started_at.as_ref().map(|t| t.0),
        Some(now)
    );
    assert_eq!(
        reconciled
            .labels
            .get("workflows.argoproj.io/phase")
            .map(String::as_str),
        Some("Running")
    );
    assert_eq!(
        reconciled
            .labels
            .get("workflows.argoproj.io/completed")
            .map(String::as_str),
        Some("false")
    );
    assert!(reconciled.effects.iter().any(|e| matches!(e, argo_engine::Effect::EmitEvent { reason, .. } if reason == "WorkflowRunning")));
}

#[test]
fn completion_sets_finished_at_the_completed_label_and_condition() {
    let sim = run("hello-world");
    let labels = sim.workflow.metadata.labels.clone().expect("labels");
    assert_eq!(
        labels
            .get("workflows.argoproj.io/completed")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        labels
            .get("workflows.argoproj.io/phase")
            .map(String::as_str),
        Some("Succeeded")
    );
    assert!(sim.workflow.status.finished_at.is_some());
    assert!(
        sim.workflow
            .status
            .condition(&argo_core::ConditionType::Completed)
            .is_some()
    );
    assert_eq!(sim.workflow.status.progress.0, "1/1");
}

#[test]
fn a_completed_workflow_is_not_reconciled_again() {
    let mut sim = run("hello-world");
    let before = sim.workflow.clone();
    let reconciled = sim.step();
    assert!(reconciled.effects.is_empty());
    assert_eq!(sim.workflow.status, before.status);
}

#[test]
fn global_variables_are_substituted_into_pods() {
    let sim = run_with("global-params", |req| {
        let command = req
            .template
            .container
            .clone()
            .expect("container")
            .command
            .expect("command");
        let expected_pod = argo_engine::node_id::pod_name("global-params", "global-params", "main");
        assert_eq!(
            command[1..],
            [
                "from-args",
                "global-params",
                "argo",
                "from-args",
                "1234-abcd",
                "data",
                expected_pod.as_str()
            ]
        );
        PodOutcome::success()
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let inputs = sim
        .node("global-params")
        .expect("root")
        .inputs
        .clone()
        .expect("inputs");
    assert_eq!(
        inputs.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("from-args")
    );
}

#[test]
fn the_pod_carries_argos_labels_annotations_and_executor_environment() {
    let sim = run_with("hello-world", |req| {
        let meta = &req.pod.metadata;
        assert_eq!(meta.name.as_deref(), Some("hello-world"));
        let labels = meta.labels.clone().expect("labels");
        assert_eq!(
            labels
                .get("workflows.argoproj.io/workflow")
                .map(String::as_str),
            Some("hello-world")
        );
        let annotations = meta.annotations.clone().expect("annotations");
        assert_eq!(
            annotations
                .get("workflows.argoproj.io/node-name")
                .map(String::as_str),
            Some("hello-world")
        );
        assert_eq!(
            annotations
                .get("workflows.argoproj.io/node-id")
                .map(String::as_str),
            Some("hello-world")
        );
        let spec = req.pod.spec.clone().expect("spec");
        assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
        let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["wait", "main"]);
        assert_eq!(spec.init_containers.clone().expect("init")[0].name, "init");
        let main = &spec.containers[1];
        assert_eq!(
            main.command.clone().expect("command")[..4],
            ["/var/run/argo/argoexec", "emissary", "--", "echo"]
        );
        let env: std::collections::BTreeMap<String, String> = main
            .env
            .clone()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| e.value.map(|v| (e.name, v)))
            .collect();
        assert_eq!(
            env.get("ARGO_CONTAINER_NAME").map(String::as_str),
            Some("main")
        );
        assert_eq!(
            env.get("ARGO_NODE_ID").map(String::as_str),
            Some("hello-world")
        );
        assert_eq!(
            env.get("ARGO_WORKFLOW_NAME").map(String::as_str),
            Some("hello-world")
        );
        assert_eq!(
            env.get("ARGO_INCLUDE_SCRIPT_OUTPUT").map(String::as_str),
            Some("false")
        );
        let template: argo_core::Template =
            serde_json::from_str(env.get("ARGO_TEMPLATE").expect("template")).expect("json");
        assert_eq!(template.name, "main");
        PodOutcome::success()
    });
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn script_pods_run_the_staged_source() {
    let sim = run_with("script-result", |req| {
        if req.template.script.is_some() {
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
            assert_eq!(
                main.args
                    .clone()
                    .unwrap_or_default()
                    .last()
                    .map(String::as_str),
                Some("/argo/staging/script")
            );
        }
        PodOutcome::success().with_stdout("42")
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let print = node(&sim, "print").inputs.clone().expect("inputs");
    assert_eq!(
        print.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("42")
    );
    assert_eq!(
        node(&sim, "gen")
            .outputs
            .as_ref()
            .and_then(|o| o.result.clone())
            .as_deref(),
        Some("42")
    );
    assert_eq!(
        node(&sim, "silent")
            .outputs
            .as_ref()
            .and_then(|o| o.result.clone()),
        None,
        "result not requested"
    );
}

#[test]
fn a_workflow_template_ref_runs_the_stored_merged_spec() {
    let mut sim = Simulation::new(fixture("workflow-template-ref"));
    sim.observed.templates =
        argo_engine::TemplateResolver::default().with_workflow_template(greeter());
    sim.run(20);
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let stored = sim
        .workflow
        .status
        .stored_workflow_template_spec
        .clone()
        .expect("stored spec");
    assert_eq!(stored.entrypoint, "greet");
    let labels = sim.workflow.metadata.labels.clone().expect("labels");
    assert_eq!(
        labels
            .get("workflows.argoproj.io/workflow-template")
            .map(String::as_str),
        Some("greeter")
    );
    let inputs = sim
        .node("from-template")
        .expect("root")
        .inputs
        .clone()
        .expect("inputs");
    assert_eq!(
        inputs.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("overridden")
    );
}

#[test]
fn a_missing_workflow_template_errors_the_workflow() {
    let sim = run("workflow-template-ref");
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Error);
    assert_eq!(
        sim.workflow.status.message,
        "workflowtemplate.argoproj.io \"greeter\" not found"
    );
}

#[test]
fn template_refs_resolve_and_are_stored() {
    let mut sim = Simulation::new(fixture("template-ref"));
    sim.observed.templates =
        argo_engine::TemplateResolver::default().with_workflow_template(greeter());
    sim.run(20);
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert!(
        sim.workflow
            .status
            .stored_templates
            .contains_key("namespaced/greeter/greet")
    );
    let call = node(&sim, "call");
    assert_eq!(
        call.template_ref.as_ref().map(|r| r.name.as_str()),
        Some("greeter")
    );
    assert_eq!(
        call.template_scope, "local/template-ref",
        "the scope resolution started from"
    );
    assert_eq!(
        sim.created_pods[0],
        argo_engine::node_id::pod_name("template-ref", "template-ref[0].call", "greet")
    );
}

#[test]
fn a_missing_template_ref_errors_the_step() {
    let sim = run("template-ref");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    let call = node(&sim, "call");
    assert_eq!(call.phase, NodePhase::Error);
    assert_eq!(call.message, "WorkflowTemplate 'greeter' not found");
}

#[test]
fn template_defaults_apply_to_every_template() {
    let mut attempts = 0;
    let sim = run_with("template-defaults", move |req| {
        assert_eq!(req.template.timeout, "30s");
        attempts += 1;
        if attempts == 1 {
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
    assert_eq!(
        sim.node("template-defaults").expect("root").node_type,
        NodeType::Retry
    );
}

#[test]
fn nested_templates_get_their_own_boundaries() {
    let sim = run("nested-steps");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let inner = node(&sim, "inner");
    assert_eq!(inner.node_type, NodeType::Dag);
    let leaf = sim.node("nested[0].inner.leaf").expect("leaf");
    assert_eq!(leaf.boundary_id, inner.id);
    assert_eq!(leaf.display_name, "leaf");
}

#[test]
fn unbounded_recursion_stops_at_the_depth_limit() {
    let mut sim = Simulation::new(fixture("recursion"));
    sim.config.max_stack_depth = 10;
    sim.run(20);
    assert!(
        sim.workflow.status.phase.is_completed(),
        "{:?}",
        sim.workflow.status.phase
    );
    assert!(
        sim.workflow
            .status
            .nodes
            .values()
            .any(|n| n.message.starts_with("Maximum recursion depth exceeded"))
    );
}
