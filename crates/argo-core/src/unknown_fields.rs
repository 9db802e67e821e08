//! The unknown-field check: a typed value serialised back must keep every key of its input.
//! A key that disappears was not understood, unless its value was empty (Go's `omitempty`
//! normalisation drops `null`, `""`, `0`, `false`, `[]` and `{}`).
//!
//! This is the one mechanism for strictness: k8s-openapi types ignore unknown keys and serde's
//! `deny_unknown_fields` does not work together with `flatten`.
//!
//! Must not: compare values (normalisation legitimately changes them, e.g. `3` -> `"3"`).

use serde_json::Value;

use crate::path::FieldPath;

/// Go's notion of an empty value, extended to objects whose values are all empty.
pub fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.values().all(is_empty_value),
    }
}

/// Paths of input keys that the typed round trip dropped although their value was not empty.
pub fn unknown_fields(input: &Value, round_tripped: &Value) -> Vec<FieldPath> {
    let mut found = Vec::new();
    let mut pending = vec![(FieldPath::root(), input, round_tripped)];
    while let Some((path, input, output)) = pending.pop() {
        match (input, output) {
            (Value::Object(input), Value::Object(output)) => {
                for (key, input_value) in input {
                    match output.get(key) {
                        Some(output_value) => {
                            pending.push((
                                path.clone().key(key.clone()),
                                input_value,
                                output_value,
                            ));
                        }
                        None if is_empty_value(input_value) => {}
                        None => found.push(path.clone().key(key.clone())),
                    }
                }
            }
            (Value::Array(input), Value::Array(output)) => {
                for (index, (input_item, output_item)) in input.iter().zip(output).enumerate() {
                    pending.push((path.clone().index(index), input_item, output_item));
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

/// Removes object entries whose value is `null`, as Go's decoder treats them as absent.
pub(crate) fn strip_nulls(value: &mut Value) {
    let mut pending = vec![value];
    while let Some(current) = pending.pop() {
        match current {
            Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                pending.extend(map.values_mut());
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dropped_keys_with_values_are_unknown() {
        let input = json!({"spec": {"templates": [{"name": "a", "contaner": {"image": "x"}}]}});
        let output = json!({"spec": {"templates": [{"name": "a"}]}});
        let unknown = unknown_fields(&input, &output);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].to_string(), "spec.templates[0].contaner");
    }

    #[test]
    fn dropped_empty_values_are_omitempty_normalisation() {
        let input =
            json!({"a": null, "b": "", "c": [], "d": {}, "e": false, "f": 0, "g": {"h": []}});
        assert!(unknown_fields(&input, &json!({})).is_empty());
    }

    #[test]
    fn strip_nulls_removes_null_entries_but_keeps_list_items() {
        let mut value = json!({"a": null, "b": {"c": null, "d": 1}, "e": [null, {"f": null}]});
        strip_nulls(&mut value);
        assert_eq!(value, json!({"b": {"d": 1}, "e": [null, {}]}));
    }
}
