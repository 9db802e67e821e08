//! Gathering what the engine needs for one reconcile of one workflow ([`Observed`]): the
//! workflow's pods from the runtime (by name: pod names are deterministic, so a restarted
//! controller finds the pods it created before), task results by node id, the namespace's
//! (cluster) workflow templates and ConfigMaps, and memoization caches.
//! Must not: change anything in the store or the runtime.

use std::collections::BTreeMap;

use argo_core::Workflow;
use argo_engine::{MemoEntry, Observed, TemplateResolver};
use argo_store::ListParams;

use crate::cluster::Cluster;
use crate::error::Result;
use crate::memo;
use crate::pod_status::observe_pod;

/// Label executors put on task results and the engine on pods.
pub const LABEL_WORKFLOW: &str = "workflows.argoproj.io/workflow";

/// Everything observed for `workflow`, and the store revision its task results were read at.
pub async fn observe(cluster: &Cluster, workflow: &Workflow) -> Result<(Observed, String)> {
    let namespace = workflow.namespace();
    let name = workflow.name();
    let mut observed = Observed::default();

    for pod in cluster.runtime.list_owned(namespace, name).await? {
        if let Some(status) = &pod.status {
            observed.pods.insert(pod.name.clone(), observe_pod(status));
        }
    }
    // Listed from the runtime itself after the previous pass's effects were carried out, so a
    // pod missing here was never created (see `crate::locks::hold_first`).
    observed.pods_listed = true;

    let selector = format!("{LABEL_WORKFLOW}={name}");
    let results = cluster
        .task_results()
        .list(&ListParams::default().namespace(namespace).labels(&selector))
        .await?;
    let results_revision = results.resource_version;
    for result in results.items {
        let node_id = result.metadata.name.clone().unwrap_or_default();
        observed.task_results.insert(node_id, result.result);
    }

    observed.templates = templates(cluster, namespace).await?;

    let config_maps = cluster
        .config_maps()
        .list(&ListParams::default().namespace(namespace))
        .await?;
    for config_map in config_maps.items {
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

async fn templates(cluster: &Cluster, namespace: &str) -> Result<TemplateResolver> {
    let mut resolver = TemplateResolver::default();
    let namespaced = cluster
        .workflow_templates()
        .list(&ListParams::default().namespace(namespace))
        .await?;
    for template in namespaced.items {
        resolver = resolver.with_workflow_template(template);
    }
    let cluster_scoped = cluster
        .cluster_workflow_templates()
        .list(&ListParams::default())
        .await?;
    for template in cluster_scoped.items {
        resolver = resolver.with_cluster_workflow_template(template);
    }
    Ok(resolver)
}
