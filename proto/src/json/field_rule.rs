//! How Go's `encoding/json` treats one field: its JSON key and the `(argors.json.field)` hints.
//!
//! Read from the descriptor once per field and cached; this file decides nothing about
//! values.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use prost_reflect::{FieldDescriptor, Value};

/// The custom option on `google.protobuf.FieldOptions` that carries [`FieldRule`]'s hints.
const GO_FIELD_EXTENSION: &str = "argors.json.field";

/// One field's JSON behaviour.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FieldRule {
    /// The JSON object key.
    pub key: String,
    /// Flattened into the parent object (`json:",inline"`).
    pub inline: bool,
    /// Never left out (Go value struct, or no `omitempty`).
    pub always: bool,
    /// A pointer to a scalar: written whenever set, zero included.
    pub presence: bool,
    /// Argo's `AnyString`: also accepts JSON numbers and booleans.
    pub any_string: bool,
}

type Cache = RwLock<HashMap<(String, u32), Arc<FieldRule>>>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// The rule for `field`, computed on first use.
pub(crate) fn field_rule(field: &FieldDescriptor) -> Arc<FieldRule> {
    let key = (
        field.parent_message().full_name().to_owned(),
        field.number(),
    );
    if let Ok(rules) = cache().read()
        && let Some(rule) = rules.get(&key)
    {
        return Arc::clone(rule);
    }
    let rule = Arc::new(read_rule(field));
    if let Ok(mut rules) = cache().write() {
        rules.insert(key, Arc::clone(&rule));
    }
    rule
}

fn read_rule(field: &FieldDescriptor) -> FieldRule {
    let mut rule = FieldRule {
        key: json_key(field),
        ..FieldRule::default()
    };
    let Some(extension) = field
        .parent_pool()
        .get_extension_by_name(GO_FIELD_EXTENSION)
    else {
        return rule;
    };
    let options = field.options();
    if !options.has_extension(&extension) {
        return rule;
    }
    let hints = options.get_extension(&extension);
    let Value::Message(hints) = hints.as_ref() else {
        return rule;
    };
    let flag = |name: &str| {
        hints
            .get_field_by_name(name)
            .and_then(|value| value.as_bool())
            .unwrap_or(false)
    };
    rule.inline = flag("inline");
    rule.always = flag("always");
    rule.presence = flag("presence");
    rule.any_string = flag("any_string");
    rule
}

/// The proto field name, unless the schema gave an explicit `json_name` that differs from
/// the one protobuf derives by itself.
fn json_key(field: &FieldDescriptor) -> String {
    if field.json_name() == derived_json_name(field.name()) {
        field.name().to_owned()
    } else {
        field.json_name().to_owned()
    }
}

/// protobuf's default `json_name`: drop underscores and upper-case the letter after each.
fn derived_json_name(name: &str) -> String {
    let mut derived = String::with_capacity(name.len());
    let mut upper_next = false;
    for character in name.chars() {
        if character == '_' {
            upper_next = true;
        } else if upper_next {
            derived.extend(character.to_uppercase());
            upper_next = false;
        } else {
            derived.push(character);
        }
    }
    derived
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor_pool;

    fn rule(message: &str, field: &str) -> Arc<FieldRule> {
        let pool = descriptor_pool().expect("descriptor set decodes");
        let message = pool.get_message_by_name(message).expect("message exists");
        field_rule(&message.get_field_by_name(field).expect("field exists"))
    }

    const ARGO: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1";

    #[test]
    fn derived_json_name_matches_protobuf_rules() {
        assert_eq!(
            derived_json_name("connection_timeout_seconds"),
            "connectionTimeoutSeconds"
        );
        assert_eq!(derived_json_name("podIP"), "podIP");
    }

    #[test]
    fn renamed_go_tag_becomes_the_json_key() {
        assert_eq!(
            rule(&format!("{ARGO}.CronWorkflowSpec"), "workflowMeta").key,
            "workflowMetadata"
        );
        assert_eq!(
            rule(&format!("{ARGO}.SubmitOpts"), "entrypoint").key,
            "entryPoint"
        );
    }

    #[test]
    fn snake_case_service_fields_keep_their_proto_names() {
        assert_eq!(
            rule("artifact.PluginArtifact", "connection_timeout_seconds").key,
            "connection_timeout_seconds"
        );
    }

    #[test]
    fn schema_hints_are_read_from_the_custom_option() {
        assert!(rule(&format!("{ARGO}.Artifact"), "artifactLocation").inline);
        assert!(rule(&format!("{ARGO}.Workflow"), "status").always);
        assert!(rule(&format!("{ARGO}.WorkflowSpec"), "parallelism").presence);
        assert!(rule(&format!("{ARGO}.Parameter"), "value").any_string);
        assert_eq!(
            *rule(&format!("{ARGO}.WorkflowSpec"), "entrypoint"),
            FieldRule {
                key: "entrypoint".to_owned(),
                ..FieldRule::default()
            }
        );
    }
}
