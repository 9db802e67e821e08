//! Path and query parameters into a request message, the way grpc-gateway v1 fills them.
//!
//! The gateway calls [`set_request_param`] once per path variable (`{namespace}`) and once per
//! distinct query key (`listOptions.labelSelector=a%3Db`), after URL-decoding. The key is a
//! dotted path of proto field names (or their JSON names); repeated fields take every value;
//! a key naming no field is ignored, as upstream ignores it. This module parses text into
//! field values; it does not split URLs or decode percent escapes.

use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, ReflectMessage as _, Value};
use serde_json::Value as Json;

use crate::json::json_to_message;
use crate::{Error, Result};

/// Sets the field at `dotted_path` in `message` from the textual `values` of one parameter.
///
/// # Errors
/// [`Error::Json`] (with the parameter as path) when a value does not parse as the field's
/// type: a boolean that Go's `strconv.ParseBool` rejects, a non-integer for an integer, an
/// unknown enum name, a malformed time.
pub fn set_request_param(
    message: &mut DynamicMessage,
    dotted_path: &str,
    values: &[&str],
) -> Result<()> {
    let mut names = dotted_path.split('.').peekable();
    let mut target = message;
    while let Some(name) = names.next() {
        let Some(field) = find_field(target, name) else {
            return Ok(());
        };
        if names.peek().is_none() {
            return set_leaf(target, &field, dotted_path, values);
        }
        if field.is_list() || field.is_map() || !matches!(field.kind(), Kind::Message(_)) {
            return Ok(());
        }
        let Value::Message(next) = target.get_field_mut(&field) else {
            return Ok(());
        };
        target = next;
    }
    Ok(())
}

fn find_field(message: &DynamicMessage, name: &str) -> Option<FieldDescriptor> {
    let descriptor = message.descriptor();
    descriptor
        .get_field_by_name(name)
        .or_else(|| descriptor.get_field_by_json_name(name))
}

fn set_leaf(
    message: &mut DynamicMessage,
    field: &FieldDescriptor,
    param: &str,
    values: &[&str],
) -> Result<()> {
    if field.is_map() {
        return Ok(());
    }
    if field.is_list() {
        let parsed = values
            .iter()
            .map(|text| parse_value(field, text, param))
            .collect::<Result<Vec<_>>>()?;
        message.set_field(field, Value::List(parsed));
        return Ok(());
    }
    let Some(text) = values.last() else {
        return Ok(());
    };
    let value = parse_value(field, text, param)?;
    message.set_field(field, value);
    Ok(())
}

fn parse_value(field: &FieldDescriptor, text: &str, param: &str) -> Result<Value> {
    let fail = |expected: &str| Error::Json {
        path: param.to_owned(),
        reason: format!("expected {expected}"),
    };
    let value = match field.kind() {
        Kind::String => Value::String(text.to_owned()),
        Kind::Bool => Value::Bool(go_parse_bool(text).ok_or_else(|| fail("a boolean"))?),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            Value::I32(text.parse().map_err(|_| fail("an int32"))?)
        }
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
            Value::I64(text.parse().map_err(|_| fail("an int64"))?)
        }
        Kind::Uint32 | Kind::Fixed32 => Value::U32(text.parse().map_err(|_| fail("a uint32"))?),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(text.parse().map_err(|_| fail("a uint64"))?),
        Kind::Double => Value::F64(text.parse().map_err(|_| fail("a number"))?),
        Kind::Float => Value::F32(text.parse().map_err(|_| fail("a number"))?),
        Kind::Bytes => Value::Bytes(
            crate::json::bytes_from_text(text)
                .ok_or_else(|| fail("base64"))?
                .into(),
        ),
        Kind::Enum(enumeration) => {
            let number = enumeration
                .get_value_by_name(text)
                .map(|value| value.number())
                .or_else(|| text.parse().ok())
                .ok_or_else(|| fail("an enum name or number"))?;
            Value::EnumNumber(number)
        }
        // Messages in a query string are the special scalars (`logOptions.sinceTime=<RFC 3339>`).
        Kind::Message(inner) => Value::Message(
            json_to_message(&inner, &Json::String(text.to_owned())).map_err(|error| {
                Error::Json {
                    path: param.to_owned(),
                    reason: error.to_string(),
                }
            })?,
        ),
    };
    Ok(value)
}

/// Go's `strconv.ParseBool`: the Python SDK sends `True`, curl users send `1`.
fn go_parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{descriptor_pool, message_to_json};
    use serde_json::json;

    fn request(name: &str) -> DynamicMessage {
        let pool = descriptor_pool().expect("descriptor set decodes");
        DynamicMessage::new(
            pool.get_message_by_name(name)
                .expect("request message exists"),
        )
    }

    #[test]
    fn path_and_nested_query_parameters_fill_the_request() {
        let mut list = request("workflow.WorkflowListRequest");
        set_request_param(&mut list, "namespace", &["argo"]).expect("namespace");
        set_request_param(&mut list, "listOptions.labelSelector", &["team=data"])
            .expect("selector");
        set_request_param(&mut list, "listOptions.limit", &["10"]).expect("limit");
        set_request_param(&mut list, "fields", &["items.metadata.name"]).expect("fields");
        assert_eq!(
            message_to_json(&list),
            json!({
                "namespace": "argo",
                "listOptions": {"labelSelector": "team=data", "limit": 10},
                "fields": "items.metadata.name"
            })
        );
    }

    #[test]
    fn booleans_parse_like_go_and_bad_ones_name_the_parameter() {
        let mut list = request("workflow.WorkflowListRequest");
        set_request_param(&mut list, "listOptions.watch", &["True"]).expect("Python's True");
        assert_eq!(message_to_json(&list)["listOptions"]["watch"], json!(true));
        let error =
            set_request_param(&mut list, "listOptions.watch", &["yes"]).expect_err("not a Go bool");
        assert_eq!(
            error.to_string(),
            "at listOptions.watch: expected a boolean"
        );
    }

    #[test]
    fn repeated_fields_take_every_value_and_unknown_keys_are_ignored() {
        let mut retry = request("workflow.WorkflowRetryRequest");
        set_request_param(&mut retry, "parameters", &["a=1", "b=2"]).expect("parameters");
        set_request_param(&mut retry, "noSuch.field", &["x"]).expect("ignored");
        assert_eq!(
            message_to_json(&retry),
            json!({"parameters": ["a=1", "b=2"]})
        );
    }

    #[test]
    fn times_and_enums_parse_from_text() {
        let mut logs = request("workflow.WorkflowLogRequest");
        set_request_param(&mut logs, "logOptions.sinceTime", &["2026-11-01T10:00:00Z"])
            .expect("time");
        set_request_param(&mut logs, "logOptions.follow", &["true"]).expect("follow");
        assert_eq!(
            message_to_json(&logs)["logOptions"]["sinceTime"],
            json!("2026-11-01T10:00:00Z")
        );
        let mut sync = request("sync.GetSyncLimitRequest");
        set_request_param(&mut sync, "type", &["DATABASE"]).expect("enum by name");
        assert_eq!(message_to_json(&sync)["type"], json!(1));
    }
}
