//! Create, get, list, update, delete and watch of one stored kind, in Kubernetes-style JSON:
//! what the EventSource and Sensor services share.
//!
//! Must not: know which kind it serves beyond its [`ResourceKind`].

use std::sync::Arc;

use argo_proto::k8s_meta::{DeleteOptions, ListOptions};
use argo_store::{ListParams, Preconditions, ResourceKind, ResourceStore, WatchParams};
use futures::stream::{BoxStream, StreamExt};
use serde_json::{Value, json};

use crate::conversion::{json_object, object_json};
use crate::{Error, Result};

fn non_empty(text: Option<&str>) -> Option<String> {
    text.filter(|text| !text.is_empty()).map(str::to_owned)
}

/// Store list parameters from a request's namespace and list options.
pub fn list_params(namespace: &str, options: &ListOptions) -> ListParams {
    ListParams {
        namespace: non_empty(Some(namespace)),
        label_selector: non_empty(options.label_selector.as_deref()),
        field_selector: non_empty(options.field_selector.as_deref()),
        limit: options
            .limit
            .and_then(|limit| u32::try_from(limit).ok())
            .filter(|limit| *limit > 0),
        continue_token: non_empty(options.r#continue.as_deref()),
    }
}

fn required<'a>(value: &'a str, what: &str) -> Result<&'a str> {
    if value.is_empty() {
        Err(Error::invalid_argument(format!("{what} is required")))
    } else {
        Ok(value)
    }
}

/// One kind's objects in the store.
#[derive(Clone)]
pub struct Resources {
    store: Arc<dyn ResourceStore>,
    kind: ResourceKind,
}

impl Resources {
    pub fn new(store: Arc<dyn ResourceStore>, kind: ResourceKind) -> Self {
        Self { store, kind }
    }

    /// Puts `namespace` into the manifest, refusing a manifest that names another.
    fn in_namespace(&self, namespace: &str, mut manifest: Value) -> Result<Value> {
        required(namespace, "namespace")?;
        if !manifest["metadata"].is_object() {
            manifest["metadata"] = json!({});
        }
        match manifest["metadata"]["namespace"].as_str() {
            None | Some("") => manifest["metadata"]["namespace"] = json!(namespace),
            Some(given) if given == namespace => {}
            Some(given) => {
                return Err(Error::invalid_argument(format!(
                    "the namespace of the {} ({given:?}) does not match the request's ({namespace:?})",
                    self.kind.kind
                )));
            }
        }
        Ok(manifest)
    }

    pub async fn create(&self, namespace: &str, manifest: Option<Value>) -> Result<Value> {
        let Some(manifest) = manifest else {
            return Err(Error::invalid_argument(format!(
                "{} body not specified",
                self.kind.kind
            )));
        };
        let manifest = self.in_namespace(namespace, manifest)?;
        let created = self
            .store
            .create(&self.kind, json_object(&self.kind, manifest)?)
            .await?;
        object_json(&created)
    }

    pub async fn get(&self, namespace: &str, name: &str) -> Result<Value> {
        let object = self
            .store
            .get(
                &self.kind,
                Some(required(namespace, "namespace")?),
                required(name, "name")?,
            )
            .await?;
        object_json(&object)
    }

    pub async fn list(&self, namespace: &str, options: &ListOptions) -> Result<Value> {
        let page = self
            .store
            .list(&self.kind, &list_params(namespace, options))
            .await?;
        let items = page
            .items
            .iter()
            .map(object_json)
            .collect::<Result<Vec<_>>>()?;
        let mut metadata = json!({"resourceVersion": page.resource_version});
        if let Some(token) = page.continue_token {
            metadata["continue"] = json!(token);
        }
        Ok(json!({"metadata": metadata, "items": items}))
    }

    pub async fn update(
        &self,
        namespace: &str,
        name: &str,
        manifest: Option<Value>,
    ) -> Result<Value> {
        let Some(manifest) = manifest else {
            return Err(Error::invalid_argument(format!(
                "{} body not specified",
                self.kind.kind
            )));
        };
        let mut manifest = self.in_namespace(namespace, manifest)?;
        let name = required(name, "name")?;
        match manifest["metadata"]["name"].as_str() {
            None | Some("") => manifest["metadata"]["name"] = json!(name),
            Some(given) if given == name => {}
            Some(given) => {
                return Err(Error::invalid_argument(format!(
                    "the name of the {} ({given:?}) does not match the request's ({name:?})",
                    self.kind.kind
                )));
            }
        }
        let updated = self
            .store
            .update(&self.kind, json_object(&self.kind, manifest)?)
            .await?;
        object_json(&updated)
    }

    pub async fn delete(
        &self,
        namespace: &str,
        name: &str,
        options: Option<&DeleteOptions>,
    ) -> Result<()> {
        let preconditions = options
            .and_then(|options| options.preconditions.as_ref())
            .map(|preconditions| Preconditions {
                uid: non_empty(preconditions.uid.as_deref()),
                resource_version: non_empty(preconditions.resource_version.as_deref()),
            })
            .unwrap_or_default();
        self.store
            .delete(
                &self.kind,
                Some(required(namespace, "namespace")?),
                required(name, "name")?,
                &preconditions,
            )
            .await?;
        Ok(())
    }

    /// Changes as (type, object JSON), from the list options' resourceVersion (or a snapshot).
    pub async fn watch(
        &self,
        namespace: &str,
        options: &ListOptions,
    ) -> Result<BoxStream<'static, Result<(String, Value)>>> {
        let params = WatchParams {
            namespace: non_empty(Some(namespace)),
            label_selector: non_empty(options.label_selector.as_deref()),
            field_selector: non_empty(options.field_selector.as_deref()),
            resource_version: non_empty(options.resource_version.as_deref()),
        };
        let changes = self.store.watch(&self.kind, &params).await?;
        Ok(changes
            .map(|change| {
                let change = change?;
                Ok((
                    change.event_type().as_str().to_owned(),
                    object_json(change.object())?,
                ))
            })
            .boxed())
    }

    /// Logs of the named object's pods: none run here, so the stream is empty once the
    /// request is known to be valid.
    pub async fn no_logs<T: Send + 'static>(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<BoxStream<'static, Result<T>>> {
        required(namespace, "namespace")?;
        if !name.is_empty() {
            self.get(namespace, name).await?;
        }
        Ok(futures::stream::empty().boxed())
    }
}
