//! List functions. Like sprig, each accepts any list and refuses other kinds (Go panics and
//! the `must*` variants return an error; both are an error here), and none mutates its input:
//! the result is always a new list.
//! Must not: treat strings or maps as lists.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;
use crate::conversion::{go_kind_name, is_empty, to_int64};
use crate::reflection::go_deep_equal;
use crate::strings::string_slice;

/// The list argument at `index`, or the error sprig raises for another kind.
fn list_at<'a>(args: &Args<'a>, index: usize, verb: &str) -> Result<&'a Vec<Value>> {
    match args.value(index) {
        Value::Array(items) => Ok(items),
        other => Err(args.invalid(format!("Cannot {verb} type {}", go_kind_name(other)))),
    }
}

fn list_value(items: Vec<Value>) -> Result<Value> {
    Ok(Value::Array(items))
}

pub(crate) fn list(args: &Args) -> Result<Value> {
    list_value(args.values.to_vec())
}

pub(crate) fn push(args: &Args) -> Result<Value> {
    let mut items = list_at(args, 0, "push on")?.clone();
    items.push(args.value(1).clone());
    list_value(items)
}

pub(crate) fn prepend(args: &Args) -> Result<Value> {
    let items = list_at(args, 0, "prepend on")?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(args.value(1).clone());
    out.extend(items.iter().cloned());
    list_value(out)
}

pub(crate) fn first(args: &Args) -> Result<Value> {
    Ok(list_at(args, 0, "find first on")?
        .first()
        .cloned()
        .unwrap_or(Value::Null))
}

pub(crate) fn last(args: &Args) -> Result<Value> {
    Ok(list_at(args, 0, "find last on")?
        .last()
        .cloned()
        .unwrap_or(Value::Null))
}

/// All but the first element; nil for an empty list, as sprig.
pub(crate) fn rest(args: &Args) -> Result<Value> {
    match list_at(args, 0, "find rest on")?.split_first() {
        Some((_, tail)) => list_value(tail.to_vec()),
        None => Ok(Value::Null),
    }
}

/// All but the last element; nil for an empty list, as sprig.
pub(crate) fn initial(args: &Args) -> Result<Value> {
    match list_at(args, 0, "find initial on")?.split_last() {
        Some((_, init)) => list_value(init.to_vec()),
        None => Ok(Value::Null),
    }
}

pub(crate) fn reverse(args: &Args) -> Result<Value> {
    let mut items = list_at(args, 0, "find reverse on")?.clone();
    items.reverse();
    list_value(items)
}

pub(crate) fn compact(args: &Args) -> Result<Value> {
    let items = list_at(args, 0, "compact on")?;
    list_value(items.iter().filter(|v| !is_empty(v)).cloned().collect())
}

fn contains_deep(haystack: &[Value], needle: &Value) -> bool {
    haystack.iter().any(|item| go_deep_equal(item, needle))
}

pub(crate) fn uniq(args: &Args) -> Result<Value> {
    let mut out: Vec<Value> = Vec::new();
    for item in list_at(args, 0, "find uniq on")? {
        if !contains_deep(&out, item) {
            out.push(item.clone());
        }
    }
    list_value(out)
}

pub(crate) fn without(args: &Args) -> Result<Value> {
    let omit = args.rest(1);
    let items = list_at(args, 0, "find without on")?;
    list_value(
        items
            .iter()
            .filter(|item| !contains_deep(omit, item))
            .cloned()
            .collect(),
    )
}

/// `has needle haystack`; a nil haystack holds nothing.
pub(crate) fn has(args: &Args) -> Result<Value> {
    if args.value(1).is_null() {
        return Ok(Value::Bool(false));
    }
    let items = list_at(args, 1, "find has on")?;
    Ok(Value::Bool(contains_deep(items, args.value(0))))
}

/// `slice list [start [end]]` with Go's bounds rules (out of range is an error).
pub(crate) fn slice(args: &Args) -> Result<Value> {
    let items = match args.value(0) {
        Value::Array(items) => items,
        other => {
            return Err(args.invalid(format!(
                "list should be type of slice or array but {}",
                go_kind_name(other)
            )));
        }
    };
    if items.is_empty() {
        return Ok(Value::Null);
    }
    let len = items.len() as i64;
    let start = if args.len() > 1 {
        to_int64(args.value(1))
    } else {
        0
    };
    let end = if args.len() > 2 {
        to_int64(args.value(2))
    } else {
        len
    };
    if start < 0 || end < start || end > len {
        return Err(args.invalid(format!(
            "slice bounds out of range [{start}:{end}] with capacity {len}"
        )));
    }
    list_value(items[start as usize..end as usize].to_vec())
}

pub(crate) fn concat(args: &Args) -> Result<Value> {
    let mut out = Vec::new();
    for (index, value) in args.values.iter().enumerate() {
        match value {
            Value::Array(items) => out.extend(items.iter().cloned()),
            _ => {
                return Err(args.invalid(format!(
                    "Cannot concat type {} as list (argument {})",
                    go_kind_name(value),
                    index + 1
                )));
            }
        }
    }
    list_value(out)
}

/// `chunk size list`: consecutive lists of `size` elements, the last possibly shorter.
pub(crate) fn chunk(args: &Args) -> Result<Value> {
    let size = args.int(0)?;
    let items = list_at(args, 1, "chunk")?;
    if size <= 0 {
        return Err(args.invalid("chunk size must be positive"));
    }
    let chunks = items
        .chunks(usize::try_from(size).unwrap_or(usize::MAX))
        .map(|c| Value::Array(c.to_vec()))
        .collect();
    list_value(chunks)
}

/// The elements as strings (`%v`), sorted; a non-list becomes a one-element list.
pub(crate) fn sort_alpha(args: &Args) -> Result<Value> {
    let value = args.value(0);
    let mut strings = match value {
        Value::Array(_) => string_slice(value),
        other => vec![crate::conversion::strval(other)],
    };
    strings.sort();
    list_value(strings.into_iter().map(Value::String).collect())
}
