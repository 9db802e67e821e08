//! Where logs come from, and how PodLogs and WorkflowLogs select them. The local runtime
//! (`argo-runtime`'s `PodRuntime::logs`) implements [`LogSource`] in the server's wiring; tests
//! use a fake.
//!
//! Must not: know how pods run; it only reads lines.

use std::sync::Arc;

use argo_core::{NodeType, Workflow};
use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};
use jiff::Timestamp;
use regex::Regex;

use crate::{Error, Result};

/// One line a container wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub timestamp: Timestamp,
    /// Without its newline.
    pub text: String,
}

/// Which lines to read (Kubernetes' `PodLogOptions`, as far as the runtime supports them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub follow: bool,
    pub tail_lines: Option<usize>,
    pub since: Option<Timestamp>,
    /// Prefix each line with its RFC 3339 time, as `kubectl logs --timestamps` does.
    pub timestamps: bool,
}

/// A source of container logs.
#[async_trait]
pub trait LogSource: Send + Sync {
    /// The lines of one container; NotFound when the pod does not exist (anymore).
    async fn logs(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        query: &LogQuery,
    ) -> Result<BoxStream<'static, Result<LogLine>>>;
}

/// A source with no pods at all (a service run without a runtime).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLogs;

#[async_trait]
impl LogSource for NoLogs {
    async fn logs(
        &self,
        _namespace: &str,
        pod: &str,
        _container: &str,
        _query: &LogQuery,
    ) -> Result<BoxStream<'static, Result<LogLine>>> {
        Err(Error::not_found(format!("pods \"{pod}\" not found")))
    }
}

/// The pods of a workflow: one per Pod node, named as the controller names them.
pub fn workflow_pods(workflow: &Workflow) -> Vec<String> {
    let name = workflow.metadata.name.as_deref().unwrap_or_default();
    let mut pods: Vec<String> = workflow
        .status
        .nodes
        .values()
        .filter(|node| node.node_type == NodeType::Pod)
        .map(|node| {
            let template = node.template_name.clone();
            argo_engine::node_id::pod_name(name, &node.name, &template)
        })
        .collect();
    pods.sort();
    pods.dedup();
    pods
}

/// The lines of several pods as `(pod, line)`, merged as they come, filtered by `grep`.
pub async fn pod_lines(
    source: Arc<dyn LogSource>,
    namespace: &str,
    pods: Vec<String>,
    container: &str,
    query: &LogQuery,
    grep: &str,
    skip_missing: bool,
) -> Result<BoxStream<'static, Result<(String, String)>>> {
    let pattern = if grep.is_empty() {
        None
    } else {
        Some(Regex::new(grep).map_err(|error| {
            Error::invalid_argument(format!("invalid grep pattern {grep:?}: {error}"))
        })?)
    };
    let mut streams = Vec::new();
    for pod in pods {
        let lines = match source.logs(namespace, &pod, container, query).await {
            Ok(lines) => lines,
            // A workflow's pod may be gone already (pod GC); Argo skips it.
            Err(Error::NotFound { .. }) if skip_missing => continue,
            Err(error) => return Err(error),
        };
        let timestamps = query.timestamps;
        let pod_name = pod.clone();
        streams.push(
            lines
                .map(move |line| {
                    line.map(|line| {
                        let text = if timestamps {
                            format!("{} {}", line.timestamp, line.text)
                        } else {
                            line.text
                        };
                        (pod_name.clone(), text)
                    })
                })
                .boxed(),
        );
    }
    let merged = stream::select_all(streams).filter(move |entry| {
        let keep = match (&pattern, entry) {
            (Some(pattern), Ok((_, text))) => pattern.is_match(text),
            _ => true,
        };
        futures::future::ready(keep)
    });
    Ok(merged.boxed())
}
