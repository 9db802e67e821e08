//! `Item`: one element of `withItems`, any JSON value kept exactly as written.
//!
//! Must not: coerce or normalise the value; loop expansion lives in the engine.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Any JSON value: string, number, boolean, list or map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item(pub Value);

impl Item {
    /// The raw JSON value.
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The string when the item is a JSON string.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// The map entries when the item is a JSON object.
    pub fn as_map(&self) -> Option<&serde_json::Map<String, Value>> {
        self.0.as_object()
    }

    /// The elements when the item is a JSON list.
    pub fn as_list(&self) -> Option<&Vec<Value>> {
        self.0.as_array()
    }
}

/// Strings print bare, everything else as compact JSON (how `{{item}}` renders).
impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Value::String(text) => f.write_str(text),
            other => write!(f, "{other}"),
        }
    }
}

impl From<Value> for Item {
    fn from(value: Value) -> Self {
        Item(value)
    }
}

impl From<&str> for Item {
    fn from(value: &str) -> Self {
        Item(Value::String(value.to_owned()))
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Item)
    }
}

impl JsonSchema for Item {
    fn schema_name() -> Cow<'static, str> {
        "Item".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Any JSON value.",
            "x-kubernetes-preserve-unknown-fields": true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_any_json_value() {
        let items: Vec<Item> =
            serde_json::from_str(r#"["a", 1, 2.5, true, {"k": "v"}, [1, 2]]"#).expect("items");
        assert_eq!(items[0].as_str(), Some("a"));
        assert_eq!(items[4].as_map().map(|m| m.len()), Some(1));
        let back = serde_json::to_string(&items).expect("serialise");
        assert_eq!(back, r#"["a",1,2.5,true,{"k":"v"},[1,2]]"#);
    }

    #[test]
    fn item_display_prints_strings_bare_and_the_rest_as_json() {
        assert_eq!(Item::from("x").to_string(), "x");
        assert_eq!(
            Item(serde_json::json!({"os": "debian"})).to_string(),
            r#"{"os":"debian"}"#
        );
        assert_eq!(Item(serde_json::json!(3)).to_string(), "3");
    }
}
