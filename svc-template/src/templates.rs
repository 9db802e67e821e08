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
use argo_service::conversion::{
    cluster_workflow_template_kind, json_object, object_json, workflow_template_kind,
};
use argo_service::instance::InstanceId;
use argo_service::manifest::{
    delete_preconditions, list_answer, list_limit, metadata_str, name_for_update, non_empty,
    require_name, require_resource_version,
};
use argo_service::template_lint::{LintMode, require_valid};
use argo_service::{Caller, creator};
use argo_store::{ListParams, ResourceKind, ResourceStore};
use serde_json::Value;

use crate::Result;
use crate::listing::{NamePage, sort_by_name};

/// What a template is called in messages about its shape.
const WHAT: &str = "the template";

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

    /// The namespace a request addresses (see [`argo_service::manifest::place`]); `None` for
    /// cluster-scoped templates.
    fn place(&self, request_namespace: &str, manifest: &mut Value) -> Result<Option<String>> {
        if !self.is_namespaced() {
            return Ok(None);
        }
        argo_service::manifest::place(request_namespace, WHAT, manifest).map(Some)
    }

    fn namespace_arg<'a>(&self, namespace: &'a str) -> Option<&'a str> {
        self.is_namespaced().then_some(namespace)
    }

    /// Creates a template labelled with its creator (`caller`) and this instance.
    pub async fn create(
        &self,
        namespace: &str,
        mut manifest: Value,
        dry_run: bool,
        caller: &Caller,
    ) -> Result<Value> {
        let namespace = self.place(namespace, &mut manifest)?;
        self.instance.label(&mut manifest);
        creator::label(caller, &mut manifest);
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
            params.limit = list_limit(options)?;
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
        Ok(list_answer(items, &resource_version, continue_token))
    }

    pub async fn update(&self, namespace: &str, name: &str, mut manifest: Value) -> Result<Value> {
        let name = name_for_update(&mut manifest, WHAT, name)?;
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
            require_resource_version(&manifest, &self.kind.kind, &name)?;
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
        let preconditions = delete_preconditions(options);
        self.store
            .delete(&self.kind, namespace, name, &preconditions)
            .await?;
        Ok(())
    }

    /// Lints without storing; answers the template as sent, labelled as a create would.
    pub async fn lint(&self, namespace: &str, manifest: Value, caller: &Caller) -> Result<Value> {
        let mut answer = manifest;
        self.instance.label(&mut answer);
        creator::label(caller, &mut answer);
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
