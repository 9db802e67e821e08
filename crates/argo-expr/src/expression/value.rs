//! Moving values between JSON, expr-lang and Go's JSON text.
//!
//! Role: scope values (JSON) into expr-lang values, results back to JSON, and results to the
//! exact text Go's `json.Marshal` would write (sorted object keys, HTML-safe escaping, Go's
//! float format), which is what Argo puts in place of an expression tag and what `toJson`
//! returns.
//! Must not: evaluate anything.

use expr::Value as ExprValue;
use indexmap::IndexMap;
use serde_json::Value as Json;

use crate::go_text::json_float;

/// A JSON value as an expr-lang value (integers stay integers).
pub(crate) fn json_to_expr(value: &Json) -> ExprValue {
    match value {
        Json::Null => ExprValue::Nil,
        Json::Bool(b) => ExprValue::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => ExprValue::Integer(i),
            None => ExprValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => ExprValue::String(s.clone()),
        Json::Array(items) => ExprValue::Array(items.iter().map(json_to_expr).collect()),
        Json::Object(map) => ExprValue::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), json_to_expr(v)))
                .collect::<IndexMap<_, _>>(),
        ),
    }
}

/// An expr-lang value as JSON (times as RFC 3339 strings, durations as nanoseconds, bytes as
/// an array of numbers, non-finite floats as null).
pub(crate) fn expr_to_json(value: &ExprValue) -> Json {
    match value {
        ExprValue::Nil => Json::Null,
        ExprValue::Bool(b) => Json::Bool(*b),
        ExprValue::Integer(i) => Json::from(*i),
        ExprValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        ExprValue::String(s) => Json::String(s.clone()),
        ExprValue::Array(items) => Json::Array(items.iter().map(expr_to_json).collect()),
        ExprValue::Bytes(bytes) => Json::Array(bytes.iter().map(|b| Json::from(*b)).collect()),
        ExprValue::Map(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), expr_to_json(v)))
                .collect(),
        ),
        ExprValue::KeyedMap(pairs) => Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (display_key(k), expr_to_json(v)))
                .collect(),
        ),
        ExprValue::DateTime(t) => Json::String(t.to_rfc3339()),
        ExprValue::Duration(nanos) => Json::from(*nanos),
        ExprValue::Month(m) => Json::from(*m),
        ExprValue::Weekday(d) => Json::from(*d),
        ExprValue::Timezone(_) => Json::Object(serde_json::Map::new()),
    }
}

fn display_key(key: &ExprValue) -> String {
    match key {
        ExprValue::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Go's `json.Marshal` text for `value`, or why Go would refuse it.
pub(crate) fn go_marshal(value: &ExprValue) -> Result<String, String> {
    let mut out = String::new();
    marshal_into(value, &mut out)?;
    Ok(out)
}

fn marshal_into(value: &ExprValue, out: &mut String) -> Result<(), String> {
    match value {
        ExprValue::Nil => out.push_str("null"),
        ExprValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprValue::Integer(i) => out.push_str(&i.to_string()),
        ExprValue::Float(f) => match json_float(*f) {
            Some(text) => out.push_str(&text),
            None => return Err(format!("json: unsupported value: {f}")),
        },
        ExprValue::String(s) => quote_into(s, out),
        ExprValue::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                marshal_into(item, out)?;
            }
            out.push(']');
        }
        ExprValue::Bytes(bytes) => {
            use base64::Engine as _;
            quote_into(
                &base64::engine::general_purpose::STANDARD.encode(bytes),
                out,
            );
        }
        ExprValue::Map(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            marshal_object(entries.into_iter().map(|(k, v)| (k.as_str(), v)), out)?;
        }
        ExprValue::KeyedMap(pairs) => {
            let mut entries = Vec::with_capacity(pairs.len());
            for (key, item) in pairs {
                let ExprValue::String(key) = key else {
                    return Err("json: unsupported type: map with non-string keys".to_owned());
                };
                entries.push((key.as_str(), item));
            }
            entries.sort_by(|a, b| a.0.cmp(b.0));
            marshal_object(entries.into_iter(), out)?;
        }
        ExprValue::DateTime(t) => {
            quote_into(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), out)
        }
        ExprValue::Duration(nanos) => out.push_str(&nanos.to_string()),
        ExprValue::Month(m) => out.push_str(&m.to_string()),
        ExprValue::Weekday(d) => out.push_str(&d.to_string()),
        ExprValue::Timezone(_) => out.push_str("{}"),
    }
    Ok(())
}

fn marshal_object<'a>(
    entries: impl Iterator<Item = (&'a str, &'a ExprValue)>,
    out: &mut String,
) -> Result<(), String> {
    out.push('{');
    for (n, (key, item)) in entries.enumerate() {
        if n > 0 {
            out.push(',');
        }
        quote_into(key, out);
        out.push(':');
        marshal_into(item, out)?;
    }
    out.push('}');
    Ok(())
}

/// A JSON string literal as Go's encoder writes it (HTML-safe).
pub(crate) fn quote_into(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marshalled_maps_have_sorted_keys_and_go_floats() {
        let value = json_to_expr(&serde_json::json!({"b": 2.0, "a": [1, "x<y"]}));
        assert_eq!(
            go_marshal(&value).as_deref(),
            Ok(r#"{"a":[1,"x\u003cy"],"b":2}"#)
        );
    }
}
