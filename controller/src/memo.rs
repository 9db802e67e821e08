//! Memoization caches kept the way Argo keeps them: one ConfigMap per cache, labelled
//! `workflows.argoproj.io/configmap-type: Cache`, one JSON entry per key. Storing them in the
//! store (not in memory) makes cache hits survive a controller restart.
//! Must not: decide hits or expiry (the engine does).

use std::collections::BTreeMap;

use argo_core::Outputs;
use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use argo_engine::MemoEntry;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::error::{Error, Result};

const LABEL_CONFIGMAP_TYPE: &str = "workflows.argoproj.io/configmap-type";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredEntry {
    #[serde(rename = "nodeID", default)]
    node_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outputs: Option<Outputs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    creation_timestamp: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_hit_timestamp: Option<Timestamp>,
}

/// Whether this ConfigMap is a memoization cache.
pub fn is_cache(config_map: &ConfigMap) -> bool {
    config_map
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(LABEL_CONFIGMAP_TYPE))
        .is_some_and(|t| t == "Cache")
}

/// One stored entry; `None` when it is not an entry of ours.
pub fn decode(text: &str) -> Option<MemoEntry> {
    let stored: StoredEntry = serde_json::from_str(text).ok()?;
    Some(MemoEntry {
        node_id: stored.node_id,
        outputs: stored.outputs,
        last_hit: stored.last_hit_timestamp,
        created_at: stored.creation_timestamp,
    })
}

/// Writes `key` of cache `cache` in `namespace` (creating the ConfigMap when missing).
pub async fn write(
    cluster: &Cluster,
    namespace: &str,
    cache: &str,
    key: &str,
    node_id: &str,
    outputs: Option<&Outputs>,
    now: Timestamp,
) -> Result<()> {
    let entry = StoredEntry {
        node_id: node_id.to_owned(),
        outputs: outputs.cloned(),
        creation_timestamp: Some(now),
        last_hit_timestamp: Some(now),
    };
    let text = serde_json::to_string(&entry).map_err(|source| Error::Json {
        what: "a memoization entry",
        source,
    })?;
    let config_maps = cluster.config_maps();
    for _ in 0..5 {
        match config_maps.get(Some(namespace), cache).await {
            Ok(mut existing) => {
                existing
                    .data
                    .get_or_insert_with(BTreeMap::new)
                    .insert(key.to_owned(), text.clone());
                match config_maps.update(&existing).await {
                    Err(argo_store::Error::Conflict { .. }) => continue,
                    other => return other.map(|_| ()).map_err(Error::from),
                }
            }
            Err(argo_store::Error::NotFound { .. }) => {
                let fresh = ConfigMap {
                    metadata: ObjectMeta {
                        name: Some(cache.to_owned()),
                        namespace: Some(namespace.to_owned()),
                        labels: Some(BTreeMap::from([(
                            LABEL_CONFIGMAP_TYPE.to_owned(),
                            "Cache".to_owned(),
                        )])),
                        ..ObjectMeta::default()
                    },
                    data: Some(BTreeMap::from([(key.to_owned(), text.clone())])),
                    ..ConfigMap::default()
                };
                match config_maps.create(&fresh).await {
                    Err(argo_store::Error::AlreadyExists { .. }) => continue,
                    other => return other.map(|_| ()).map_err(Error::from),
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_in_argo_json_shape() {
        let text = r#"{"nodeID":"wf-123","outputs":{"result":"x"},"creationTimestamp":"2024-01-01T00:00:00Z"}"#;
        let entry = decode(text).expect("an entry");
        assert_eq!(entry.node_id, "wf-123");
        assert!(entry.created_at.is_some());
        assert!(decode("not json").is_none());
    }
}
