//! The gateway's one typed configuration: Argo's `argo server` flag names, with `env`.
//!
//! Defaults come first, then environment (`ARGO_*`), then flags, via clap. Validation runs
//! once ([`Config::validate`]); nothing else in the crate reads the process environment
//! except the rate limiter's `IP_KEY_FUNC_HEADERS`, which Argo reads the same way.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Parser};

use crate::auth::AuthMode;
use crate::{Error, Result};

/// Flags of `argo-gateway` (and the gateway part of `argo server`).
#[derive(Clone, Debug, Parser)]
#[command(name = "argo-gateway", about = "The Argo API gateway")]
pub struct Config {
    /// Port to listen on.
    #[arg(short = 'p', long, default_value_t = 2746, env = "ARGO_PORT")]
    pub port: u16,
    /// Address to bind (all interfaces by default).
    #[arg(long, default_value = "0.0.0.0", env = "ARGO_BIND_ADDRESS")]
    pub address: String,
    /// Whether to serve TLS (a self-signed certificate unless --tls-cert/--tls-key are given).
    #[arg(short = 'e', long, default_value_t = true, action = ArgAction::Set, env = "ARGO_SECURE")]
    pub secure: bool,
    /// PEM certificate file.
    #[arg(long = "tls-cert", env = "ARGO_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM key file.
    #[arg(long = "tls-key", env = "ARGO_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Accepted for compatibility; certificates come from files here.
    #[arg(
        long = "tls-certificate-secret-name",
        env = "ARGO_TLS_CERTIFICATE_SECRET_NAME"
    )]
    pub tls_certificate_secret_name: Option<String>,
    /// The base href of the UI and API, e.g. `/argo/`.
    #[arg(long = "base-href", default_value = "/", env = "ARGO_BASE_HREF")]
    pub base_href: String,
    /// Requests per second allowed per client; 0 turns the limiter off.
    #[arg(
        long = "api-rate-limit",
        default_value_t = 1000,
        env = "ARGO_API_RATE_LIMIT"
    )]
    pub api_rate_limit: u64,
    /// The largest REST request body accepted, in bytes; a larger one is answered 400. The
    /// default and the variable are Argo's `GRPC_MESSAGE_SIZE` (its largest gRPC message).
    #[arg(
        long = "max-request-bytes",
        default_value_t = crate::transcode::MAX_MESSAGE_SIZE,
        env = "GRPC_MESSAGE_SIZE"
    )]
    pub max_request_bytes: usize,
    /// Authentication modes (repeatable): server, client, sso.
    #[arg(long = "auth-mode", value_delimiter = ',', default_value = "client")]
    pub auth_mode: Vec<AuthMode>,
    /// The X-Frame-Options header value (empty disables it).
    #[arg(
        long = "x-frame-options",
        default_value = "DENY",
        env = "ARGO_X_FRAME_OPTIONS"
    )]
    pub x_frame_options: String,
    /// Send Strict-Transport-Security when serving TLS.
    #[arg(long, default_value_t = true, action = ArgAction::Set, env = "ARGO_HSTS")]
    pub hsts: bool,
    /// Access-Control-Allow-Origin value; CORS is off when empty.
    #[arg(
        long = "access-control-allow-origin",
        default_value = "",
        env = "ARGO_ACCESS_CONTROL_ALLOW_ORIGIN"
    )]
    pub access_control_allow_origin: String,
    /// Directory with UI files (optional).
    #[arg(long = "static-dir", env = "ARGO_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Distributed mode: address of the workflow service.
    #[arg(long = "workflow-addr", env = "ARGO_WORKFLOW_ADDR")]
    pub workflow_addr: Option<String>,
    /// Distributed mode: address of the info service.
    #[arg(long = "info-addr", env = "ARGO_INFO_ADDR")]
    pub info_addr: Option<String>,
    /// Distributed mode: address of the workflow template service.
    #[arg(long = "workflow-template-addr", env = "ARGO_WORKFLOW_TEMPLATE_ADDR")]
    pub workflow_template_addr: Option<String>,
    /// Distributed mode: address of the cluster workflow template service.
    #[arg(
        long = "cluster-workflow-template-addr",
        env = "ARGO_CLUSTER_WORKFLOW_TEMPLATE_ADDR"
    )]
    pub cluster_workflow_template_addr: Option<String>,
    /// Distributed mode: address of the cron workflow service.
    #[arg(long = "cron-workflow-addr", env = "ARGO_CRON_WORKFLOW_ADDR")]
    pub cron_workflow_addr: Option<String>,
    /// Distributed mode: address of the archived workflow service.
    #[arg(long = "archived-workflow-addr", env = "ARGO_ARCHIVED_WORKFLOW_ADDR")]
    pub archived_workflow_addr: Option<String>,
    /// Distributed mode: address of the event service.
    #[arg(long = "event-addr", env = "ARGO_EVENT_ADDR")]
    pub event_addr: Option<String>,
    /// Distributed mode: address of the sync service.
    #[arg(long = "sync-addr", env = "ARGO_SYNC_ADDR")]
    pub sync_addr: Option<String>,
}

impl Config {
    /// Checks what clap cannot.
    ///
    /// # Errors
    /// [`Error::Config`] when no auth mode is given or the body limit is zero.
    pub fn validate(&self) -> Result<()> {
        if self.auth_mode.is_empty() {
            return Err(Error::Config {
                reason: "must specify at least one auth mode".to_owned(),
            });
        }
        if self.max_request_bytes == 0 {
            return Err(Error::Config {
                reason: "--max-request-bytes must be at least 1".to_owned(),
            });
        }
        Ok(())
    }

    /// The service addresses of distributed mode, by gRPC service name.
    pub fn service_addresses(&self) -> Vec<(&'static str, &str)> {
        [
            ("workflow.WorkflowService", &self.workflow_addr),
            ("info.InfoService", &self.info_addr),
            (
                "workflowtemplate.WorkflowTemplateService",
                &self.workflow_template_addr,
            ),
            (
                "clusterworkflowtemplate.ClusterWorkflowTemplateService",
                &self.cluster_workflow_template_addr,
            ),
            ("cronworkflow.CronWorkflowService", &self.cron_workflow_addr),
            (
                "workflowarchive.ArchivedWorkflowService",
                &self.archived_workflow_addr,
            ),
            ("event.EventService", &self.event_addr),
            ("sync.SyncService", &self.sync_addr),
        ]
        .into_iter()
        .filter_map(|(name, address)| address.as_deref().map(|address| (name, address)))
        .collect()
    }

    /// The settings the router needs.
    pub fn settings(&self) -> Settings {
        let tls = self.secure;
        Settings {
            base_href: self.base_href.clone(),
            x_frame_options: self.x_frame_options.clone(),
            hsts: tls && self.hsts,
            access_control_allow_origin: self.access_control_allow_origin.clone(),
            api_rate_limit: self.api_rate_limit,
            max_request_bytes: self.max_request_bytes,
            keep_alive: Duration::from_secs(15),
        }
    }
}

/// What the router needs from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub base_href: String,
    pub x_frame_options: String,
    /// Already combined with "serving TLS".
    pub hsts: bool,
    pub access_control_allow_origin: String,
    pub api_rate_limit: u64,
    /// The largest REST request body accepted, in bytes.
    pub max_request_bytes: usize,
    /// Quiet time after which an event stream sends a keep-alive comment.
    pub keep_alive: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_href: "/".to_owned(),
            x_frame_options: "DENY".to_owned(),
            hsts: false,
            access_control_allow_origin: String::new(),
            api_rate_limit: 1000,
            max_request_bytes: crate::transcode::MAX_MESSAGE_SIZE,
            keep_alive: Duration::from_secs(15),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_of_zero_is_accepted_as_off() {
        let config = Config::try_parse_from([
            "argo-gateway",
            "--auth-mode",
            "server",
            "--api-rate-limit",
            "0",
        ])
        .expect("flags parse");
        config.validate().expect("0 turns the limiter off");
        assert_eq!(config.settings().api_rate_limit, 0);
    }

    #[test]
    fn argo_flag_names_parse() {
        let config = Config::try_parse_from([
            "argo-gateway",
            "-p",
            "9000",
            "--secure=false",
            "--auth-mode",
            "server",
            "--auth-mode=client",
            "--base-href",
            "/argo/",
            "--api-rate-limit",
            "5",
            "--workflow-addr",
            "http://127.0.0.1:9001",
            "--tls-certificate-secret-name",
            "argo-server-tls",
        ])
        .expect("flags parse");
        assert_eq!(config.port, 9000);
        assert!(!config.secure);
        assert_eq!(config.auth_mode, vec![AuthMode::Server, AuthMode::Client]);
        assert_eq!(
            config.service_addresses(),
            vec![("workflow.WorkflowService", "http://127.0.0.1:9001")]
        );
        assert!(!config.settings().hsts);
        config.validate().expect("valid");
    }
}
