//! The connection flags every server-backed command takes, with Argo's names and environment
//! variables. Must not: connect (that is `ApiClient::connect`).

use super::ClientError;

/// Argo Server connection flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ClientArgs {
    /// API server `host:port`. e.g. localhost:2746. Defaults to the ARGO_SERVER environment variable.
    #[arg(
        short = 's',
        long = "argo-server",
        env = "ARGO_SERVER",
        value_name = "host:port"
    )]
    pub argo_server: Option<String>,
    /// Whether or not the server is using TLS with the Argo Server. Defaults to the ARGO_SECURE environment variable.
    #[arg(short = 'e', long, env = "ARGO_SECURE", action = clap::ArgAction::Set,
          num_args = 0..=1, default_missing_value = "true", default_value = "true")]
    pub secure: bool,
    /// If true, the Argo Server's certificate will not be checked for validity. Defaults to the ARGO_INSECURE_SKIP_VERIFY environment variable.
    #[arg(short = 'k', long = "insecure-skip-verify", env = "ARGO_INSECURE_SKIP_VERIFY",
          action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true",
          default_value = "false")]
    pub insecure_skip_verify: bool,
    /// If true, use the HTTP client. Defaults to the ARGO_HTTP1 environment variable.
    #[arg(long = "argo-http1", env = "ARGO_HTTP1", action = clap::ArgAction::Set,
          num_args = 0..=1, default_missing_value = "true", default_value = "false")]
    pub argo_http1: bool,
    /// Path to use with HTTP client due to Base HREF. Defaults to the ARGO_BASE_HREF environment variable.
    #[arg(long = "argo-base-href", env = "ARGO_BASE_HREF", default_value = "")]
    pub argo_base_href: String,
    /// Sets additional header to all requests made by Argo CLI, `Key: Value` (repeatable, or comma separated).
    #[arg(short = 'H', long = "header", value_delimiter = ',')]
    pub header: Vec<String>,
    /// Bearer token for authentication to the API server. Defaults to the ARGO_TOKEN environment variable.
    #[arg(long, env = "ARGO_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// If present, the namespace scope for this CLI request. Defaults to the ARGO_NAMESPACE environment variable.
    #[arg(short = 'n', long, env = "ARGO_NAMESPACE")]
    pub namespace: Option<String>,
}

/// The flags, checked and with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub server: String,
    pub secure: bool,
    pub insecure_skip_verify: bool,
    pub http1: bool,
    pub base_href: String,
    pub headers: Vec<(String, String)>,
    pub token: Option<String>,
    pub namespace: String,
}

/// Where the client looks when neither `--argo-server` nor `ARGO_SERVER` is given.
pub const DEFAULT_SERVER: &str = "localhost:2746";
/// The namespace used when neither `-n` nor `ARGO_NAMESPACE` is given.
pub const DEFAULT_NAMESPACE: &str = "argo";

impl ClientArgs {
    /// Checks the flags and fills in defaults.
    pub fn settings(&self) -> Result<Settings, ClientError> {
        let mut headers = Vec::new();
        for header in &self.header {
            let Some((key, value)) = header.split_once(':') else {
                return Err(ClientError::BadHeader(format!(
                    "{header} (expected `Key: Value`)"
                )));
            };
            headers.push((key.trim().to_owned(), value.trim().to_owned()));
        }
        let server = self
            .argo_server
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_SERVER.to_owned());
        let token = self.token.clone().filter(|t| !t.is_empty());
        Ok(Settings {
            server,
            secure: self.secure,
            insecure_skip_verify: self.insecure_skip_verify,
            http1: self.argo_http1,
            base_href: self.argo_base_href.clone(),
            headers,
            token,
            namespace: self
                .namespace
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_on_the_first_colon_and_bad_ones_are_named() {
        let args = ClientArgs {
            header: vec!["X-A: 1:2".into()],
            ..ClientArgs::default()
        };
        let settings = args.settings().unwrap();
        assert_eq!(settings.headers, vec![("X-A".into(), "1:2".into())]);
        assert_eq!(settings.server, DEFAULT_SERVER);
        assert_eq!(settings.namespace, DEFAULT_NAMESPACE);
        let bad = ClientArgs {
            header: vec!["nocolon".into()],
            ..ClientArgs::default()
        };
        assert!(bad.settings().unwrap_err().to_string().contains("nocolon"));
    }
}
