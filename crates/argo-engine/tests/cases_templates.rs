//! Targeted cases for http and plugin templates: node types and trees, agent effects,
//! outputs, success and failure, retries of an http node and http nodes in DAGs and steps.
//! Resource and data templates are in `cases_templates_resource.rs`.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, NodeResult, NodeType, Outputs, Progress, Template, WorkflowPhase};
use argo_engine::Effect;
use argo_engine::simulation::{PodOutcome, Simulation};
use jiff::SignedDuration;
use support::*;

/// Runs `sim` to completion, answering every agent task with `agent` (once per node id, as
/// the controller's agent does) and counting the tasks asked for.
fn run_with_agent(
    sim: &mut Simulation,
    mut agent: impl FnMut(&Template, &str) -> NodeResult,
) -> Vec<String> {
    let mut asked = Vec::new();
    for _ in 0..200 {
        let reconciled = sim.step();
        if sim.is_completed() {
            break;
        }
        for effect in &reconciled.effects {
            if let Effect::RunAgentTask {
                node_id,
                node_name,
                template,
            } = effect
                && !sim.observed.task_results.contains_key(node_id)
            {
                asked.push(node_name.clone());
                let result = agent(template, node_name);
                sim.observed.task_results.insert(node_id.clone(), result);
            }
        }
        sim.advance_by(SignedDuration::from_secs(1));
    }
    asked
}

fn body(phase: NodePhase, body: &str, message: &str) -> NodeResult {
    NodeResult {
        phase,
        message: message.to_owned(),
        outputs: Some(Outputs {
            result: Some(body.to_owned()),
            ..Outputs::default()
        }),
        progress: Progress::default(),
    }
}

fn ok(text: &str) -> NodeResult {
    body(NodePhase::Succeeded, text, "")
}

const HTTP_STEPS: &str = "
metadata: {name: h}
spec:
  entrypoint: main
  arguments: {parameters: [{name: host, value: 'http://localhost:39401'}]}
  templates:
  - name: main
    steps:
    - - name: call
        template: get
    - - name: echo
        template: show
        arguments: {parameters: [{name: text, value: '{{steps.call.outputs.result}}'}]}
  - name: get
    http:
      url: '{{workflow.parameters.host}}/ping'
      successCondition: 'response.statusCode == 200'
  - name: show
    inputs: {parameters: [{name: text}]}
    container: {image: busybox, command: [echo, '{{inputs.parameters.text}}']}
";

#[test]
fn an_http_template_becomes_an_http_node_and_an_agent_task_not_a_pod() {
    let mut sim = sim_with(HTTP_STEPS, |_| PodOutcome::success());
    let asked = run_with_agent(&mut sim, |template, _| {
        let http = template.http.as_ref().expect("an http template");
        assert_eq!(
            http.url, "http://localhost:39401/ping",
            "substituted before the agent"
        );
        assert_eq!(http.success_condition, "response.statusCode == 200");
        ok("pong")
    });
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(asked, ["h[0].call"]);
    let call = node(&sim, "call");
    assert_eq!(call.node_type, NodeType::Http);
    assert!(call.finished_at.is_some());
    assert_eq!(created_pods(&sim).len(), 1, "only the echo step runs a pod");
}

#[test]
fn an_http_body_is_the_nodes_result_and_feeds_the_next_step() {
    let mut sim = sim_with(HTTP_STEPS, |_| PodOutcome::success());
    run_with_agent(&mut sim, |_, _| ok("pong-42"));
    let call = node(&sim, "call");
    assert_eq!(
        call.outputs.as_ref().and_then(|o| o.result.as_deref()),
        Some("pong-42")
    );
    let pods = created_pods(&sim);
    assert!(main_container(&pods[0]).contains(&"pong-42".to_owned()));
}

#[test]
fn a_failed_success_condition_fails_the_http_node_and_the_workflow() {
    let mut sim = sim_with(HTTP_STEPS, |_| PodOutcome::success());
    run_with_agent(&mut sim, |_, _| {
        body(
            NodePhase::Failed,
            "nope",
            "successCondition 'response.statusCode == 200' evaluated false",
        )
    });
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "call"), NodePhase::Failed);
    assert_eq!(
        message(&sim, "call"),
        "successCondition 'response.statusCode == 200' evaluated false"
    );
    assert!(!has(&sim, "echo"));
}

#[test]
fn the_agent_task_is_asked_for_again_until_a_result_arrives_then_never() {
    let mut sim = sim_with(HTTP_STEPS, |_| PodOutcome::success());
    let first = sim.step();
    let second = sim.step();
    let tasks = |effects: &[Effect]| {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::RunAgentTask { .. }))
            .count()
    };
    assert_eq!(tasks(&first.effects) + tasks(&second.effects), 2);
    assert_eq!(phase(&sim, "call"), NodePhase::Pending);
    let id = node(&sim, "call").id.clone();
    sim.observed.task_results.insert(id, ok("late"));
    let third = sim.step();
    assert_eq!(tasks(&third.effects), 0);
    assert_eq!(phase(&sim, "call"), NodePhase::Succeeded);
}

#[test]
fn an_unfinished_agent_result_leaves_the_node_pending() {
    let mut sim = sim_with(HTTP_STEPS, |_| PodOutcome::success());
    sim.step();
    let id = node(&sim, "call").id.clone();
    sim.observed.task_results.insert(
        id,
        NodeResult {
            phase: NodePhase::Running,
            ..NodeResult::default()
        },
    );
    let again = sim.step();
    assert_eq!(phase(&sim, "call"), NodePhase::Pending);
    assert!(
        again
            .effects
            .iter()
            .any(|e| matches!(e, Effect::RunAgentTask { .. }))
    );
}

const HTTP_RETRY: &str = "
metadata: {name: r}
spec:
  entrypoint: call
  templates:
  - name: call
    retryStrategy: {limit: 2}
    http: {url: 'http://localhost:39402/flaky', method: POST, body: hi}
";

#[test]
fn a_retried_http_node_gets_a_new_attempt_and_task_after_a_failure() {
    let mut sim = sim_with(HTTP_RETRY, |_| PodOutcome::success());
    let mut calls = 0;
    let asked = run_with_agent(&mut sim, |template, _| {
        assert_eq!(
            template.http.as_ref().map(|h| h.method.as_str()),
            Some("POST")
        );
        calls += 1;
        if calls == 1 {
            body(NodePhase::Failed, "", "received non-2xx response code: 503")
        } else {
            ok("fine")
        }
    });
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(asked, ["r(0)", "r(1)"]);
    assert_eq!(node(&sim, "r").node_type, NodeType::Retry);
    assert_eq!(phase(&sim, "r(0)"), NodePhase::Failed);
    assert_eq!(node(&sim, "r(1)").node_type, NodeType::Http);
    assert_eq!(phase(&sim, "r(1)"), NodePhase::Succeeded);
}

#[test]
fn a_retried_http_node_fails_once_its_limit_is_spent() {
    let mut sim = sim_with(HTTP_RETRY, |_| PodOutcome::success());
    let asked = run_with_agent(&mut sim, |_, _| {
        body(NodePhase::Failed, "", "received non-2xx response code: 500")
    });
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(asked.len(), 3);
    assert_eq!(phase(&sim, "r"), NodePhase::Failed);
}

const HTTP_DAG: &str = "
metadata: {name: g}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: fetch
        template: get
      - name: after
        template: show
        depends: fetch.Succeeded
        arguments: {parameters: [{name: text, value: '{{tasks.fetch.outputs.result}}'}]}
      - name: on-fail
        template: show
        depends: fetch.Failed
        arguments: {parameters: [{name: text, value: failed}]}
  - name: get
    http: {url: 'http://localhost:39403/'}
  - name: show
    inputs: {parameters: [{name: text}]}
    container: {image: busybox, command: [echo, '{{inputs.parameters.text}}']}
";

#[test]
fn an_http_task_in_a_dag_is_a_child_of_the_dag_and_gates_its_dependants() {
    let mut sim = sim_with(HTTP_DAG, |_| PodOutcome::success());
    run_with_agent(&mut sim, |_, _| ok("body"));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let dag = node(&sim, "g");
    let fetch = node(&sim, "fetch");
    assert_eq!(fetch.node_type, NodeType::Http);
    assert_eq!(fetch.boundary_id, dag.id);
    assert_eq!(children(&sim, "g"), ["fetch"]);
    assert_eq!(children(&sim, "fetch"), ["after", "on-fail"]);
    assert_eq!(phase(&sim, "on-fail"), NodePhase::Omitted);
}

#[test]
fn a_failed_http_task_in_a_dag_runs_its_failure_branch() {
    let mut sim = sim_with(HTTP_DAG, |_| PodOutcome::success());
    run_with_agent(&mut sim, |_, _| {
        body(NodePhase::Failed, "", "received non-2xx response code: 404")
    });
    assert_eq!(phase(&sim, "fetch"), NodePhase::Failed);
    assert_eq!(phase(&sim, "on-fail"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "after"), NodePhase::Omitted);
}

const PLUGIN: &str = "
metadata: {name: p}
spec:
  entrypoint: main
  templates:
  - name: main
    plugin:
      hello: {text: hi}
";

#[test]
fn a_plugin_template_is_a_plugin_node_run_by_the_agent() {
    let mut sim = sim_with(PLUGIN, |_| PodOutcome::success());
    let asked = run_with_agent(&mut sim, |template, _| {
        let plugin = template.plugin.as_ref().expect("the plugin body");
        assert!(plugin.0.contains_key("hello"));
        NodeResult {
            phase: NodePhase::Failed,
            message: "no plugin executed the template: executor plugin \"hello\" is not installed"
                .into(),
            ..NodeResult::default()
        }
    });
    assert_eq!(asked, ["p"]);
    assert_eq!(node(&sim, "p").node_type, NodeType::Plugin);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert!(message(&sim, "p").contains("\"hello\" is not installed"));
    assert!(created_pods(&sim).is_empty());
}

#[test]
fn stopping_a_workflow_fails_its_open_http_node() {
    let mut sim = sim_with(HTTP_STEPS, |_| PodOutcome::success());
    sim.step();
    assert_eq!(phase(&sim, "call"), NodePhase::Pending);
    sim.workflow.spec.shutdown = Some(argo_core::ShutdownStrategy::Stop);
    sim.run(20);
    assert_eq!(phase(&sim, "call"), NodePhase::Failed);
    assert_eq!(message(&sim, "call"), "Stopped with strategy 'Stop'");
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn an_http_output_with_a_global_name_is_a_workflow_output() {
    let yaml = "
metadata: {name: o}
spec:
  entrypoint: call
  templates:
  - name: call
    http: {url: 'http://localhost:39404/'}
";
    let mut sim = sim_with(yaml, |_| PodOutcome::success());
    run_with_agent(&mut sim, |_, _| NodeResult {
        phase: NodePhase::Succeeded,
        outputs: Some(Outputs {
            result: Some("b".into()),
            parameters: vec![argo_core::Parameter {
                name: "p".into(),
                value: Some("v".into()),
                global_name: "answer".into(),
                ..argo_core::Parameter::default()
            }],
            ..Outputs::default()
        }),
        ..NodeResult::default()
    });
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let outputs = sim
        .workflow
        .status
        .outputs
        .clone()
        .expect("workflow outputs");
    let answer = outputs.parameter("answer").and_then(|p| p.value.clone());
    assert_eq!(answer.map(|v| v.0).as_deref(), Some("v"));
}
