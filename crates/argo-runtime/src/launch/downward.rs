//! The downward API and projected keys: the values a pod may read about itself
//! (`fieldRef` paths such as `metadata.annotations['k']` or `status.podIP`) and the files of
//! config map and secret volumes. Pure functions of the pod and the looked-up data.

use std::collections::BTreeMap;
use std::path::Path;

use k8s_openapi::api::core::v1::Pod;

use super::{ConfigError, VolumeFile};
use crate::record::POD_IP;

/// The downward API value of `field_path` for `pod`.
pub(super) fn field_value(pod: &Pod, field_path: &str) -> Result<String, ConfigError> {
    let meta = &pod.metadata;
    let map_entry = |map: Option<&BTreeMap<String, String>>, key: &str| {
        map.and_then(|m| m.get(key)).cloned().unwrap_or_default()
    };
    let render_map = |map: Option<&BTreeMap<String, String>>| {
        map.into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", serde_json::Value::String(v.clone())))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let value = match field_path {
        "metadata.name" => meta.name.clone().unwrap_or_default(),
        "metadata.namespace" => meta.namespace.clone().unwrap_or_else(|| "default".into()),
        "metadata.uid" => meta.uid.clone().unwrap_or_default(),
        "metadata.annotations" => render_map(meta.annotations.as_ref()),
        "metadata.labels" => render_map(meta.labels.as_ref()),
        "spec.nodeName" => "localhost".into(),
        "spec.serviceAccountName" => pod
            .spec
            .as_ref()
            .and_then(|s| s.service_account_name.clone())
            .unwrap_or_default(),
        "status.podIP" | "status.hostIP" | "status.podIPs" | "status.hostIPs" => POD_IP.into(),
        other => {
            if let Some(key) = bracketed_key(other, "metadata.annotations") {
                map_entry(meta.annotations.as_ref(), key)
            } else if let Some(key) = bracketed_key(other, "metadata.labels") {
                map_entry(meta.labels.as_ref(), key)
            } else {
                return Err(ConfigError(format!("unsupported fieldRef \"{other}\"")));
            }
        }
    };
    Ok(value)
}

/// `metadata.annotations['key']` -> `key`.
fn bracketed_key<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let inner = path
        .strip_prefix(prefix)?
        .strip_prefix('[')?
        .strip_suffix(']')?;
    inner
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
}

pub(super) fn project_keys(
    relative: &Path,
    data: BTreeMap<String, Vec<u8>>,
    items: Option<&[k8s_openapi::api::core::v1::KeyToPath]>,
    files: &mut Vec<VolumeFile>,
) -> Result<(), ConfigError> {
    match items {
        None => files.extend(
            data.into_iter()
                .map(|(key, bytes)| (relative.join(key), bytes)),
        ),
        Some(items) => {
            for item in items {
                let Some(bytes) = data.get(&item.key) else {
                    return Err(ConfigError(format!("key \"{}\" not found", item.key)));
                };
                if item.path.starts_with('/') || item.path.split('/').any(|p| p == "..") {
                    return Err(ConfigError(format!("invalid item path \"{}\"", item.path)));
                }
                files.push((relative.join(&item.path), bytes.clone()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_keys_may_be_quoted_either_way() {
        assert_eq!(
            bracketed_key("metadata.annotations['a.b/c']", "metadata.annotations"),
            Some("a.b/c")
        );
        assert_eq!(
            bracketed_key("metadata.labels[\"k\"]", "metadata.labels"),
            Some("k")
        );
        assert_eq!(bracketed_key("metadata.labels[k]", "metadata.labels"), None);
    }

    #[test]
    fn whole_maps_render_as_quoted_lines_and_unknown_paths_fail() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p", "annotations": {"a": "1", "b": "two"}}
        }))
        .unwrap();
        assert_eq!(
            field_value(&pod, "metadata.annotations").unwrap(),
            "a=\"1\"\nb=\"two\""
        );
        assert_eq!(field_value(&pod, "metadata.namespace").unwrap(), "default");
        assert!(field_value(&pod, "spec.nope").is_err());
    }
}
