//! Messages whose JSON is not an object of their fields: the Kubernetes and Argo types that
//! bring their own `MarshalJSON`/`UnmarshalJSON` in Go.
//!
//! Each kind is recognised by its full message name. Every hook both writes and reads, and
//! a zero value writes what Go writes for the zero value (`null` for a time). This file
//! does not decide whether a field is written at all; [`super::to_json`] does.

use base64::Engine as _;
use jiff::Timestamp;
use prost_reflect::{DynamicMessage, Kind, MessageDescriptor, ReflectMessage as _, Value};
use serde_json::Value as Json;

use super::unknown_fields::UnknownFields;
use super::{to_json, to_message};
use crate::{Error, Result};

const META: &str = "k8s.io.apimachinery.pkg.apis.meta.v1";
const ARGO: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1";
const EVENTS: &str = "github.com.argoproj.argo_events.pkg.apis.events.v1alpha1";

/// The message types with their own JSON form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Special {
    /// `metav1.Time`: RFC 3339 in UTC to the second, `null` when zero.
    Time,
    /// `metav1.MicroTime`: RFC 3339 in UTC with six fraction digits, `null` when zero.
    MicroTime,
    /// `intstr.IntOrString` and Argo Events' `Int64OrString`: a JSON number or string.
    IntOrString,
    /// `resource.Quantity`: a string such as `500Mi`.
    Quantity,
    /// Field 1 holds raw JSON text: `FieldsV1`, `RawExtension`, Argo's `Item`, `Object` and
    /// `Amount`, Argo Events' `Amount` and `K8SResource`.
    RawJson,
    /// Argo's `Plugin`: the raw JSON of its embedded `Object`.
    Plugin,
    /// Argo's `ParallelSteps`: a JSON array of its steps.
    ParallelSteps,
}

/// Which hook, if any, `message` goes through.
pub(crate) fn special_kind(message: &MessageDescriptor) -> Option<Special> {
    let name = message.full_name();
    let (package, short) = name.rsplit_once('.')?;
    let kind = match (package, short) {
        (META, "Time") => Special::Time,
        (META, "MicroTime") => Special::MicroTime,
        ("k8s.io.apimachinery.pkg.util.intstr", "IntOrString") | (EVENTS, "Int64OrString") => {
            Special::IntOrString
        }
        ("k8s.io.apimachinery.pkg.api.resource", "Quantity") => Special::Quantity,
        (META, "FieldsV1")
        | ("k8s.io.apimachinery.pkg.runtime", "RawExtension")
        | (ARGO, "Item" | "Object" | "Amount")
        | (EVENTS, "Amount" | "K8SResource") => Special::RawJson,
        (ARGO, "Plugin") => Special::Plugin,
        (ARGO, "ParallelSteps") => Special::ParallelSteps,
        _ => return None,
    };
    Some(kind)
}

/// The JSON Go would write for `message`.
pub(crate) fn special_to_json(kind: Special, message: &DynamicMessage) -> Json {
    match kind {
        Special::Time => time_to_json(message, false),
        Special::MicroTime => time_to_json(message, true),
        Special::IntOrString => {
            if int_field(message, 1) == 1 {
                Json::String(string_field(message, 3))
            } else {
                Json::from(int_field(message, 2))
            }
        }
        Special::Quantity => Json::String(string_field(message, 1)),
        Special::RawJson => raw_to_json(message),
        Special::Plugin => match message.get_field_by_number(1).as_deref() {
            Some(Value::Message(object)) => raw_to_json(object),
            _ => Json::Null,
        },
        Special::ParallelSteps => match message.get_field_by_number(1).as_deref() {
            Some(Value::List(steps)) if !steps.is_empty() => Json::Array(
                steps
                    .iter()
                    .filter_map(Value::as_message)
                    .map(to_json::message_value)
                    .collect(),
            ),
            _ => Json::Null,
        },
    }
}

/// Reads the JSON form of a special type.
pub(crate) fn special_from_json(
    kind: Special,
    descriptor: &MessageDescriptor,
    json: &Json,
    path: &str,
    unknown: UnknownFields,
) -> Result<DynamicMessage> {
    let mut message = DynamicMessage::new(descriptor.clone());
    let fail = |reason: &str| Error::Json {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    match kind {
        Special::Time | Special::MicroTime => match json {
            Json::Null => {}
            Json::String(text) if text.is_empty() => {}
            Json::String(text) => {
                let at: Timestamp = text
                    .parse()
                    .map_err(|_| fail("expected an RFC 3339 time"))?;
                set_number(&mut message, 1, at.as_second());
                // Kubernetes puts whole seconds of a Time on the wire and microseconds of a
                // MicroTime; we send exactly what an upstream server would.
                if kind == Special::MicroTime {
                    let nanos = at.subsec_nanosecond();
                    set_number(&mut message, 2, i64::from(nanos - nanos % 1_000));
                }
            }
            _ => return Err(fail("expected an RFC 3339 time string")),
        },
        Special::IntOrString => match json {
            Json::Null => {}
            Json::String(text) => {
                set_number(&mut message, 1, 1);
                set_string(&mut message, 3, text.clone());
            }
            Json::Number(number) => {
                let value = number
                    .as_i64()
                    .ok_or_else(|| fail("expected an integer or a string"))?;
                let narrow = descriptor
                    .get_field(2)
                    .is_some_and(|field| field.kind() == Kind::Int32);
                if narrow && i32::try_from(value).is_err() {
                    return Err(fail("integer out of range"));
                }
                set_number(&mut message, 1, 0);
                set_number(&mut message, 2, value);
            }
            _ => return Err(fail("expected an integer or a string")),
        },
        Special::Quantity => match json {
            Json::Null => {}
            Json::String(text) => set_string(&mut message, 1, text.clone()),
            Json::Number(number) => set_string(&mut message, 1, number.to_string()),
            _ => return Err(fail("expected a quantity string")),
        },
        Special::RawJson => set_raw(&mut message, json),
        Special::Plugin => {
            if let Some(field) = descriptor.get_field(1)
                && let Kind::Message(object) = field.kind()
            {
                let mut inner = DynamicMessage::new(object);
                set_raw(&mut inner, json);
                message.set_field(&field, Value::Message(inner));
            }
        }
        Special::ParallelSteps => match json {
            Json::Null => {}
            Json::Array(items) => {
                let field = descriptor
                    .get_field(1)
                    .ok_or_else(|| fail("ParallelSteps has no steps field"))?;
                let Kind::Message(step) = field.kind() else {
                    return Err(fail("ParallelSteps.steps is not a message list"));
                };
                let steps = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        to_message::message_from_json(
                            &step,
                            item,
                            &format!("{path}[{index}]"),
                            unknown,
                        )
                        .map(Value::Message)
                    })
                    .collect::<Result<Vec<_>>>()?;
                message.set_field(&field, Value::List(steps));
            }
            _ => return Err(fail("expected a list of parallel steps")),
        },
    }
    Ok(message)
}

fn time_to_json(message: &DynamicMessage, micro: bool) -> Json {
    let seconds = int_field(message, 1);
    let nanos = int_field(message, 2);
    if seconds == 0 && nanos == 0 {
        return Json::Null;
    }
    let nanos = if micro {
        i32::try_from(nanos - nanos % 1_000).unwrap_or(0)
    } else {
        0
    };
    match Timestamp::new(seconds, nanos) {
        Ok(at) if micro => Json::String(at.strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()),
        Ok(at) => Json::String(at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        Err(_) => Json::Null,
    }
}

/// Field 1 as JSON: its text parsed, or the text as a string if it is not valid JSON.
fn raw_to_json(message: &DynamicMessage) -> Json {
    let text = match message.get_field_by_number(1).as_deref() {
        Some(Value::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    };
    if text.is_empty() {
        return Json::Null;
    }
    serde_json::from_str(&text).unwrap_or(Json::String(text))
}

fn set_raw(message: &mut DynamicMessage, json: &Json) {
    let Some(field) = message.descriptor().get_field(1) else {
        return;
    };
    let text = json.to_string();
    let value = match field.kind() {
        Kind::Bytes => Value::Bytes(text.into_bytes().into()),
        _ => Value::String(text),
    };
    message.set_field(&field, value);
}

fn int_field(message: &DynamicMessage, number: u32) -> i64 {
    match message.get_field_by_number(number).as_deref() {
        Some(Value::I64(value)) => *value,
        Some(Value::I32(value)) => i64::from(*value),
        _ => 0,
    }
}

fn string_field(message: &DynamicMessage, number: u32) -> String {
    match message.get_field_by_number(number).as_deref() {
        Some(Value::String(value)) => value.clone(),
        _ => String::new(),
    }
}

/// Sets an integer field of whichever width the schema declares.
fn set_number(message: &mut DynamicMessage, number: u32, value: i64) {
    let Some(field) = message.descriptor().get_field(number) else {
        return;
    };
    let value = match field.kind() {
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            Value::I32(i32::try_from(value).unwrap_or_default())
        }
        _ => Value::I64(value),
    };
    message.set_field(&field, value);
}

fn set_string(message: &mut DynamicMessage, number: u32, value: String) {
    if let Some(field) = message.descriptor().get_field(number) {
        message.set_field(&field, Value::String(value));
    }
}

/// Bytes fields outside the special types are base64 in Go's JSON.
pub(crate) fn bytes_to_json(bytes: &[u8]) -> Json {
    Json::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Reads a base64 bytes field.
pub(crate) fn bytes_from_json(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}
