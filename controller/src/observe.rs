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
    let (pods, results, templates, config_maps) = futures::try_join!(
        async { Ok::<_, Error>(cluster.runtime.list_owned(namespace, name).await?) },
        async { Ok::<_, Error>(cluster.task_results().list(&result_params).await?) },
        templates(cluster, namespace),
        async { Ok::<_, Error>(cluster.config_maps().list(&config_map_params).await?) },
    )?;

    for pod in pods {
        if let Some(status) = &pod.status {
            observed.pods.insert(pod.name.clone(), observe_pod(status));
        }
    }
    // Listed from the runtime itself after the previous pass's effects were carried out, so a
    // pod missing here was never created (see `crate::locks::hold_first`).
    observed.pods_listed = true;

    let results_revision = results.resource_version;
    for result in results.items {
        let node_id = result.metadata.name.clone().unwrap_or_default();
        observed.task_results.insert(node_id, result.result);
    }

    observed.templates = templates;

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
