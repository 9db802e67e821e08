//! Kubernetes-style JSON -> protobuf: what Go's `encoding/json` reads into the struct.
//!
//! A key no field claims is an error naming it and its path (what Go's decoder does with
//! `DisallowUnknownFields`), or is dropped when the caller asks for Go's default; a value of
//! the wrong JSON type is an error naming its path. It never consults anything but the
//! descriptor and the JSON.

use std::collections::HashMap;

use prost_reflect::{
    DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, ReflectMessage as _, Value,
};
use serde_json::{Map, Value as Json};

use super::field_rule::field_rule;
use super::special::{bytes_from_json, special_from_json, special_kind};
use super::unknown_fields::{
    UnknownFields, embeds_type_meta, inline_message_claims, is_type_meta_key, readable_path,
};
use crate::{Error, Result};

/// Reads Argo REST JSON a client sent for a message of type `descriptor`; a key no field
/// claims is an error.
///
/// # Errors
/// [`Error::UnknownField`] for a key the message (at any depth) does not have, and
/// [`Error::Json`] when a value has a JSON type the field cannot hold (a string where a
/// number belongs, an object where a list belongs, a malformed time, ...).
pub fn json_to_message(descriptor: &MessageDescriptor, json: &Json) -> Result<DynamicMessage> {
    json_to_message_with(descriptor, json, UnknownFields::Reject)
}

/// Reads Argo REST JSON for a message of type `descriptor`, treating unknown keys as `unknown`
/// says.
///
/// # Errors
/// As [`json_to_message`]; [`Error::UnknownField`] only with [`UnknownFields::Reject`].
pub fn json_to_message_with(
    descriptor: &MessageDescriptor,
    json: &Json,
    unknown: UnknownFields,
) -> Result<DynamicMessage> {
    message_from_json(descriptor, json, "$", unknown)
}

pub(crate) fn message_from_json(
    descriptor: &MessageDescriptor,
    json: &Json,
    path: &str,
    unknown: UnknownFields,
) -> Result<DynamicMessage> {
    if let Some(kind) = special_kind(descriptor) {
        return special_from_json(kind, descriptor, json, path, unknown);
    }
    let mut message = DynamicMessage::new(descriptor.clone());
    match json {
        Json::Null => Ok(message),
        Json::Object(object) => {
            read_fields(&mut message, object, path, unknown)?;
            Ok(message)
        }
        _ => Err(mismatch(path, "an object")),
    }
}

/// Reads `object`'s keys into `message`; keys no field claims go on to the inline field that
/// claims them, and are unknown when none does.
fn read_fields(
    message: &mut DynamicMessage,
    object: &Map<String, Json>,
    path: &str,
    unknown: UnknownFields,
) -> Result<()> {
    let descriptor = message.descriptor();
    let mut by_key = HashMap::new();
    let mut inline = Vec::new();
    for field in descriptor.fields() {
        let rule = field_rule(&field);
        if rule.inline {
            inline.push(field);
        } else {
            by_key.insert(rule.key.clone(), field);
        }
    }
    let mut leftover = Map::new();
    for (key, json) in object {
        // Go's decoder prefers an exact key and falls back to a case-insensitive match.
        let field = by_key.get(key).or_else(|| {
            by_key
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(key))
                .map(|(_, field)| field)
        });
        let Some(field) = field else {
            leftover.insert(key.clone(), json.clone());
            continue;
        };
        if json.is_null() {
            continue;
        }
        let field_path = format!("{path}.{key}");
        let value = field_from_json(field, json, &field_path, unknown)?;
        message.set_field(field, value);
    }
    let inline: Vec<(FieldDescriptor, MessageDescriptor)> = inline
        .into_iter()
        .filter_map(|field| match field.kind() {
            Kind::Message(inner) => Some((field, inner)),
            _ => None,
        })
        .collect();
    if unknown == UnknownFields::Reject {
        reject_unclaimed(&descriptor, &inline, &leftover, path)?;
    }
    for (field, inner) in inline {
        let claimed: Map<String, Json> = leftover
            .iter()
            .filter(|(key, _)| inline_message_claims(&inner, key))
            .map(|(key, json)| (key.clone(), json.clone()))
            .collect();
        let inner = message_from_json(&inner, &Json::Object(claimed), path, unknown)?;
        message.set_field(&field, Value::Message(inner));
    }
    Ok(())
}

/// The first key (in the object's order) that neither `TypeMeta` nor an inline field claims.
fn reject_unclaimed(
    descriptor: &MessageDescriptor,
    inline: &[(FieldDescriptor, MessageDescriptor)],
    leftover: &Map<String, Json>,
    path: &str,
) -> Result<()> {
    let type_meta = embeds_type_meta(descriptor);
    let claimed = |key: &str| {
        (type_meta && is_type_meta_key(key))
            || inline
                .iter()
                .any(|(_, inner)| inline_message_claims(inner, key))
    };
    let unclaimed = leftover.keys().find(|key| !claimed(key));
    match unclaimed {
        Some(key) => Err(Error::UnknownField {
            field: key.clone(),
            path: readable_path(path),
        }),
        None => Ok(()),
    }
}

fn field_from_json(
    field: &FieldDescriptor,
    json: &Json,
    path: &str,
    unknown: UnknownFields,
) -> Result<Value> {
    if field.is_map() {
        let Json::Object(entries) = json else {
            return Err(mismatch(path, "an object"));
        };
        let Kind::Message(entry) = field.kind() else {
            return Err(mismatch(path, "a map"));
        };
        let key_field = entry.map_entry_key_field();
        let value_field = entry.map_entry_value_field();
        let mut map = HashMap::with_capacity(entries.len());
        for (key, item) in entries {
            let item_path = format!("{path}.{key}");
            let key = map_key(&key_field, key, &item_path)?;
            let value = if item.is_null() {
                value_field.default_value()
            } else {
                single_value(&value_field, item, &item_path, unknown)?
            };
            map.insert(key, value);
        }
        return Ok(Value::Map(map));
    }
    if field.is_list() {
        let Json::Array(items) = json else {
            return Err(mismatch(path, "a list"));
        };
        let values = items
            .iter()
            .enumerate()
            .map(|(index, item)| single_value(field, item, &format!("{path}[{index}]"), unknown))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Value::List(values));
    }
    single_value(field, json, path, unknown)
}

fn single_value(
    field: &FieldDescriptor,
    json: &Json,
    path: &str,
    unknown: UnknownFields,
) -> Result<Value> {
    let value = match field.kind() {
        Kind::Message(inner) => Value::Message(message_from_json(&inner, json, path, unknown)?),
        Kind::String if field_rule(field).any_string => Value::String(any_string(json, path)?),
        Kind::String => Value::String(
            json.as_str()
                .ok_or_else(|| mismatch(path, "a string"))?
                .to_owned(),
        ),
        Kind::Bool => Value::Bool(json.as_bool().ok_or_else(|| mismatch(path, "a boolean"))?),
        Kind::Bytes => {
            let text = json
                .as_str()
                .ok_or_else(|| mismatch(path, "a base64 string"))?;
            Value::Bytes(
                bytes_from_json(text)
                    .ok_or_else(|| mismatch(path, "valid base64"))?
                    .into(),
            )
        }
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(integer(json, path)?),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(integer(json, path)?),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(integer(json, path)?),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(integer(json, path)?),
        Kind::Double => Value::F64(json.as_f64().ok_or_else(|| mismatch(path, "a number"))?),
        #[allow(clippy::cast_possible_truncation)]
        Kind::Float => Value::F32(json.as_f64().ok_or_else(|| mismatch(path, "a number"))? as f32),
        Kind::Enum(enumeration) => {
            let number = match json {
                Json::String(name) => enumeration
                    .get_value_by_name(name)
                    .map(|value| value.number()),
                Json::Number(_) => integer::<i32>(json, path).ok(),
                _ => None,
            };
            Value::EnumNumber(number.ok_or_else(|| mismatch(path, "an enum name or number"))?)
        }
    };
    Ok(value)
}

/// Argo's `AnyString`: strings as they are, numbers and booleans as their text.
fn any_string(json: &Json, path: &str) -> Result<String> {
    match json {
        Json::String(text) => Ok(text.clone()),
        Json::Bool(flag) => Ok(flag.to_string()),
        Json::Number(number) => Ok(match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(signed), _, _) => signed.to_string(),
            (_, Some(unsigned), _) => unsigned.to_string(),
            (_, _, Some(float)) => float.to_string(),
            _ => number.to_string(),
        }),
        _ => Err(mismatch(path, "a string, number or boolean")),
    }
}

/// A JSON integer that fits the field; Go rejects fractions and out-of-range values too.
fn integer<T: TryFrom<i64> + TryFrom<u64>>(json: &Json, path: &str) -> Result<T> {
    let Json::Number(number) = json else {
        return Err(mismatch(path, "an integer"));
    };
    let converted = match (number.as_i64(), number.as_u64()) {
        (Some(signed), _) => T::try_from(signed).ok(),
        (None, Some(unsigned)) => T::try_from(unsigned).ok(),
        _ => None,
    };
    converted.ok_or_else(|| mismatch(path, "an integer in range"))
}

fn map_key(field: &FieldDescriptor, key: &str, path: &str) -> Result<MapKey> {
    let parsed = match field.kind() {
        Kind::String => Some(MapKey::String(key.to_owned())),
        Kind::Bool => key.parse().ok().map(MapKey::Bool),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => key.parse().ok().map(MapKey::I32),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => key.parse().ok().map(MapKey::I64),
        Kind::Uint32 | Kind::Fixed32 => key.parse().ok().map(MapKey::U32),
        Kind::Uint64 | Kind::Fixed64 => key.parse().ok().map(MapKey::U64),
        _ => None,
    };
    parsed.ok_or_else(|| mismatch(path, "a map key of the declared type"))
}

fn mismatch(path: &str, expected: &str) -> Error {
    Error::Json {
        path: path.to_owned(),
        reason: format!("expected {expected}"),
    }
}
