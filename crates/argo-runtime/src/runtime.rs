//! The [`PodRuntime`] trait: what the controller needs from whatever runs its pods. It is
//! object-safe (`Arc<dyn PodRuntime>`); implementations are idempotent by namespace and name.
//! This module defines the contract only; the local implementation lives in `local`.

use std::time::Duration;

use async_trait::async_trait;
use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use nix::sys::signal::Signal;
use tokio::sync::broadcast;

use crate::error::Result;
use crate::logs::{LogLine, LogOptions};

/// A change of one pod, as delivered by [`PodRuntime::events`].
#[derive(Clone, Debug, PartialEq)]
pub struct PodEvent {
    pub namespace: String,
    pub name: String,
    /// The pod's new status; `None` when the pod was deleted.
    pub status: Option<PodStatus>,
}

/// Runs pods: the controller's only way to execute work.
#[async_trait]
pub trait PodRuntime: Send + Sync {
    /// Creates the pod and starts it. Creating a pod whose namespace and name already exist does
    /// nothing and returns the existing pod's status.
    async fn create(&self, pod: &Pod) -> Result<PodStatus>;

    /// The pod's current status, or `None` when no such pod exists.
    async fn inspect(&self, namespace: &str, name: &str) -> Result<Option<PodStatus>>;

    /// Every pod, or those of one namespace, with its status.
    async fn list(&self, namespace: Option<&str>) -> Result<Vec<PodEvent>>;

    /// The pods of `namespace` named `owner` or `owner-...` (a workflow's pods), with their
    /// status. Runtimes that can select by name prefix cheaply override this filter of `list`.
    async fn list_owned(&self, namespace: &str, owner: &str) -> Result<Vec<PodEvent>> {
        let prefix = format!("{owner}-");
        let mut pods = self.list(Some(namespace)).await?;
        pods.retain(|pod| pod.name == owner || pod.name.starts_with(&prefix));
        Ok(pods)
    }

    /// The pods of [`Self::list_owned`], delivered in batches as they are read, so a caller
    /// that keeps a smaller view of each pod never holds every status at once. The stream ends
    /// after the last pod; a listing that could not finish ends with an error, never early.
    async fn list_owned_batches(
        &self,
        namespace: &str,
        owner: &str,
    ) -> Result<BoxStream<'static, Result<Vec<PodEvent>>>> {
        let pods = self.list_owned(namespace, owner).await?;
        Ok(Box::pin(futures::stream::iter([Ok(pods)])))
    }

    /// Sends `signal` to the process group of one running container, or of all of them.
    async fn signal(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
        signal: Signal,
    ) -> Result<()>;

    /// Stops the pod (SIGTERM, then SIGKILL after `grace`) and removes it. Deleting a pod that
    /// does not exist succeeds.
    async fn delete(&self, namespace: &str, name: &str, grace: Duration) -> Result<()>;

    /// The log of one container.
    async fn logs(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        options: &LogOptions,
    ) -> Result<BoxStream<'static, Result<LogLine>>>;

    /// Pod status changes from now on, so callers react without polling. A lagging receiver
    /// misses events (see `broadcast`); it should then `list` again.
    fn events(&self) -> broadcast::Receiver<PodEvent>;
}
