//! The part of Argo's `workflow-controller-configmap` that GetInfo reports, in its YAML/JSON
//! shape (`links`, `columns`, `navColor`, `ui.modals`... flattened here to what GetInfo needs).
//!
//! Must not: validate anything beyond its shape; unknown keys are refused by serde.

use serde::{Deserialize, Serialize};

/// A link the UI shows (Argo's `Link`): `scope` is `workflow`, `pod`, `event-source-logs`...
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub name: String,
    pub scope: String,
    pub url: String,
    #[serde(default)]
    pub target: String,
}

/// An extra column in the workflow list (Argo's `Column`): `type` is `label` or `annotation`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub column_type: String,
    pub key: String,
}

/// What GetInfo answers with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct InfoConfig {
    /// The namespace the server is restricted to (`--managed-namespace`), empty when all.
    pub managed_namespace: String,
    pub links: Vec<Link>,
    pub columns: Vec<Column>,
    pub nav_color: String,
    /// UI modals by name, and whether to show them.
    pub modals: std::collections::BTreeMap<String, bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_reads_argo_key_names() {
        let config: InfoConfig = serde_json::from_value(serde_json::json!({
            "managedNamespace": "argo",
            "navColor": "red",
            "links": [{"name": "Docs", "scope": "system", "url": "https://x"}],
            "columns": [{"name": "Env", "type": "label", "key": "env"}],
            "modals": {"feedback": true}
        }))
        .expect("valid config");
        assert_eq!(config.links[0].target, "");
        assert_eq!(config.columns[0].column_type, "label");
        assert_eq!(config.modals.get("feedback"), Some(&true));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let result: Result<InfoConfig, _> =
            serde_json::from_value(serde_json::json!({"navColour": "red"}));
        assert!(result.is_err());
    }
}
