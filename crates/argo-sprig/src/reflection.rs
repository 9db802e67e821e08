//! Reflection as sprig exposes it, answered with the Go types Argo's expression engine holds:
//! `string`, `int`, `float64`, `bool`, `[]interface {}`, `map[string]interface {}` and nil.
//! Must not: invent pointer types; `typeIsLike` accepts the `*T` spelling but nothing here is
//! ever a pointer.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;
use crate::conversion::{go_kind_name, go_type_name};

pub(crate) fn type_of(args: &Args) -> Result<Value> {
    Ok(Value::String(go_type_name(args.value(0)).into()))
}

pub(crate) fn type_is(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.str(0)? == go_type_name(args.value(1))))
}

pub(crate) fn type_is_like(args: &Args) -> Result<Value> {
    let target = args.str(0)?;
    let actual = go_type_name(args.value(1));
    Ok(Value::Bool(
        target == actual || format!("*{target}") == actual,
    ))
}

pub(crate) fn kind_of(args: &Args) -> Result<Value> {
    Ok(Value::String(go_kind_name(args.value(0)).into()))
}

pub(crate) fn kind_is(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.str(0)? == go_kind_name(args.value(1))))
}

/// `reflect.DeepEqual`: an `int` never equals a `float64`, maps compare regardless of order.
pub(crate) fn deep_equal(args: &Args) -> Result<Value> {
    Ok(Value::Bool(go_deep_equal(args.value(0), args.value(1))))
}

pub(crate) fn go_deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.is_f64() == y.is_f64() && x.as_f64() == y.as_f64() && x.as_i64() == y.as_i64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| go_deep_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| go_deep_equal(v, w)))
        }
        _ => a == b,
    }
}
