//! Outputs of skipped and omitted producers (Argo v4): the producer's `valueFrom.default`
//! stands in, else the output is absent: a pure argument reference lets the consumer's input
//! default apply, `??` in expressions sees nil, and an unhandled reference fails.

mod driver;

use argo_core::{NodePhase, WorkflowPhase};
use driver::{Driver, Ending};

fn consumer_yaml(producer_default: &str, consumer_default: &str) -> String {
    format!(
        r#"
metadata: {{name: skip}}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {{name: producer, template: produce, when: "false"}}
      - name: consumer
        template: consume
        depends: "producer.Succeeded || producer.Skipped"
        arguments:
          parameters: [{{name: in, value: "{{{{tasks.producer.outputs.parameters.msg}}}}"}}]
  - name: produce
    outputs:
      parameters:
      - name: msg
        valueFrom: {{path: /tmp/out.txt{producer_default}}}
    container: {{image: busybox}}
  - name: consume
    inputs:
      parameters: [{{name: in{consumer_default}}}]
    container: {{image: busybox, command: [echo, "got {{{{inputs.parameters.in}}}}"]}}
"#
    )
}

fn consumer_command(driver: &Driver) -> String {
    let request = driver.request("consumer");
    let spec = request.pod.spec.as_ref().expect("spec");
    spec.containers[1]
        .command
        .clone()
        .expect("command")
        .last()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_producer_default_stands_in_for_a_skipped_output() {
    let mut driver = Driver::new(&consumer_yaml(", default: from-producer", ""));
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    assert_eq!(driver.node("producer").phase, NodePhase::Skipped);
    assert_eq!(consumer_command(&driver), "got from-producer");
}

#[test]
fn the_consumer_input_default_applies_when_the_output_is_absent() {
    let mut driver = Driver::new(&consumer_yaml("", ", default: from-input"));
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    assert_eq!(consumer_command(&driver), "got from-input");
}

#[test]
fn an_absent_output_without_any_default_fails_the_consumer() {
    let mut driver = Driver::new(&consumer_yaml("", ""));
    assert_ne!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    let message = &driver.node("consumer").message;
    assert!(message.contains("absent optional"), "{message}");
    assert!(driver.requests.is_empty());
}

#[test]
fn an_expression_falls_back_with_the_nil_coalescing_operator() {
    let yaml = r#"
metadata: {name: expr}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: producer, template: produce, when: "false"}
    outputs:
      parameters:
      - name: result
        valueFrom: {expression: "tasks.producer.outputs.parameters.msg ?? 'fallback'"}
  - name: produce
    outputs:
      parameters:
      - {name: msg, valueFrom: {path: /tmp/out.txt}}
    container: {image: busybox}
"#;
    let mut driver = Driver::new(yaml);
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    let outputs = driver.node("expr").outputs.clone().expect("outputs");
    assert_eq!(
        outputs.parameters[0].value.as_ref().map(|v| v.0.as_str()),
        Some("fallback")
    );
}

#[test]
fn an_omitted_producer_output_uses_its_default_too() {
    let yaml = consumer_yaml(", default: from-producer", "")
        .replace(r#"when: "false""#, r#"depends: "never""#)
        .replace("- {name: producer, template: produce, depends: \"never\"}", "- {name: never, template: produce}\n      - {name: producer, template: produce, depends: \"never.Failed\"}")
        .replace("producer.Succeeded || producer.Skipped", "producer.Succeeded || producer.Omitted");
    let mut driver = Driver::new(&yaml);
    let phase = driver.run(|r| {
        let mut outputs = argo_core::Outputs::default();
        if r.template.name == "produce" {
            outputs.parameters.push(argo_core::Parameter {
                name: "msg".to_owned(),
                value: Some("real".into()),
                ..argo_core::Parameter::default()
            });
        }
        Ending::with_outputs(outputs)
    });
    let nodes: Vec<_> = driver
        .workflow
        .status
        .nodes
        .values()
        .map(|n| {
            (
                n.display_name.clone(),
                n.phase.to_string(),
                n.message.clone(),
            )
        })
        .collect();
    assert_eq!(phase, WorkflowPhase::Succeeded, "{nodes:?}");
    assert_eq!(driver.node("producer").phase, NodePhase::Omitted);
    assert_eq!(consumer_command(&driver), "got from-producer");
}

#[test]
fn steps_see_the_default_of_a_skipped_step() {
    let yaml = r#"
metadata: {name: steps}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: producer, template: produce, when: "false"}
    - - name: consumer
        template: consume
        arguments:
          parameters: [{name: in, value: "{{steps.producer.outputs.parameters.msg}}"}]
  - name: produce
    outputs:
      parameters:
      - {name: msg, valueFrom: {path: /tmp/out.txt, default: dflt}}
    container: {image: busybox}
  - name: consume
    inputs:
      parameters: [{name: in}]
    container: {image: busybox, command: [echo, "got {{inputs.parameters.in}}"]}
"#;
    let mut driver = Driver::new(yaml);
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    assert_eq!(consumer_command(&driver), "got dflt");
}
