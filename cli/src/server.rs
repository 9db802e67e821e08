//! `argo server`: maps Argo's server flags and `ARGO_*` environment onto `argo_server`'s options
//! and runs it until interrupted. Must not compose services itself (`argo-server` does).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use argo_server::{ServerOptions, TlsSource};
use clap::{ArgAction, Args};

/// Flags of `argo server`: Argo's, plus the local mode's data directory, sandbox and UI.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// port to listen on
    #[arg(short = 'p', long, default_value_t = 2746, env = "ARGO_PORT")]
    port: u16,
    /// address to bind
    #[arg(long, default_value = "0.0.0.0", env = "ARGO_BIND_ADDRESS")]
    address: String,
    /// whether to serve TLS (a self-signed certificate unless one is given)
    #[arg(short = 'e', long, default_value_t = true, action = ArgAction::Set, env = "ARGO_SECURE")]
    secure: bool,
    /// PEM certificate file to serve (with --tls-key)
    #[arg(long = "tls-cert", env = "ARGO_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM key file of --tls-cert
    #[arg(long = "tls-key", env = "ARGO_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Secret (in the install namespace) whose tls.crt and tls.key to serve
    #[arg(
        long = "tls-certificate-secret-name",
        env = "ARGO_TLS_CERTIFICATE_SECRET_NAME",
        conflicts_with = "tls_cert"
    )]
    tls_certificate_secret_name: Option<String>,
    /// authentication modes: client, server, sso, or hybrid (client and server); repeatable
    #[arg(
        long = "auth-mode",
        value_delimiter = ',',
        default_value = "client",
        env = "ARGO_AUTH_MODE"
    )]
    auth_mode: Vec<String>,
    /// the base href of the UI and API, e.g. /argo/
    #[arg(long = "base-href", default_value = "/", env = "ARGO_BASE_HREF")]
    base_href: String,
    /// run as namespaced: only the managed namespace is reconciled
    #[arg(long, env = "ARGO_NAMESPACED")]
    namespaced: bool,
    /// the namespace managed with --namespaced (the install namespace by default)
    #[arg(long = "managed-namespace", env = "ARGO_MANAGED_NAMESPACE")]
    managed_namespace: Option<String>,
    /// the install namespace, where the configmap and TLS secret are looked up
    #[arg(short = 'n', long, default_value = "argo", env = "ARGO_NAMESPACE")]
    namespace: String,
    /// requests per second allowed per client; 0 turns the limit off (as does
    /// ARGO_API_RATE_LIMIT_DISABLED=true)
    #[arg(
        long = "api-rate-limit",
        default_value_t = 1000,
        env = "ARGO_API_RATE_LIMIT"
    )]
    api_rate_limit: u64,
    /// the largest REST request body accepted, in bytes; a bigger one gets 400 Bad Request
    #[arg(
        long = "max-request-bytes",
        default_value_t = argo_server::options::DEFAULT_MAX_REQUEST_BYTES,
        env = "GRPC_MESSAGE_SIZE"
    )]
    max_request_bytes: usize,
    /// controller configmap: its name in the store, or a YAML file
    #[arg(
        long,
        default_value = "workflow-controller-configmap",
        env = "ARGO_CONFIGMAP"
    )]
    configmap: String,
    /// protocols allowed in the configmap's links; repeatable
    #[arg(
        long = "allowed-link-protocol",
        value_delimiter = ',',
        default_value = "http,https",
        env = "ARGO_ALLOWED_LINK_PROTOCOL"
    )]
    allowed_link_protocol: Vec<String>,
    /// the X-Frame-Options header of UI responses
    #[arg(
        long = "x-frame-options",
        default_value = "DENY",
        env = "ARGO_X_FRAME_OPTIONS"
    )]
    x_frame_options: String,
    /// send Strict-Transport-Security when serving TLS
    #[arg(long, default_value_t = true, action = ArgAction::Set, env = "ARGO_HSTS")]
    hsts: bool,
    /// Access-Control-Allow-Origin of UI responses (CORS is off when empty)
    #[arg(
        long = "access-control-allow-origin",
        default_value = "",
        env = "ARGO_ACCESS_CONTROL_ALLOW_ORIGIN"
    )]
    access_control_allow_origin: String,
    /// directory of the store, the pods' state and the artifacts (default: ~/.local/share/argo)
    #[arg(long = "data-dir", env = "ARGO_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `namespaces` (isolated, needs root) or `none` (plain host processes, trusted work only)
    #[arg(long, default_value = "namespaces", value_parser = ["namespaces", "none"], env = "ARGO_SANDBOX")]
    sandbox: String,
    /// serve the UI from this directory instead of the UI embedded in the binary (a binary built
    /// without it falls back to a ui/dist beside the binary or the repository)
    #[arg(long = "ui-dir", env = "ARGO_UI_DIR")]
    ui_dir: Option<PathBuf>,
    /// workflows reconciled at once
    #[arg(long = "workflow-workers", default_value_t = 4)]
    workflow_workers: usize,
    /// YAML/JSON manifest files or directories applied to the store at start, as `kubectl
    /// apply -f` would (WorkflowEventBindings, ConfigMaps, Secrets, templates...); repeatable
    #[arg(long = "manifests", value_delimiter = ',', env = "ARGO_MANIFESTS")]
    manifests: Vec<PathBuf>,
    /// log level: debug, info, warn, error
    #[arg(long, default_value = "info", env = "ARGO_LOGLEVEL")]
    loglevel: String,
}

/// Runs the server until ctrl-c or SIGTERM.
pub fn run(args: &ServerArgs) -> anyhow::Result<ExitCode> {
    argo_server::logging::init(&args.loglevel)?;
    let options = options(args)?;
    let runtime = argo_server::runtime().context("starting the async runtime")?;
    runtime.block_on(argo_server::serve(options))?;
    Ok(ExitCode::SUCCESS)
}

fn options(args: &ServerArgs) -> anyhow::Result<ServerOptions> {
    let data_dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => default_data_dir()?,
    };
    let mut options = ServerOptions::new(data_dir);
    options.address = args.address.clone();
    options.port = args.port;
    options.secure = args.secure;
    options.tls = match (
        &args.tls_cert,
        &args.tls_key,
        &args.tls_certificate_secret_name,
    ) {
        (Some(certificate), Some(key), _) => TlsSource::Files {
            certificate: certificate.clone(),
            key: key.clone(),
        },
        (_, _, Some(name)) if !name.is_empty() => TlsSource::Secret { name: name.clone() },
        _ => TlsSource::SelfSigned,
    };
    options.auth_modes = auth_modes(&args.auth_mode)?;
    options.base_href = args.base_href.clone();
    options.namespaced = args.namespaced;
    options.managed_namespace = args.managed_namespace.clone();
    options.namespace = args.namespace.clone();
    options.api_rate_limit = args.api_rate_limit;
    options.max_request_bytes = args.max_request_bytes;
    options.configmap = args.configmap.clone();
    options.allowed_link_protocols = args.allowed_link_protocol.clone();
    options.x_frame_options = args.x_frame_options.clone();
    options.hsts = args.hsts;
    options.access_control_allow_origin = args.access_control_allow_origin.clone();
    options.sandbox = if args.sandbox == "none" {
        argo_runtime::Sandbox::None
    } else {
        argo_runtime::Sandbox::Namespaces
    };
    options.ui_dir = args.ui_dir.clone();
    options.workflow_workers = args.workflow_workers;
    options.manifests = args.manifests.clone();
    options.validate()?;
    Ok(options)
}

/// `--auth-mode` values; `hybrid` is Argo's old name for client and server together.
fn auth_modes(values: &[String]) -> anyhow::Result<Vec<argo_server::AuthMode>> {
    let mut modes = Vec::new();
    for value in values.iter().map(|value| value.trim()) {
        let expanded: Vec<argo_server::AuthMode> = match value {
            "hybrid" => vec![argo_server::AuthMode::Client, argo_server::AuthMode::Server],
            other => vec![other.parse().map_err(|error: String| {
                anyhow::anyhow!("--auth-mode: {error} (use client, server, sso or hybrid)")
            })?],
        };
        for mode in expanded {
            if !modes.contains(&mode) {
                modes.push(mode);
            }
        }
    }
    Ok(modes)
}

/// `$XDG_DATA_HOME/argo`, else `~/.local/share/argo`.
fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(data_home) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(data_home).join("argo"));
    }
    let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) else {
        bail!("--data-dir: no default without HOME or XDG_DATA_HOME; pass --data-dir");
    };
    Ok(PathBuf::from(home).join(".local/share/argo"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        server: ServerArgs,
    }

    fn parse(argv: &[&str]) -> Result<ServerArgs, clap::Error> {
        let mut full = vec!["server"];
        full.extend_from_slice(argv);
        Wrapper::try_parse_from(full).map(|wrapper| wrapper.server)
    }

    #[test]
    fn argo_flags_map_onto_the_options() {
        let args = parse(&[
            "-p",
            "9000",
            "--secure=false",
            "--auth-mode",
            "server",
            "--auth-mode=client",
            "--base-href",
            "/argo/",
            "--namespaced",
            "--managed-namespace",
            "team",
            "--api-rate-limit",
            "5",
            "--data-dir",
            "/tmp/argo-data",
            "--sandbox",
            "none",
        ])
        .expect("flags parse");
        let options = options(&args).expect("valid");
        assert_eq!(options.port, 9000);
        assert!(!options.secure);
        assert_eq!(
            options.auth_modes,
            vec![argo_server::AuthMode::Server, argo_server::AuthMode::Client]
        );
        assert_eq!(options.base_href, "/argo/");
        assert_eq!(options.restricted_namespace(), Some("team"));
        assert_eq!(options.api_rate_limit, 5);
        assert_eq!(options.data_dir, PathBuf::from("/tmp/argo-data"));
        assert_eq!(options.sandbox, argo_runtime::Sandbox::None);
    }

    #[test]
    fn hybrid_means_client_and_server() {
        let args = parse(&["--auth-mode", "hybrid", "--data-dir", "/tmp/x"]).expect("parses");
        let options = options(&args).expect("valid");
        assert_eq!(
            options.auth_modes,
            vec![argo_server::AuthMode::Client, argo_server::AuthMode::Server]
        );
    }

    #[test]
    fn an_unknown_auth_mode_names_the_flag() {
        let args = parse(&["--auth-mode", "token", "--data-dir", "/tmp/x"]).expect("parses");
        let error = options(&args).expect_err("invalid mode");
        assert!(error.to_string().contains("--auth-mode"), "{error}");
    }

    #[test]
    fn unknown_flags_and_bad_values_are_refused() {
        assert!(parse(&["--no-such-flag"]).is_err());
        assert!(parse(&["--sandbox", "docker"]).is_err());
        assert!(parse(&["--port", "http"]).is_err());
        assert!(
            parse(&["--tls-cert", "/tmp/cert.pem"]).is_err(),
            "needs --tls-key"
        );
    }

    #[test]
    fn a_zero_rate_limit_turns_the_limiter_off() {
        let args = parse(&["--api-rate-limit", "0", "--data-dir", "/tmp/x"]).expect("parses");
        assert_eq!(options(&args).expect("0 is valid").api_rate_limit, 0);
    }

    #[test]
    fn max_request_bytes_reaches_the_options_and_zero_is_refused() {
        let args = parse(&["--data-dir", "/tmp/x"]).expect("parses");
        assert_eq!(
            options(&args).expect("valid").max_request_bytes,
            argo_server::options::DEFAULT_MAX_REQUEST_BYTES
        );
        let args = parse(&["--max-request-bytes", "2048", "--data-dir", "/tmp/x"]).expect("parses");
        assert_eq!(options(&args).expect("valid").max_request_bytes, 2048);
        let args = parse(&["--max-request-bytes", "0", "--data-dir", "/tmp/x"]).expect("parses");
        let error = options(&args).expect_err("zero");
        assert!(error.to_string().contains("--max-request-bytes"), "{error}");
    }

    #[test]
    fn manifests_are_repeatable_and_must_exist() {
        let dir = std::env::temp_dir();
        let dir = dir.to_str().expect("utf-8 temp dir");
        let args = parse(&[
            "--manifests",
            dir,
            "--manifests",
            dir,
            "--data-dir",
            "/tmp/x",
        ])
        .expect("parses");
        let valid = options(&args).expect("valid");
        assert_eq!(
            valid.manifests,
            vec![PathBuf::from(dir), PathBuf::from(dir)]
        );
        let args =
            parse(&["--manifests", "/no/such/manifests", "--data-dir", "/tmp/x"]).expect("parses");
        let error = options(&args).expect_err("missing");
        assert!(error.to_string().contains("--manifests"), "{error}");
    }
}
