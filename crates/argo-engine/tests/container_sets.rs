//! Container sets: one pod, one Container node per container linked by dependencies, node
//! phases from container states, `outputs.result` from the `main` container.

mod driver;

use argo_core::{NodePhase, NodeType, Outputs, WorkflowPhase};
use driver::{Driver, Ending};

const GRAPH: &str = r#"
metadata: {name: graph}
spec:
  entrypoint: main
  templates:
  - name: main
    containerSet:
      volumeMounts: [{name: work, mountPath: /work}]
      containers:
      - {name: a, image: argoproj/argosay:v2}
      - {name: b, image: argoproj/argosay:v2, dependencies: [a]}
      - {name: c, image: busybox, command: [sh, -c, "true"], dependencies: [a]}
      - {name: d, image: argoproj/argosay:v2, dependencies: [b, c]}
    volumes: [{name: work, emptyDir: {}}]
"#;

#[test]
fn one_pod_runs_every_container_of_the_set_wrapped_by_the_emissary() {
    let mut driver = Driver::new(GRAPH);
    assert_eq!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    assert_eq!(driver.requests.len(), 1);
    let spec = driver.requests[0].pod.spec.clone().expect("spec");
    let names: Vec<_> = spec.containers.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, ["wait", "a", "b", "c", "d"]);
    for container in &spec.containers[1..] {
        let command = container.command.clone().expect("command");
        assert_eq!(command[..3], ["/var/run/argo/argoexec", "emissary", "--"]);
        let env = container.env.clone().unwrap_or_default();
        let own = env.iter().find(|e| e.name == "ARGO_CONTAINER_NAME");
        assert_eq!(
            own.and_then(|e| e.value.as_deref()),
            Some(container.name.as_str())
        );
        let mounts: Vec<_> = container
            .volume_mounts
            .iter()
            .flatten()
            .map(|m| m.mount_path.clone())
            .collect();
        assert!(mounts.contains(&"/work".to_owned()), "{mounts:?}");
    }
    // argosay's entrypoint comes from the image index; an explicit command is kept.
    assert_eq!(
        spec.containers[1].command.clone().expect("a")[3],
        "/argosay"
    );
    assert_eq!(
        spec.containers[3].command.clone().expect("c")[3..],
        ["sh", "-c", "true"]
    );
}

#[test]
fn container_nodes_follow_the_dependency_graph() {
    let mut driver = Driver::new(GRAPH);
    driver.run(|_| Ending::ok());
    let pod = driver.node("graph").clone();
    assert_eq!(pod.node_type, NodeType::Pod);
    let id = |name: &str| driver.node(&format!("graph.{name}")).id.clone();
    assert_eq!(pod.children, [id("a")]);
    let mut a_children = driver.node("graph.a").children.clone();
    a_children.sort();
    let mut expected = vec![id("b"), id("c")];
    expected.sort();
    assert_eq!(a_children, expected);
    assert_eq!(driver.node("graph.b").children, [id("d")]);
    assert_eq!(driver.node("graph.c").children, [id("d")]);
    for name in ["a", "b", "c", "d"] {
        // Container nodes have no boundary, so their display name is their full name.
        let node = driver.node(&format!("graph.{name}"));
        assert_eq!(node.node_type, NodeType::Container);
        assert_eq!(node.phase, NodePhase::Succeeded, "{name}");
        assert_eq!(node.name, format!("graph.{name}"));
    }
}

#[test]
fn a_failed_container_fails_its_node_and_the_pod() {
    let mut driver = Driver::new(GRAPH);
    let phase = driver.run(|_| {
        let mut ending = Ending::exit("b", 3);
        ending.exit_codes.insert("d".to_owned(), 64);
        ending
    });
    assert_eq!(phase, WorkflowPhase::Failed);
    assert_eq!(driver.node("graph.b").phase, NodePhase::Failed);
    assert!(driver.node("graph.b").message.contains("exit code 3"));
    assert_eq!(driver.node("graph.d").phase, NodePhase::Error);
    assert_eq!(driver.node("graph.a").phase, NodePhase::Succeeded);
    assert_eq!(driver.node("graph").phase, NodePhase::Failed);
}

#[test]
fn the_result_of_main_feeds_a_dependent_task() {
    let yaml = r#"
metadata: {name: result}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: group}
      - name: b
        dependencies: [a]
        template: verify
        arguments:
          parameters: [{name: x, value: "{{tasks.a.outputs.result}}"}]
  - name: group
    containerSet:
      containers:
      - {name: main, image: python, command: [python, -c], args: ["print('hi')"]}
  - name: verify
    inputs:
      parameters: [{name: x}]
    container: {image: busybox, command: [echo, "{{inputs.parameters.x}}"]}
"#;
    let mut driver = Driver::new(yaml);
    let phase = driver.run(|r| {
        if r.template.name == "group" {
            Ending::with_outputs(Outputs {
                result: Some("hi".to_owned()),
                ..Outputs::default()
            })
        } else {
            Ending::ok()
        }
    });
    assert_eq!(phase, WorkflowPhase::Succeeded);
    let group = driver.request("a");
    let include = group.pod.spec.as_ref().expect("spec").containers[1]
        .env
        .iter()
        .flatten()
        .find(|e| e.name == "ARGO_INCLUDE_SCRIPT_OUTPUT")
        .and_then(|e| e.value.clone());
    assert_eq!(include.as_deref(), Some("true"));
    let verify = driver.request("b");
    let command = verify.pod.spec.as_ref().expect("spec").containers[1]
        .command
        .clone()
        .expect("command");
    assert_eq!(command.last().map(String::as_str), Some("hi"));
    assert_eq!(driver.node("result.a.main").phase, NodePhase::Succeeded);
}

#[test]
fn an_empty_container_set_is_an_error_naming_the_template() {
    let yaml = r#"
metadata: {name: empty}
spec:
  entrypoint: main
  templates:
  - name: main
    containerSet: {containers: []}
"#;
    let mut driver = Driver::new(yaml);
    assert_ne!(driver.run(|_| Ending::ok()), WorkflowPhase::Succeeded);
    assert!(
        driver
            .node("empty")
            .message
            .contains("containerSet.containers must not be empty"),
        "{}",
        driver.node("empty").message
    );
}
