//! Properties of reconcile over generated DAG and steps workflows with random pod outcomes:
//! reconcile is idempotent, no pod is created twice, and a completed workflow has every node
//! in a final phase.

use std::collections::{BTreeSet, HashSet};

use argo_core::k8s_openapi::api::core::v1::Container;
use argo_core::{DagTask, DagTemplate, Item, ParallelSteps, Template, Workflow, WorkflowStep};
use argo_engine::simulation::{PodOutcome, Simulation};
use argo_engine::{Effect, reconcile};
use proptest::prelude::*;

fn leaf() -> Template {
    Template {
        container: Some(Container {
            image: Some("busybox".into()),
            ..Container::default()
        }),
        ..Template::named("run")
    }
}

fn dag_workflow(deps: &[Vec<usize>], continue_on: &[bool]) -> Workflow {
    let tasks = deps
        .iter()
        .enumerate()
        .map(|(i, deps)| DagTask {
            dependencies: deps.iter().map(|d| format!("t{d}")).collect(),
            continue_on: continue_on.get(i).copied().unwrap_or(false).then_some(
                argo_core::ContinueOn {
                    failed: true,
                    error: false,
                },
            ),
            ..DagTask::calling(format!("t{i}"), "run")
        })
        .collect();
    let main = Template {
        dag: Some(DagTemplate {
            tasks,
            ..DagTemplate::default()
        }),
        ..Template::named("main")
    };
    Workflow::test()
        .name("prop")
        .entrypoint("main")
        .template(main)
        .template(leaf())
        .build()
}

fn steps_workflow(groups: &[(usize, usize)]) -> Workflow {
    let steps = groups
        .iter()
        .enumerate()
        .map(|(g, (plain, items))| {
            let mut group: Vec<WorkflowStep> = (0..*plain)
                .map(|s| WorkflowStep::calling(format!("s{g}-{s}"), "run"))
                .collect();
            if *items > 0 {
                group.push(WorkflowStep {
                    with_items: (0..*items)
                        .map(|i| Item::from(format!("i{i}").as_str()))
                        .collect(),
                    ..WorkflowStep::calling(format!("loop{g}"), "run")
                });
            }
            ParallelSteps::from(group)
        })
        .collect();
    let main = Template {
        steps: Some(steps),
        ..Template::named("main")
    };
    Workflow::test()
        .name("prop")
        .entrypoint("main")
        .template(main)
        .template(leaf())
        .build()
}

fn dag_shape() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<bool>, BTreeSet<usize>)> {
    (1usize..8).prop_flat_map(|n| {
        let deps = (0..n)
            .map(|i| proptest::sample::subsequence((0..i).collect::<Vec<_>>(), 0..=i.min(3)))
            .collect::<Vec<_>>();
        (
            deps,
            proptest::collection::vec(any::<bool>(), n),
            proptest::collection::btree_set(0..n, 0..3),
        )
    })
}

/// Runs to completion, checking idempotency after every round.
fn check(workflow: Workflow, failing: BTreeSet<String>) -> Result<(), TestCaseError> {
    let script_failing = failing.clone();
    let mut sim = Simulation::with_script(
        workflow,
        Box::new(move |req| {
            if script_failing
                .iter()
                .any(|f| req.node_name.contains(f.as_str()))
            {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        }),
    );
    for _ in 0..200 {
        let first = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
        let applied = first.apply_to(&sim.workflow);
        let again = reconcile(&applied, &sim.observed, sim.now, &sim.config);
        let pod_effects: Vec<&Effect> = again
            .effects
            .iter()
            .filter(|e| matches!(e, Effect::CreatePod { .. } | Effect::DeletePod { .. }))
            .collect();
        prop_assert!(
            pod_effects.is_empty(),
            "second reconcile asked for {:?}",
            pod_effects
        );
        prop_assert_eq!(&again.status, &first.status);
        sim.step();
        if sim.is_completed() {
            break;
        }
        sim.advance_by(jiff::SignedDuration::from_secs(1));
    }
    prop_assert!(
        sim.is_completed(),
        "workflow did not complete: {:?}",
        sim.workflow.status.phase
    );
    let unique: HashSet<&String> = sim.created_pods.iter().collect();
    prop_assert_eq!(
        unique.len(),
        sim.created_pods.len(),
        "a pod was created twice"
    );
    for node in sim.workflow.status.nodes.values() {
        prop_assert!(
            node.is_fulfilled(),
            "node {} ended {:?}",
            node.name,
            node.phase
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn dag_reconcile_is_idempotent_and_never_duplicates_pods((deps, continue_on, failing) in dag_shape()) {
        let failing = failing.into_iter().map(|i| format!(".t{i}")).collect();
        check(dag_workflow(&deps, &continue_on), failing)?;
    }

    #[test]
    fn steps_reconcile_is_idempotent_and_never_duplicates_pods(
        groups in proptest::collection::vec((0usize..3, 0usize..4), 1..4),
        failing in proptest::collection::btree_set(0usize..3, 0..2),
    ) {
        let groups: Vec<(usize, usize)> = groups.into_iter().map(|(p, i)| if p + i == 0 { (1, 0) } else { (p, i) }).collect();
        let failing = failing.into_iter().map(|g| format!("s{g}-0")).collect();
        check(steps_workflow(&groups), failing)?;
    }
}
