//! Targeted cases for resource and data templates: node types and trees, pod shapes (the
//! executor as `main`, no `wait`), outputs, success and failure.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, NodeResult, NodeType, Template, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use argo_engine::{Effect, Observed, PodObservation, reconcile};
use jiff::SignedDuration;
use support::*;

fn env(pod: &argo_core::k8s_openapi::api::core::v1::Pod, name: &str) -> String {
    let spec = pod.spec.as_ref().expect("a pod spec");
    let main = spec
        .containers
        .iter()
        .find(|c| c.name == "main")
        .expect("main");
    main.env
        .iter()
        .flatten()
        .find(|e| e.name == name)
        .and_then(|e| e.value.clone())
        .unwrap_or_default()
}

const RESOURCE: &str = "
metadata: {name: res}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: make
        template: make-cm
    - - name: use
        template: show
        arguments: {parameters: [{name: v, value: '{{steps.make.outputs.parameters.uid}}'}]}
  - name: make-cm
    resource:
      action: create
      setOwnerReference: true
      successCondition: metadata.name == cm
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
        data: {a: b}
    outputs:
      parameters:
      - name: uid
        valueFrom: {jsonPath: '{.metadata.uid}'}
  - name: show
    inputs: {parameters: [{name: v}]}
    container: {image: busybox, command: [echo, '{{inputs.parameters.v}}']}
";

#[test]
fn a_resource_template_runs_the_executor_as_main_without_a_wait_container() {
    let sim = run_with(RESOURCE, |req| {
        if req.template.resource.is_some() {
            PodOutcome::success().with_parameter("uid", "u-1")
        } else {
            PodOutcome::success()
        }
    });
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(node(&sim, "make").node_type, NodeType::Pod);
    let pods = created_pods(&sim);
    let pod = &pods[0];
    let names: Vec<&str> = pod
        .spec
        .as_ref()
        .expect("spec")
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["main"]);
    assert_eq!(
        main_container(pod),
        [
            "/var/run/argo/argoexec",
            "emissary",
            "--",
            "argoexec",
            "resource",
            "create"
        ]
    );
    let template: Template = serde_json::from_str(&env(pod, "ARGO_TEMPLATE")).expect("json");
    let resource = template.resource.expect("the resource in ARGO_TEMPLATE");
    assert!(resource.manifest.contains("kind: ConfigMap"));
    assert!(resource.set_owner_reference);
    assert_eq!(resource.success_condition, "metadata.name == cm");
}

#[test]
fn a_resource_output_parameter_from_json_path_feeds_the_next_step() {
    let sim = run_with(RESOURCE, |req| {
        if req.template.resource.is_some() {
            PodOutcome::success().with_parameter("uid", "u-42")
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(output(&sim, "make", "uid").as_deref(), Some("u-42"));
    let pods = created_pods(&sim);
    let show = pods.last().expect("the show pod");
    assert!(main_container(show).contains(&"u-42".to_owned()));
}

#[test]
fn a_failed_resource_action_fails_the_node_with_the_executors_message() {
    let wf = wf(RESOURCE);
    let config = argo_engine::EngineConfig::default();
    let start = argo_engine::simulation::epoch();
    let mut current = wf.clone();
    let mut observed = Observed::default();
    let first = reconcile(&current, &observed, start, &config);
    current = first.apply_to(&current);
    let second = reconcile(&current, &observed, start, &config);
    current = second.apply_to(&current);
    let (node_id, pod_name) = second
        .effects
        .iter()
        .chain(&first.effects)
        .find_map(|e| match e {
            Effect::CreatePod { node_id, pod } => Some((node_id.clone(), pod.name().to_owned())),
            _ => None,
        })
        .expect("the resource pod");
    let later = start + SignedDuration::from_secs(3);
    observed
        .pods
        .insert(pod_name, PodObservation::exited(1, later));
    observed.task_results.insert(
        node_id,
        NodeResult {
            phase: NodePhase::Failed,
            message: "failureCondition 'status.phase == Failed' matched".into(),
            ..NodeResult::default()
        },
    );
    let done = reconcile(&current, &observed, later, &config).apply_to(&current);
    let make = node_in(&done, "make");
    assert_eq!(make.phase, NodePhase::Failed);
    assert_eq!(
        make.message,
        "main: Error (exit code 1): failureCondition 'status.phase == Failed' matched"
    );
}

const DATA: &str = "
metadata: {name: d}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: list
        template: list-files
    - - name: each
        template: show
        arguments: {parameters: [{name: f, value: '{{item}}'}]}
        withParam: '{{steps.list.outputs.result}}'
  - name: list-files
    data:
      source:
        artifactPaths:
          name: in
          s3: {key: files/}
      transformation:
      - expression: 'filter(data, {# endsWith \".txt\"})'
  - name: show
    inputs: {parameters: [{name: f}]}
    container: {image: busybox, command: [echo, '{{inputs.parameters.f}}']}
";

#[test]
fn a_data_template_runs_argoexec_data_and_always_captures_its_result() {
    let sim = run_with(DATA, |req| {
        if req.template.data.is_some() {
            assert!(req.include_script_output, "data pods capture stdout");
            PodOutcome::success().with_stdout(r#"["files/a.txt","files/b.txt"]"#)
        } else {
            PodOutcome::success()
        }
    });
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let pods = created_pods(&sim);
    let command = main_container(&pods[0]);
    assert_eq!(&command[3..5], ["argoexec", "data"]);
    let data: argo_core::Data = serde_json::from_str(&command[5]).expect("data spec as JSON");
    assert_eq!(data.transformation.len(), 1);
    assert!(data.source.artifact_paths.is_some());
    assert_eq!(env(&pods[0], "ARGO_INCLUDE_SCRIPT_OUTPUT"), "true");
    assert_eq!(children(&sim, "[1]").len(), 2);
}

#[test]
fn a_data_node_with_a_failing_transformation_fails_the_workflow() {
    let sim = run_with(DATA, |req| {
        if req.template.data.is_some() {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "list"), NodePhase::Failed);
    assert!(!has(&sim, "each(0:files/a.txt)"));
}
