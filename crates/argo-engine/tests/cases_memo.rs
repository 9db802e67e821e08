//! Targeted cases: memoization (`memoize: {key, maxAge, cache}`): hits complete a node from
//! the cache without a pod, misses run it and write the entry when it Succeeds, expired
//! entries are misses, keys follow the node's inputs, and caches outlive one workflow. Bad
//! keys and `maxAge` values are in `cases_memo_errors.rs`.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{MemoizationStatus, NodePhase, NodeType, Outputs, WorkflowPhase};
use argo_engine::simulation::{PodOutcome, Simulation, epoch};
use argo_engine::{Effect, MemoEntry, reconcile};
use jiff::{SignedDuration, Timestamp};
use support::*;

/// `main` calls `gen` (memoized under `{{inputs.parameters.x}}` in cache `memo-cache`) with
/// x = `hello`, then `print` with its output.
fn memo_steps(max_age: &str) -> String {
    format!(
        "metadata: {{name: m}}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: gen
        template: gen
        arguments: {{parameters: [{{name: x, value: hello}}]}}
    - - name: print
        template: print
        arguments: {{parameters: [{{name: v, value: '{{{{steps.gen.outputs.parameters.out}}}}'}}]}}
  - name: gen
    inputs: {{parameters: [{{name: x}}]}}
    memoize:
      key: 'gen-{{{{inputs.parameters.x}}}}'
      maxAge: '{max_age}'
      cache: {{configMap: {{name: memo-cache}}}}
    outputs: {{parameters: [{{name: out, valueFrom: {{path: /tmp/out}}}}]}}
    container: {{image: busybox}}
  - name: print
    inputs: {{parameters: [{{name: v}}]}}
    container: {{image: busybox}}
"
    )
}

fn outputs(value: &str) -> Outputs {
    serde_json::from_value(serde_json::json!({
        "parameters": [{"name": "out", "value": value}]
    }))
    .expect("outputs")
}

fn entry(value: &str, created_at: Option<Timestamp>) -> MemoEntry {
    MemoEntry {
        node_id: "earlier-123".to_owned(),
        outputs: Some(outputs(value)),
        last_hit: created_at,
        created_at,
    }
}

fn with_entry(sim: &mut Simulation, cache: &str, key: &str, entry: MemoEntry) {
    sim.observed
        .memo
        .entry(cache.to_owned())
        .or_default()
        .insert(key.to_owned(), entry);
}

fn producing(
    value: &'static str,
) -> impl FnMut(&argo_engine::simulation::PodRequest) -> PodOutcome {
    move |_| PodOutcome::success().with_parameter("out", value)
}

fn writes(sim: &Simulation) -> Vec<(String, String, String, Option<Outputs>)> {
    sim.effects
        .iter()
        .filter_map(|e| match e {
            Effect::WriteMemo {
                cache,
                key,
                node_id,
                outputs,
            } => Some((cache.clone(), key.clone(), node_id.clone(), outputs.clone())),
            _ => None,
        })
        .collect()
}

fn pods_for(sim: &Simulation, step: &str) -> usize {
    sim.created_pods
        .iter()
        .filter(|p| p.contains(&format!("-{step}-")))
        .count()
}

fn print_input(sim: &Simulation) -> Option<String> {
    input(sim, "print", "v")
}

/// [`memo_steps`] with `max_age`, `gen` producing `fresh`, and `entry` under `gen-hello` in
/// `memo-cache`, run to the end.
fn run_with_entry(max_age: &str, entry: MemoEntry) -> Simulation {
    let mut sim = sim_with(&memo_steps(max_age), producing("fresh"));
    with_entry(&mut sim, "memo-cache", "gen-hello", entry);
    sim.run(100);
    sim
}

#[test]
fn a_miss_runs_the_pod_and_writes_its_outputs_once() {
    let mut sim = sim_with(&memo_steps(""), producing("fresh"));
    sim.run(100);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&sim, "gen"), 1);
    let gen_node = node(&sim, "gen");
    assert_eq!(
        gen_node.memoization_status,
        Some(MemoizationStatus {
            hit: false,
            key: "gen-hello".to_owned(),
            cache_name: "memo-cache".to_owned(),
        })
    );
    let written = writes(&sim);
    assert_eq!(written.len(), 1, "{written:?}");
    let (cache, key, node_id, outputs) = &written[0];
    assert_eq!((cache.as_str(), key.as_str()), ("memo-cache", "gen-hello"));
    assert_eq!(node_id, &gen_node.id);
    assert_eq!(
        outputs
            .as_ref()
            .and_then(|o| o.parameter("out")?.value.clone())
            .map(|v| v.0),
        Some("fresh".to_owned())
    );
}

#[test]
fn a_hit_completes_the_node_from_the_cache_without_a_pod() {
    let sim = run_with_entry("", entry("cached", None));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&sim, "gen"), 0, "{:?}", sim.created_pods);
    let gen_node = node(&sim, "gen");
    assert_eq!(gen_node.phase, NodePhase::Succeeded);
    assert_eq!(gen_node.node_type, NodeType::Pod);
    assert!(gen_node.finished_at.is_some());
    assert_eq!(
        gen_node.memoization_status,
        Some(MemoizationStatus {
            hit: true,
            key: "gen-hello".to_owned(),
            cache_name: "memo-cache".to_owned(),
        })
    );
    assert_eq!(output(&sim, "gen", "out").as_deref(), Some("cached"));
    assert_eq!(print_input(&sim).as_deref(), Some("cached"));
    assert!(writes(&sim).is_empty(), "a hit is not written back");
}

#[test]
fn an_entry_within_max_age_hits() {
    let created = epoch() - SignedDuration::from_mins(30);
    let sim = run_with_entry("1h", entry("cached", Some(created)));
    assert_eq!(pods_for(&sim, "gen"), 0);
    assert_eq!(print_input(&sim).as_deref(), Some("cached"));
}

#[test]
fn an_expired_entry_is_a_miss_and_is_written_again() {
    let created = epoch() - SignedDuration::from_hours(2);
    let sim = run_with_entry("1h", entry("stale", Some(created)));
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&sim, "gen"), 1);
    assert!(
        !node(&sim, "gen")
            .memoization_status
            .as_ref()
            .is_some_and(|m| m.hit)
    );
    assert_eq!(print_input(&sim).as_deref(), Some("fresh"));
    assert_eq!(writes(&sim).len(), 1);
}

#[test]
fn an_entry_without_a_creation_time_is_expired_under_max_age() {
    let sim = run_with_entry("1h", entry("cached", None));
    assert_eq!(pods_for(&sim, "gen"), 1);
}

#[test]
fn without_max_age_an_old_entry_still_hits() {
    let created = epoch() - SignedDuration::from_hours(24 * 365);
    let sim = run_with_entry("", entry("ancient", Some(created)));
    assert_eq!(pods_for(&sim, "gen"), 0);
    assert_eq!(print_input(&sim).as_deref(), Some("ancient"));
}

#[test]
fn an_entry_with_no_node_id_is_a_miss() {
    let mut empty = entry("cached", None);
    empty.node_id.clear();
    let sim = run_with_entry("", empty);
    assert_eq!(pods_for(&sim, "gen"), 1);
}

#[test]
fn an_entry_in_another_cache_is_a_miss() {
    let mut sim = sim_with(&memo_steps(""), producing("fresh"));
    with_entry(&mut sim, "other-cache", "gen-hello", entry("cached", None));
    sim.run(100);
    assert_eq!(pods_for(&sim, "gen"), 1);
}

const LOOPED: &str = "metadata: {name: l}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: gen
        template: gen
        arguments: {parameters: [{name: x, value: '{{item}}'}]}
        withItems: [a, b]
  - name: gen
    inputs: {parameters: [{name: x}]}
    memoize: {key: 'k-{{inputs.parameters.x}}', cache: {configMap: {name: c}}}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
    container: {image: busybox}
";

#[test]
fn the_key_follows_the_nodes_inputs() {
    let mut sim = sim_with(LOOPED, producing("fresh"));
    with_entry(&mut sim, "c", "k-a", entry("cached-a", None));
    sim.run(100);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 1, "{:?}", sim.created_pods);
    assert_eq!(output(&sim, "gen(0:a)", "out").as_deref(), Some("cached-a"));
    assert_eq!(output(&sim, "gen(1:b)", "out").as_deref(), Some("fresh"));
    let keys: Vec<String> = writes(&sim).into_iter().map(|w| w.1).collect();
    assert_eq!(keys, vec!["k-b".to_owned()]);
}

#[test]
fn the_cache_is_shared_between_workflows() {
    let mut first = sim_with(&memo_steps(""), producing("first"));
    first.run(100);
    assert_eq!(pods_for(&first, "gen"), 1);

    let mut yaml = memo_steps("");
    yaml = yaml.replace("name: m}", "name: m2}");
    let mut second = sim_with(&yaml, producing("second"));
    second.observed.memo = first.observed.memo.clone();
    second.now = first.now + SignedDuration::from_secs(60);
    second.run(100);
    assert_phase(&second, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&second, "gen"), 0, "{:?}", second.created_pods);
    assert_eq!(print_input(&second).as_deref(), Some("first"));
}

#[test]
fn a_failed_node_is_not_cached() {
    let mut sim = sim_with(&memo_steps(""), |_| PodOutcome::exit(1));
    sim.run(100);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "gen"), NodePhase::Failed);
    assert!(writes(&sim).is_empty());
    assert!(sim.observed.memo.is_empty());
}

#[test]
fn resubmitting_memoized_does_not_run_the_cached_step_again() {
    let yaml = "metadata: {name: r}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gen, template: gen}
    - - {name: flaky, template: flaky}
  - name: gen
    memoize: {key: gen-once, cache: {configMap: {name: c}}}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
    container: {image: busybox}
  - name: flaky
    container: {image: busybox}
";
    let mut first = sim_with(yaml, |req| {
        if req.node_name.ends_with(".flaky") {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success().with_parameter("out", "v1")
        }
    });
    first.run(100);
    assert_phase(&first, WorkflowPhase::Failed);
    assert_eq!(writes(&first).len(), 1);

    let next = argo_engine::operations::resubmit(&first.workflow, "r-2", true, &[])
        .expect("a memoized resubmit");
    let mut second = Simulation::with_script(next, Box::new(|_| PodOutcome::success()));
    second.observed.memo = first.observed.memo.clone();
    second.now = first.now + SignedDuration::from_secs(60);
    second.run(100);
    assert_phase(&second, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&second, "gen"), 0, "{:?}", second.created_pods);
    assert_eq!(pods_for(&second, "flaky"), 1);
    assert_eq!(output(&second, "gen", "out").as_deref(), Some("v1"));
}

#[test]
fn a_resubmitted_workflow_hits_the_cache_for_a_memoized_step() {
    let mut first = sim_with(&memo_steps(""), producing("v1"));
    first.run(100);
    let next = argo_engine::operations::resubmit(&first.workflow, "m-again", false, &[])
        .expect("a resubmit");
    let mut second = Simulation::with_script(next, Box::new(producing("v2")));
    second.observed.memo = first.observed.memo.clone();
    second.run(100);
    assert_phase(&second, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&second, "gen"), 0);
    assert!(
        node(&second, "gen")
            .memoization_status
            .as_ref()
            .is_some_and(|m| m.hit)
    );
    assert_eq!(print_input(&second).as_deref(), Some("v1"));
}

#[test]
fn a_memoized_dag_task_hits_and_its_dependent_sees_the_cached_output() {
    let yaml = "metadata: {name: d}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: gen, template: gen}
      - name: print
        depends: gen
        template: print
        arguments: {parameters: [{name: v, value: '{{tasks.gen.outputs.parameters.out}}'}]}
  - name: gen
    memoize: {key: dag-gen, cache: {configMap: {name: c}}}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
    container: {image: busybox}
  - name: print
    inputs: {parameters: [{name: v}]}
    container: {image: busybox}
";
    let mut sim = sim_with(yaml, producing("fresh"));
    with_entry(&mut sim, "c", "dag-gen", entry("cached", None));
    sim.run(100);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(pods_for(&sim, "gen"), 0);
    assert_eq!(print_input(&sim).as_deref(), Some("cached"));
}

#[test]
fn a_memoized_steps_template_hits_as_a_whole() {
    let yaml = "metadata: {name: n}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: inner, template: inner}
    - - {name: after, template: leaf}
  - name: inner
    memoize: {key: inner-steps, cache: {configMap: {name: c}}}
    steps:
    - - {name: a, template: leaf}
  - name: leaf
    container: {image: busybox}
";
    let mut sim = sim_with(yaml, |_| PodOutcome::success());
    with_entry(&mut sim, "c", "inner-steps", entry("cached", None));
    sim.run(100);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let inner = node(&sim, "inner");
    assert_eq!(inner.node_type, NodeType::Steps);
    // Its outbound node is itself: the next group hangs below it, and it has no groups.
    assert_eq!(inner.outbound_nodes, Vec::<String>::new());
    assert!(
        !sim.workflow
            .status
            .nodes
            .values()
            .any(|n| n.name.starts_with("n[0].inner[")),
        "{:?}",
        summary(&sim)
    );
    assert!(!has(&sim, "a"));
    assert_eq!(sim.created_pods.len(), 1, "only `after` runs");
}

#[test]
fn a_memoized_steps_template_that_succeeds_is_written() {
    let yaml = "metadata: {name: w}
spec:
  entrypoint: main
  templates:
  - name: main
    memoize: {key: whole, cache: {configMap: {name: c}}}
    steps:
    - - {name: a, template: leaf}
  - name: leaf
    container: {image: busybox}
";
    let sim = run(yaml);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let written = writes(&sim);
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0].2, "w", "the steps node itself is written");
}

#[test]
fn reconciling_a_hit_again_asks_for_nothing_new() {
    let mut sim = sim_with(&memo_steps(""), producing("fresh"));
    with_entry(&mut sim, "c-unused", "x", entry("x", None));
    with_entry(&mut sim, "memo-cache", "gen-hello", entry("cached", None));
    sim.run(100);
    let again = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
    assert!(again.effects.is_empty(), "{:?}", again.effects);
    assert_eq!(again.status, sim.workflow.status);
}
