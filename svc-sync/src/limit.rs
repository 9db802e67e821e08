//! A semaphore limit as the API addresses it, checked before any backend sees it: where it
//! lives ([`Backend`]), its namespace, ConfigMap and key, and its size.
//!
//! Must not: read or write the store.

use argo_proto::sync::SyncConfigType;

use crate::{Error, Result};

/// Where a limit is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A key of a ConfigMap (`data[key]` is the limit as text).
    ConfigMap,
    /// The database: a `SyncLimit` object in the store (see the crate docs).
    Database,
}

impl Backend {
    /// The backend a request's `type` names; an unknown number is refused in Argo's words.
    pub fn of(config_type: i32) -> Result<Self> {
        match SyncConfigType::try_from(config_type) {
            Ok(SyncConfigType::Configmap) => Ok(Self::ConfigMap),
            Ok(SyncConfigType::Database) => Ok(Self::Database),
            Err(_) => Err(unsupported(&config_type.to_string())),
        }
    }

    pub fn config_type(self) -> SyncConfigType {
        match self {
            Self::ConfigMap => SyncConfigType::Configmap,
            Self::Database => SyncConfigType::Database,
        }
    }
}

/// Argo's refusal of a backend this server does not offer.
pub fn unsupported(name: &str) -> Error {
    Error::invalid_argument(format!("unsupported sync config type: {name}"))
}

/// Which limit a request addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitKey {
    pub backend: Backend,
    pub namespace: String,
    /// The ConfigMap's name; empty for database limits.
    pub config_map: String,
    pub key: String,
}

impl LimitKey {
    /// Checks the fields a request must carry for its backend.
    pub fn new(config_type: i32, namespace: &str, config_map: &str, key: &str) -> Result<Self> {
        let backend = Backend::of(config_type)?;
        if namespace.is_empty() {
            return Err(Error::invalid_argument("namespace is required"));
        }
        if key.is_empty() {
            return Err(Error::invalid_argument("key is required"));
        }
        if backend == Backend::ConfigMap && config_map.is_empty() {
            return Err(Error::invalid_argument(
                "cmName is required for a CONFIGMAP sync limit",
            ));
        }
        Ok(Self {
            backend,
            namespace: namespace.to_owned(),
            config_map: match backend {
                Backend::ConfigMap => config_map.to_owned(),
                Backend::Database => String::new(),
            },
            key: key.to_owned(),
        })
    }
}

/// Refuses sizes Argo refuses.
pub fn require_positive(limit: i32) -> Result<()> {
    if limit <= 0 {
        return Err(Error::invalid_argument("limit must be greater than zero"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_types_are_refused_in_argos_words() {
        let error = Backend::of(7).expect_err("unknown");
        assert_eq!(error.to_string(), "unsupported sync config type: 7");
    }

    #[test]
    fn config_map_limits_need_a_config_map_name() {
        let error = LimitKey::new(0, "argo", "", "k").expect_err("no cmName");
        assert!(error.to_string().contains("cmName"));
        let database = LimitKey::new(1, "argo", "ignored", "k").expect("valid");
        assert_eq!(database.config_map, "");
    }

    #[test]
    fn limits_must_be_positive() {
        assert!(require_positive(1).is_ok());
        assert_eq!(
            require_positive(0).expect_err("zero").to_string(),
            "limit must be greater than zero"
        );
    }
}
