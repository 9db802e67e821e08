//! Targeted cases: a `memoize` Argo refuses (a key that is not a valid ConfigMap key or too
//! long, a `maxAge` that is not a Go duration, no cache) errors the node with upstream's
//! message and never creates a pod. The cache's hits and misses are in `cases_memo.rs`.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, WorkflowPhase};
use support::*;

fn single(memoize: &str) -> String {
    format!(
        "metadata: {{name: s}}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {{name: gen, template: gen}}
  - name: gen
    memoize: {memoize}
    container: {{image: busybox}}
"
    )
}

#[test]
fn an_invalid_key_errors_the_node_with_argos_message() {
    let sim = run(&single("{key: 'bad_key!', cache: {configMap: {name: c}}}"));
    assert_eq!(phase(&sim, "gen"), NodePhase::Error);
    assert_eq!(message(&sim, "gen"), "invalid cache key: bad_key!");
    assert!(sim.created_pods.is_empty());
    assert!(sim.workflow.status.phase.is_completed());
    assert_ne!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn a_bad_max_age_errors_the_node_with_argos_message() {
    let sim = run(&single(
        "{key: k, maxAge: soon, cache: {configMap: {name: c}}}",
    ));
    assert_eq!(phase(&sim, "gen"), NodePhase::Error);
    assert_eq!(
        message(&sim, "gen"),
        "invalid maxAge: time: invalid duration \"soon\""
    );
    assert!(sim.created_pods.is_empty());
}

#[test]
fn a_max_age_without_a_unit_is_refused_as_go_does() {
    let sim = run(&single(
        "{key: k, maxAge: '20', cache: {configMap: {name: c}}}",
    ));
    assert_eq!(
        message(&sim, "gen"),
        "invalid maxAge: time: missing unit in duration \"20\""
    );
}

#[test]
fn a_key_too_long_for_a_config_map_errors_the_node() {
    let key = "k".repeat(254);
    let sim = run(&single(&format!(
        "{{key: {key}, cache: {{configMap: {{name: c}}}}}}"
    )));
    assert_eq!(phase(&sim, "gen"), NodePhase::Error);
    assert!(
        message(&sim, "gen").ends_with("must be no more than 253 characters"),
        "{}",
        message(&sim, "gen")
    );
    assert!(sim.created_pods.is_empty());
}

#[test]
fn a_memoize_without_a_cache_errors_the_node() {
    let sim = run(&single("{key: k}"));
    assert_eq!(phase(&sim, "gen"), NodePhase::Error);
    assert_eq!(message(&sim, "gen"), "cache could not be found or created");
}
