//! The operations both template services share, on manifests held as JSON: create, get, list,
//! update, delete and lint, for namespaced WorkflowTemplates or cluster-scoped
//! ClusterWorkflowTemplates. The tonic adapters (`namespaced`, `cluster`) only convert
//! messages.
//!
//! Invariants: nothing reaches the store before it passed Argo's lint; an update names the
//! resourceVersion it replaces (Kubernetes refuses unconditional updates of custom resources),
//! and a stale one fails as Argo reports a conflict (AlreadyExists).
//!
//! Must not: know protobuf types.

use std::sync::Arc;

use argo_proto::k8s_meta;
use argo_store::{ListParams, Preconditions, ResourceKind, ResourceStore};
use serde_json::{Value, json};

use crate::conversion::{
    cluster_workflow_template_kind, json_object, object_json, workflow_template_kind,
};
use crate::lint::{LintMode, require_valid};
use crate::listing::{NamePage, sort_by_name};
use crate::{Error, Result};
use argo_service::instance::InstanceId;

/// Template operations for one kind over a store.
#[derive(Clone)]
pub struct Templates {
    store: Arc<dyn ResourceStore>,
    instance: InstanceId,
    kind: ResourceKind,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("kind", &self.kind.kind)
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
        return Err(Error::invalid_argument("the template must be an object"));
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

impl Templates {
    pub fn namespaced(store: Arc<dyn ResourceStore>, instance: InstanceId) -> Self {
        Self {
            store,
            instance,
            kind: workflow_template_kind(),
        }
    }

    pub fn cluster(store: Arc<dyn ResourceStore>, instance: InstanceId) -> Self {
        Self {
            store,
            instance,
            kind: cluster_workflow_template_kind(),
        }
    }

    fn is_namespaced(&self) -> bool {
        self.kind.is_namespaced()
    }

    /// The namespace a request addresses: the request's, else the manifest's; refuses a
    /// manifest that names another one, as the Kubernetes API does.
    fn place(&self, request_namespace: &str, manifest: &mut Value) -> Result<Option<String>> {
        if !self.is_namespaced() {
            return Ok(None);
        }
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
        Ok(Some(namespace))
    }

    fn namespace_arg<'a>(&self, namespace: &'a str) -> Option<&'a str> {
        self.is_namespaced().then_some(namespace)
    }

    pub async fn create(
        &self,
        namespace: &str,
        mut manifest: Value,
        dry_run: bool,
    ) -> Result<Value> {
        let namespace = self.place(namespace, &mut manifest)?;
        self.instance.label(&mut manifest);
        require_valid(
            &*self.store,
            &self.kind.kind,
            namespace.as_deref(),
            &manifest,
            LintMode::Admit,
        )
        .await?;
        let object = json_object(&self.kind, manifest)?;
        if dry_run {
            return object_json(&object);
        }
        let created = self.store.create(&self.kind, object).await?;
        object_json(&created)
    }

    pub async fn get(&self, namespace: &str, name: &str) -> Result<Value> {
        require_name(name)?;
        let object = self
            .store
            .get(&self.kind, self.namespace_arg(namespace), name)
            .await?;
        self.instance
            .validate(object.name(), object.metadata.labels.as_ref())?;
        object_json(&object)
    }

    pub async fn list(
        &self,
        namespace: &str,
        options: &k8s_meta::ListOptions,
        name_pattern: &str,
    ) -> Result<Value> {
        let label_selector = self
            .instance
            .selector(options.label_selector.as_deref().unwrap_or_default());
        let mut params = ListParams {
            namespace: self
                .namespace_arg(namespace)
                .filter(|namespace| !namespace.is_empty())
                .map(str::to_owned),
            label_selector: Some(label_selector),
            field_selector: non_empty(options.field_selector.as_deref()).map(str::to_owned),
            limit: None,
            continue_token: None,
        };
        let (items, resource_version, continue_token) = if name_pattern.is_empty() {
            params.limit = match options.limit.unwrap_or(0) {
                limit if limit < 0 => {
                    return Err(Error::invalid_argument(format!(
                        "listOptions.limit must not be negative, got {limit}"
                    )));
                }
                0 => None,
                limit => Some(u32::try_from(limit).unwrap_or(u32::MAX)),
            };
            params.continue_token = non_empty(options.r#continue.as_deref()).map(str::to_owned);
            let page = self.store.list(&self.kind, &params).await?;
            let mut items = page.items;
            sort_by_name(&mut items);
            (items, page.resource_version, page.continue_token)
        } else {
            let page_request =
                NamePage::new(name_pattern, options.limit, options.r#continue.as_deref())?;
            let everything = self.store.list(&self.kind, &params).await?;
            let (items, next) = page_request.select(everything.items);
            (items, everything.resource_version, next)
        };
        let items = items.iter().map(object_json).collect::<Result<Vec<_>>>()?;
        let mut metadata = json!({ "resourceVersion": resource_version });
        if let Some(token) = continue_token {
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
        let namespace = self.place(namespace, &mut manifest)?;
        let labels = manifest
            .pointer("/metadata/labels")
            .cloned()
            .and_then(|labels| serde_json::from_value(labels).ok());
        self.instance.validate(&name, labels.as_ref())?;
        require_valid(
            &*self.store,
            &self.kind.kind,
            namespace.as_deref(),
            &manifest,
            LintMode::Admit,
        )
        .await?;
        if metadata_str(&manifest, "resourceVersion").is_none() {
            // Kubernetes looks the object up before it checks the precondition.
            self.store
                .get(&self.kind, namespace.as_deref(), &name)
                .await?;
            return Err(Error::invalid_argument(format!(
                "{}.argoproj.io {name:?} is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                self.kind.kind
            )));
        }
        let object = json_object(&self.kind, manifest)?;
        let updated = self.store.update(&self.kind, object).await?;
        object_json(&updated)
    }

    pub async fn delete(
        &self,
        namespace: &str,
        name: &str,
        options: Option<&k8s_meta::DeleteOptions>,
    ) -> Result<()> {
        require_name(name)?;
        let namespace = self.namespace_arg(namespace);
        let object = self.store.get(&self.kind, namespace, name).await?;
        self.instance
            .validate(object.name(), object.metadata.labels.as_ref())?;
        let preconditions = options
            .and_then(|options| options.preconditions.as_ref())
            .map(|preconditions| Preconditions {
                uid: non_empty(preconditions.uid.as_deref()).map(str::to_owned),
                resource_version: non_empty(preconditions.resource_version.as_deref())
                    .map(str::to_owned),
            })
            .unwrap_or_default();
        self.store
            .delete(&self.kind, namespace, name, &preconditions)
            .await?;
        Ok(())
    }

    /// Lints without storing; answers the template as sent, labelled as a create would.
    pub async fn lint(&self, namespace: &str, manifest: Value) -> Result<Value> {
        let mut answer = manifest;
        self.instance.label(&mut answer);
        let mut placed = answer.clone();
        let namespace = self.place(namespace, &mut placed)?;
        require_valid(
            &*self.store,
            &self.kind.kind,
            namespace.as_deref(),
            &placed,
            LintMode::Lint,
        )
        .await?;
        Ok(answer)
    }
}
