//! Archiving completed workflows. When the engine asks for it ([`Effect::Archive`], emitted on
//! completion when `persistence.archive` is set) and the workflow has not opted out with
//! `workflows.argoproj.io/archive-strategy: "false"`, a copy labelled `Persisted` goes to the
//! [`ArchiveStore`] and the live workflow is labelled `Archived`, before its status is written.
//! A failure fails the pass, so the next reconcile (which completes the workflow again) retries;
//! archiving is idempotent (the copy is replaced by uid).
//! `persistence.archiveLabelSelector` narrows what is archived ([`archive_under_policy`]).
//! Must not: decide when a workflow is complete (the engine does) or delete live workflows.

use argo_core::Workflow;
use argo_engine::Effect;
use argo_store::ArchiveStore;
use argo_store::archive::{LABEL_ARCHIVE_STRATEGY, LABEL_ARCHIVING_STATUS};

use crate::archive_gc::ArchivePolicy;
use crate::error::{Error, Result};

/// Whether `workflow` may be archived: every workflow unless its archive strategy is `false`.
pub fn is_archivable(workflow: &Workflow) -> bool {
    workflow
        .metadata
        .labels
        .as_ref()
        .and_then(|labels| labels.get(LABEL_ARCHIVE_STRATEGY))
        .is_none_or(|strategy| strategy != "false")
}

/// Archives `completed` when `effects` ask for it and it is archivable; marks it `Archived`.
/// Returns whether a copy was archived.
pub async fn archive_if_requested(
    archive: &dyn ArchiveStore,
    effects: &[Effect],
    completed: &mut Workflow,
) -> Result<bool> {
    let requested = effects
        .iter()
        .any(|effect| matches!(effect, Effect::Archive));
    archive_under_policy(archive, &ArchivePolicy::default(), requested, completed).await
}

/// [`archive_if_requested`] for workflows `policy` selects (`persistence.archiveLabelSelector`);
/// `requested`: whether the pass's effects held [`Effect::Archive`].
pub async fn archive_under_policy(
    archive: &dyn ArchiveStore,
    policy: &ArchivePolicy,
    requested: bool,
    completed: &mut Workflow,
) -> Result<bool> {
    if !requested
        || !is_archivable(completed)
        || !policy.selects(completed.metadata.labels.as_ref())
    {
        return Ok(false);
    }
    let mut copy = serde_json::to_value(&*completed).map_err(|source| Error::Json {
        what: "the workflow to archive",
        source,
    })?;
    copy["metadata"]["labels"][LABEL_ARCHIVING_STATUS] = "Persisted".into();
    archive.archive(&copy).await?;
    completed
        .metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(LABEL_ARCHIVING_STATUS.to_owned(), "Archived".to_owned());
    tracing::info!(workflow = completed.name(), "workflow archived");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use argo_store::{ArchiveQuery, MemoryArchive};

    use super::*;

    fn completed(strategy: Option<&str>) -> Workflow {
        let mut json = serde_json::json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "done", "namespace": "argo", "uid": "u-1",
                         "labels": {"workflows.argoproj.io/completed": "true"}},
            "spec": {"entrypoint": "main", "templates": [{"name": "main", "suspend": {}}]},
            "status": {"phase": "Succeeded", "startedAt": "2026-01-01T00:00:00Z",
                       "finishedAt": "2026-01-01T00:00:05Z"}
        });
        if let Some(strategy) = strategy {
            json["metadata"]["labels"][LABEL_ARCHIVE_STRATEGY] = strategy.into();
        }
        serde_json::from_value(json).expect("valid workflow")
    }

    #[tokio::test]
    async fn a_completed_workflow_is_archived_persisted_and_marked_archived() {
        let archive = MemoryArchive::default();
        let mut workflow = completed(None);
        let archived = archive_if_requested(&archive, &[Effect::Archive], &mut workflow)
            .await
            .expect("archived");
        assert!(archived);
        let copy = archive
            .get("u-1")
            .await
            .expect("read")
            .expect("archived copy");
        assert_eq!(
            copy["metadata"]["labels"][LABEL_ARCHIVING_STATUS],
            "Persisted"
        );
        assert_eq!(copy["status"]["phase"], "Succeeded");
        let label = workflow
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(LABEL_ARCHIVING_STATUS));
        assert_eq!(label.map(String::as_str), Some("Archived"));
    }

    #[tokio::test]
    async fn archive_strategy_false_or_no_archive_effect_archives_nothing() {
        let archive = MemoryArchive::default();
        let mut opted_out = completed(Some("false"));
        assert!(
            !archive_if_requested(&archive, &[Effect::Archive], &mut opted_out)
                .await
                .expect("skipped")
        );
        let mut not_asked = completed(None);
        assert!(
            !archive_if_requested(&archive, &[], &mut not_asked)
                .await
                .expect("skipped")
        );
        assert_eq!(
            archive
                .count(&ArchiveQuery::default())
                .await
                .expect("count"),
            0
        );
        assert!(
            opted_out
                .metadata
                .labels
                .as_ref()
                .is_some_and(|l| !l.contains_key(LABEL_ARCHIVING_STATUS))
        );
    }

    #[tokio::test]
    async fn a_workflow_outside_the_archive_label_selector_is_not_archived() {
        let archive = MemoryArchive::default();
        let selector = serde_json::from_value(serde_json::json!({"matchLabels": {"keep": "yes"}}))
            .expect("selector");
        let policy = ArchivePolicy::new("", Some(&selector)).expect("policy");
        let mut outside = completed(None);
        assert!(
            !archive_under_policy(&archive, &policy, true, &mut outside)
                .await
                .expect("skipped")
        );
        let mut inside = completed(None);
        inside
            .metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("keep".to_owned(), "yes".to_owned());
        assert!(
            archive_under_policy(&archive, &policy, true, &mut inside)
                .await
                .expect("archived")
        );
    }

    /// A workflow whose only step is skipped: it completes without pods.
    fn skipping(strategy: Option<&str>) -> Workflow {
        let mut json = serde_json::json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "skips", "namespace": "argo", "labels": {}},
            "spec": {"entrypoint": "main", "templates": [
                {"name": "main", "steps": [[{"name": "never", "template": "leaf", "when": "false"}]]},
                {"name": "leaf", "container": {"image": "alpine:3"}}
            ]}
        });
        if let Some(strategy) = strategy {
            json["metadata"]["labels"][LABEL_ARCHIVE_STRATEGY] = strategy.into();
        }
        serde_json::from_value(json).expect("valid workflow")
    }

    async fn run_with_archiving(workflow: &Workflow) -> (Workflow, std::sync::Arc<MemoryArchive>) {
        run_with_persistence(workflow, "persistence:\n  archive: true\n").await
    }

    async fn run_with_persistence(
        workflow: &Workflow,
        configmap: &str,
    ) -> (Workflow, std::sync::Arc<MemoryArchive>) {
        use std::sync::Arc;

        use crate::{Cluster, Controller, ControllerConfig, LoopSettings, WorkflowKey};

        let store = Arc::new(argo_store::MemoryStore::default());
        let cluster = Cluster::new(store, Arc::new(argo_runtime::FakeRuntime::new()));
        let archive = Arc::new(MemoryArchive::default());
        let config = ControllerConfig::from_yaml(configmap).expect("valid configmap");
        let controller = Controller::new(cluster.clone(), config, LoopSettings::default())
            .with_archive(archive.clone());
        let created = cluster.workflows().create(workflow).await.expect("created");
        let key = WorkflowKey::new(created.namespace(), created.name());
        for _ in 0..10 {
            controller.process(&key).await.expect("pass");
            let stored = cluster
                .workflows()
                .get(Some("argo"), "skips")
                .await
                .expect("stored");
            if stored.status.phase.is_completed() {
                return (stored, archive);
            }
        }
        panic!("the workflow did not complete");
    }

    #[tokio::test]
    async fn the_controller_archives_a_workflow_when_it_completes() {
        let (live, archive) = run_with_archiving(&skipping(None)).await;
        let uid = live.metadata.uid.clone().expect("stored uid");
        let copy = archive.get(&uid).await.expect("read").expect("archived");
        assert_eq!(copy["status"]["phase"], "Succeeded");
        let label = live
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(LABEL_ARCHIVING_STATUS));
        assert_eq!(label.map(String::as_str), Some("Archived"));
    }

    #[tokio::test]
    async fn the_controller_archives_only_what_the_configmap_selector_matches() {
        let selector = "persistence:\n  archive: true\n  archiveLabelSelector:\n    matchLabels:\n      keep: \"yes\"\n";
        let (live, archive) = run_with_persistence(&skipping(None), selector).await;
        assert!(live.status.phase.is_completed());
        assert_eq!(
            archive
                .count(&ArchiveQuery::default())
                .await
                .expect("count"),
            0
        );
    }

    #[tokio::test]
    async fn the_controller_leaves_opted_out_workflows_unarchived() {
        let (live, archive) = run_with_archiving(&skipping(Some("false"))).await;
        assert!(live.status.phase.is_completed());
        assert_eq!(
            archive
                .count(&ArchiveQuery::default())
                .await
                .expect("count"),
            0
        );
    }
}
