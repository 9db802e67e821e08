//! protobuf -> Kubernetes-style JSON: what Go's `encoding/json` writes for the decoded struct.
//!
//! Infallible by design: every message has some JSON. It never consults anything but the
//! descriptor and the message.

use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MapKey, ReflectMessage as _, Value};
use serde_json::{Map, Value as Json};

use super::field_rule::field_rule;
use super::special::{bytes_to_json, special_kind, special_to_json};

/// The JSON Argo's REST API would send for `message`.
pub fn message_to_json(message: &DynamicMessage) -> Json {
    message_value(message)
}

pub(crate) fn message_value(message: &DynamicMessage) -> Json {
    if let Some(kind) = special_kind(&message.descriptor()) {
        return special_to_json(kind, message);
    }
    let mut object = Map::new();
    write_fields(message, &mut object);
    Json::Object(object)
}

/// Writes `message`'s fields into `object`; inline fields write theirs into the same object.
fn write_fields(message: &DynamicMessage, object: &mut Map<String, Json>) {
    for field in message.descriptor().fields() {
        let rule = field_rule(&field);
        let present = message.has_field(&field);
        let value = message.get_field(&field);
        if rule.inline {
            if let Value::Message(inner) = value.as_ref() {
                match message_value(inner) {
                    Json::Object(entries) => object.extend(entries),
                    Json::Null => {}
                    other => {
                        object.insert(rule.key.clone(), other);
                    }
                }
            }
            continue;
        }
        if let Some(json) = field_json(&field, value.as_ref(), present, rule.always, rule.presence)
        {
            object.insert(rule.key.clone(), json);
        }
    }
}

/// The field's JSON, or `None` when Go would leave the key out.
fn field_json(
    field: &FieldDescriptor,
    value: &Value,
    present: bool,
    always: bool,
    presence: bool,
) -> Option<Json> {
    match value {
        Value::List(items) => {
            if items.is_empty() {
                return always.then_some(Json::Null);
            }
            Some(Json::Array(
                items
                    .iter()
                    .map(|item| scalar_or_message(field, item))
                    .collect(),
            ))
        }
        Value::Map(entries) => {
            if entries.is_empty() {
                return always.then_some(Json::Null);
            }
            let value_field = match field.kind() {
                Kind::Message(entry) => entry.map_entry_value_field(),
                _ => field.clone(),
            };
            let mut object = Map::new();
            let mut keys: Vec<_> = entries.keys().collect();
            keys.sort_by_key(|key| map_key_text(key));
            for key in keys {
                if let Some(item) = entries.get(key) {
                    object.insert(map_key_text(key), scalar_or_message(&value_field, item));
                }
            }
            Some(Json::Object(object))
        }
        Value::Message(inner) => (present || always).then(|| message_value(inner)),
        scalar => {
            let written = if presence {
                present
            } else {
                always || (present && !is_zero(scalar))
            };
            written.then(|| scalar_or_message(field, scalar))
        }
    }
}

fn scalar_or_message(field: &FieldDescriptor, value: &Value) -> Json {
    match value {
        Value::Bool(flag) => Json::Bool(*flag),
        Value::I32(number) => Json::from(*number),
        Value::I64(number) => Json::from(*number),
        Value::U32(number) => Json::from(*number),
        Value::U64(number) => Json::from(*number),
        Value::F32(number) => {
            serde_json::Number::from_f64(f64::from(*number)).map_or(Json::Null, Json::Number)
        }
        Value::F64(number) => {
            serde_json::Number::from_f64(*number).map_or(Json::Null, Json::Number)
        }
        Value::String(text) => Json::String(text.clone()),
        Value::Bytes(bytes) => bytes_to_json(bytes),
        Value::EnumNumber(number) => Json::from(*number),
        Value::Message(inner) => message_value(inner),
        Value::List(_) | Value::Map(_) => {
            field_json(field, value, true, true, false).unwrap_or(Json::Null)
        }
    }
}

fn is_zero(value: &Value) -> bool {
    match value {
        Value::Bool(flag) => !flag,
        Value::I32(number) => *number == 0,
        Value::I64(number) => *number == 0,
        Value::U32(number) => *number == 0,
        Value::U64(number) => *number == 0,
        Value::F32(number) => *number == 0.0,
        Value::F64(number) => *number == 0.0,
        Value::String(text) => text.is_empty(),
        Value::Bytes(bytes) => bytes.is_empty(),
        Value::EnumNumber(number) => *number == 0,
        Value::Message(_) => false,
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
    }
}

/// Go writes map keys as strings, sorted; integer and boolean keys as their text.
fn map_key_text(key: &MapKey) -> String {
    match key {
        MapKey::Bool(flag) => flag.to_string(),
        MapKey::I32(number) => number.to_string(),
        MapKey::I64(number) => number.to_string(),
        MapKey::U32(number) => number.to_string(),
        MapKey::U64(number) => number.to_string(),
        MapKey::String(text) => text.clone(),
    }
}
