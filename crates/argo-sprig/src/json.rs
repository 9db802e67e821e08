//! JSON in and out the way Go's `encoding/json` does it: `fromJson` yields Go's generic
//! values (every number a `float64`), `toJson` sorts map keys, escapes `<`, `>`, `&`, U+2028
//! and U+2029, and prints floats in Go's shortest form; `toRawJson` keeps HTML characters;
//! `toPrettyJson` indents by two spaces.
//! Must not: fail on output; every JSON value marshals.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;
use crate::conversion::{exponent_form, fixed_form, float_value, shortest_digits};

#[derive(Clone, Copy)]
pub(crate) enum Style {
    Compact { escape_html: bool },
    Pretty,
}

/// Go's `json.Marshal` (or `MarshalIndent(v, "", "  ")` for [`Style::Pretty`]).
pub(crate) fn marshal(value: &Value, style: Style) -> String {
    let mut out = String::new();
    write_value(&mut out, value, style, 0);
    out
}

fn write_value(out: &mut String, value: &Value, style: Style, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.is_f64(), n.as_f64()) {
            (true, Some(f)) => out.push_str(&go_json_float(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(out, s, style),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_value(out, item, style, depth + 1);
            }
            newline(out, style, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_string(out, key, style);
                out.push(':');
                if matches!(style, Style::Pretty) {
                    out.push(' ');
                }
                write_value(out, &map[key.as_str()], style, depth + 1);
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if matches!(style, Style::Pretty) {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

fn write_string(out: &mut String, s: &str, style: Style) {
    let escape_html = !matches!(style, Style::Compact { escape_html: false });
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
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's float encoding: positional between 1e-6 and 1e21, otherwise exponent form with the
/// exponent's leading zeros dropped (`1e-7`).
pub(crate) fn go_json_float(f: f64) -> String {
    let (digits, point) = shortest_digits(f);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let rendered = exponent_form(&digits, point - 1);
        let rendered = rendered.replace("e-0", "e-").replace("e+0", "e+");
        return format!("{sign}{rendered}");
    }
    format!("{sign}{}", fixed_form(&digits, point))
}

/// Go decodes JSON numbers into `float64` when the target is `interface{}`.
fn numbers_as_floats(value: Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().map_or(Value::Null, float_value),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_floats).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, numbers_as_floats(v)))
                .collect(),
        ),
        other => other,
    }
}

pub(crate) fn from_json(args: &Args) -> Result<Value> {
    Ok(serde_json::from_str::<Value>(args.str(0)?).map_or(Value::Null, numbers_as_floats))
}

pub(crate) fn must_from_json(args: &Args) -> Result<Value> {
    match serde_json::from_str::<Value>(args.str(0)?) {
        Ok(value) => Ok(numbers_as_floats(value)),
        Err(e) => Err(args.invalid(e.to_string())),
    }
}

pub(crate) fn to_json(args: &Args) -> Result<Value> {
    Ok(Value::String(marshal(
        args.value(0),
        Style::Compact { escape_html: true },
    )))
}

pub(crate) fn to_raw_json(args: &Args) -> Result<Value> {
    Ok(Value::String(marshal(
        args.value(0),
        Style::Compact { escape_html: false },
    )))
}

pub(crate) fn to_pretty_json(args: &Args) -> Result<Value> {
    Ok(Value::String(marshal(args.value(0), Style::Pretty)))
}
