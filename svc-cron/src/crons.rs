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
use argo_service::conversion::{json_object, object_json};
use argo_service::instance::InstanceId;
use argo_service::manifest::{
    delete_preconditions, list_answer, list_limit, name_for_update, non_empty, place, require_name,
    require_resource_version,
};
use argo_service::template_lint::{LintMode, require_valid};
use argo_service::{Caller, creator};
use argo_store::{ListParams, ResourceKind, ResourceStore};
use serde_json::{Value, json};

use crate::{Error, Result};

/// How often suspend/resume re-read the object when a concurrent write got in first.
const PATCH_ATTEMPTS: usize = 5;

/// What a cron workflow is called in messages about its shape.
const WHAT: &str = "the cron workflow";

/// The store's description of the CronWorkflow kind.
pub fn cron_workflow_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::CronWorkflow>()
}

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

/// Argo's validation of a cron workflow (schedules, time zone, policy, then the workflow spec
/// with referenced templates looked up in `namespace`).
async fn validate(store: &dyn ResourceStore, namespace: &str, manifest: &Value) -> Result<()> {
    require_valid(
        store,
        "CronWorkflow",
        Some(namespace),
        manifest,
        LintMode::Admit,
    )
    .await
}

impl CronWorkflows {
    pub fn new(store: Arc<dyn ResourceStore>, instance: InstanceId) -> Self {
        Self { store, instance }
    }

    /// Creates a cron workflow labelled with its creator (`caller`) and this instance.
    pub async fn create(
        &self,
        namespace: &str,
        mut manifest: Value,
        dry_run: bool,
        caller: &Caller,
    ) -> Result<Value> {
        let namespace = place(namespace, WHAT, &mut manifest)?;
        self.instance.label(&mut manifest);
        creator::label(caller, &mut manifest);
        validate(&*self.store, &namespace, &manifest).await?;
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
        let limit = list_limit(options)?;
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
        Ok(list_answer(
            items,
            &page.resource_version,
            page.continue_token,
        ))
    }

    pub async fn update(&self, namespace: &str, name: &str, mut manifest: Value) -> Result<Value> {
        let name = name_for_update(&mut manifest, WHAT, name)?;
        let namespace = place(namespace, WHAT, &mut manifest)?;
        // Argo reads the stored one first: a missing cron workflow is NotFound before anything.
        self.get(&namespace, &name).await?;
        validate(&*self.store, &namespace, &manifest).await?;
        require_resource_version(&manifest, "CronWorkflow", &name)?;
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
        let preconditions = delete_preconditions(options);
        self.store
            .delete(&cron_workflow_kind(), Some(namespace), name, &preconditions)
            .await?;
        Ok(())
    }

    /// Validates without storing; answers the cron workflow as sent, labelled as a create
    /// would.
    pub async fn lint(&self, namespace: &str, manifest: Value, caller: &Caller) -> Result<Value> {
        let mut answer = manifest;
        self.instance.label(&mut answer);
        creator::label(caller, &mut answer);
        let mut placed = answer.clone();
        let namespace = place(namespace, WHAT, &mut placed)?;
        validate(&*self.store, &namespace, &placed).await?;
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
