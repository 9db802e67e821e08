//! `argoexec resource <action>` (Argo's resource executor) against the project's own store:
//! create, apply, delete, get, patch (merge, strategic as merge, json) and replace of the
//! manifest in the template; `setOwnerReference`; waiting for `successCondition` /
//! `failureCondition`; output parameters from `jsonPath` / `jqFilter`. Kinds the store holds
//! (Argo's kinds, ConfigMap, Secret) work; any other kind needs Kubernetes and fails naming it.
//! Must not: talk to Kubernetes or write the Workflow that runs it (only the task result).

mod json_path;
mod patch;
mod selector;

use std::sync::Arc;
use std::time::Duration;

use argo_core::k8s_openapi::api::core::v1::{ConfigMap, Secret};
use argo_core::{
    ClusterWorkflowTemplate, CronWorkflow, NodePhase, NodeResult, Outputs, Parameter, Template,
    Workflow, WorkflowEventBinding, WorkflowTemplate,
};
use argo_store::{Object, Preconditions, ResourceKind, ResourceStore};
use serde_json::{Value, json};

use crate::ExecutorConfig;

/// How often conditions are checked while neither holds.
pub const DEFAULT_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// Runs `action` for the template in `config` and returns the node result to report.
pub async fn run(
    action: &str,
    config: &ExecutorConfig,
    store: Arc<dyn ResourceStore>,
    check_interval: Duration,
) -> NodeResult {
    match execute(action, config, store.as_ref(), check_interval).await {
        Ok(outputs) => NodeResult {
            phase: NodePhase::Succeeded,
            outputs: Some(outputs),
            ..NodeResult::default()
        },
        Err(message) => NodeResult {
            phase: NodePhase::Failed,
            message,
            ..NodeResult::default()
        },
    }
}

async fn execute(
    action: &str,
    config: &ExecutorConfig,
    store: &dyn ResourceStore,
    check_interval: Duration,
) -> Result<Outputs, String> {
    let template = &config.template;
    let resource = template
        .resource
        .as_ref()
        .ok_or("the template has no resource")?;
    let manifest = manifest_text(template)?;
    let strategy = match resource.merge_strategy.as_str() {
        "" => "strategic",
        other => other,
    };
    let json_patch = action == "patch" && strategy == "json";
    let document: Value = if manifest.trim().is_empty() {
        Value::Null
    } else {
        serde_norway::from_str(&manifest).map_err(|e| format!("resource.manifest: {e}"))?
    };
    let target = Target::resolve(&document, &resource.flags, json_patch, &config.namespace)?;
    let mut object = if json_patch {
        Value::Null
    } else {
        document.clone()
    };
    if resource.set_owner_reference && !json_patch {
        add_owner_reference(&mut object, config);
    }
    let live = match action {
        "create" => Some(create(store, &target, &object).await?),
        "apply" => Some(apply(store, &target, &object).await?),
        "replace" => Some(replace(store, &target, &object).await?),
        "get" => Some(get(store, &target).await?),
        "patch" => Some(patch_object(store, &target, &document, strategy).await?),
        "delete" => {
            delete(store, &target, &resource.flags).await?;
            None
        }
        other => {
            return Err(format!(
                "resource.action {other:?}: must be one of get, create, apply, delete, replace, patch"
            ));
        }
    };
    let Some(mut live) = live else {
        return Ok(outputs_without_resource(template));
    };
    if !resource.success_condition.is_empty() || !resource.failure_condition.is_empty() {
        let name = live["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let named = Target { name, ..target };
        live = wait_for_conditions(store, &named, resource, check_interval).await?;
    }
    output_parameters(template, &live)
}

/// The manifest: inline, or read from the staged input artifact `manifestFrom.artifact`.
fn manifest_text(template: &Template) -> Result<String, String> {
    let resource = template
        .resource
        .as_ref()
        .ok_or("the template has no resource")?;
    let Some(artifact) = resource
        .manifest_from
        .as_ref()
        .and_then(|m| m.artifact.as_ref())
    else {
        return Ok(resource.manifest.clone());
    };
    let input = template
        .inputs
        .artifacts
        .iter()
        .find(|a| a.name == artifact.name)
        .ok_or_else(|| {
            format!(
                "resource.manifestFrom.artifact {:?}: no such input artifact",
                artifact.name
            )
        })?;
    std::fs::read_to_string(&input.path).map_err(|e| {
        format!(
            "resource.manifestFrom.artifact {:?}: reading {}: {e}",
            artifact.name, input.path
        )
    })
}

/// Which object an action addresses.
struct Target {
    kind: ResourceKind,
    namespace: Option<String>,
    name: String,
}

impl Target {
    fn resolve(
        document: &Value,
        flags: &[String],
        json_patch: bool,
        default_namespace: &str,
    ) -> Result<Target, String> {
        let from_flags = || -> Option<(String, String)> {
            let words: Vec<&str> = flags
                .iter()
                .map(String::as_str)
                .filter(|f| !f.starts_with('-'))
                .collect();
            match words[..] {
                [both] => both
                    .split_once('/')
                    .map(|(k, n)| (k.to_owned(), n.to_owned())),
                [kind, name, ..] => Some((kind.to_owned(), name.to_owned())),
                _ => None,
            }
        };
        if json_patch || document.get("kind").is_none() {
            let (kind, name) = from_flags().ok_or(
                "resource.flags: name the object as [kind, name] when the manifest has no kind",
            )?;
            return Ok(Target {
                kind: kind_from_word(&kind)?,
                namespace: Some(default_namespace.to_owned()),
                name,
            });
        }
        let api_version = document["apiVersion"].as_str().unwrap_or_default();
        let kind_name = document["kind"].as_str().unwrap_or_default();
        let kind = kind_of(api_version, kind_name)?;
        let metadata = &document["metadata"];
        let name = metadata["name"].as_str().unwrap_or_default().to_owned();
        if name.is_empty() && metadata["generateName"].as_str().is_none() {
            return Err(
                "Kind and name are both required but at least one of them is missing from the manifest"
                    .into(),
            );
        }
        let namespace = kind.is_namespaced().then(|| {
            metadata["namespace"]
                .as_str()
                .unwrap_or(default_namespace)
                .to_owned()
        });
        Ok(Target {
            kind,
            namespace,
            name,
        })
    }
}

/// The store's kind for a manifest's `apiVersion` and `kind`.
fn kind_of(api_version: &str, kind: &str) -> Result<ResourceKind, String> {
    let known = match (api_version, kind) {
        ("argoproj.io/v1alpha1", "Workflow") => ResourceKind::of::<Workflow>(),
        ("argoproj.io/v1alpha1", "WorkflowTemplate") => ResourceKind::of::<WorkflowTemplate>(),
        ("argoproj.io/v1alpha1", "ClusterWorkflowTemplate") => {
            ResourceKind::of::<ClusterWorkflowTemplate>()
        }
        ("argoproj.io/v1alpha1", "CronWorkflow") => ResourceKind::of::<CronWorkflow>(),
        ("argoproj.io/v1alpha1", "WorkflowEventBinding") => {
            ResourceKind::of::<WorkflowEventBinding>()
        }
        ("v1", "ConfigMap") => ResourceKind::of::<ConfigMap>(),
        ("v1", "Secret") => ResourceKind::of::<Secret>(),
        _ => {
            return Err(format!(
                "kind {kind} ({api_version}) needs Kubernetes: the local store holds only Workflow, \
                 WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, WorkflowEventBinding, \
                 ConfigMap and Secret"
            ));
        }
    };
    Ok(known)
}

/// A kind named in flags as kubectl accepts it (`configmap`, `cm`, `workflows`...).
fn kind_from_word(word: &str) -> Result<ResourceKind, String> {
    let (api_version, kind) = match word
        .to_ascii_lowercase()
        .split('.')
        .next()
        .unwrap_or_default()
    {
        "workflow" | "workflows" | "wf" => ("argoproj.io/v1alpha1", "Workflow"),
        "workflowtemplate" | "workflowtemplates" | "wftmpl" => {
            ("argoproj.io/v1alpha1", "WorkflowTemplate")
        }
        "clusterworkflowtemplate" | "clusterworkflowtemplates" | "cwftmpl" => {
            ("argoproj.io/v1alpha1", "ClusterWorkflowTemplate")
        }
        "cronworkflow" | "cronworkflows" | "cwf" => ("argoproj.io/v1alpha1", "CronWorkflow"),
        "configmap" | "configmaps" | "cm" => ("v1", "ConfigMap"),
        "secret" | "secrets" => ("v1", "Secret"),
        _ => {
            return Err(format!(
                "kind {word} needs Kubernetes: the local store holds only Argo's kinds, ConfigMap and Secret"
            ));
        }
    };
    kind_of(api_version, kind)
}

fn add_owner_reference(object: &mut Value, config: &ExecutorConfig) {
    let reference = json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "name": config.workflow_name,
        "uid": config.workflow_uid,
        "controller": true,
        "blockOwnerDeletion": true,
    });
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        let references = metadata
            .entry("ownerReferences")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(list) = references.as_array_mut() {
            list.push(reference);
        }
    }
}

fn to_object(target: &Target, value: &Value) -> Result<Object, String> {
    let mut object: Object =
        serde_json::from_value(value.clone()).map_err(|e| format!("resource.manifest: {e}"))?;
    if target.kind.is_namespaced() {
        object.metadata.namespace = target.namespace.clone();
    }
    Ok(object)
}

fn to_value(object: &Object) -> Result<Value, String> {
    serde_json::to_value(object).map_err(|e| e.to_string())
}

fn describe(target: &Target) -> String {
    format!("{} {:?}", target.kind.kind, target.name)
}

async fn get(store: &dyn ResourceStore, target: &Target) -> Result<Value, String> {
    let object = store
        .get(&target.kind, target.namespace.as_deref(), &target.name)
        .await
        .map_err(|e| format!("get {}: {e}", describe(target)))?;
    to_value(&object)
}

async fn create(
    store: &dyn ResourceStore,
    target: &Target,
    value: &Value,
) -> Result<Value, String> {
    let created = store
        .create(&target.kind, to_object(target, value)?)
        .await
        .map_err(|e| format!("create {}: {e}", describe(target)))?;
    to_value(&created)
}

async fn apply(store: &dyn ResourceStore, target: &Target, value: &Value) -> Result<Value, String> {
    let existing = store
        .get(&target.kind, target.namespace.as_deref(), &target.name)
        .await;
    match existing {
        Err(error) if error.is_not_found() => create(store, target, value).await,
        Err(error) => Err(format!("apply {}: {error}", describe(target))),
        Ok(existing) => {
            let mut merged = to_value(&existing)?;
            patch::merge(&mut merged, value);
            update(store, target, &merged, "apply").await
        }
    }
}

async fn replace(
    store: &dyn ResourceStore,
    target: &Target,
    value: &Value,
) -> Result<Value, String> {
    let existing = store
        .get(&target.kind, target.namespace.as_deref(), &target.name)
        .await
        .map_err(|e| format!("replace {}: {e}", describe(target)))?;
    let mut object = to_object(target, value)?;
    object.metadata.resource_version = existing.metadata.resource_version.clone();
    object.metadata.uid = existing.metadata.uid.clone();
    let replaced = store
        .update(&target.kind, object)
        .await
        .map_err(|e| format!("replace {}: {e}", describe(target)))?;
    to_value(&replaced)
}

async fn update(
    store: &dyn ResourceStore,
    target: &Target,
    value: &Value,
    action: &str,
) -> Result<Value, String> {
    let updated = store
        .update(&target.kind, to_object(target, value)?)
        .await
        .map_err(|e| format!("{action} {}: {e}", describe(target)))?;
    to_value(&updated)
}

async fn patch_object(
    store: &dyn ResourceStore,
    target: &Target,
    document: &Value,
    strategy: &str,
) -> Result<Value, String> {
    let mut live = get(store, target).await?;
    match strategy {
        "merge" | "strategic" => patch::merge(&mut live, document),
        "json" => patch::json_patch(&mut live, document)?,
        other => {
            return Err(format!(
                "resource.mergeStrategy {other:?}: must be strategic, merge or json"
            ));
        }
    }
    update(store, target, &live, "patch").await
}

async fn delete(
    store: &dyn ResourceStore,
    target: &Target,
    _flags: &[String],
) -> Result<(), String> {
    // Argo deletes with --ignore-not-found: a missing object is not an error.
    match store
        .delete(
            &target.kind,
            target.namespace.as_deref(),
            &target.name,
            &Preconditions::default(),
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(error) if error.is_not_found() => Ok(()),
        Err(error) => Err(format!("delete {}: {error}", describe(target))),
    }
}

/// Polls the object until the failure condition holds (an error) or every success
/// requirement does; a deleted object is an error, as in Argo.
async fn wait_for_conditions(
    store: &dyn ResourceStore,
    target: &Target,
    resource: &argo_core::ResourceTemplate,
    interval: Duration,
) -> Result<Value, String> {
    let parse = |text: &str, what: &str| {
        selector::parse(text).map_err(|e| format!("{what} condition '{text}' failed to parse: {e}"))
    };
    let success = parse(&resource.success_condition, "success")?;
    let failure = parse(&resource.failure_condition, "fail")?;
    loop {
        let live = match get(store, target).await {
            Ok(live) => live,
            Err(error) => {
                return Err(format!(
                    "The resource has been deleted while its status was still being checked. Will not be retried: {error}"
                ));
            }
        };
        if let Some(failed) = failure.iter().find(|r| r.matches(&live)) {
            return Err(format!("failure condition '{failed}' evaluated true"));
        }
        if success.iter().all(|r| r.matches(&live)) {
            return Ok(live);
        }
        tokio::time::sleep(interval).await;
    }
}

/// Output parameters from the live object (`jsonPath`, `jqFilter`).
fn output_parameters(template: &Template, live: &Value) -> Result<Outputs, String> {
    let mut parameters = Vec::new();
    for declared in &template.outputs.parameters {
        let Some(from) = &declared.value_from else {
            continue;
        };
        let value = if !from.json_path.is_empty() {
            json_path::kubectl(&from.json_path, live)
        } else if !from.jq_filter.is_empty() {
            json_path::jq(&from.jq_filter, live)
        } else {
            continue;
        }
        .map_err(|e| format!("outputs.parameters.{}: {e}", declared.name))?;
        parameters.push(output(declared, value));
    }
    Ok(Outputs {
        parameters,
        ..Outputs::default()
    })
}

/// After a delete (nothing to read) parameters take their defaults, as in Argo.
fn outputs_without_resource(template: &Template) -> Outputs {
    let parameters = template
        .outputs
        .parameters
        .iter()
        .filter_map(|declared| {
            let from = declared.value_from.as_ref()?;
            let default = from
                .default
                .as_ref()
                .map(|d| d.0.clone())
                .unwrap_or_default();
            Some(output(declared, default))
        })
        .collect();
    Outputs {
        parameters,
        ..Outputs::default()
    }
}

fn output(declared: &Parameter, value: String) -> Parameter {
    Parameter {
        name: declared.name.clone(),
        value: Some(value.into()),
        global_name: declared.global_name.clone(),
        ..Parameter::default()
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
