//! `svc-sync`: semaphore limits (`sync.SyncService`: create, get, update, delete) over any
//! `argo-store` backend, with Argo's checks and messages.
//!
//! Where limits live:
//! - `CONFIGMAP`: key `key` of ConfigMap `cmName` in `namespace` (`data[key]` = the limit as
//!   decimal text), exactly where Argo's controller reads `semaphore.configMapKeyRef` limits.
//! - `DATABASE`: Argo keeps these in its `sync_limit` table; here the store is the database, and
//!   each limit is an object of kind `SyncLimit` (`apiVersion: argors.io/v1alpha1`) in
//!   `namespace`, named `key`, with the size in `spec.limit`. A controller honouring database
//!   semaphores watches that kind, so changed limits apply without a restart. Keys may not
//!   contain `/` or `%` (the store's rule for names; REST cannot address such keys either).
//!
//! Mounting: [`service`] returns the tonic server; [`SERVICE_NAME`] is its gRPC name.
//!
//! Must not: grant or release locks (the controller does), or depend on another `svc-*` crate.

mod config_map;
mod database;
mod error;
mod limit;
mod server;

use std::sync::Arc;

use argo_proto::sync::sync_service_server::SyncServiceServer;
use argo_store::ResourceStore;

pub use config_map::config_map_kind;
pub use database::{size_of as database_limit_size, sync_limit_kind};
pub use error::{Error, Result};
pub use server::SyncServer;

/// The service's gRPC name.
pub const SERVICE_NAME: &str = "sync.SyncService";

/// Settings of the sync service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Whether `DATABASE` limits are served (Argo's `synchronization.enableAPI`). On by default:
    /// the store is always there, unlike Argo's optional database. When off, such requests fail
    /// as Argo's do: `unsupported sync config type: DATABASE`.
    pub database_limits: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_limits: true,
        }
    }
}

/// The tonic service over a store.
pub fn service(store: Arc<dyn ResourceStore>, config: Config) -> SyncServiceServer<SyncServer> {
    SyncServiceServer::new(SyncServer::new(store, config))
}
