//! The embedded setup used by `argo run` and the `workflow-controller` binary in local mode:
//! a SQLite store file and the local pod runtime under one data directory, with pods rewired
//! to the project's `argoexec` (see [`crate::local`]).
//! Must not: start the controller loop (callers decide how long it runs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use argo_core::k8s_openapi::api::core::v1::{ConfigMap, Secret};
use argo_runtime::{
    ConfigLookup, LocalRuntime, LocalRuntimeConfig, Sandbox, ZygoteMode, ZygoteProgram,
};
use argo_store::{Environment, ResourceStore, SqliteConfig, SqliteStore, Typed};
use async_trait::async_trait;

use crate::cluster::Cluster;
use crate::error::{Error, Result};
use crate::inline_wait::InlineWait;
use crate::local::{LocalPods, locate_argoexec, with_executor_shim};

/// Set to `1`, containers start as programs of their own rather than from `argoexec`'s zygote
/// (see `argo_runtime::zygote`): slower, for ruling the zygote out when something goes wrong.
pub const NO_ZYGOTE_ENV: &str = "ARGO_NO_ZYGOTE";

/// Where and how to run locally.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    pub data_dir: PathBuf,
    pub sandbox: Sandbox,
    /// The `argoexec` binary; found with [`locate_argoexec`] when `None`.
    pub argoexec: Option<PathBuf>,
}

/// A store, a runtime and the pod rewriter that ties them together.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub cluster: Cluster,
    pub pods: LocalPods,
    pub store_path: PathBuf,
}

/// Opens (creating) the data directory's store and runtime.
pub async fn open(options: &EmbeddedOptions) -> Result<Embedded> {
    let data_dir = absolute(&options.data_dir)?;
    std::fs::create_dir_all(&data_dir).map_err(|source| Error::Io {
        path: data_dir.display().to_string(),
        source,
    })?;
    let data_dir = std::fs::canonicalize(&data_dir).map_err(|source| Error::Io {
        path: data_dir.display().to_string(),
        source,
    })?;
    let store_path = data_dir.join("argo.db");
    let store_config =
        SqliteConfig::file(&store_path).poll_interval(Some(Duration::from_millis(100)));
    let store: Arc<dyn ResourceStore> =
        Arc::new(SqliteStore::open(&store_config, Environment::system()).await?);
    let argoexec = options.argoexec.clone().unwrap_or_else(locate_argoexec);
    let runtime_root = data_dir.join("runtime");
    let mut runtime_config = LocalRuntimeConfig::new(&runtime_root);
    runtime_config.sandbox = options.sandbox;
    runtime_config.images = with_executor_shim(runtime_config.images, &argoexec);
    // A safety net: supervisors announce every change of a pod through the runtime's FIFO.
    runtime_config.poll_interval = Duration::from_secs(1);
    // `argoexec` as the zygote: main containers' `argoexec emissary` then runs in a fork.
    runtime_config.zygote = if std::env::var_os(NO_ZYGOTE_ENV).is_some_and(|v| v == "1") {
        ZygoteMode::Off
    } else {
        ZygoteMode::Program(ZygoteProgram {
            program: argoexec.clone(),
            args: vec!["local-zygote".to_owned()],
        })
    };
    let lookup = Arc::new(StoreLookup {
        store: store.clone(),
    });
    // `wait` containers on the host run on the controller's threads (see `inline_wait`).
    let wait_command = vec![argoexec.to_string_lossy().into_owned(), "wait".to_owned()];
    let inline_wait = InlineWait::new(store.clone());
    let runtime = LocalRuntime::new(runtime_config)?
        .with_config_lookup(lookup)
        .with_in_process_program(wait_command, Arc::new(inline_wait));
    let pods = LocalPods {
        data_dir: data_dir.clone(),
        store_url: format!("sqlite://{}", store_path.display()),
        artifact_root: data_dir.join("artifacts"),
        argoexec,
        sandbox: options.sandbox,
        runtime_root,
    };
    Ok(Embedded {
        cluster: Cluster::new(store, Arc::new(runtime)),
        pods,
        store_path,
    })
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// ConfigMaps and Secrets for pods' `configMapKeyRef`, `secretKeyRef` and volumes, from the
/// store.
struct StoreLookup {
    store: Arc<dyn ResourceStore>,
}

#[async_trait]
impl ConfigLookup for StoreLookup {
    async fn config_map(
        &self,
        namespace: &str,
        name: &str,
    ) -> argo_runtime::Result<Option<BTreeMap<String, String>>> {
        let config_maps: Typed<ConfigMap> = Typed::new(self.store.clone());
        match config_maps.get(Some(namespace), name).await {
            Ok(config_map) => Ok(Some(config_map.data.unwrap_or_default())),
            Err(argo_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(argo_runtime::Error::Task(error.to_string())),
        }
    }

    async fn secret(
        &self,
        namespace: &str,
        name: &str,
    ) -> argo_runtime::Result<Option<BTreeMap<String, Vec<u8>>>> {
        let secrets: Typed<Secret> = Typed::new(self.store.clone());
        match secrets.get(Some(namespace), name).await {
            Ok(secret) => {
                let mut data: BTreeMap<String, Vec<u8>> = secret
                    .data
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v.0))
                    .collect();
                for (key, value) in secret.string_data.unwrap_or_default() {
                    data.insert(key, value.into_bytes());
                }
                Ok(Some(data))
            }
            Err(argo_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(argo_runtime::Error::Task(error.to_string())),
        }
    }
}
