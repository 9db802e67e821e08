//! Scalar coercion guided by the typed model's JSON schema: a number or boolean written where the
//! model expects a string becomes that string, e.g. `command: [sleep, 10]`.
//!
//! Argo reads YAML through a converter that looks at the Go target type and turns scalars for
//! string fields into strings; serde would reject them instead. Walking the schema reproduces
//! the target-typed conversion without knowing the Rust types.
//!
//! Must not: touch values whose schema also admits numbers or booleans (IntOrString, Item,
//! Plugin, free-form maps), or change anything but scalars.

use std::collections::HashMap;
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

fn schemas() -> &'static HashMap<&'static str, Value> {
    static SCHEMAS: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        HashMap::from([
            ("Workflow", schema_of::<Workflow>()),
            ("WorkflowTemplate", schema_of::<WorkflowTemplate>()),
            (
                "ClusterWorkflowTemplate",
                schema_of::<ClusterWorkflowTemplate>(),
            ),
            ("CronWorkflow", schema_of::<CronWorkflow>()),
            ("WorkflowEventBinding", schema_of::<WorkflowEventBinding>()),
            ("WorkflowTaskSet", schema_of::<WorkflowTaskSet>()),
            ("WorkflowTaskResult", schema_of::<WorkflowTaskResult>()),
            (
                "WorkflowArtifactGCTask",
                schema_of::<WorkflowArtifactGCTask>(),
            ),
        ])
    })
}

/// Turns numbers and booleans into strings wherever the schema of `kind` expects only a
/// string. Returns how many scalars changed.
pub(crate) fn coerce_scalars_to_strings(kind: &str, value: &mut Value) -> usize {
    let Some(root) = schemas().get(kind) else {
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
            Value::Number(_) | Value::Bool(_) if expects_only_strings(&candidates) => {
                *current = Value::String(current.to_string());
                changed += 1;
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

/// True when some alternative is a string and none admits numbers, booleans or anything.
fn expects_only_strings(candidates: &[&Value]) -> bool {
    let mut string = false;
    for schema in candidates {
        if schema.get("x-kubernetes-int-or-string").is_some() {
            return false;
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(single)) => vec![single.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => return false,
        };
        if types
            .iter()
            .any(|t| matches!(*t, "number" | "integer" | "boolean"))
        {
            return false;
        }
        string |= types.contains(&"string");
    }
    string
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
        let changed = coerce_scalars_to_strings("Workflow", &mut value);
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
    fn free_form_values_are_left_alone() {
        let mut value = json!({
            "spec": {"templates": [{"steps": [[{"withItems": [1, true]}]], "plugin": {"p": {"n": 1}}}]}
        });
        assert_eq!(coerce_scalars_to_strings("Workflow", &mut value), 0);
    }
}
