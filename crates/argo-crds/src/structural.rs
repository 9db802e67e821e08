//! Turns a schemars JSON Schema (draft 2020-12, definitions under `$defs`) into the structural
//! OpenAPI v3 schema a CRD needs: every `$ref` inlined, unions flattened, nulls dropped.
//!
//! Recursive types (a step's `inline` template contains steps) are cut where a definition refers
//! back to itself: that point accepts any object (`x-kubernetes-preserve-unknown-fields`), which is
//! what the API server can store, and the lint rules check the rest.
//! Inside Kubernetes' own types (definitions named `io.k8s.*`) descriptions are dropped: the API
//! server documents those itself, and with them a Workflow CRD grows several times larger.
//! Must not: know about particular Argo fields.

use serde_json::{Map, Value, json};

/// Keys of a schema node that a structural CRD schema may carry through unchanged.
const KEPT: &[&str] = &[
    "type",
    "format",
    "description",
    "enum",
    "required",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
    "x-kubernetes-map-type",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
];

/// Converts a root schema into a structural schema.
pub fn openapi_schema(root: schemars::Schema) -> Value {
    let root = root.to_value();
    let defs = root
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut converter = Converter {
        defs,
        stack: Vec::new(),
        inside_kubernetes_type: 0,
    };
    converter.convert(&root)
}

/// A schema that accepts any object and stores it as given.
pub fn any_object() -> Value {
    json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true })
}

/// Removes every `description` below `node`.
pub fn drop_descriptions(node: &mut Value) {
    match node {
        Value::Object(map) => {
            map.remove("description");
            map.values_mut().for_each(drop_descriptions);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_descriptions),
        _ => {}
    }
}

fn anything() -> Value {
    json!({ "x-kubernetes-preserve-unknown-fields": true })
}

struct Converter {
    defs: Map<String, Value>,
    stack: Vec<String>,
    /// How many `io.k8s.*` definitions enclose the node being converted.
    inside_kubernetes_type: usize,
}

impl Converter {
    fn convert(&mut self, node: &Value) -> Value {
        let Some(map) = node.as_object() else {
            // `true` (or any non-object) accepts every value.
            return anything();
        };
        let mut out = if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            self.inline_reference(reference)
        } else if let Some(alternatives) = map.get("anyOf").or_else(|| map.get("oneOf")) {
            self.union(
                alternatives
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            )
        } else if let Some(parts) = map.get("allOf").and_then(Value::as_array) {
            let converted: Vec<Value> = parts.iter().map(|p| self.convert(p)).collect();
            converted.into_iter().fold(Value::Object(Map::new()), merge)
        } else {
            self.plain(map)
        };
        if let Value::Object(target) = &mut out {
            match map.get("description") {
                Some(description) if self.inside_kubernetes_type == 0 => {
                    target.insert("description".into(), description.clone());
                }
                _ if self.inside_kubernetes_type > 0 => {
                    target.remove("description");
                }
                _ => {}
            }
        }
        out
    }

    fn inline_reference(&mut self, reference: &str) -> Value {
        let name = reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
        if self.stack.contains(&name) {
            return any_object();
        }
        let Some(definition) = self.defs.get(&name).cloned() else {
            return anything();
        };
        let kubernetes = name.starts_with("io.k8s.");
        self.inside_kubernetes_type += usize::from(kubernetes);
        self.stack.push(name);
        let converted = self.convert(&definition);
        self.stack.pop();
        self.inside_kubernetes_type -= usize::from(kubernetes);
        converted
    }

    /// Flattens `anyOf`/`oneOf`: `T | null` is `T`; string enums merge; object variants (Rust
    /// enums with one key per variant) merge their properties; int-or-string stays that.
    fn union(&mut self, alternatives: &[Value]) -> Value {
        let converted: Vec<Value> = alternatives
            .iter()
            .filter(|alt| alt.get("type").and_then(Value::as_str) != Some("null"))
            .map(|alt| self.convert(alt))
            .collect();
        match converted.as_slice() {
            [] => anything(),
            [single] => single.clone(),
            many => union_of(many),
        }
    }

    fn plain(&mut self, map: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        for key in KEPT {
            if let Some(value) = map.get(*key) {
                out.insert((*key).to_string(), value.clone());
            }
        }
        if let Some(constant) = map.get("const") {
            out.insert("enum".into(), json!([constant]));
        }
        normalise_type(&mut out);
        normalise_format(&mut out);
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            let converted: Map<String, Value> = properties
                .iter()
                .map(|(key, value)| (key.clone(), self.convert(value)))
                .collect();
            out.insert("properties".into(), Value::Object(converted));
            out.entry("type").or_insert_with(|| json!("object"));
        }
        if let Some(additional) = map.get("additionalProperties")
            && !additional.is_boolean()
        {
            out.insert("additionalProperties".into(), self.convert(additional));
        }
        if let Some(items) = map.get("items") {
            out.insert("items".into(), self.convert(items));
        }
        if out.get("type").and_then(Value::as_str) == Some("array") && !out.contains_key("items") {
            out.insert("items".into(), anything());
        }
        if !out.contains_key("type")
            && !out.contains_key("x-kubernetes-int-or-string")
            && !out.contains_key("x-kubernetes-preserve-unknown-fields")
        {
            out.insert("x-kubernetes-preserve-unknown-fields".into(), json!(true));
        }
        Value::Object(out)
    }
}

/// `type: [T, "null"]` becomes `T`; `[integer, string]` becomes int-or-string; other type lists
/// accept anything.
fn normalise_type(out: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = out.get("type").cloned() else {
        return;
    };
    let types: Vec<&str> = types
        .iter()
        .filter_map(Value::as_str)
        .filter(|t| *t != "null")
        .collect();
    out.remove("type");
    match types.as_slice() {
        [single] => {
            out.insert("type".into(), json!(single));
        }
        [a, b] if is_int_or_string(a, b) => {
            out.insert("x-kubernetes-int-or-string".into(), json!(true));
        }
        _ => {
            out.insert("x-kubernetes-preserve-unknown-fields".into(), json!(true));
        }
    }
}

fn is_int_or_string(a: &str, b: &str) -> bool {
    matches!((a, b), ("integer", "string") | ("string", "integer"))
}

/// Kubernetes knows int32/int64/float/double; unsigned widths become a minimum of zero.
fn normalise_format(out: &mut Map<String, Value>) {
    let Some(format) = out.get("format").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    if format.starts_with("uint") {
        out.remove("format");
        out.insert("minimum".into(), json!(0));
    } else if matches!(format.as_str(), "int8" | "int16") {
        out.insert("format".into(), json!("int32"));
    }
}

fn union_of(alternatives: &[Value]) -> Value {
    let types: Vec<Option<&str>> = alternatives
        .iter()
        .map(|alt| alt.get("type").and_then(Value::as_str))
        .collect();
    if types.iter().all(|t| *t == Some("string")) {
        let mut values = Vec::new();
        for alt in alternatives {
            match alt.get("enum").and_then(Value::as_array) {
                Some(list) => values.extend(list.iter().cloned()),
                // A free-form string among the alternatives: no enum restriction.
                None => return json!({ "type": "string" }),
            }
        }
        return json!({ "type": "string", "enum": values });
    }
    if types.iter().all(|t| *t == Some("object")) {
        let merged = alternatives
            .iter()
            .cloned()
            .fold(Value::Object(Map::new()), merge);
        let mut merged = merged;
        if let Value::Object(map) = &mut merged {
            // Each variant requires its own key; the union requires none of them.
            map.remove("required");
        }
        return merged;
    }
    if let [Some(a), Some(b)] = types.as_slice()
        && is_int_or_string(a, b)
    {
        return json!({ "x-kubernetes-int-or-string": true });
    }
    anything()
}

/// Merges two object schemas: properties are united, other keys of `extra` win.
fn merge(base: Value, extra: Value) -> Value {
    let (Value::Object(mut base), Value::Object(extra)) = (base, extra) else {
        return anything();
    };
    for (key, value) in extra {
        match (key.as_str(), base.get_mut(&key), value) {
            ("properties", Some(Value::Object(existing)), Value::Object(more)) => {
                for (name, schema) in more {
                    existing.entry(name).or_insert(schema);
                }
            }
            ("required", Some(Value::Array(existing)), Value::Array(more)) => {
                for name in more {
                    if !existing.contains(&name) {
                        existing.push(name);
                    }
                }
            }
            (_, _, value) => {
                base.insert(key, value);
            }
        }
    }
    Value::Object(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(schema: Value) -> Value {
        openapi_schema(schemars::Schema::try_from(schema).unwrap())
    }

    #[test]
    fn references_are_inlined() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"$ref": "#/$defs/A"}},
            "$defs": {"A": {"type": "string", "format": "int64"}}
        });
        assert_eq!(
            convert(schema),
            json!({"type": "object", "properties": {"a": {"type": "string", "format": "int64"}}})
        );
    }

    #[test]
    fn a_recursive_definition_is_cut_with_preserve_unknown_fields() {
        let schema = json!({
            "$ref": "#/$defs/Node",
            "$defs": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Node"}}}}
        });
        let out = convert(schema);
        assert_eq!(out["properties"]["child"], any_object());
    }

    #[test]
    fn nullable_and_integer_or_string_types_become_structural() {
        let schema = json!({
            "type": "object",
            "properties": {
                "n": {"type": ["integer", "null"], "format": "uint32"},
                "ios": {"type": ["integer", "string"]},
                "any": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
            }
        });
        let out = convert(schema);
        assert_eq!(
            out["properties"]["n"],
            json!({"type": "integer", "minimum": 0})
        );
        assert_eq!(
            out["properties"]["ios"],
            json!({"x-kubernetes-int-or-string": true})
        );
        assert_eq!(out["properties"]["any"], anything());
    }

    #[test]
    fn kubernetes_types_lose_their_descriptions_but_argo_fields_keep_theirs() {
        let schema = json!({
            "type": "object",
            "properties": {
                "container": {"$ref": "#/$defs/io.k8s.api.core.v1.Container", "description": "ours"},
                "name": {"type": "string", "description": "also ours"}
            },
            "$defs": {"io.k8s.api.core.v1.Container": {
                "type": "object", "description": "theirs",
                "properties": {"image": {"type": "string", "description": "theirs too"}}
            }}
        });
        let out = convert(schema);
        assert_eq!(out["properties"]["container"]["description"], "ours");
        assert!(
            out["properties"]["container"]["properties"]["image"]
                .get("description")
                .is_none()
        );
        assert_eq!(out["properties"]["name"]["description"], "also ours");
    }

    #[test]
    fn string_enum_variants_merge_into_one_enum() {
        let schema = json!({"oneOf": [
            {"type": "string", "const": "Always"},
            {"type": "string", "enum": ["OnFailure", "OnError"]}
        ]});
        assert_eq!(
            convert(schema),
            json!({"type": "string", "enum": ["Always", "OnFailure", "OnError"]})
        );
    }

    #[test]
    fn object_variants_merge_their_properties_without_requiring_any() {
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"tar": {"type": "object"}}, "required": ["tar"]},
            {"type": "object", "properties": {"none": {"type": "object"}}, "required": ["none"]}
        ]});
        let out = convert(schema);
        assert!(out.get("required").is_none());
        assert_eq!(out["properties"].as_object().unwrap().len(), 2);
    }
}
