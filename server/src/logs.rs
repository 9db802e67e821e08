//! The workflow service's [`LogSource`] over the local pod runtime: PodLogs and WorkflowLogs read
//! what the runtime captured from each container.
//!
//! Must not: select pods or filter lines (the workflow service does); it only translates the
//! query and the runtime's errors.

use std::sync::Arc;

use argo_runtime::{LogOptions, PodRuntime};
use async_trait::async_trait;
use futures::StreamExt as _;
use futures::stream::BoxStream;
use svc_workflow::{LogLine, LogQuery, LogSource};

/// Pod logs from a [`PodRuntime`].
#[derive(Clone)]
pub struct RuntimeLogs {
    runtime: Arc<dyn PodRuntime>,
}

impl std::fmt::Debug for RuntimeLogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeLogs").finish_non_exhaustive()
    }
}

impl RuntimeLogs {
    pub fn new(runtime: Arc<dyn PodRuntime>) -> Self {
        Self { runtime }
    }
}

fn service_error(error: argo_runtime::Error) -> svc_workflow::Error {
    match error {
        argo_runtime::Error::PodNotFound { name, .. } => {
            svc_workflow::Error::not_found(format!("pods \"{name}\" not found"))
        }
        argo_runtime::Error::ContainerNotFound {
            name, container, ..
        } => svc_workflow::Error::invalid_argument(format!(
            "container {container} is not valid for pod {name}"
        )),
        other => svc_workflow::Error::internal(other.to_string()),
    }
}

#[async_trait]
impl LogSource for RuntimeLogs {
    async fn logs(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        query: &LogQuery,
    ) -> svc_workflow::Result<BoxStream<'static, svc_workflow::Result<LogLine>>> {
        let options = LogOptions {
            follow: query.follow,
            tail_lines: query.tail_lines,
            since: query.since,
        };
        let lines = self
            .runtime
            .logs(namespace, pod, container, &options)
            .await
            .map_err(service_error)?;
        Ok(lines
            .map(|line| {
                line.map(|line| LogLine {
                    timestamp: line.timestamp,
                    text: line.text,
                })
                .map_err(service_error)
            })
            .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_pod_is_not_found_with_kubernetes_wording() {
        let error = service_error(argo_runtime::Error::PodNotFound {
            namespace: "argo".to_owned(),
            name: "hello".to_owned(),
        });
        assert_eq!(error.code(), tonic::Code::NotFound);
        assert_eq!(error.to_string(), "pods \"hello\" not found");
    }

    #[test]
    fn a_missing_container_is_an_invalid_argument() {
        let error = service_error(argo_runtime::Error::ContainerNotFound {
            namespace: "argo".to_owned(),
            name: "hello".to_owned(),
            container: "sidecar".to_owned(),
        });
        assert_eq!(error.code(), tonic::Code::InvalidArgument);
    }
}
