//! Defaults and flow control: `default empty coalesce all any ternary`, `deepCopy`, `fail`
//! and `hello`. Emptiness is sprig's: nil, zero, `false` and empty strings, lists and maps.
//! Must not: convert values; every function returns one of its arguments unchanged.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;
use crate::conversion::is_empty;

/// `default d given`: `given` unless it is empty (or absent).
pub(crate) fn default(args: &Args) -> Result<Value> {
    let given = args.value(1);
    if args.len() < 2 || is_empty(given) {
        return Ok(args.value(0).clone());
    }
    Ok(given.clone())
}

pub(crate) fn empty(args: &Args) -> Result<Value> {
    Ok(Value::Bool(is_empty(args.value(0))))
}

pub(crate) fn coalesce(args: &Args) -> Result<Value> {
    Ok(args
        .values
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::Null))
}

pub(crate) fn all(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.values.iter().all(|v| !is_empty(v))))
}

pub(crate) fn any(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.values.iter().any(|v| !is_empty(v))))
}

/// `ternary whenTrue whenFalse condition`.
pub(crate) fn ternary(args: &Args) -> Result<Value> {
    let chosen = if args.bool(2)? {
        args.value(0)
    } else {
        args.value(1)
    };
    Ok(chosen.clone())
}

/// JSON values share nothing, so a copy is a clone.
pub(crate) fn deep_copy(args: &Args) -> Result<Value> {
    Ok(args.value(0).clone())
}

pub(crate) fn fail(args: &Args) -> Result<Value> {
    Err(args.invalid(args.str(0)?))
}

pub(crate) fn hello(_args: &Args) -> Result<Value> {
    Ok(Value::String("Hello!".into()))
}
