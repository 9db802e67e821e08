//! `argo-server`: composes the gateway, every `svc-*` service (in-process, as tower services)
//! and the controller over the embedded store and local runtime: what `argo server` runs.
//!
//! [`LocalServer::start`] brings everything up on the caller's tokio runtime and hands back a
//! [`RunningServer`] (bound address, store, shutdown); [`serve`] does the same and runs until
//! ctrl-c or SIGTERM. [`ServerOptions`] is the typed configuration the CLI fills from Argo's
//! flags; [`configmap`] reads Argo's `workflow-controller-configmap` shape; [`logs`] gives the
//! workflow service the local runtime's pod logs; [`ui`] finds the UI files; [`manifests`]
//! applies `--manifests` files to the store at start.
//!
//! Must not hold API logic (the services do) or reconcile logic (the controller does), or
//! parse command lines (the CLI does).

pub mod configmap;
mod error;
pub mod local;
pub mod logging;
pub mod logs;
pub mod manifests;
pub mod options;
mod services;
mod tls;
pub mod ui;

pub use error::{Error, Result};
pub use gateway::AuthMode;
pub use local::{LocalServer, RunningServer, serve};
pub use logs::RuntimeLogs;
pub use options::{ServerOptions, TlsSource};

/// Stack size of the runtime's worker threads: the workflow service's linter recurses over
/// templates and debug builds keep large futures on the stack.
pub const WORKER_STACK_BYTES: usize = svc_workflow::WORKER_STACK_BYTES;

/// A multi-threaded tokio runtime whose workers have [`WORKER_STACK_BYTES`] stacks; run
/// [`serve`] or [`LocalServer::start`] on it.
///
/// # Errors
/// When the runtime's threads cannot be created.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(WORKER_STACK_BYTES)
        .thread_name("argo-server")
        .enable_all()
        .build()
}
