//! Read-only accessors over a manifest's raw JSON, with Go's zero-value semantics: a missing
//! field, `null` and the wrong JSON type all read as "unset", the way a Go struct would see them
//! after unmarshalling.
//!
//! Must not: validate anything or allocate more than the accessor's result.

use serde_json::{Map, Value};

/// Empty object used when a field is absent.
static EMPTY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| Value::Object(Map::new()));

/// The field `key` of `value` if it is present and not null.
pub fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.get(key).filter(|v| !v.is_null())
}

/// The field as an object, or an empty object.
pub fn object<'a>(value: &'a Value, key: &str) -> &'a Value {
    match field(value, key) {
        Some(v @ Value::Object(_)) => v,
        _ => &EMPTY,
    }
}

/// The field as a string, with numbers and booleans printed the way Argo's `AnyString` keeps them.
pub fn string(value: &Value, key: &str) -> String {
    field(value, key).map(scalar_text).unwrap_or_default()
}

/// The field as a string slice when it is a JSON string, otherwise "".
pub fn str<'a>(value: &'a Value, key: &str) -> &'a str {
    field(value, key).and_then(Value::as_str).unwrap_or("")
}

/// The field as an array, or an empty slice.
pub fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    match field(value, key) {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// Whether the field is present with a non-null value (Go's non-nil pointer or slice).
pub fn has(value: &Value, key: &str) -> bool {
    field(value, key).is_some()
}

/// The text of a scalar: strings as-is, numbers and booleans printed, anything else as JSON.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The field as a boolean (false when absent or not a boolean).
pub fn flag(value: &Value, key: &str) -> bool {
    field(value, key).and_then(Value::as_bool).unwrap_or(false)
}

/// The keys of an object field, in document order.
pub fn keys(value: &Value, key: &str) -> Vec<String> {
    match field(value, key) {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}
