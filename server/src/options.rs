//! The server's one typed configuration, in the terms of Argo's `argo server` flags plus the
//! local-mode ones (data directory, sandbox, UI directory). The CLI fills it from flags and
//! `ARGO_*` environment; [`ServerOptions::validate`] checks it once before anything starts.
//!
//! Must not: read the process environment or the command line.

use std::path::PathBuf;

use argo_runtime::Sandbox;
use gateway::AuthMode;

use crate::{Error, Result};

/// The namespace Argo would be installed in; resources naming none are looked up here.
pub const DEFAULT_NAMESPACE: &str = "argo";
/// Argo's default name of the controller configmap.
pub const DEFAULT_CONFIGMAP: &str = "workflow-controller-configmap";

/// The largest REST request body by default: Argo's gRPC message size limit (100 MiB).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = gateway::transcode::MAX_MESSAGE_SIZE;

/// Where the TLS certificate comes from when serving securely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    /// One generated at start for `localhost` and the loopback addresses (Argo's default).
    SelfSigned,
    /// PEM files.
    Files { certificate: PathBuf, key: PathBuf },
    /// A Secret in the install namespace with `tls.crt` and `tls.key`
    /// (`--tls-certificate-secret-name`).
    Secret { name: String },
}

/// Everything `argo server` in local mode needs.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address to bind (all interfaces by default, as Argo).
    pub address: String,
    /// Port; 0 picks a free one (see [`crate::RunningServer::address`]).
    pub port: u16,
    /// Serve TLS.
    pub secure: bool,
    pub tls: TlsSource,
    /// Enabled `--auth-mode`s.
    pub auth_modes: Vec<AuthMode>,
    pub base_href: String,
    /// Restrict the controller (and GetInfo's managed namespace) to one namespace.
    pub namespaced: bool,
    /// The namespace managed when `namespaced`; the install namespace when unset.
    pub managed_namespace: Option<String>,
    /// The install namespace: where the configmap and TLS secret are looked up.
    pub namespace: String,
    /// Requests per second per client; 0 leaves the limiter out (as does
    /// `ARGO_API_RATE_LIMIT_DISABLED=true`, which the gateway reads).
    pub api_rate_limit: u64,
    /// The largest REST request body accepted, in bytes (Argo's `GRPC_MESSAGE_SIZE`); a bigger
    /// one is answered 400.
    pub max_request_bytes: usize,
    /// A configmap name (looked up in the store) or a YAML file.
    pub configmap: String,
    /// Link schemes the configmap's links may use (`--allowed-link-protocol`).
    pub allowed_link_protocols: Vec<String>,
    pub x_frame_options: String,
    pub hsts: bool,
    pub access_control_allow_origin: String,
    /// The store file, pods' state and artifacts live here.
    pub data_dir: PathBuf,
    pub sandbox: Sandbox,
    /// Serve the UI from this directory; when `None`, the UI embedded in the binary (else a
    /// `ui/dist` found beside the binary or the repository; see [`crate::ui::select`]).
    pub ui_dir: Option<PathBuf>,
    /// The `argoexec` binary; found beside the running program when `None`.
    pub argoexec: Option<PathBuf>,
    /// Workflows the controller reconciles at once.
    pub workflow_workers: usize,
    /// Manifest files or directories applied to the store at start (`--manifests`).
    pub manifests: Vec<PathBuf>,
}

impl ServerOptions {
    /// Argo's defaults with the given data directory.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            address: "0.0.0.0".to_owned(),
            port: 2746,
            secure: true,
            tls: TlsSource::SelfSigned,
            auth_modes: vec![AuthMode::Client],
            base_href: "/".to_owned(),
            namespaced: false,
            managed_namespace: None,
            namespace: DEFAULT_NAMESPACE.to_owned(),
            api_rate_limit: 1000,
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            configmap: DEFAULT_CONFIGMAP.to_owned(),
            allowed_link_protocols: vec!["http".to_owned(), "https".to_owned()],
            x_frame_options: "DENY".to_owned(),
            hsts: true,
            access_control_allow_origin: String::new(),
            data_dir: data_dir.into(),
            sandbox: Sandbox::Namespaces,
            ui_dir: None,
            argoexec: None,
            workflow_workers: 4,
            manifests: Vec::new(),
        }
    }

    /// Options for tests and embedding: loopback, a free port, plain HTTP, server and client
    /// auth, no sandbox.
    pub fn loopback(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            address: "127.0.0.1".to_owned(),
            port: 0,
            secure: false,
            auth_modes: vec![AuthMode::Server, AuthMode::Client],
            sandbox: Sandbox::None,
            ..Self::new(data_dir)
        }
    }

    /// The namespace the server is restricted to, if any.
    pub fn restricted_namespace(&self) -> Option<&str> {
        if !self.namespaced {
            return None;
        }
        Some(
            self.managed_namespace
                .as_deref()
                .filter(|namespace| !namespace.is_empty())
                .unwrap_or(&self.namespace),
        )
    }

    /// Checks what types cannot.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the flag at fault.
    pub fn validate(&self) -> Result<()> {
        let invalid = |option, reason: &str| {
            Err(Error::InvalidOption {
                option,
                reason: reason.to_owned(),
            })
        };
        if self.auth_modes.is_empty() {
            return invalid("--auth-mode", "must specify at least one auth mode");
        }
        if self.max_request_bytes == 0 {
            return invalid("--max-request-bytes", "must be at least 1");
        }
        if !self.base_href.starts_with('/') {
            return invalid("--base-href", "must start with '/'");
        }
        if self.address.parse::<std::net::IpAddr>().is_err() && self.address != "localhost" {
            return invalid("--address", "must be an IP address");
        }
        if self.namespace.is_empty() {
            return invalid("--namespace", "must not be empty");
        }
        if self.workflow_workers == 0 {
            return invalid("--workflow-workers", "must be at least 1");
        }
        if self.data_dir.as_os_str().is_empty() {
            return invalid("--data-dir", "must not be empty");
        }
        if !self.secure && self.tls != TlsSource::SelfSigned {
            return invalid(
                "--secure",
                "a TLS certificate was given but --secure=false serves plain HTTP",
            );
        }
        if let Some(dir) = &self.ui_dir
            && !dir.is_dir()
        {
            return invalid("--ui-dir", &format!("{} is not a directory", dir.display()));
        }
        if let Some(missing) = self.manifests.iter().find(|path| !path.exists()) {
            return invalid(
                "--manifests",
                &format!("{} does not exist", missing.display()),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_argos() {
        let options = ServerOptions::new("/tmp/x");
        assert_eq!(options.port, 2746);
        assert!(options.secure);
        assert_eq!(options.auth_modes, vec![AuthMode::Client]);
        assert_eq!(options.api_rate_limit, 1000);
        assert_eq!(options.max_request_bytes, 100 * 1024 * 1024);
        assert_eq!(options.configmap, "workflow-controller-configmap");
        options.validate().expect("defaults are valid");
    }

    #[test]
    fn a_rate_limit_of_zero_means_no_limiter() {
        let mut options = ServerOptions::new("/tmp/x");
        options.api_rate_limit = 0;
        options.validate().expect("0 turns the limiter off");
    }

    #[test]
    fn the_managed_namespace_applies_only_when_namespaced() {
        let mut options = ServerOptions::new("/tmp/x");
        options.managed_namespace = Some("team".to_owned());
        assert_eq!(options.restricted_namespace(), None);
        options.namespaced = true;
        assert_eq!(options.restricted_namespace(), Some("team"));
        options.managed_namespace = None;
        assert_eq!(options.restricted_namespace(), Some("argo"));
    }

    #[test]
    fn invalid_values_name_their_flag() {
        let mut options = ServerOptions::new("/tmp/x");
        options.max_request_bytes = 0;
        let error = options.validate().expect_err("zero body size");
        assert!(
            error.to_string().starts_with("--max-request-bytes"),
            "{error}"
        );

        let mut options = ServerOptions::new("/tmp/x");
        options.base_href = "argo/".to_owned();
        let error = options.validate().expect_err("relative href");
        assert!(error.to_string().starts_with("--base-href"), "{error}");

        let mut options = ServerOptions::new("/tmp/x");
        options.ui_dir = Some(PathBuf::from("/definitely/not/here"));
        let error = options.validate().expect_err("missing ui dir");
        assert!(
            error.to_string().contains("/definitely/not/here"),
            "{error}"
        );
    }
}
