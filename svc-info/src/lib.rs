//! `info.InfoService`: what the UI needs to know about this server (links, columns, nav colour,
//! modals, the managed namespace), the build version, who the caller is, and usage events.
//!
//! Must not: read configuration files itself (the binary hands it an [`InfoConfig`]) or verify
//! tokens (the auth seam in `argo-service` decides who the caller is).

mod config;
mod server;

pub use config::{Column, InfoConfig, Link};
pub use server::{Identity, InfoServer};

use argo_proto::info::info_service_server::InfoServiceServer;

/// The tonic service for in-process mounting (`argo server`) or a standalone binary.
pub fn service(config: InfoConfig, identity: Identity) -> InfoServiceServer<InfoServer> {
    InfoServiceServer::new(InfoServer::new(config, identity))
}
