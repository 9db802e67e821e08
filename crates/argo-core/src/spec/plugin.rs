//! Executor plugins: the `plugin` template body (one key naming the plugin, any JSON config) and
//! workflow-level plugin sidecar definitions.
//!
//! Must not: call plugins.

use std::borrow::Cow;

use k8s_openapi::api::core::v1::Container;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::values::is_false;

/// A plugin call: an object with exactly one key, the plugin name, whose value is its config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plugin(pub Map<String, Value>);

impl Plugin {
    /// A plugin call with this name and configuration.
    pub fn new(name: impl Into<String>, config: Value) -> Self {
        let mut map = Map::new();
        map.insert(name.into(), config);
        Plugin(map)
    }

    /// The plugin name.
    pub fn name(&self) -> Option<&str> {
        self.0.keys().next().map(String::as_str)
    }

    /// The plugin's configuration.
    pub fn config(&self) -> Option<&Value> {
        self.0.values().next()
    }
}

impl Serialize for Plugin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Plugin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        if map.len() != 1 {
            return Err(D::Error::custom(format!(
                "expected exactly one key, got {}",
                map.len()
            )));
        }
        Ok(Plugin(map))
    }
}

impl JsonSchema for Plugin {
    fn schema_name() -> Cow<'static, str> {
        "Plugin".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "One key naming the plugin; its value is the plugin's configuration.",
            "x-kubernetes-preserve-unknown-fields": true,
        })
    }
}

/// A plugin declared by the workflow itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutorPlugin {
    pub metadata: ObjectMeta,
    pub spec: ExecutorPluginSpec,
}

/// The plugin's sidecar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutorPluginSpec {
    pub sidecar: ExecutorPluginSidecar,
}

/// The sidecar container that answers the plugin's HTTP calls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutorPluginSidecar {
    #[serde(skip_serializing_if = "is_false")]
    pub automount_service_account_token: bool,
    pub container: Container,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_requires_exactly_one_key() {
        let plugin: Plugin = serde_json::from_str(r#"{"hello": {"msg": "hi"}}"#).expect("one key");
        assert_eq!(plugin.name(), Some("hello"));
        assert!(serde_json::from_str::<Plugin>(r#"{"a": 1, "b": 2}"#).is_err());
        assert!(serde_json::from_str::<Plugin>("{}").is_err());
    }
}
