//! Gathering what the engine needs for one reconcile of one workflow ([`Observed`]): the
//! workflow's pods from the runtime (by name: pod names are deterministic, so a restarted
//! controller finds the pods it created before), task results by node id, the namespace's
//! (cluster) workflow templates and ConfigMaps, and memoization caches. Templates and
//! ConfigMaps are read only for a workflow whose spec can refer to them (see [`Reads`]).
//! Must not: change anything in the store or the runtime.

use std::collections::BTreeMap;

use argo_core::Workflow;
use argo_engine::{MemoEntry, Observed, PodObservation, TemplateResolver};
use argo_store::ListParams;
use futures::StreamExt as _;

use crate::cluster::Cluster;
use crate::error::{Error, Result};
use crate::memo;
use crate::pod_status::observe_pod;

/// Label executors put on task results and the engine on pods.
pub const LABEL_WORKFLOW: &str = "workflows.argoproj.io/workflow";

/// Everything observed for `workflow`, and the store revision its task results were read at.
pub async fn observe(cluster: &Cluster, workflow: &Workflow) -> Result<(Observed, String)> {
    let namespace = workflow.namespace();
    let name = workflow.name();
    let mut observed = Observed::default();
    let selector = format!("{LABEL_WORKFLOW}={name}");
    // The five reads are independent: asked together, a pass waits for the slowest rather
    // than for their sum (each is a round trip to the store's or the runtime's threads).
    let result_params = ListParams::default().namespace(namespace).labels(&selector);
    let config_map_params = ListParams::default().namespace(namespace);
    let reads = Reads::of(workflow);
    let (pods, results, templates, config_maps) = futures::try_join!(
        observe_pods(cluster, namespace, name),
        async { Ok::<_, Error>(cluster.task_results().list(&result_params).await?) },
        async {
            if reads.templates {
                templates(cluster, namespace).await
            } else {
                Ok(TemplateResolver::default())
            }
        },
        async {
            if reads.config_maps {
                Ok::<_, Error>(cluster.config_maps().list(&config_map_params).await?.items)
            } else {
                Ok(Vec::new())
            }
        },
    )?;

    observed.pods = pods;
    // Listed from the runtime itself after the previous pass's effects were carried out, so a
    // pod missing here was never created (see `crate::locks::hold_first`).
    observed.pods_listed = true;

    let results_revision = results.resource_version;
    for result in results.items {
        let node_id = result.metadata.name.clone().unwrap_or_default();
        observed.task_results.insert(node_id, result.result);
    }

    observed.templates = templates;

    for config_map in config_maps {
        let cm_name = config_map.metadata.name.clone().unwrap_or_default();
        let data: BTreeMap<String, String> = config_map.data.clone().unwrap_or_default();
        if memo::is_cache(&config_map) {
            let entries: BTreeMap<String, MemoEntry> = data
                .iter()
                .filter_map(|(key, value)| Some((key.clone(), memo::decode(value)?)))
                .collect();
            observed.memo.insert(cm_name.clone(), entries);
        }
        observed.config_maps.insert(cm_name, data);
    }
    Ok((observed, results_revision))
}

/// The engine's view of each of the workflow's pods. The runtime's statuses arrive in batches
/// and only the (much smaller) observations are kept: a wide workflow's statuses all at once
/// would be most of a pass's memory.
async fn observe_pods(
    cluster: &Cluster,
    namespace: &str,
    owner: &str,
) -> Result<BTreeMap<String, PodObservation>> {
    let mut batches = cluster.runtime.list_owned_batches(namespace, owner).await?;
    let mut pods = BTreeMap::new();
    while let Some(batch) = batches.next().await {
        for pod in batch? {
            if let Some(status) = &pod.status {
                pods.insert(pod.name, observe_pod(status));
            }
        }
    }
    Ok(pods)
}

/// Which of its namespace's objects a workflow can refer to. Decided from the text of its spec
/// (and of the template spec stored at its start): a workflow that names no template reference
/// resolves no template, and one that names no ConfigMap key, memoization cache or template
/// reference (a referenced template may name the others) reads no ConfigMap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reads {
    templates: bool,
    config_maps: bool,
}

impl Reads {
    fn of(workflow: &Workflow) -> Self {
        let spec = serde_json::to_string(&workflow.spec);
        let stored = serde_json::to_string(&workflow.status.stored_workflow_template_spec);
        let (Ok(spec), Ok(stored)) = (spec, stored) else {
            return Reads {
                templates: true,
                config_maps: true,
            };
        };
        let names = |key: &str| {
            let quoted = format!("\"{key}\":");
            spec.contains(&quoted) || stored.contains(&quoted)
        };
        let templates = names("templateRef") || names("workflowTemplateRef");
        Reads {
            templates,
            config_maps: templates || names("configMapKeyRef") || names("memoize"),
        }
    }
}

async fn templates(cluster: &Cluster, namespace: &str) -> Result<TemplateResolver> {
    let (namespaced_store, cluster_store) = (
        cluster.workflow_templates(),
        cluster.cluster_workflow_templates(),
    );
    let (namespaced_params, cluster_params) = (
        ListParams::default().namespace(namespace),
        ListParams::default(),
    );
    let (namespaced, cluster_scoped) = futures::try_join!(
        namespaced_store.list(&namespaced_params),
        cluster_store.list(&cluster_params),
    )?;
    let mut resolver = TemplateResolver::default();
    for template in namespaced.items {
        resolver = resolver.with_workflow_template(template);
    }
    for template in cluster_scoped.items {
        resolver = resolver.with_cluster_workflow_template(template);
    }
    Ok(resolver)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(yaml: &str) -> Reads {
        let workflow: Workflow = serde_norway::from_str(yaml).expect("workflow");
        Reads::of(&workflow)
    }

    const PLAIN: &str = "
metadata: {name: plain}
spec:
  entrypoint: main
  templates:
    - name: main
      container: {image: busybox, command: [/bin/true]}
";

    fn expected(templates: bool, config_maps: bool) -> Reads {
        Reads {
            templates,
            config_maps,
        }
    }

    #[test]
    fn a_workflow_that_refers_to_nothing_reads_nothing() {
        assert_eq!(reads(PLAIN), expected(false, false));
    }

    #[test]
    fn a_template_reference_reads_templates_and_config_maps() {
        let by_step = "metadata: {name: refs}
spec: {entrypoint: main, templates: [{name: main, steps: [[{name: a, templateRef: {name: lib, template: echo}}]]}]}";
        let whole = "{metadata: {name: whole}, spec: {workflowTemplateRef: {name: lib}}}";
        assert_eq!(reads(by_step), expected(true, true));
        assert_eq!(reads(whole), expected(true, true));
    }

    #[test]
    fn config_map_keys_and_memoization_read_config_maps_only() {
        let parameter = "metadata: {name: cm}
spec:
  arguments: {parameters: [{name: p, valueFrom: {configMapKeyRef: {name: settings, key: p}}}]}";
        let memoized = "metadata: {name: memo}
spec: {templates: [{name: main, memoize: {key: k, cache: {configMap: {name: cache}}}}]}";
        assert_eq!(reads(parameter), expected(false, true));
        assert_eq!(reads(memoized), expected(false, true));
    }

    #[test]
    fn a_stored_template_spec_counts_as_the_workflow_s_own() {
        let mut workflow: Workflow = serde_norway::from_str(PLAIN).expect("workflow");
        let stored: argo_core::WorkflowSpec = serde_norway::from_str(
            "templates: [{name: main, memoize: {key: k, cache: {configMap: {name: c}}}}]",
        )
        .expect("spec");
        workflow.status.stored_workflow_template_spec = Some(Box::new(stored));
        assert!(Reads::of(&workflow).config_maps);
    }
}
