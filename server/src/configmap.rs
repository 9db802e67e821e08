//! Argo's `workflow-controller-configmap`, read the way `argo server --configmap NAME` reads it,
//! with a local twist: NAME may also be a YAML file.
//!
//! A ConfigMap carries its settings either under one `config` key (a YAML document) or as one
//! key per setting (each value YAML). The UI's keys (`links`, `columns`, `navColor`) go to
//! GetInfo; every other key to the controller, which refuses keys it does not know.
//!
//! Must not: apply the settings (the caller hands them to the controller and services).

use std::path::Path;
use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_store::{ResourceStore, Typed};
use controller::ControllerConfig;
use serde_json::{Map, Value};
use svc_info::InfoConfig;

use crate::{Error, Result};

/// The keys GetInfo reports; the rest belongs to the controller.
const INFO_KEYS: [&str; 3] = ["links", "columns", "navColor"];

/// The settings of the configmap, split by who uses them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub controller: ControllerConfig,
    pub info: InfoConfig,
}

/// Reads `name_or_path`: an existing file (a ConfigMap manifest or its settings as YAML),
/// else the ConfigMap of that name in `namespace`; defaults when neither exists.
///
/// # Errors
/// [`Error::Read`] for an unreadable file, [`Error::Configmap`] for settings that are not in
/// Argo's shape, [`Error::Store`] when the store fails.
pub async fn load(
    store: &Arc<dyn ResourceStore>,
    namespace: &str,
    name_or_path: &str,
) -> Result<Settings> {
    let path = Path::new(name_or_path);
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        return from_file_text(&path.display().to_string(), &text);
    }
    let config_maps: Typed<ConfigMap> = Typed::new(store.clone());
    match config_maps.get(Some(namespace), name_or_path).await {
        Ok(config_map) => {
            let origin = format!("{namespace}/{name_or_path}");
            from_data(&origin, &config_map.data.unwrap_or_default())
        }
        Err(argo_store::Error::NotFound { .. }) => {
            tracing::info!(
                configmap = name_or_path,
                namespace,
                "no controller configmap; using defaults"
            );
            Ok(Settings::default())
        }
        Err(error) => Err(error.into()),
    }
}

/// Settings from a file: a ConfigMap manifest, or the settings themselves as YAML.
///
/// # Errors
/// [`Error::Configmap`] naming `origin` when the text is not in either shape.
pub fn from_file_text(origin: &str, text: &str) -> Result<Settings> {
    let invalid = |reason: String| Error::Configmap {
        origin: origin.to_owned(),
        reason,
    };
    if text.trim().is_empty() {
        return Ok(Settings::default());
    }
    let value: Value = serde_norway::from_str(text).map_err(|error| invalid(error.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(invalid("expected a mapping at the top level".to_owned()));
    };
    if object.get("kind").and_then(Value::as_str) != Some("ConfigMap") {
        return split(origin, object);
    }
    let data = match object.remove("data") {
        None | Some(Value::Null) => Default::default(),
        Some(data) => serde_json::from_value(data)
            .map_err(|error| invalid(format!("data: every value must be a string: {error}")))?,
    };
    from_data(origin, &data)
}

/// Settings from a ConfigMap's `data`.
///
/// # Errors
/// [`Error::Configmap`] naming `origin` and the key whose YAML does not parse.
pub fn from_data(
    origin: &str,
    data: &std::collections::BTreeMap<String, String>,
) -> Result<Settings> {
    let invalid = |key: &str, reason: String| Error::Configmap {
        origin: origin.to_owned(),
        reason: format!("data.{key}: {reason}"),
    };
    if let Some(config) = data.get("config") {
        return match serde_norway::from_str::<Value>(config) {
            Ok(Value::Object(object)) => split(origin, object),
            Ok(Value::Null) => Ok(Settings::default()),
            Ok(_) => Err(invalid("config", "expected a mapping".to_owned())),
            Err(error) => Err(invalid("config", error.to_string())),
        };
    }
    let mut object = Map::new();
    for (key, text) in data {
        let value: Value =
            serde_norway::from_str(text).map_err(|error| invalid(key, error.to_string()))?;
        object.insert(key.clone(), value);
    }
    split(origin, object)
}

fn split(origin: &str, mut object: Map<String, Value>) -> Result<Settings> {
    let invalid = |reason: String| Error::Configmap {
        origin: origin.to_owned(),
        reason,
    };
    let mut info = Map::new();
    for key in INFO_KEYS {
        if let Some(value) = object.remove(key) {
            info.insert(key.to_owned(), value);
        }
    }
    let info: InfoConfig =
        serde_json::from_value(Value::Object(info)).map_err(|error| invalid(error.to_string()))?;
    let controller: ControllerConfig = serde_json::from_value(Value::Object(object))
        .map_err(|error| invalid(error.to_string()))?;
    Ok(Settings { controller, info })
}

/// Drops links whose URL scheme is not allowed (`--allowed-link-protocol`), as Argo sanitises
/// them at start-up.
pub fn sanitise_links(info: &mut InfoConfig, allowed_protocols: &[String]) {
    info.links.retain(|link| {
        let scheme = link.url.split_once(':').map_or("", |(scheme, _)| scheme);
        let allowed = allowed_protocols
            .iter()
            .any(|protocol| protocol.eq_ignore_ascii_case(scheme));
        if !allowed {
            tracing::warn!(link = %link.name, url = %link.url, "dropping a link whose protocol is not allowed");
        }
        allowed
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_key_holds_the_settings() {
        let data = std::collections::BTreeMap::from([(
            "config".to_owned(),
            "parallelism: 2\nnavColor: red\nlinks:\n- name: Docs\n  scope: system\n  url: https://docs\n"
                .to_owned(),
        )]);
        let settings = from_data("argo/cm", &data).expect("valid");
        assert_eq!(settings.controller.parallelism, 2);
        assert_eq!(settings.info.nav_color, "red");
        assert_eq!(settings.info.links[0].url, "https://docs");
    }

    #[test]
    fn one_key_per_setting_is_read_too() {
        let data = std::collections::BTreeMap::from([
            ("namespaceParallelism".to_owned(), "3".to_owned()),
            (
                "columns".to_owned(),
                "- name: Env\n  type: label\n  key: env\n".to_owned(),
            ),
        ]);
        let settings = from_data("argo/cm", &data).expect("valid");
        assert_eq!(settings.controller.namespace_parallelism, 3);
        assert_eq!(settings.info.columns[0].key, "env");
    }

    #[test]
    fn a_configmap_manifest_file_is_accepted() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: workflow-controller-configmap\ndata:\n  navColor: blue\n";
        let settings = from_file_text("cm.yaml", text).expect("valid");
        assert_eq!(settings.info.nav_color, "blue");
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_key_and_origin() {
        let error = from_file_text("cm.yaml", "paralelism: 3\n").expect_err("typo");
        let message = error.to_string();
        assert!(message.contains("cm.yaml"), "{message}");
        assert!(message.contains("paralelism"), "{message}");
    }

    #[test]
    fn links_with_other_protocols_are_dropped() {
        let mut info = InfoConfig {
            links: vec![
                svc_info::Link {
                    name: "ok".to_owned(),
                    scope: "system".to_owned(),
                    url: "https://x".to_owned(),
                    target: String::new(),
                },
                svc_info::Link {
                    name: "bad".to_owned(),
                    scope: "system".to_owned(),
                    url: "javascript:alert(1)".to_owned(),
                    target: String::new(),
                },
            ],
            ..InfoConfig::default()
        };
        sanitise_links(&mut info, &["http".to_owned(), "https".to_owned()]);
        let names: Vec<_> = info.links.iter().map(|link| link.name.as_str()).collect();
        assert_eq!(names, ["ok"]);
    }
}
