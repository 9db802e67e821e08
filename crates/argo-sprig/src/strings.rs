//! String functions that map onto Go's `strings` package: trimming, slicing, searching,
//! splitting, joining, quoting and indentation.
//! Byte offsets follow Go (`trunc`, `substr` count bytes); a cut inside a UTF-8 sequence yields
//! U+FFFD, which is what Go's JSON encoding makes of the broken bytes.
//! Must not: do case conversion or word wrapping (see `casing` and `text`).

use serde_json::{Map, Value};

use crate::Result;
use crate::arguments::Args;
use crate::conversion::{format_v, go_quote, strval};

fn text(s: impl Into<String>) -> Result<Value> {
    Ok(Value::String(s.into()))
}

fn byte_slice(s: &str, start: usize, end: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[start..end]).into_owned()
}

pub(crate) fn trim(args: &Args) -> Result<Value> {
    text(args.str(0)?.trim())
}

pub(crate) fn upper(args: &Args) -> Result<Value> {
    text(args.str(0)?.to_uppercase())
}

pub(crate) fn lower(args: &Args) -> Result<Value> {
    text(args.str(0)?.to_lowercase())
}

pub(crate) fn trunc(args: &Args) -> Result<Value> {
    let count = args.int(0)?;
    let s = args.str(1)?;
    let len = s.len() as i64;
    if count < 0 && len + count > 0 {
        return text(byte_slice(s, (len + count) as usize, s.len()));
    }
    if count >= 0 && len > count {
        return text(byte_slice(s, 0, count as usize));
    }
    text(s)
}

/// Go slices `s[start:end]` and panics when the bounds are out of range; that panic is the
/// error here.
pub(crate) fn substr(args: &Args) -> Result<Value> {
    let (start, end, s) = (args.int(0)?, args.int(1)?, args.str(2)?);
    let len = s.len() as i64;
    let (from, to) = if start < 0 {
        (0, end)
    } else if end < 0 || end > len {
        (start, len)
    } else {
        (start, end)
    };
    if from < 0 || to < from || to > len {
        return Err(args.invalid(format!(
            "slice bounds out of range [{from}:{to}] with length {len}"
        )));
    }
    text(byte_slice(s, from as usize, to as usize))
}

pub(crate) fn repeat(args: &Args) -> Result<Value> {
    let (count, s) = (args.int(0)?, args.str(1)?);
    if count < 0 {
        return Err(args.invalid("negative repeat count"));
    }
    args.check_size(count as u128 * s.len() as u128)?;
    text(s.repeat(count as usize))
}

pub(crate) fn trim_all(args: &Args) -> Result<Value> {
    let (cutset, s) = (args.str(0)?, args.str(1)?);
    text(s.trim_matches(|c| cutset.contains(c)))
}

pub(crate) fn trim_suffix(args: &Args) -> Result<Value> {
    let (suffix, s) = (args.str(0)?, args.str(1)?);
    text(s.strip_suffix(suffix).unwrap_or(s))
}

pub(crate) fn trim_prefix(args: &Args) -> Result<Value> {
    let (prefix, s) = (args.str(0)?, args.str(1)?);
    text(s.strip_prefix(prefix).unwrap_or(s))
}

pub(crate) fn nospace(args: &Args) -> Result<Value> {
    text(
        args.str(0)?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    )
}

pub(crate) fn contains(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.str(1)?.contains(args.str(0)?)))
}

pub(crate) fn has_prefix(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.str(1)?.starts_with(args.str(0)?)))
}

pub(crate) fn has_suffix(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.str(1)?.ends_with(args.str(0)?)))
}

/// Each non-nil argument rendered with `%v` and double-quoted Go-style, space separated.
pub(crate) fn quote(args: &Args) -> Result<Value> {
    let quoted: Vec<String> = args
        .values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| go_quote(&strval(v)))
        .collect();
    text(quoted.join(" "))
}

pub(crate) fn squote(args: &Args) -> Result<Value> {
    let quoted: Vec<String> = args
        .values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| format!("'{}'", format_v(v)))
        .collect();
    text(quoted.join(" "))
}

pub(crate) fn cat(args: &Args) -> Result<Value> {
    let parts: Vec<String> = args
        .values
        .iter()
        .filter(|v| !v.is_null())
        .map(format_v)
        .collect();
    text(parts.join(" "))
}

fn indented(args: &Args) -> Result<String> {
    let (spaces, s) = (args.int(0)?, args.str(1)?);
    if spaces < 0 {
        return Err(args.invalid("negative indentation"));
    }
    let lines = s.matches('\n').count() as u128 + 1;
    args.check_size(spaces as u128 * lines + s.len() as u128)?;
    let pad = " ".repeat(spaces as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

pub(crate) fn indent(args: &Args) -> Result<Value> {
    text(indented(args)?)
}

pub(crate) fn nindent(args: &Args) -> Result<Value> {
    text(format!("\n{}", indented(args)?))
}

pub(crate) fn replace(args: &Args) -> Result<Value> {
    let (old, new, s) = (args.str(0)?, args.str(1)?, args.str(2)?);
    if old.is_empty() {
        args.check_size((s.chars().count() as u128 + 1) * new.len() as u128 + s.len() as u128)?;
    }
    text(s.replace(old, new))
}

pub(crate) fn plural(args: &Args) -> Result<Value> {
    let (one, many, count) = (args.str(0)?, args.str(1)?, args.int(2)?);
    text(if count == 1 { one } else { many })
}

pub(crate) fn to_string(args: &Args) -> Result<Value> {
    text(strval(args.value(0)))
}

/// Go's `strings.SplitN`: `limit < 0` splits everywhere, `0` yields nothing, and an empty
/// separator splits between characters.
pub(crate) fn go_split(s: &str, sep: &str, limit: i64) -> Vec<String> {
    if limit == 0 {
        return Vec::new();
    }
    let limit = if limit < 0 {
        usize::MAX
    } else {
        limit as usize
    };
    if sep.is_empty() {
        let chars: Vec<char> = s.chars().collect();
        let mut parts: Vec<String> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if parts.len() + 1 == limit {
                parts.push(chars[i..].iter().collect());
                return parts;
            }
            parts.push(c.to_string());
        }
        return parts;
    }
    s.splitn(limit, sep).map(str::to_string).collect()
}

fn numbered(parts: Vec<String>) -> Value {
    let map: Map<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("_{i}"), Value::String(part)))
        .collect();
    Value::Object(map)
}

pub(crate) fn split(args: &Args) -> Result<Value> {
    Ok(numbered(go_split(args.str(1)?, args.str(0)?, -1)))
}

pub(crate) fn splitn(args: &Args) -> Result<Value> {
    let (sep, limit, s) = (args.str(0)?, args.int(1)?, args.str(2)?);
    Ok(numbered(go_split(s, sep, limit)))
}

pub(crate) fn split_list(args: &Args) -> Result<Value> {
    let parts = go_split(args.str(1)?, args.str(0)?, -1);
    Ok(Value::Array(parts.into_iter().map(Value::String).collect()))
}

/// sprig's `strslice`: a list's non-nil elements as strings, nil as no strings, anything else
/// as a one-element list.
pub(crate) fn string_slice(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter(|v| !v.is_null()).map(strval).collect(),
        Value::Null => Vec::new(),
        other => vec![strval(other)],
    }
}

pub(crate) fn to_strings(args: &Args) -> Result<Value> {
    let strings = string_slice(args.value(0));
    Ok(Value::Array(
        strings.into_iter().map(Value::String).collect(),
    ))
}

pub(crate) fn join(args: &Args) -> Result<Value> {
    let sep = args.str(0)?;
    text(string_slice(args.value(1)).join(sep))
}
