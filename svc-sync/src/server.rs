//! `sync.SyncService`: checks each request's fields, picks the backend its `type` names and
//! answers with the limit as stored.
//!
//! Must not: hold backend logic (`config_map`, `database`).

use std::sync::Arc;

use argo_proto::sync::sync_service_server::SyncService;
use argo_proto::sync::{
    CreateSyncLimitRequest, DeleteSyncLimitRequest, DeleteSyncLimitResponse, GetSyncLimitRequest,
    SyncLimitResponse, UpdateSyncLimitRequest,
};
use argo_store::ResourceStore;
use tonic::{Request, Response, Status};

use crate::limit::{Backend, LimitKey, require_positive, unsupported};
use crate::{Config, Result, config_map, database};

/// SyncService over a store.
#[derive(Clone)]
pub struct SyncServer {
    store: Arc<dyn ResourceStore>,
    config: Config,
}

impl std::fmt::Debug for SyncServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncServer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn response(limit: &LimitKey, size: i32) -> SyncLimitResponse {
    SyncLimitResponse {
        r#type: limit.backend.config_type().into(),
        namespace: limit.namespace.clone(),
        cm_name: limit.config_map.clone(),
        key: limit.key.clone(),
        limit: size,
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

impl SyncServer {
    /// The service over `store`.
    pub fn new(store: Arc<dyn ResourceStore>, config: Config) -> Self {
        Self { store, config }
    }

    /// The addressed limit, when its backend is enabled here.
    fn address(
        &self,
        config_type: i32,
        namespace: &str,
        cm_name: &str,
        key: &str,
    ) -> Result<LimitKey> {
        let limit = LimitKey::new(config_type, namespace, cm_name, key)?;
        if limit.backend == Backend::Database && !self.config.database_limits {
            return Err(unsupported("DATABASE"));
        }
        Ok(limit)
    }

    async fn create(&self, r: CreateSyncLimitRequest) -> Result<SyncLimitResponse> {
        require_positive(r.limit)?;
        let limit = self.address(r.r#type, &r.namespace, &r.cm_name, &r.key)?;
        self.write(&limit, r.limit, Write::Create).await
    }

    async fn get(&self, r: GetSyncLimitRequest) -> Result<SyncLimitResponse> {
        let limit = self.address(r.r#type, &r.namespace, &r.cm_name, &r.key)?;
        let size = match limit.backend {
            Backend::ConfigMap => config_map::get(&*self.store, &limit).await?,
            Backend::Database => database::get(&*self.store, &limit).await?,
        };
        Ok(response(&limit, size))
    }

    async fn update(&self, r: UpdateSyncLimitRequest) -> Result<SyncLimitResponse> {
        require_positive(r.limit)?;
        let limit = self.address(r.r#type, &r.namespace, &r.cm_name, &r.key)?;
        self.write(&limit, r.limit, Write::Update).await
    }

    /// Stores `size` as the limit through its backend, then answers with it.
    async fn write(&self, limit: &LimitKey, size: i32, write: Write) -> Result<SyncLimitResponse> {
        let store = &*self.store;
        match (limit.backend, write) {
            (Backend::ConfigMap, Write::Create) => config_map::create(store, limit, size).await?,
            (Backend::ConfigMap, Write::Update) => config_map::update(store, limit, size).await?,
            (Backend::Database, Write::Create) => database::create(store, limit, size).await?,
            (Backend::Database, Write::Update) => database::update(store, limit, size).await?,
        }
        Ok(response(limit, size))
    }

    async fn delete(&self, r: DeleteSyncLimitRequest) -> Result<DeleteSyncLimitResponse> {
        let limit = self.address(r.r#type, &r.namespace, &r.cm_name, &r.key)?;
        match limit.backend {
            Backend::ConfigMap => config_map::delete(&*self.store, &limit).await?,
            Backend::Database => database::delete(&*self.store, &limit).await?,
        }
        Ok(DeleteSyncLimitResponse {})
    }
}

/// Which write a create or update RPC asks of the backend.
#[derive(Debug, Clone, Copy)]
enum Write {
    Create,
    Update,
}

#[tonic::async_trait]
impl SyncService for SyncServer {
    async fn create_sync_limit(
        &self,
        request: Request<CreateSyncLimitRequest>,
    ) -> Result<Response<SyncLimitResponse>, Status> {
        answer(self.create(request.into_inner()).await)
    }

    async fn get_sync_limit(
        &self,
        request: Request<GetSyncLimitRequest>,
    ) -> Result<Response<SyncLimitResponse>, Status> {
        answer(self.get(request.into_inner()).await)
    }

    async fn update_sync_limit(
        &self,
        request: Request<UpdateSyncLimitRequest>,
    ) -> Result<Response<SyncLimitResponse>, Status> {
        answer(self.update(request.into_inner()).await)
    }

    async fn delete_sync_limit(
        &self,
        request: Request<DeleteSyncLimitRequest>,
    ) -> Result<Response<DeleteSyncLimitResponse>, Status> {
        answer(self.delete(request.into_inner()).await)
    }
}
