//! Artifact passing: `from`, `fromExpression`, `subPath`, optional and global artifacts,
//! artifacts into exit hooks, and steps/DAG output artifacts, driven with reported outputs.

mod driver;

use argo_core::{NodePhase, Outputs, WorkflowPhase};
use driver::{Driver, Ending, input_artifact, key, stored};

fn produce(name: &str, key: &str) -> Ending {
    Ending::with_outputs(Outputs {
        artifacts: vec![stored(name, key)],
        ..Outputs::default()
    })
}

const STEPS_PASSING: &str = r#"
metadata: {name: pass}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gen, template: gen}
    - - name: use
        template: use
        arguments:
          artifacts:
          - {name: in, from: "{{steps.gen.outputs.artifacts.out}}"}
  - name: gen
    container: {image: busybox, command: [sh, -c, "echo hi > /tmp/out"]}
    outputs:
      artifacts: [{name: out, path: /tmp/out}]
  - name: use
    inputs:
      artifacts: [{name: in, path: /tmp/in}]
    container: {image: busybox, command: [cat, /tmp/in]}
"#;

#[test]
fn a_step_artifact_reaches_the_next_step_with_its_location() {
    let mut driver = Driver::new(STEPS_PASSING);
    let phase = driver.run(|r| {
        if r.template.name == "gen" {
            produce("out", "pass/gen/out.tgz")
        } else {
            Ending::ok()
        }
    });
    assert_eq!(phase, WorkflowPhase::Succeeded);
    let input = input_artifact(driver.request("use"), "in");
    assert_eq!(key(input), "pass/gen/out.tgz");
    assert_eq!(input.path, "/tmp/in");
    assert!(input.from.is_empty());
}

#[test]
fn a_missing_required_artifact_reference_errors_the_step() {
    let mut driver = Driver::new(STEPS_PASSING);
    let phase = driver.run(|_| Ending::ok());
    assert_ne!(phase, WorkflowPhase::Succeeded);
    let message = &driver.node("[1]").message;
    assert!(
        message.contains("steps.gen.outputs.artifacts.out"),
        "{message}"
    );
}

#[test]
fn an_optional_artifact_reference_that_is_absent_is_dropped() {
    let yaml = STEPS_PASSING.replace(
        r#"{name: in, from: "{{steps.gen.outputs.artifacts.out}}"}"#,
        r#"{name: in, from: "{{steps.gen.outputs.artifacts.out}}", optional: true}"#,
    );
    let yaml = yaml.replace(
        "[{name: in, path: /tmp/in}]",
        "[{name: in, path: /tmp/in, optional: true}]",
    );
    let mut driver = Driver::new(&yaml);
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    let input = input_artifact(driver.request("use"), "in");
    assert!(input.location.s3.is_none());
}

#[test]
fn sub_path_is_kept_on_the_resolved_artifact() {
    let yaml = STEPS_PASSING.replace(
        r#"{name: in, from: "{{steps.gen.outputs.artifacts.out}}"}"#,
        r#"{name: in, from: "{{steps.gen.outputs.artifacts.out}}", subPath: "a/{{workflow.name}}.txt"}"#,
    );
    let mut driver = Driver::new(&yaml);
    driver.run(|r| {
        if r.template.name == "gen" {
            produce("out", "k/out")
        } else {
            Ending::ok()
        }
    });
    let input = input_artifact(driver.request("use"), "in");
    assert_eq!(input.sub_path, "a/pass.txt");
    assert_eq!(key(input), "k/out");
}

const DAG_PASSING: &str = r#"
metadata: {name: dagpass}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: gen, template: gen}
      - name: use
        depends: gen
        template: use
        arguments:
          artifacts:
          - {name: in, from: "{{tasks.gen.outputs.artifacts.out}}"}
  - name: gen
    container: {image: busybox}
    outputs:
      artifacts: [{name: out, path: /tmp/out}]
  - name: use
    inputs:
      artifacts: [{name: in, path: /in}]
    container: {image: busybox}
"#;

#[test]
fn a_task_artifact_reaches_its_dependent() {
    let mut driver = Driver::new(DAG_PASSING);
    let phase = driver.run(|r| {
        if r.template.name == "gen" {
            produce("out", "dagpass/gen/out.tgz")
        } else {
            Ending::ok()
        }
    });
    assert_eq!(phase, WorkflowPhase::Succeeded);
    assert_eq!(
        key(input_artifact(driver.request("use"), "in")),
        "dagpass/gen/out.tgz"
    );
}

#[test]
fn from_expression_arguments_pick_an_artifact() {
    let yaml = DAG_PASSING.replace(
        r#"{name: in, from: "{{tasks.gen.outputs.artifacts.out}}"}"#,
        r#"{name: in, fromExpression: "tasks.gen.status == 'Succeeded' ? tasks.gen.outputs.artifacts.out : nil"}"#,
    );
    let mut driver = Driver::new(&yaml);
    driver.run(|r| {
        if r.template.name == "gen" {
            produce("out", "by/expression")
        } else {
            Ending::ok()
        }
    });
    assert_eq!(
        key(input_artifact(driver.request("use"), "in")),
        "by/expression"
    );
}

const CONDITIONAL: &str = r#"
metadata: {name: cond}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flip, template: flip}
    - - {name: heads, template: side, when: "{{steps.flip.outputs.result}} == heads"}
      - {name: tails, template: side, when: "{{steps.flip.outputs.result}} == tails"}
    outputs:
      artifacts:
      - name: result
        fromExpression: "steps.flip.outputs.result == 'heads' ? steps.heads.outputs.artifacts.result : steps.tails.outputs.artifacts.result"
  - name: flip
    script: {image: python, command: [python], source: "print('x')"}
  - name: side
    container: {image: busybox}
    outputs:
      artifacts: [{name: result, path: /result.txt}]
"#;

fn run_conditional(side: &'static str) -> Driver {
    let mut driver = Driver::new(CONDITIONAL);
    let phase = driver.run(move |r| {
        if r.template.name == "flip" {
            Ending::with_outputs(Outputs {
                result: Some(side.to_owned()),
                ..Outputs::default()
            })
        } else {
            produce("result", &format!("cond/{}", r.node_name))
        }
    });
    assert_eq!(phase, WorkflowPhase::Succeeded);
    driver
}

#[test]
fn a_steps_template_output_artifact_comes_from_the_branch_that_ran() {
    for side in ["heads", "tails"] {
        let driver = run_conditional(side);
        let root = driver.node("cond");
        let outputs = root.outputs.as_ref().expect("outputs");
        assert_eq!(outputs.artifacts.len(), 1);
        assert_eq!(outputs.artifacts[0].name, "result");
        assert_eq!(key(&outputs.artifacts[0]), format!("cond/cond[1].{side}"));
        let other = if side == "heads" { "tails" } else { "heads" };
        assert_eq!(driver.node(other).phase, NodePhase::Skipped);
    }
}

#[test]
fn a_dag_output_artifact_from_a_task() {
    let yaml = DAG_PASSING.replace(
        "  - name: gen\n    container: {image: busybox}",
        "    outputs:\n      artifacts:\n      - {name: final, from: \"{{tasks.gen.outputs.artifacts.out}}\"}\n  - name: gen\n    container: {image: busybox}",
    );
    let mut driver = Driver::new(&yaml);
    driver.run(|r| {
        if r.template.name == "gen" {
            produce("out", "dag/out")
        } else {
            Ending::ok()
        }
    });
    let outputs = driver.node("dagpass").outputs.clone().expect("outputs");
    assert_eq!(outputs.artifacts[0].name, "final");
    assert_eq!(key(&outputs.artifacts[0]), "dag/out");
}

const GLOBAL: &str = r#"
metadata: {name: glob}
spec:
  entrypoint: main
  onExit: use
  templates:
  - name: main
    steps:
    - - {name: gen, template: gen}
    - - name: use
        template: use
        arguments:
          artifacts:
          - {name: in, from: "{{workflow.outputs.artifacts.shared}}"}
  - name: gen
    container: {image: busybox}
    outputs:
      artifacts: [{name: out, path: /tmp/out, globalName: shared}]
  - name: use
    inputs:
      artifacts:
      - {name: in, path: /in, from: "{{workflow.outputs.artifacts.shared}}"}
    container: {image: busybox}
"#;

#[test]
fn a_global_artifact_is_exported_and_consumed_by_a_later_step_and_the_exit_handler() {
    let mut driver = Driver::new(GLOBAL);
    let phase = driver.run(|r| {
        if r.template.name == "gen" {
            let mut out = stored("out", "glob/out");
            out.global_name = "shared".to_owned();
            Ending::with_outputs(Outputs {
                artifacts: vec![out],
                ..Outputs::default()
            })
        } else {
            Ending::ok()
        }
    });
    assert_eq!(
        phase,
        WorkflowPhase::Succeeded,
        "{}",
        driver.workflow.status.message
    );
    let outputs = driver
        .workflow
        .status
        .outputs
        .clone()
        .expect("workflow outputs");
    assert_eq!(outputs.artifacts[0].name, "shared");
    assert_eq!(key(&outputs.artifacts[0]), "glob/out");
    assert_eq!(key(input_artifact(driver.request("use"), "in")), "glob/out");
    let on_exit = driver.request("glob.onExit");
    assert_eq!(key(input_artifact(on_exit, "in")), "glob/out");
}

#[test]
fn an_exit_hook_gets_the_step_artifact() {
    let yaml = r#"
metadata: {name: hook}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: step
        template: gen
        hooks:
          exit:
            template: use
            arguments:
              artifacts:
              - {name: in, from: "{{steps.step.outputs.artifacts.out}}"}
  - name: gen
    container: {image: busybox}
    outputs:
      artifacts: [{name: out, path: /out}]
  - name: use
    inputs:
      artifacts: [{name: in, path: /in}]
    container: {image: busybox}
"#;
    let mut driver = Driver::new(yaml);
    let phase = driver.run(|r| {
        if r.template.name == "gen" {
            produce("out", "hook/out")
        } else {
            Ending::ok()
        }
    });
    assert_eq!(phase, WorkflowPhase::Succeeded);
    assert_eq!(
        key(input_artifact(driver.request("step.onExit"), "in")),
        "hook/out"
    );
}

#[test]
fn a_key_only_input_artifact_is_passed_to_the_pod_unchanged() {
    let yaml = r#"
metadata: {name: keyonly}
spec:
  entrypoint: use
  templates:
  - name: use
    inputs:
      artifacts: [{name: file, path: /tmp/file, s3: {key: my-file}}]
    container: {image: busybox}
"#;
    let mut driver = Driver::new(yaml);
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    assert_eq!(
        key(input_artifact(driver.request("keyonly"), "file")),
        "my-file"
    );
}

#[test]
fn a_required_input_artifact_without_argument_or_location_errors() {
    let yaml = r#"
metadata: {name: missing}
spec:
  entrypoint: use
  templates:
  - name: use
    inputs:
      artifacts: [{name: file, path: /tmp/file}]
    container: {image: busybox}
"#;
    let mut driver = Driver::new(yaml);
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Error);
    assert!(
        driver
            .workflow
            .status
            .message
            .contains("inputs.artifacts.file was not supplied"),
        "{}",
        driver.workflow.status.message
    );
}
