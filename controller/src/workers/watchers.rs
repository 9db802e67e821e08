//! The controller's inputs: the watches of workflows, task results and pods, the resync timer
//! and the archive's TTL collection. Each queues the workflows that may need a pass; a change a
//! pass already saw (the controller's own write, a task result it read) queues none, and a pod
//! change that ends nothing, or a task result, waits
//! [`pod_settle`](crate::LoopSettings::pod_settle) for company.
//! Must not: reconcile or write anything itself (the workers do).

use std::sync::Arc;
use std::time::Duration;

use argo_store::{ListParams, WatchParams};
use futures::StreamExt;

use super::{Controller, WATCH_RETRY};
use crate::error::Result;
use crate::observe::LABEL_WORKFLOW;
use crate::owners::pod_owners;
use crate::queue::WorkflowKey;

impl Controller {
    pub(super) fn list_params(&self) -> ListParams {
        match &self.settings.namespace {
            Some(namespace) => ListParams::default().namespace(namespace),
            None => ListParams::default(),
        }
    }

    pub(super) fn watch_params(&self, from: &str) -> WatchParams {
        let params = WatchParams::default().from_version(from);
        match &self.settings.namespace {
            Some(namespace) => params.namespace(namespace),
            None => params,
        }
    }

    pub(super) async fn watch_workflows(self: Arc<Self>) {
        loop {
            if let Err(error) = self.watch_workflows_once().await {
                tracing::warn!(%error, "workflow watch ended; listing again");
            }
            tokio::time::sleep(WATCH_RETRY).await;
        }
    }

    async fn watch_workflows_once(&self) -> Result<()> {
        let workflows = self.cluster.workflows();
        let list = workflows.list(&self.list_params()).await?;
        self.locks.restore(&list.items);
        for workflow in &list.items {
            self.queue.add(WorkflowKey::of(workflow));
        }
        // Metadata only: the key and revision of each changed workflow are needed, not the
        // whole workflow.
        let mut events = self
            .cluster
            .store
            .watch_metadata(workflows.kind(), &self.watch_params(&list.resource_version))
            .await?;
        while let Some(event) = events.next().await {
            let event = event?;
            let key = key_of_object(event.object());
            if event.event_type() == argo_store::EventType::Deleted {
                self.active().remove(&key);
                self.own_writes.forget(&key);
                continue;
            }
            if self
                .own_writes
                .on_event(&key, event.object().resource_version())
            {
                self.queue.add(key);
            }
        }
        Ok(())
    }

    pub(super) async fn watch_task_results(self: Arc<Self>) {
        loop {
            if let Err(error) = self.watch_task_results_once().await {
                tracing::warn!(%error, "task result watch ended; listing again");
            }
            tokio::time::sleep(WATCH_RETRY).await;
        }
    }

    async fn watch_task_results_once(&self) -> Result<()> {
        let results = self.cluster.task_results();
        let list = results.list(&self.list_params()).await?;
        // Metadata only: the workflow label of each changed result is all that is needed.
        let mut events = self
            .cluster
            .store
            .watch_metadata(results.kind(), &self.watch_params(&list.resource_version))
            .await?;
        while let Some(event) = events.next().await {
            let event = event?;
            let metadata = &event.object().metadata;
            let workflow = metadata.labels.as_ref().and_then(|l| l.get(LABEL_WORKFLOW));
            if let (Some(workflow), Some(namespace)) = (workflow, &metadata.namespace) {
                let key = WorkflowKey::new(namespace, workflow);
                // A result the workflow's latest pass already read is no news to it.
                if self
                    .seen_results
                    .is_news(&key, metadata.resource_version.as_deref())
                {
                    self.queue_settling(key);
                }
            }
        }
        Ok(())
    }

    /// Queues `key` within [`pod_settle`](crate::LoopSettings::pod_settle) (at once when that is
    /// zero), for a change that ends nothing by itself: a pod pending or running, or a task
    /// result (it comes from a pod's `wait` while that pod still runs, the first when it
    /// starts, the last just before it exits; the pod's end, looked at at once, follows).
    fn queue_settling(&self, key: WorkflowKey) {
        match self.settings.pod_settle {
            settle if settle.is_zero() => self.queue.add(key),
            settle => self.queue.add_within(key, settle),
        }
    }

    /// Pod events carry no labels, so the owner is found by the pod-name prefix among the
    /// workflows being run (pod names are `<workflow>-...`).
    pub(super) async fn watch_pods(self: Arc<Self>) {
        let mut events = self.cluster.runtime.events();
        loop {
            match events.recv().await {
                Ok(event) => {
                    let owners = pod_owners(&self.active(), &event.namespace, &event.name);
                    let ends_nothing = ends_nothing(&event);
                    for owner in owners {
                        if ends_nothing {
                            self.queue_settling(owner);
                        } else {
                            self.queue.add(owner);
                        }
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let all: Vec<WorkflowKey> = self.active().iter().cloned().collect();
                    for key in all {
                        self.queue.add(key);
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    pub(super) async fn resync(self: Arc<Self>) {
        let mut ticker = tokio::time::interval(self.settings.resync);
        loop {
            ticker.tick().await;
            let all: Vec<WorkflowKey> = self.active().iter().cloned().collect();
            for key in all {
                self.queue.add(key);
            }
        }
    }

    /// Deletes archived workflows past `persistence.archiveTTL`, every
    /// `ARCHIVED_WORKFLOW_GC_PERIOD` (a Go duration, 24h by default, as Argo's).
    pub(super) async fn collect_archive(self: Arc<Self>) {
        let Some(archive) = self.archive.clone() else {
            return;
        };
        let period = std::env::var("ARCHIVED_WORKFLOW_GC_PERIOD")
            .ok()
            .and_then(|text| argo_core::parse_go_duration(&text).ok())
            .and_then(|duration| Duration::try_from(duration).ok())
            .filter(|duration| !duration.is_zero())
            .unwrap_or(Duration::from_secs(24 * 3600));
        let mut ticker = tokio::time::interval(period);
        loop {
            ticker.tick().await;
            if let Err(error) = self
                .archive_policy
                .collect(archive.as_ref(), self.clock.now())
                .await
            {
                tracing::warn!(%error, "archive TTL collection failed");
            }
        }
    }
}

/// The key of a stored workflow, as [`WorkflowKey::of`] gives for it once typed.
fn key_of_object(object: &argo_store::Object) -> WorkflowKey {
    WorkflowKey::new(object.namespace().unwrap_or_default(), object.name())
}

/// Whether a pod change ends nothing: the pod is pending or running (one that finished or
/// vanished is looked at at once).
fn ends_nothing(event: &argo_runtime::PodEvent) -> bool {
    event
        .status
        .as_ref()
        .is_some_and(|status| matches!(status.phase.as_deref(), None | Some("Pending" | "Running")))
}
