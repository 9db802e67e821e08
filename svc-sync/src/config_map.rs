//! Limits kept as keys of a ConfigMap, as Argo keeps them: `data[key]` holds the limit as
//! decimal text. Creating a limit creates the ConfigMap when it is missing; deleting one
//! removes only its key. Every write replaces the ConfigMap at the resourceVersion it was read
//! at, so a concurrent change fails as a conflict instead of being lost.
//!
//! Must not: touch other keys of the ConfigMap.

use argo_store::{Object, ResourceKind, ResourceStore, Scope};
use serde_json::{Map, Value, json};

use crate::limit::LimitKey;
use crate::{Error, Result};

/// Kubernetes' core/v1 ConfigMap, as the store keeps it.
pub fn config_map_kind() -> ResourceKind {
    ResourceKind::new("v1", "ConfigMap", Scope::Namespaced)
}

fn data(object: &Object) -> Map<String, Value> {
    object
        .fields
        .get("data")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn missing_key(limit: &LimitKey) -> String {
    format!(
        "key {} not found in configmap {}/{}",
        limit.key, limit.namespace, limit.config_map
    )
}

/// Creates the limit; the key must not exist yet.
pub async fn create(store: &dyn ResourceStore, limit: &LimitKey, size: i32) -> Result<()> {
    let kind = config_map_kind();
    match store
        .get(&kind, Some(&limit.namespace), &limit.config_map)
        .await
    {
        Ok(existing) => {
            if data(&existing).contains_key(&limit.key) {
                return Err(Error::already_exists(
                    "sync limit cannot be created as it already exists",
                ));
            }
            write(store, existing, limit, size).await
        }
        Err(error) if error.is_not_found() => {
            let fresh = Object::new(&kind, Some(&limit.namespace), &limit.config_map)
                .with_field("data", json!({ limit.key.clone(): size.to_string() }));
            store.create(&kind, fresh).await?;
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

/// The limit's size.
pub async fn get(store: &dyn ResourceStore, limit: &LimitKey) -> Result<i32> {
    let object = store
        .get(
            &config_map_kind(),
            Some(&limit.namespace),
            &limit.config_map,
        )
        .await?;
    let data = data(&object);
    let Some(text) = data.get(&limit.key) else {
        return Err(Error::not_found(missing_key(limit)));
    };
    text.as_str()
        .and_then(|text| text.parse::<i32>().ok())
        .ok_or_else(|| {
            Error::invalid_argument(format!(
                "invalid limit format for key {} in configmap {}/{}",
                limit.key, limit.namespace, limit.config_map
            ))
        })
}

/// Changes the size of an existing limit.
pub async fn update(store: &dyn ResourceStore, limit: &LimitKey, size: i32) -> Result<()> {
    let object = store
        .get(
            &config_map_kind(),
            Some(&limit.namespace),
            &limit.config_map,
        )
        .await?;
    if !data(&object).contains_key(&limit.key) {
        return Err(Error::not_found(format!(
            "{} - please create it first",
            missing_key(limit)
        )));
    }
    write(store, object, limit, size).await
}

/// Removes the limit's key (a missing key is not an error, as in Argo).
pub async fn delete(store: &dyn ResourceStore, limit: &LimitKey) -> Result<()> {
    let mut object = store
        .get(
            &config_map_kind(),
            Some(&limit.namespace),
            &limit.config_map,
        )
        .await?;
    let mut data = data(&object);
    if data.remove(&limit.key).is_none() {
        return Ok(());
    }
    object.fields.insert("data".to_owned(), Value::Object(data));
    store.update(&config_map_kind(), object).await?;
    Ok(())
}

async fn write(
    store: &dyn ResourceStore,
    mut object: Object,
    limit: &LimitKey,
    size: i32,
) -> Result<()> {
    let mut data = data(&object);
    data.insert(limit.key.clone(), Value::String(size.to_string()));
    object.fields.insert("data".to_owned(), Value::Object(data));
    store.update(&config_map_kind(), object).await?;
    Ok(())
}
