//! List pagination: the opaque continue token and the rules a page follows.
//!
//! A token records the revision of the first page and the key of the last item returned. The
//! next page continues strictly after that key in (namespace, name) order, seeing the store as it
//! is then: objects created behind the cursor are not returned, objects ahead of it are, and no
//! object that exists throughout is skipped or repeated. Every page reports the first page's
//! revision so that a watch from it covers every change made while paging. Decoding never panics.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, Revision};

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinueToken {
    #[serde(rename = "rv")]
    pub revision: u64,
    #[serde(rename = "ns")]
    pub namespace: String,
    pub name: String,
}

impl ContinueToken {
    pub fn new(revision: Revision, namespace: &str, name: &str) -> Self {
        Self {
            revision: revision.0,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(token: &str) -> Result<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token.trim_end_matches('='))
            .map_err(|error| invalid(error.to_string()))?;
        serde_json::from_slice(&bytes).map_err(|error| invalid(error.to_string()))
    }

    pub fn revision(&self) -> Revision {
        Revision(self.revision)
    }

    /// Whether an object at (`namespace`, `name`) belongs after this cursor.
    pub fn precedes(&self, namespace: &str, name: &str) -> bool {
        (namespace, name) > (self.namespace.as_str(), self.name.as_str())
    }
}

/// Parses an optional continue token.
pub fn decode_optional(token: Option<&str>) -> Result<Option<ContinueToken>> {
    token
        .filter(|token| !token.is_empty())
        .map(ContinueToken::decode)
        .transpose()
}

/// The effective page size: `None` for "everything".
pub fn page_size(limit: Option<u32>) -> Option<usize> {
    limit.filter(|limit| *limit > 0).map(|limit| limit as usize)
}

fn invalid(message: String) -> Error {
    Error::InvalidContinueToken { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let token = ContinueToken::new(Revision(7), "argo", "wf-1");
        assert_eq!(ContinueToken::decode(&token.encode()).unwrap(), token);
    }

    #[test]
    fn garbage_tokens_are_invalid_continue_token_errors() {
        for garbage in ["!!!", "e30", "aGVsbG8"] {
            assert!(matches!(
                ContinueToken::decode(garbage),
                Err(Error::InvalidContinueToken { .. })
            ));
        }
    }

    #[test]
    fn cursors_order_by_namespace_then_name() {
        let token = ContinueToken::new(Revision(1), "b", "m");
        assert!(token.precedes("b", "n"));
        assert!(token.precedes("c", "a"));
        assert!(!token.precedes("b", "m"));
        assert!(!token.precedes("a", "z"));
    }
}
