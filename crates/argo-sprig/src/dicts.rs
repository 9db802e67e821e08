//! Dictionary functions over JSON objects. Go's sprig mutates the map it is given (`set`,
//! `unset`, `merge`); here the updated map is the return value and the argument is untouched.
//! `keys` and `values` follow the map's insertion order (Go's is random; callers sort).
//! Must not: accept non-map dictionaries or non-string keys where sprig's Go types forbid them.

use serde_json::{Map, Value};

use crate::Result;
use crate::arguments::Args;
use crate::conversion::{go_type_name, is_empty, strval};

/// `dict k1 v1 k2 v2 …`: keys rendered with `%v`; a trailing key without value maps to "".
pub(crate) fn dict(args: &Args) -> Result<Value> {
    let mut map = Map::new();
    for pair in args.values.chunks(2) {
        let value = pair
            .get(1)
            .cloned()
            .unwrap_or_else(|| Value::String(String::new()));
        map.insert(strval(&pair[0]), value);
    }
    Ok(Value::Object(map))
}

/// The value at `key`, or "" when absent.
pub(crate) fn get(args: &Args) -> Result<Value> {
    let (map, key) = (args.dict(0)?, args.str(1)?);
    Ok(map
        .get(key)
        .cloned()
        .unwrap_or_else(|| Value::String(String::new())))
}

pub(crate) fn set(args: &Args) -> Result<Value> {
    if args.value(0).is_null() {
        return Err(args.invalid("assignment to entry in nil map"));
    }
    let mut map = args.dict(0)?.clone();
    map.insert(args.str(1)?.to_string(), args.value(2).clone());
    Ok(Value::Object(map))
}

pub(crate) fn unset(args: &Args) -> Result<Value> {
    let mut map = args.dict(0)?.clone();
    map.shift_remove(args.str(1)?);
    Ok(Value::Object(map))
}

pub(crate) fn has_key(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.dict(0)?.contains_key(args.str(1)?)))
}

/// Every dictionary argument from `from` on.
fn dicts_from<'a>(args: &Args<'a>, from: usize) -> Result<Vec<&'a Map<String, Value>>> {
    (from..args.len()).map(|i| args.dict(i)).collect()
}

/// String arguments from `from` on (Go's `...string`).
fn strings_from<'a>(args: &Args<'a>, from: usize) -> Result<Vec<&'a str>> {
    (from..args.len()).map(|i| args.str(i)).collect()
}

pub(crate) fn pluck(args: &Args) -> Result<Value> {
    let key = args.str(0)?;
    let found = dicts_from(args, 1)?
        .into_iter()
        .filter_map(|map| map.get(key).cloned())
        .collect();
    Ok(Value::Array(found))
}

pub(crate) fn keys(args: &Args) -> Result<Value> {
    let keys = dicts_from(args, 0)?
        .into_iter()
        .flat_map(|map| map.keys().cloned().map(Value::String))
        .collect();
    Ok(Value::Array(keys))
}

pub(crate) fn pick(args: &Args) -> Result<Value> {
    let map = args.dict(0)?;
    let mut out = Map::new();
    for key in strings_from(args, 1)? {
        if let Some(value) = map.get(key) {
            out.insert(key.to_string(), value.clone());
        }
    }
    Ok(Value::Object(out))
}

pub(crate) fn omit(args: &Args) -> Result<Value> {
    let map = args.dict(0)?;
    let omitted = strings_from(args, 1)?;
    let out = map
        .iter()
        .filter(|(key, _)| !omitted.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Ok(Value::Object(out))
}

pub(crate) fn values(args: &Args) -> Result<Value> {
    Ok(Value::Array(args.dict(0)?.values().cloned().collect()))
}

/// mergo's map merge: nested maps merge recursively; otherwise the source value is taken
/// when the destination lacks the key or holds an empty value, or always when `overwrite`.
fn deep_merge(dst: &mut Map<String, Value>, src: &Map<String, Value>, overwrite: bool) {
    for (key, incoming) in src {
        match dst.get_mut(key) {
            None => {
                dst.insert(key.clone(), incoming.clone());
            }
            Some(Value::Object(existing)) if incoming.is_object() => {
                if let Value::Object(incoming) = incoming {
                    deep_merge(existing, incoming, overwrite);
                }
            }
            Some(existing) => {
                if overwrite || is_empty(existing) {
                    *existing = incoming.clone();
                }
            }
        }
    }
}

fn merge_all(args: &Args, overwrite: bool) -> Result<Value> {
    let mut dst = args.dict(0)?.clone();
    for src in dicts_from(args, 1)? {
        deep_merge(&mut dst, src, overwrite);
    }
    Ok(Value::Object(dst))
}

pub(crate) fn merge(args: &Args) -> Result<Value> {
    merge_all(args, false)
}

pub(crate) fn merge_overwrite(args: &Args) -> Result<Value> {
    merge_all(args, true)
}

/// `dig k1 k2 … default dict`: walks nested maps, answering `default` at the first missing
/// key. A non-map on the way is an error, as Go's type assertion panics there.
pub(crate) fn dig(args: &Args) -> Result<Value> {
    let count = args.len();
    let Value::Object(first_map) = args.value(count - 1) else {
        return Err(args.invalid(format!(
            "last argument must be a map[string]interface {{}}, got {}",
            go_type_name(args.value(count - 1))
        )));
    };
    let mut map = first_map;
    let default = args.value(count - 2);
    let keys: Vec<&str> = (0..count - 2).map(|i| args.str(i)).collect::<Result<_>>()?;
    for (depth, key) in keys.iter().enumerate() {
        let Some(step) = map.get(*key) else {
            return Ok(default.clone());
        };
        if depth + 1 == keys.len() {
            return Ok(step.clone());
        }
        match step {
            Value::Object(next) => map = next,
            other => {
                return Err(args.invalid(format!(
                    "value at `{key}` is {}, not a map",
                    go_type_name(other)
                )));
            }
        }
    }
    Ok(default.clone())
}
