//! The in-process agent (Argo's agent pod reading a WorkflowTaskSet): carries out the engine's
//! [`argo_engine::Effect::RunAgentTask`] for HTTP and plugin nodes in a background task and
//! writes what happened as the node's `WorkflowTaskResult`, which the controller observes and
//! the engine folds into the node. A node runs once per controller process: a task already in
//! flight or already reported is not started again (a restarted controller runs a task whose
//! result was never written again, as Argo's agent does).
//! Must not: change workflows or nodes itself; it only reports results.

mod http;

use std::collections::{BTreeMap, HashSet};
use std::sync::{LazyLock, Mutex};

use argo_core::k8s_openapi::api::core::v1::Secret;
use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use argo_core::{NodePhase, NodeResult, Template, Workflow, WorkflowTaskResult};
use argo_store::Typed;

use crate::cluster::Cluster;
use crate::error::Result;
use crate::observe::LABEL_WORKFLOW;

pub use http::{Response, result as http_result, send as http_send};

/// Tasks running now, by `<namespace>/<workflow uid or name>/<node id>`.
static IN_FLIGHT: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

/// Starts the task for `node_id` unless it is running or has a final result already.
pub async fn start(
    cluster: &Cluster,
    workflow: &Workflow,
    node_id: &str,
    node_name: &str,
    template: &Template,
) -> Result<()> {
    let namespace = workflow.namespace().to_owned();
    let owner = workflow
        .metadata
        .uid
        .clone()
        .unwrap_or_else(|| workflow.name().to_owned());
    let key = format!("{namespace}/{owner}/{node_id}");
    if in_flight().contains(&key) {
        return Ok(());
    }
    // Read after the in-flight check: a task that finished since the caller's observation
    // has left the set only after writing its result, so the result is seen here.
    match cluster.task_results().get(Some(&namespace), node_id).await {
        Ok(existing) if existing.result.phase.is_fulfilled(None) => return Ok(()),
        Ok(_) => {}
        Err(error) if error.is_not_found() => {}
        Err(error) => return Err(error.into()),
    }
    if !in_flight().insert(key.clone()) {
        return Ok(());
    }
    let task = Task {
        cluster: cluster.clone(),
        namespace,
        workflow: workflow.name().to_owned(),
        node_id: node_id.to_owned(),
        template: template.clone(),
    };
    tracing::info!(workflow = %task.workflow, node = node_name, "agent task started");
    tokio::spawn(async move {
        let result = task.run().await;
        if let Err(error) = task.report(result).await {
            tracing::warn!(workflow = %task.workflow, node = %task.node_id, %error,
                "agent could not report its result; the next reconcile asks again");
        }
        in_flight().remove(&key);
    });
    Ok(())
}

fn in_flight() -> std::sync::MutexGuard<'static, HashSet<String>> {
    IN_FLIGHT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Task {
    cluster: Cluster,
    namespace: String,
    workflow: String,
    node_id: String,
    template: Template,
}

impl Task {
    async fn run(&self) -> NodeResult {
        let failed = |message: String| NodeResult {
            phase: NodePhase::Failed,
            message,
            ..NodeResult::default()
        };
        if let Some(plugin) = &self.template.plugin {
            return failed(missing_plugin_message(plugin));
        }
        let Some(request) = &self.template.http else {
            return failed(format!(
                "agent cannot execute: unknown task type: {}",
                self.template
                    .kind()
                    .map_or("Unknown", argo_core::TemplateKind::as_str)
            ));
        };
        let headers = match self.headers(request).await {
            Ok(headers) => headers,
            Err(message) => return failed(message),
        };
        let response = match http::send(request, &headers).await {
            Ok(response) => response,
            Err(message) => return failed(message),
        };
        http::result(request, &headers, &response).unwrap_or_else(failed)
    }

    /// The request headers with `valueFrom.secretKeyRef` values read from the store.
    async fn headers(&self, request: &argo_core::Http) -> Result<Vec<(String, String)>, String> {
        let secrets: Typed<Secret> = Typed::new(self.cluster.store.clone());
        let mut headers = Vec::with_capacity(request.headers.len());
        for (index, header) in request.headers.iter().enumerate() {
            let value = match header
                .value_from
                .as_ref()
                .and_then(|v| v.secret_key_ref.as_ref())
            {
                Some(selector) => {
                    let field = format!("http.headers[{index}].valueFrom.secretKeyRef");
                    let secret = secrets
                        .get(Some(&self.namespace), &selector.name)
                        .await
                        .map_err(|e| format!("{field}: secret {:?}: {e}", selector.name))?;
                    secret_value(&secret, &selector.key).ok_or_else(|| {
                        format!(
                            "{field}: secret {:?} has no key {:?}",
                            selector.name, selector.key
                        )
                    })?
                }
                None => header.value.clone(),
            };
            headers.push((header.name.clone(), value));
        }
        Ok(headers)
    }

    async fn report(&self, result: NodeResult) -> Result<()> {
        let labels = BTreeMap::from([(LABEL_WORKFLOW.to_owned(), self.workflow.clone())]);
        let task_result = WorkflowTaskResult {
            metadata: ObjectMeta {
                name: Some(self.node_id.clone()),
                namespace: Some(self.namespace.clone()),
                labels: Some(labels),
                ..ObjectMeta::default()
            },
            result,
        };
        let results = self.cluster.task_results();
        match results.create(&task_result).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_already_exists() => {
                let mut current = results.get(Some(&self.namespace), &self.node_id).await?;
                current.result = task_result.result;
                results.update(&current).await?;
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }
}

fn secret_value(secret: &Secret, key: &str) -> Option<String> {
    if let Some(bytes) = secret.data.as_ref().and_then(|d| d.get(key)) {
        return Some(String::from_utf8_lossy(&bytes.0).into_owned());
    }
    secret.string_data.as_ref()?.get(key).cloned()
}

/// No executor plugins are installed in local mode: the node fails naming the plugin.
fn missing_plugin_message(plugin: &argo_core::Plugin) -> String {
    let names: Vec<&str> = plugin.0.keys().map(String::as_str).collect();
    format!(
        "no plugin executed the template: executor plugin {:?} is not installed (no executor plugins run in local mode)",
        names.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_plugin_is_named() {
        let plugin: argo_core::Plugin =
            serde_json::from_str(r#"{"hello": {"text": "hi"}}"#).expect("plugin");
        let message = missing_plugin_message(&plugin);
        assert!(message.starts_with("no plugin executed the template"));
        assert!(message.contains("\"hello\""));
    }
}
