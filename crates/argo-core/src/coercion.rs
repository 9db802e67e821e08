//! Scalar coercion guided by the typed model's JSON schema: a number or boolean written where the
//! model expects a string becomes that string, e.g. `command: [sleep, 10]`.
//!
//! Argo reads YAML through a converter that looks at the Go target type and turns scalars for
//! string fields into strings; serde would reject them instead. Walking the schema reproduces
//! the target-typed conversion without knowing the Rust types.
//!
//! YAML 1.1 spellings a YAML 1.2 reader keeps as strings are read the same way where the field
//! is a boolean (`yes`, `off`) or an integer (`0755` is octal).
//!
//! Must not: touch values whose schema admits several scalar types (IntOrString, Item, Plugin,
//! free-form maps), or change anything but scalars.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::kinds::{
    ClusterWorkflowTemplate, CronWorkflow, Workflow, WorkflowArtifactGCTask, WorkflowEventBinding,
    WorkflowTaskResult, WorkflowTaskSet, WorkflowTemplate,
};

fn schema_of<T: JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Bool(true))
}

/// The schema of one kind, built the first time that kind is read (a process that reads only
/// Workflows never builds the others; building all of them cost about a quarter of a short
/// `argo run`).
fn schema(kind: &str) -> Option<&'static Value> {
    fn cached<T: JsonSchema>(cell: &'static OnceLock<Value>) -> &'static Value {
        cell.get_or_init(schema_of::<T>)
    }
    static WORKFLOW: OnceLock<Value> = OnceLock::new();
    static WORKFLOW_TEMPLATE: OnceLock<Value> = OnceLock::new();
    static CLUSTER_WORKFLOW_TEMPLATE: OnceLock<Value> = OnceLock::new();
    static CRON_WORKFLOW: OnceLock<Value> = OnceLock::new();
    static EVENT_BINDING: OnceLock<Value> = OnceLock::new();
    static TASK_SET: OnceLock<Value> = OnceLock::new();
    static TASK_RESULT: OnceLock<Value> = OnceLock::new();
    static ARTIFACT_GC_TASK: OnceLock<Value> = OnceLock::new();
    Some(match kind {
        "Workflow" => cached::<Workflow>(&WORKFLOW),
        "WorkflowTemplate" => cached::<WorkflowTemplate>(&WORKFLOW_TEMPLATE),
        "ClusterWorkflowTemplate" => cached::<ClusterWorkflowTemplate>(&CLUSTER_WORKFLOW_TEMPLATE),
        "CronWorkflow" => cached::<CronWorkflow>(&CRON_WORKFLOW),
        "WorkflowEventBinding" => cached::<WorkflowEventBinding>(&EVENT_BINDING),
        "WorkflowTaskSet" => cached::<WorkflowTaskSet>(&TASK_SET),
        "WorkflowTaskResult" => cached::<WorkflowTaskResult>(&TASK_RESULT),
        "WorkflowArtifactGCTask" => cached::<WorkflowArtifactGCTask>(&ARTIFACT_GC_TASK),
        _ => return None,
    })
}

/// Turns numbers and booleans into strings wherever the schema of `kind` expects only a
/// string. Returns how many scalars changed.
pub(crate) fn coerce_scalars(kind: &str, value: &mut Value) -> usize {
    let Some(root) = schema(kind) else {
        return 0;
    };
    let empty = Map::new();
    let definitions = root
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut changed = 0;
    let mut pending: Vec<(&mut Value, Vec<&Value>)> = vec![(value, resolve(root, definitions))];
    while let Some((current, candidates)) = pending.pop() {
        match current {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let child_schemas: Vec<&Value> = candidates
                        .iter()
                        .filter_map(|schema| property_schema(schema, key))
                        .flat_map(|schema| resolve(schema, definitions))
                        .collect();
                    if !child_schemas.is_empty() {
                        pending.push((child, child_schemas));
                    }
                }
            }
            Value::Array(items) => {
                let item_schemas: Vec<&Value> = candidates
                    .iter()
                    .filter_map(|schema| schema.get("items"))
                    .flat_map(|schema| resolve(schema, definitions))
                    .collect();
                if !item_schemas.is_empty() {
                    for item in items.iter_mut() {
                        pending.push((item, item_schemas.clone()));
                    }
                }
            }
            Value::Number(_) | Value::Bool(_) if expects_only(&candidates, "string") => {
                *current = Value::String(current.to_string());
                changed += 1;
            }
            Value::String(text) => {
                if let Some(replacement) = yaml_1_1_scalar(text, &candidates) {
                    *current = replacement;
                    changed += 1;
                }
            }
            _ => {}
        }
    }
    changed
}

/// The schema of an object's property `key`: a named property, else `additionalProperties`.
fn property_schema<'a>(schema: &'a Value, key: &str) -> Option<&'a Value> {
    schema
        .get("properties")
        .and_then(|properties| properties.get(key))
        .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()))
}

/// Follows `$ref`s and opens `anyOf`/`oneOf`/`allOf`, giving the concrete alternatives.
fn resolve<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> Vec<&'a Value> {
    let mut out = Vec::new();
    let mut pending = vec![schema];
    let mut steps = 0;
    while let Some(current) = pending.pop() {
        steps += 1;
        if steps > 64 {
            break;
        }
        if let Some(name) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix("#/$defs/"))
        {
            if let Some(target) = definitions.get(name) {
                pending.push(target);
            }
            continue;
        }
        let mut composite = false;
        for keyword in ["anyOf", "oneOf", "allOf"] {
            if let Some(parts) = current.get(keyword).and_then(Value::as_array) {
                composite = true;
                pending.extend(parts.iter());
            }
        }
        if !composite || current.get("properties").is_some() {
            out.push(current);
        }
    }
    out
}

/// YAML 1.1 scalars that a YAML 1.2 reader leaves as strings: `yes`/`no`/`on`/`off`/`y`/`n` for
/// boolean fields and leading-zero octal (`0755`) for integer fields.
fn yaml_1_1_scalar(text: &str, candidates: &[&Value]) -> Option<Value> {
    if expects_only(candidates, "boolean") {
        return match text {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(Value::Bool(true)),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(Value::Bool(false)),
            _ => None,
        };
    }
    if expects_only(candidates, "integer") {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let octal = digits.strip_prefix('0').filter(|d| !d.is_empty())?;
        let magnitude = i64::from_str_radix(octal, 8).ok()?;
        return Some(Value::from(if negative { -magnitude } else { magnitude }));
    }
    None
}

/// True when some alternative has type `wanted` and none admits another scalar type or
/// anything at all (`wanted` is "string", "boolean" or "integer").
fn expects_only(candidates: &[&Value], wanted: &str) -> bool {
    let mut found = false;
    for schema in candidates {
        if schema.get("x-kubernetes-int-or-string").is_some() {
            return false;
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(single)) => vec![single.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => return false,
        };
        let scalar_types = ["string", "number", "integer", "boolean"];
        if types
            .iter()
            .any(|t| *t != wanted && scalar_types.contains(t))
        {
            return false;
        }
        found |= types.contains(&wanted);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_in_string_fields_become_strings() {
        let mut value = json!({
            "spec": {
                "entrypoint": 7,
                "templates": [{
                    "name": "t",
                    "retryStrategy": {"limit": 3},
                    "script": {"image": "alpine", "command": ["sleep", 10], "source": true},
                    "container": {"env": [{"name": "PORT", "value": 8080}]}
                }]
            }
        });
        let changed = coerce_scalars("Workflow", &mut value);
        assert_eq!(changed, 4);
        assert_eq!(value["spec"]["entrypoint"], "7");
        assert_eq!(value["spec"]["templates"][0]["script"]["command"][1], "10");
        assert_eq!(value["spec"]["templates"][0]["script"]["source"], "true");
        assert_eq!(
            value["spec"]["templates"][0]["container"]["env"][0]["value"],
            "8080"
        );
        // IntOrString keeps its number.
        assert_eq!(value["spec"]["templates"][0]["retryStrategy"]["limit"], 3);
    }

    #[test]
    fn yaml_1_1_booleans_and_octals_fill_boolean_and_integer_fields() {
        let mut value = json!({
            "spec": {
                "suspend": "yes",
                "entrypoint": "no",
                "templates": [{"daemon": "off", "inputs": {"artifacts": [{"name": "a", "mode": "0755"}]}}]
            }
        });
        assert_eq!(coerce_scalars("Workflow", &mut value), 3);
        assert_eq!(value["spec"]["suspend"], true);
        assert_eq!(value["spec"]["entrypoint"], "no");
        assert_eq!(value["spec"]["templates"][0]["daemon"], false);
        assert_eq!(
            value["spec"]["templates"][0]["inputs"]["artifacts"][0]["mode"],
            0o755
        );
    }

    #[test]
    fn free_form_values_are_left_alone() {
        let mut value = json!({
            "spec": {"templates": [{"steps": [[{"withItems": [1, true]}]], "plugin": {"p": {"n": 1}}}]}
        });
        assert_eq!(coerce_scalars("Workflow", &mut value), 0);
    }
}
