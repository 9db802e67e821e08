//! Who a request runs as: the seam the SSO issue will implement.
//!
//! The gateway asks an [`Authenticator`] about every API call (REST and gRPC) and forwards the
//! answer to the services as gRPC metadata: in `client` mode the caller's bearer token is
//! passed through unchanged (`authorization`), in `server` mode nothing is added and the
//! services act as the server. The gateway never validates tokens itself; services decide.

use std::str::FromStr;

use futures::future::BoxFuture;
use http::HeaderMap;
use http::header::AUTHORIZATION;

/// Argo's answer when no enabled mode accepts the request.
pub const TOKEN_NOT_VALID: &str =
    "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/";

/// One `--auth-mode` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthMode {
    /// Requests run with the server's own identity.
    Server,
    /// Requests carry the caller's bearer token, passed to the services.
    Client,
    /// Single sign-on (accepted on the command line; implemented by the SSO issue).
    Sso,
}

impl FromStr for AuthMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "server" => Ok(Self::Server),
            "client" => Ok(Self::Client),
            "sso" => Ok(Self::Sso),
            other => Err(format!("invalid mode: {other}")),
        }
    }
}

/// What a request runs as, once authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// The server's own identity: no metadata is forwarded.
    Server,
    /// The caller's `Authorization` header value, forwarded verbatim.
    Client(String),
}

impl Credentials {
    /// The `authorization` metadata value to forward, if any.
    pub fn authorization(&self) -> Option<&str> {
        match self {
            Self::Server => None,
            Self::Client(value) => Some(value),
        }
    }
}

/// Decides how a request runs from its headers; SSO will implement this to verify its tokens.
pub trait Authenticator: Send + Sync {
    /// `Err` is the gRPC status to answer with (REST maps it to an HTTP status).
    fn authenticate(
        &self,
        headers: &HeaderMap,
    ) -> BoxFuture<'_, Result<Credentials, tonic::Status>>;
}

/// Argo's mode selection: an empty `Authorization` means server mode, `Bearer ...` or
/// `Basic ...` client mode; a mode that is not enabled is refused.
#[derive(Clone, Debug)]
pub struct ModeAuthenticator {
    modes: Vec<AuthMode>,
}

impl ModeAuthenticator {
    /// An authenticator allowing the given modes.
    pub fn new(modes: Vec<AuthMode>) -> Self {
        Self { modes }
    }

    fn decide(&self, headers: &HeaderMap) -> Result<Credentials, tonic::Status> {
        let authorization = headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .trim();
        let (mode, credentials) = if authorization.is_empty() {
            (AuthMode::Server, Credentials::Server)
        } else if authorization.starts_with("Bearer v2:") {
            (AuthMode::Sso, Credentials::Client(authorization.to_owned()))
        } else if authorization.starts_with("Bearer ") || authorization.starts_with("Basic ") {
            (
                AuthMode::Client,
                Credentials::Client(authorization.to_owned()),
            )
        } else {
            return Err(tonic::Status::unauthenticated(TOKEN_NOT_VALID));
        };
        if self.modes.contains(&mode) {
            Ok(credentials)
        } else {
            Err(tonic::Status::unauthenticated(TOKEN_NOT_VALID))
        }
    }
}

impl Authenticator for ModeAuthenticator {
    fn authenticate(
        &self,
        headers: &HeaderMap,
    ) -> BoxFuture<'_, Result<Credentials, tonic::Status>> {
        let decision = self.decide(headers);
        Box::pin(async move { decision })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(authorization: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = authorization {
            headers.insert(AUTHORIZATION, value.parse().expect("valid header"));
        }
        headers
    }

    #[tokio::test]
    async fn client_mode_passes_the_bearer_token_through() {
        let auth = ModeAuthenticator::new(vec![AuthMode::Client]);
        let credentials = auth
            .authenticate(&headers(Some("Bearer abc")))
            .await
            .expect("accepted");
        assert_eq!(credentials.authorization(), Some("Bearer abc"));
    }

    #[tokio::test]
    async fn client_only_mode_refuses_requests_without_a_token() {
        let auth = ModeAuthenticator::new(vec![AuthMode::Client]);
        let status = auth
            .authenticate(&headers(None))
            .await
            .expect_err("refused");
        assert_eq!(status.code(), tonic::Code::Unauthenticated);
        assert_eq!(status.message(), TOKEN_NOT_VALID);
    }

    #[tokio::test]
    async fn server_mode_runs_anonymous_requests_as_the_server() {
        let auth = ModeAuthenticator::new(vec![AuthMode::Server, AuthMode::Client]);
        let credentials = auth.authenticate(&headers(None)).await.expect("accepted");
        assert_eq!(credentials, Credentials::Server);
        let server_only = ModeAuthenticator::new(vec![AuthMode::Server]);
        assert!(
            server_only
                .authenticate(&headers(Some("Bearer x")))
                .await
                .is_err()
        );
    }
}
