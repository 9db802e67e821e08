//! What a request's gRPC metadata says about its caller. In auth modes `server` and `client`
//! the gateway passes the `authorization` header through; SSO will plug in at [`Caller`].
//!
//! Must not: verify tokens (that belongs to the auth mode that issues them).

use tonic::metadata::MetadataMap;

/// The bearer token of a request, without the `Bearer ` prefix.
pub fn bearer_token(metadata: &MetadataMap) -> Option<String> {
    let header = metadata.get("authorization")?.to_str().ok()?.trim();
    let token = match header.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ if header.eq_ignore_ascii_case("bearer") => "",
        _ => header,
    };
    (!token.is_empty()).then(|| token.to_owned())
}

/// Who is calling. With auth mode `server` every caller acts as the server's own identity; the
/// SSO issue replaces [`Caller::from_metadata`] with claims read from the token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub token: Option<String>,
    /// The service account the call runs as (the server's own in `server` mode).
    pub service_account: Option<String>,
    pub service_account_namespace: Option<String>,
    pub subject: Option<String>,
    pub email: Option<String>,
    pub preferred_username: Option<String>,
}

impl Caller {
    /// Whether anything is known about the user (Argo's claims): a subject, an email or a
    /// preferred username. `server` mode callers have none.
    pub fn has_claims(&self) -> bool {
        [&self.subject, &self.email, &self.preferred_username]
            .iter()
            .any(|claim| claim.as_deref().is_some_and(|claim| !claim.is_empty()))
    }

    /// The caller of a request in `server`/`client` mode: the token, no claims.
    pub fn from_metadata(metadata: &MetadataMap) -> Self {
        Self {
            token: bearer_token(metadata),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_prefix_is_removed_from_the_token() {
        let mut metadata = MetadataMap::new();
        metadata.insert("authorization", "Bearer abc.def".parse().expect("ascii"));
        assert_eq!(bearer_token(&metadata).as_deref(), Some("abc.def"));
    }

    #[test]
    fn a_request_without_authorization_has_no_token() {
        assert_eq!(bearer_token(&MetadataMap::new()), None);
        let mut metadata = MetadataMap::new();
        metadata.insert("authorization", "Bearer ".parse().expect("ascii"));
        assert_eq!(Caller::from_metadata(&metadata).token, None);
    }
}
