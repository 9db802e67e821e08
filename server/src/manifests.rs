//! `--manifests`: what `kubectl apply -f` is to a cluster, for the local store. At start the
//! server reads YAML/JSON manifests (files, or the `.yaml`/`.yml`/`.json` files of a directory,
//! in name order) and creates or replaces each object in the store, before the controller and
//! the services start. This is how kinds Argo's API cannot create (WorkflowEventBindings,
//! ConfigMaps for semaphores and parameters, Secrets, Argo Events' EventSources and Sensors) get
//! into local mode, and a way to seed templates.
//!
//! Invariants: every file is parsed and checked before anything is written, so a bad manifest
//! leaves the store as it was; errors name the file, the document and the field.
//!
//! Must not: lint Argo semantics (the API services do on their writes; kubectl does not either),
//! or run after start (a restart applies the files again).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::{ConfigMap, Secret};
use argo_core::{ARGO_KINDS, Resource};
use argo_store::{Object, ResourceKind, ResourceStore, Scope};
use serde_json::Value;

use crate::{Error, Result};

/// Kinds besides Argo's own that `--manifests` accepts.
const OTHER_KINDS: &[(&str, &str)] = &[
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("argoproj.io/v1alpha1", "EventSource"),
    ("argoproj.io/v1alpha1", "Sensor"),
];

/// One object read from a manifest, ready to store.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// `file, document N` for messages.
    pub origin: String,
    pub kind: ResourceKind,
    pub object: Object,
}

/// What applying did to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Created,
    Replaced,
}

/// Reads every manifest under `paths`; `namespace` is given to namespaced objects naming none.
///
/// # Errors
/// [`Error::Manifest`] naming the file (and document) that cannot be read, parsed or stored.
pub fn read(paths: &[PathBuf], namespace: &str) -> Result<Vec<Manifest>> {
    let mut manifests = Vec::new();
    for file in files(paths)? {
        let text = std::fs::read_to_string(&file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        manifests.extend(parse(&file, &text, namespace)?);
    }
    Ok(manifests)
}

/// Creates each manifest's object, or replaces the stored one of that name (keeping its
/// identity: uid, creation time and a fresh resourceVersion, as `kubectl apply` does).
///
/// # Errors
/// The store's refusal, naming the manifest.
pub async fn apply(
    store: &Arc<dyn ResourceStore>,
    manifests: Vec<Manifest>,
) -> Result<Vec<Applied>> {
    let mut applied = Vec::with_capacity(manifests.len());
    for manifest in manifests {
        let namespace = manifest.object.metadata.namespace.clone();
        let name = manifest.object.name().to_owned();
        let refused = |source: argo_store::Error| Error::Manifest {
            origin: manifest.origin.clone(),
            reason: source.to_string(),
        };
        let existing = match store.get(&manifest.kind, namespace.as_deref(), &name).await {
            Ok(existing) => Some(existing),
            Err(error) if error.is_not_found() => None,
            Err(error) => return Err(refused(error)),
        };
        let mut object = manifest.object.clone();
        match existing {
            None => {
                store
                    .create(&manifest.kind, object)
                    .await
                    .map_err(refused)?;
                applied.push(Applied::Created);
            }
            Some(existing) => {
                object.metadata.uid = existing.metadata.uid;
                object.metadata.resource_version = existing.metadata.resource_version;
                object.metadata.creation_timestamp = existing.metadata.creation_timestamp;
                store
                    .update(&manifest.kind, object)
                    .await
                    .map_err(refused)?;
                applied.push(Applied::Replaced);
            }
        }
        tracing::info!(origin = %manifest.origin, kind = %manifest.kind.kind, name, "manifest applied");
    }
    Ok(applied)
}

/// The files named: each file itself, each directory's manifest files in name order.
fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let file = entry.path();
            let manifest_like = file
                .extension()
                .and_then(|extension| extension.to_str())
                .is_some_and(|extension| matches!(extension, "yaml" | "yml" | "json"));
            if manifest_like && file.is_file() {
                found.push(file);
            }
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// The objects of one file's documents.
fn parse(file: &Path, text: &str, namespace: &str) -> Result<Vec<Manifest>> {
    let mut manifests = Vec::new();
    for document in argo_core::parse_documents(text) {
        let document = document.map_err(|error| Error::Manifest {
            origin: file.display().to_string(),
            reason: error.to_string(),
        })?;
        let origin = format!("{}, document {}", file.display(), document.index + 1);
        let invalid = |reason: String| Error::Manifest {
            origin: origin.clone(),
            reason,
        };
        let kind = kind_of(&document.resource).map_err(invalid)?;
        let mut value = match &document.resource {
            Resource::Other { .. } => document.raw.clone(),
            typed => typed
                .to_value()
                .map_err(|error| invalid(error.to_string()))?,
        };
        place(&kind, &mut value, namespace).map_err(invalid)?;
        let object: Object = serde_json::from_value(value)
            .map_err(|error| invalid(format!("not a Kubernetes object: {error}")))?;
        if object.name().is_empty() {
            return Err(invalid(
                "metadata.name is required (generateName is not supported)".to_owned(),
            ));
        }
        manifests.push(Manifest {
            origin,
            kind,
            object,
        });
    }
    Ok(manifests)
}

/// The store's kind for a document, or why it is not one `--manifests` takes.
fn kind_of(resource: &Resource) -> std::result::Result<ResourceKind, String> {
    let (api_version, kind) = (resource.api_version(), resource.kind());
    let store_kind = match kind {
        "ConfigMap" if api_version == "v1" => ResourceKind::of::<ConfigMap>(),
        "Secret" if api_version == "v1" => ResourceKind::of::<Secret>(),
        "EventSource" if api_version == argo_core::kinds::API_VERSION => ResourceKind::new(
            argo_core::kinds::API_VERSION,
            "EventSource",
            Scope::Namespaced,
        )
        .with_plural("eventsources"),
        "Sensor" if api_version == argo_core::kinds::API_VERSION => {
            ResourceKind::new(argo_core::kinds::API_VERSION, "Sensor", Scope::Namespaced)
                .with_plural("sensors")
        }
        _ if ARGO_KINDS.contains(&kind) => argo_kind(kind),
        _ => {
            let supported: Vec<String> = ARGO_KINDS
                .iter()
                .map(|kind| format!("argoproj.io/v1alpha1 {kind}"))
                .chain(
                    OTHER_KINDS
                        .iter()
                        .map(|(version, kind)| format!("{version} {kind}")),
                )
                .collect();
            return Err(format!(
                "kind {kind:?} of apiVersion {api_version:?} cannot be applied; supported: {}",
                supported.join(", ")
            ));
        }
    };
    Ok(store_kind)
}

fn argo_kind(kind: &str) -> ResourceKind {
    use argo_core::{
        ClusterWorkflowTemplate, CronWorkflow, Workflow, WorkflowArtifactGCTask,
        WorkflowEventBinding, WorkflowTaskResult, WorkflowTaskSet, WorkflowTemplate,
    };
    match kind {
        "WorkflowTemplate" => ResourceKind::of::<WorkflowTemplate>(),
        "ClusterWorkflowTemplate" => ResourceKind::of::<ClusterWorkflowTemplate>(),
        "CronWorkflow" => ResourceKind::of::<CronWorkflow>(),
        "WorkflowEventBinding" => ResourceKind::of::<WorkflowEventBinding>(),
        "WorkflowTaskSet" => ResourceKind::of::<WorkflowTaskSet>(),
        "WorkflowTaskResult" => ResourceKind::of::<WorkflowTaskResult>(),
        "WorkflowArtifactGCTask" => ResourceKind::of::<WorkflowArtifactGCTask>(),
        _ => ResourceKind::of::<Workflow>(),
    }
}

/// Gives a namespaced object `namespace` when it names none; refuses a namespace on a
/// cluster-scoped one.
fn place(
    kind: &ResourceKind,
    value: &mut Value,
    namespace: &str,
) -> std::result::Result<(), String> {
    let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) else {
        return Err("metadata is required".to_owned());
    };
    let named = metadata
        .get("namespace")
        .and_then(Value::as_str)
        .is_some_and(|namespace| !namespace.is_empty());
    match kind.scope {
        Scope::Namespaced if !named => {
            metadata.insert("namespace".to_owned(), Value::String(namespace.to_owned()));
        }
        Scope::Cluster if named => {
            return Err(format!(
                "metadata.namespace: a {} is cluster-scoped and has no namespace",
                kind.kind
            ));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
#[path = "manifests_tests.rs"]
mod tests;
