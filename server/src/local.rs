//! Local mode: the embedded store and runtime, the controller loop, the services and the
//! gateway on one port, all in this process.
//!
//! [`LocalServer::start`] returns once the port is bound, so callers (tests, the CLI) can talk
//! to it at once; the controller and the listener run as one task on the caller's runtime,
//! which needs [`crate::WORKER_STACK_BYTES`] worker stacks (see [`crate::runtime`]).
//! Must not: hold API or reconcile logic.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use argo_store::{
    ArchiveStore, Environment, ResourceStore, SqliteArchive, SqliteConfig, SqliteStore,
};
use controller::{Cluster, Controller, Embedded, EmbeddedOptions, LoopSettings};
use gateway::{GatewayState, ModeAuthenticator, Settings, listener};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::options::ServerOptions;
use crate::{Error, Result, configmap, manifests, services, tls, ui};

/// How often the controller looks at every workflow again, in case an event was missed.
const RESYNC: Duration = Duration::from_secs(2);

/// Starts local-mode servers.
#[derive(Debug)]
pub struct LocalServer;

impl LocalServer {
    /// Opens the data directory, reads the configmap, binds the port and starts the controller
    /// and the gateway.
    ///
    /// # Errors
    /// Invalid options, an unusable data directory, configmap or certificate, or a port that
    /// cannot be bound.
    pub async fn start(options: ServerOptions) -> Result<RunningServer> {
        options.validate()?;
        let embedded = controller::embedded::open(&EmbeddedOptions {
            data_dir: options.data_dir.clone(),
            sandbox: options.sandbox,
            argoexec: options.argoexec.clone(),
        })
        .await?;
        let store = embedded.cluster.store.clone();
        // Before the configmap is read: the manifests may hold it.
        let manifests = manifests::read(&options.manifests, &options.namespace)?;
        if !manifests.is_empty() {
            let applied = manifests::apply(&store, manifests).await?;
            tracing::info!(objects = applied.len(), "--manifests applied");
        }
        let settings = configmap::load(&store, &options.namespace, &options.configmap).await?;
        let mut info = settings.info;
        configmap::sanitise_links(&mut info, &options.allowed_link_protocols);
        let restricted = options.restricted_namespace().map(str::to_owned);
        if let Some(namespace) = &restricted {
            info.managed_namespace = namespace.clone();
        }

        let archive = open_archive(&embedded).await?;
        let mounted = services::mount(
            &embedded,
            archive.clone(),
            info,
            &settings.controller.instance_id,
        );
        let authenticator = Arc::new(ModeAuthenticator::new(options.auth_modes.clone()));
        let mut state = GatewayState::new(
            gateway_settings(&options),
            gateway::Backends::local(mounted.routes),
            authenticator,
        )
        .await?;
        services::report_unmounted(&state.health, &mounted.names).await;
        let (ui_source, assets) = ui::select(options.ui_dir.as_deref());
        tracing::info!(ui = ?ui_source, "serving the web UI");
        state = state.with_assets(assets);
        let ui_dir = match ui_source {
            ui::UiSource::Directory(dir) => Some(dir),
            ui::UiSource::Embedded | ui::UiSource::NotBuilt => None,
        };

        let (tls_config, certificate_pem) = if options.secure {
            let certified = tls::certificate(&options.tls, &store, &options.namespace).await?;
            let pem = certified.certificate_pem.clone();
            (Some(gateway::tls::server_config(certified)?), Some(pem))
        } else {
            (None, None)
        };
        let bind = format!("{}:{}", options.address, options.port);
        let tcp = tokio::net::TcpListener::bind(&bind)
            .await
            .map_err(|source| Error::Bind {
                address: bind.clone(),
                source,
            })?;
        let address = tcp.local_addr().map_err(|source| Error::Bind {
            address: bind,
            source,
        })?;

        let controller = Arc::new(
            Controller::new(
                embedded.cluster.clone(),
                settings.controller,
                LoopSettings {
                    workers: options.workflow_workers,
                    resync: RESYNC,
                    namespace: restricted,
                    ..LoopSettings::default()
                },
            )
            .with_pod_rewriter(Arc::new(embedded.pods.clone()))
            .with_archive(archive),
        );
        let (stop, stopped) = watch::channel(false);
        let stop = Arc::new(stop);
        let router = gateway::router(state);
        let task = {
            let stop = stop.clone();
            tokio::spawn(async move {
                let gateway = async {
                    let result =
                        listener::serve(tcp, tls_config, router, until(stopped.clone())).await;
                    // A listener that fails takes the controller down with it.
                    stop.send_replace(true);
                    result
                };
                let (gateway, controller) =
                    tokio::join!(gateway, controller.run(until(stopped.clone())));
                gateway?;
                controller?;
                Ok(())
            })
        };
        tracing::info!(%address, secure = options.secure, data_dir = %options.data_dir.display(), "argo server started");
        Ok(RunningServer {
            address,
            secure: options.secure,
            cluster: embedded.cluster,
            certificate_pem,
            ui_dir,
            stop,
            task: Some(task),
        })
    }
}

/// The workflow archive in the embedded store's database; the controller writes to it only
/// when the configmap's `persistence.archive` asks.
async fn open_archive(embedded: &Embedded) -> Result<Arc<dyn ArchiveStore>> {
    let store = SqliteStore::open(
        &SqliteConfig::file(&embedded.store_path),
        Environment::system(),
    )
    .await?;
    Ok(Arc::new(SqliteArchive::new(&store)))
}

fn gateway_settings(options: &ServerOptions) -> Settings {
    Settings {
        base_href: options.base_href.clone(),
        x_frame_options: options.x_frame_options.clone(),
        hsts: options.secure && options.hsts,
        access_control_allow_origin: options.access_control_allow_origin.clone(),
        api_rate_limit: options.api_rate_limit,
        max_request_bytes: options.max_request_bytes,
        ..Settings::default()
    }
}

async fn until(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// A started server: where it listens, its store, and how to stop it.
#[derive(Debug)]
pub struct RunningServer {
    address: SocketAddr,
    secure: bool,
    cluster: Cluster,
    certificate_pem: Option<String>,
    ui_dir: Option<PathBuf>,
    stop: Arc<watch::Sender<bool>>,
    task: Option<JoinHandle<Result<()>>>,
}

impl RunningServer {
    /// The bound address (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http(s)://host:port` to reach the server from this machine (loopback when bound to
    /// all interfaces).
    pub fn url(&self) -> String {
        let host = match self.address.ip() {
            ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        };
        let scheme = if self.secure { "https" } else { "http" };
        format!("{scheme}://{}", SocketAddr::new(host, self.address.port()))
    }

    /// The embedded store the services and the controller share.
    pub fn store(&self) -> Arc<dyn ResourceStore> {
        self.cluster.store.clone()
    }

    /// The store and the pod runtime.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The served certificate (PEM) when secure; clients of a self-signed server trust it.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }

    /// The directory the UI is read from; `None` when it is the embedded UI (or none was built).
    pub fn ui_dir(&self) -> Option<&std::path::Path> {
        self.ui_dir.as_deref()
    }

    /// Waits until the server stops by itself (the listener failed); `Ok` if it was shut down.
    ///
    /// # Errors
    /// What stopped it.
    pub async fn finished(&mut self) -> Result<()> {
        match self.task.take() {
            Some(task) => joined(task.await),
            None => Ok(()),
        }
    }

    /// Stops accepting connections and stops the controller; running pods are left to the
    /// runtime, which a restart picks up again.
    ///
    /// # Errors
    /// What made the server fail, if it had.
    pub async fn shutdown(mut self) -> Result<()> {
        self.stop.send_replace(true);
        self.finished().await
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

fn joined(result: std::result::Result<Result<()>, tokio::task::JoinError>) -> Result<()> {
    result.map_err(|error| Error::Task {
        task: "server",
        reason: error.to_string(),
    })?
}

/// Runs a local server until ctrl-c or SIGTERM, then shuts it down.
///
/// # Errors
/// When it cannot start, or fails while running.
pub async fn serve(options: ServerOptions) -> Result<()> {
    let mut running = LocalServer::start(options).await?;
    println!("argo server listening on {}", running.url());
    let ended = tokio::select! {
        () = termination() => None,
        result = running.finished() => Some(result),
    };
    match ended {
        Some(result) => result,
        None => {
            tracing::info!("shutting down");
            running.shutdown().await
        }
    }
}

async fn termination() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
