//! The CronWorkflow operations on manifests held as JSON: create, get, list, update, delete,
//! lint, suspend and resume. The tonic adapter (`server`) only converts messages.
//!
//! Invariants: nothing reaches the store before it passed Argo's validation; an update names
//! the resourceVersion it replaces (Kubernetes refuses unconditional updates of custom
//! resources) and a stale one fails as Argo reports a conflict (AlreadyExists); suspend and
//! resume change only `spec.suspend`, whatever else changed meanwhile (a merge patch in Argo).
//!
//! Must not: know protobuf types, or schedule anything.

use std::sync::Arc;

use argo_proto::k8s_meta;
use argo_store::{ListParams, Preconditions, ResourceStore};
use serde_json::{Value, json};

use crate::conversion::{cron_workflow_kind, json_object, object_json};
use crate::lint::require_valid;
use crate::{Error, Result};
use argo_service::instance::InstanceId;

/// How often suspend/resume re-read the object when a concurrent write got in first.
const PATCH_ATTEMPTS: usize = 5;

/// CronWorkflow operations over a store.
#[derive(Clone)]
pub struct CronWorkflows {
    store: Arc<dyn ResourceStore>,
    instance: InstanceId,
}

impl std::fmt::Debug for CronWorkflows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CronWorkflows")
            .field("instance", &self.instance)
            .finish_non_exhaustive()
    }
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.is_empty())
}

fn metadata_str<'a>(manifest: &'a Value, field: &str) -> Option<&'a str> {
    non_empty(
        manifest
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str),
    )
}

fn set_metadata(manifest: &mut Value, field: &str, value: &str) -> Result<()> {
    let Some(root) = manifest.as_object_mut() else {
        return Err(Error::invalid_argument(
            "the cron workflow must be an object",
        ));
    };
    let metadata = root.entry("metadata").or_insert_with(|| json!({}));
    match metadata.as_object_mut() {
        Some(metadata) => {
            metadata.insert(field.to_owned(), Value::String(value.to_owned()));
            Ok(())
        }
        None => Err(Error::invalid_argument("metadata must be an object")),
    }
}

/// The namespace a request addresses: the request's, else the manifest's; a manifest naming
/// another one is refused, as the Kubernetes API does.
fn place(request_namespace: &str, manifest: &mut Value) -> Result<String> {
    let own = metadata_str(manifest, "namespace").map(str::to_owned);
    let namespace = match (non_empty(Some(request_namespace)), own.as_deref()) {
        (Some(request), Some(own)) if request != own => {
            return Err(Error::invalid_argument(format!(
                "the namespace of the provided object ({own}) does not match the namespace sent on the request ({request})"
            )));
        }
        (Some(request), _) => request.to_owned(),
        (None, Some(own)) => own.to_owned(),
        (None, None) => return Err(Error::invalid_argument("namespace is required")),
    };
    set_metadata(manifest, "namespace", &namespace)?;
    Ok(namespace)
}

/// Kubernetes cannot address an object without a name (Argo answers Internal; the caller's
/// mistake is an invalid argument).
fn require_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid_argument("name is required"));
    }
    Ok(())
}

/// Whether `createOptions.dryRun` asks for a dry run (`All`, Kubernetes' only mode).
pub fn is_dry_run(options: Option<&k8s_meta::CreateOptions>) -> bool {
    options.is_some_and(|options| options.dry_run.iter().any(|mode| mode == "All"))
}

impl CronWorkflows {
    pub fn new(store: Arc<dyn ResourceStore>, instance: InstanceId) -> Self {
        Self { store, instance }
    }

    pub async fn create(
        &self,
        namespace: &str,
        mut manifest: Value,
        dry_run: bool,
    ) -> Result<Value> {
        let namespace = place(namespace, &mut manifest)?;
        self.instance.label(&mut manifest);
        require_valid(&*self.store, &namespace, &manifest).await?;
        let object = json_object(&cron_workflow_kind(), manifest)?;
        if dry_run {
            return object_json(&object);
        }
        let created = self.store.create(&cron_workflow_kind(), object).await?;
        object_json(&created)
    }

    pub async fn get(&self, namespace: &str, name: &str) -> Result<Value> {
        require_name(name)?;
        let object = self
            .store
            .get(&cron_workflow_kind(), Some(namespace), name)
            .await?;
        self.instance
            .validate(object.name(), object.metadata.labels.as_ref())?;
        object_json(&object)
    }

    pub async fn list(&self, namespace: &str, options: &k8s_meta::ListOptions) -> Result<Value> {
        let limit = match options.limit.unwrap_or(0) {
            limit if limit < 0 => {
                return Err(Error::invalid_argument(format!(
                    "listOptions.limit must not be negative, got {limit}"
                )));
            }
            0 => None,
            limit => Some(u32::try_from(limit).unwrap_or(u32::MAX)),
        };
        let params = ListParams {
            namespace: non_empty(Some(namespace)).map(str::to_owned),
            label_selector: Some(
                self.instance
                    .selector(options.label_selector.as_deref().unwrap_or_default()),
            ),
            field_selector: non_empty(options.field_selector.as_deref()).map(str::to_owned),
            limit,
            continue_token: non_empty(options.r#continue.as_deref()).map(str::to_owned),
        };
        let page = self.store.list(&cron_workflow_kind(), &params).await?;
        let items = page
            .items
            .iter()
            .map(object_json)
            .collect::<Result<Vec<_>>>()?;
        let mut metadata = json!({ "resourceVersion": page.resource_version });
        if let Some(token) = page.continue_token {
            metadata["continue"] = Value::String(token);
        }
        Ok(json!({ "metadata": metadata, "items": items }))
    }

    pub async fn update(&self, namespace: &str, name: &str, mut manifest: Value) -> Result<Value> {
        if metadata_str(&manifest, "name").is_none() {
            match non_empty(Some(name)) {
                Some(name) => set_metadata(&mut manifest, "name", name)?,
                None => return Err(Error::invalid_argument("metadata.name is required")),
            }
        }
        let name = metadata_str(&manifest, "name")
            .unwrap_or_default()
            .to_owned();
        let namespace = place(namespace, &mut manifest)?;
        // Argo reads the stored one first: a missing cron workflow is NotFound before anything.
        self.get(&namespace, &name).await?;
        require_valid(&*self.store, &namespace, &manifest).await?;
        if metadata_str(&manifest, "resourceVersion").is_none() {
            return Err(Error::invalid_argument(format!(
                "CronWorkflow.argoproj.io {name:?} is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
            )));
        }
        let object = json_object(&cron_workflow_kind(), manifest)?;
        let updated = self.store.update(&cron_workflow_kind(), object).await?;
        object_json(&updated)
    }

    pub async fn delete(
        &self,
        namespace: &str,
        name: &str,
        options: Option<&k8s_meta::DeleteOptions>,
    ) -> Result<()> {
        self.get(namespace, name).await?;
        let preconditions = options
            .and_then(|options| options.preconditions.as_ref())
            .map(|preconditions| Preconditions {
                uid: non_empty(preconditions.uid.as_deref()).map(str::to_owned),
                resource_version: non_empty(preconditions.resource_version.as_deref())
                    .map(str::to_owned),
            })
            .unwrap_or_default();
        self.store
            .delete(&cron_workflow_kind(), Some(namespace), name, &preconditions)
            .await?;
        Ok(())
    }

    /// Validates without storing; answers the cron workflow as sent, labelled as a create
    /// would.
    pub async fn lint(&self, namespace: &str, manifest: Value) -> Result<Value> {
        let mut answer = manifest;
        self.instance.label(&mut answer);
        let mut placed = answer.clone();
        let namespace = place(namespace, &mut placed)?;
        require_valid(&*self.store, &namespace, &placed).await?;
        Ok(answer)
    }

    /// Sets `spec.suspend`, retrying when another write got in between the read and the write.
    pub async fn set_suspend(&self, namespace: &str, name: &str, suspend: bool) -> Result<Value> {
        require_name(name)?;
        let kind = cron_workflow_kind();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut object = self.store.get(&kind, Some(namespace), name).await?;
            let spec = object.fields.entry("spec").or_insert_with(|| json!({}));
            let Some(spec) = spec.as_object_mut() else {
                return Err(Error::internal(format!(
                    "stored cron workflow {namespace}/{name} has a spec that is not an object"
                )));
            };
            spec.insert("suspend".to_owned(), Value::Bool(suspend));
            match self.store.update(&kind, object).await {
                Ok(updated) => return object_json(&updated),
                Err(error) if error.is_conflict() && attempt < PATCH_ATTEMPTS => {
                    tracing::debug!(
                        namespace,
                        name,
                        attempt,
                        "suspend raced another write; retrying"
                    );
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
}
