//! Typed access: a thin wrapper that converts between a resource type (any `k8s_openapi`
//! resource with `ObjectMeta`, such as ConfigMap, Secret or argo-core's kinds) and [`Object`]
//! around a [`ResourceStore`]. It adds no storage semantics of its own.

use std::marker::PhantomData;
use std::sync::Arc;

use futures::StreamExt;
use futures::stream::BoxStream;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{
    Deletion, ListParams, Object, ObjectList, Preconditions, ResourceKind, ResourceStore, Result,
    ScopeOf, WatchEvent, WatchParams,
};

/// Typed operations on one kind `T` in a store `S`.
pub struct Typed<T, S: ?Sized = dyn ResourceStore> {
    store: Arc<S>,
    kind: ResourceKind,
    resource: PhantomData<fn() -> T>,
}

impl<T, S: ?Sized> Clone for Typed<T, S> {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
            kind: self.kind.clone(),
            resource: PhantomData,
        }
    }
}

impl<T, S: ?Sized> std::fmt::Debug for Typed<T, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typed")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl<T, S> Typed<T, S>
where
    T: k8s_openapi::Resource
        + k8s_openapi::Metadata<Ty = ObjectMeta>
        + Serialize
        + DeserializeOwned,
    T::Scope: ScopeOf,
    S: ResourceStore + ?Sized,
{
    /// Typed access to `T` as described by its `k8s_openapi::Resource` constants.
    pub fn new(store: Arc<S>) -> Self {
        Self::with_kind(store, ResourceKind::of::<T>())
    }

    /// Typed access with an explicit kind descriptor (for example with a status subresource).
    pub fn with_kind(store: Arc<S>, kind: ResourceKind) -> Self {
        Self {
            store,
            kind,
            resource: PhantomData,
        }
    }

    pub fn kind(&self) -> &ResourceKind {
        &self.kind
    }

    pub async fn get(&self, namespace: Option<&str>, name: &str) -> Result<T> {
        self.store
            .get_shared(&self.kind, namespace, name)
            .await?
            .to_resource()
    }

    pub async fn list(&self, params: &ListParams) -> Result<ObjectList<T>> {
        self.store
            .list_shared(&self.kind, params)
            .await?
            .map(|object| object.to_resource())
    }

    pub async fn create(&self, resource: &T) -> Result<T> {
        let object = Object::from_resource(resource)?;
        self.store.create(&self.kind, object).await?.into_resource()
    }

    pub async fn update(&self, resource: &T) -> Result<T> {
        let object = Object::from_resource(resource)?;
        self.store
            .update_shared(&self.kind, object)
            .await?
            .to_resource()
    }

    /// Updates `resource` and takes the stored metadata (`resourceVersion`, `generation`...)
    /// into it: the same result as [`Typed::update`] without converting the whole stored
    /// object back, since an update stores the body it is given (except a status subresource's
    /// `status`, which is read back in full).
    pub async fn update_in_place(&self, resource: &mut T) -> Result<()> {
        let object = Object::from_resource(&*resource)?;
        let stored = self.store.update_shared(&self.kind, object).await?;
        if self.kind.status_subresource {
            *resource = stored.to_resource()?;
        } else {
            *resource.metadata_mut() = stored.metadata.clone();
        }
        Ok(())
    }

    pub async fn update_status(&self, resource: &T) -> Result<T> {
        let object = Object::from_resource(resource)?;
        self.store
            .update_status(&self.kind, object)
            .await?
            .into_resource()
    }

    pub async fn delete(
        &self,
        namespace: Option<&str>,
        name: &str,
        preconditions: &Preconditions,
    ) -> Result<Deletion<T>> {
        self.store
            .delete(&self.kind, namespace, name, preconditions)
            .await?
            .map(Object::into_resource)
    }

    pub async fn watch(
        &self,
        params: &WatchParams,
    ) -> Result<BoxStream<'static, Result<WatchEvent<T>>>> {
        let events = self.store.watch(&self.kind, params).await?;
        Ok(events
            .map(|event| event.and_then(|event| event.map(Object::into_resource)))
            .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryStore;
    use k8s_openapi::api::core::v1::ConfigMap;

    #[tokio::test]
    async fn typed_config_maps_round_trip_through_the_store() {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let config_maps = Typed::<ConfigMap>::new(store);
        let config_map = ConfigMap {
            metadata: ObjectMeta {
                name: Some("semaphores".into()),
                namespace: Some("argo".into()),
                ..ObjectMeta::default()
            },
            data: Some([("workflow".to_owned(), "2".to_owned())].into()),
            ..ConfigMap::default()
        };
        let created = config_maps.create(&config_map).await.unwrap();
        assert_eq!(created.metadata.generation, Some(1));
        let fetched = config_maps.get(Some("argo"), "semaphores").await.unwrap();
        assert_eq!(fetched.data, config_map.data);
        assert_eq!(
            config_maps
                .list(&ListParams::default())
                .await
                .unwrap()
                .items
                .len(),
            1
        );
    }
}
