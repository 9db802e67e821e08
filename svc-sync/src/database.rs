//! Limits Argo keeps in its database table, kept here as store objects of their own kind so
//! every store backend holds them and the controller can watch them: one
//! `argors.io/v1alpha1` `SyncLimit` per limit, in the limit's namespace, named by its key, with
//! `spec.limit` the size. (Argo's table row `namespace/key -> sizelimit`.) Keys are therefore
//! object names: anything without `/` or `%`.
//!
//! Must not: touch any other kind.

use argo_store::{Object, ResourceKind, ResourceStore, Scope};
use serde_json::{Value, json};

use crate::limit::LimitKey;
use crate::{Error, Result};

/// The kind database-backed limits are stored as.
pub fn sync_limit_kind() -> ResourceKind {
    ResourceKind::new("argors.io/v1alpha1", "SyncLimit", Scope::Namespaced)
}

fn not_found(limit: &LimitKey) -> Error {
    Error::not_found(format!(
        "Database sync limit not found in namespace \"{}\".",
        limit.namespace
    ))
}

/// Maps the store's NotFound to Argo's wording; other errors pass through.
fn or_not_found(limit: &LimitKey) -> impl Fn(argo_store::Error) -> Error + '_ {
    move |error| {
        if error.is_not_found() {
            not_found(limit)
        } else {
            error.into()
        }
    }
}

pub async fn create(store: &dyn ResourceStore, limit: &LimitKey, size: i32) -> Result<()> {
    let object = Object::new(&sync_limit_kind(), Some(&limit.namespace), &limit.key)
        .with_field("spec", json!({ "limit": size }));
    match store.create(&sync_limit_kind(), object).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_already_exists() => Err(Error::already_exists(format!(
            "Database sync limit already exists in namespace \"{}\".",
            limit.namespace
        ))),
        Err(error) => Err(error.into()),
    }
}

pub async fn get(store: &dyn ResourceStore, limit: &LimitKey) -> Result<i32> {
    let object = store
        .get(&sync_limit_kind(), Some(&limit.namespace), &limit.key)
        .await
        .map_err(or_not_found(limit))?;
    size_of(&object)
}

pub async fn update(store: &dyn ResourceStore, limit: &LimitKey, size: i32) -> Result<()> {
    let mut object = store
        .get(&sync_limit_kind(), Some(&limit.namespace), &limit.key)
        .await
        .map_err(or_not_found(limit))?;
    object
        .fields
        .insert("spec".to_owned(), json!({ "limit": size }));
    store
        .update(&sync_limit_kind(), object)
        .await
        .map_err(or_not_found(limit))?;
    Ok(())
}

pub async fn delete(store: &dyn ResourceStore, limit: &LimitKey) -> Result<()> {
    store
        .delete(
            &sync_limit_kind(),
            Some(&limit.namespace),
            &limit.key,
            &Default::default(),
        )
        .await
        .map_err(or_not_found(limit))?;
    Ok(())
}

/// The size a stored limit holds.
pub fn size_of(object: &Object) -> Result<i32> {
    object
        .fields
        .get("spec")
        .and_then(|spec| spec.get("limit"))
        .and_then(Value::as_i64)
        .and_then(|size| i32::try_from(size).ok())
        .ok_or_else(|| {
            Error::internal(format!(
                "stored sync limit {}/{} has no integer spec.limit",
                object.namespace().unwrap_or_default(),
                object.name()
            ))
        })
}
