//! Regular expressions with Go's RE2 syntax (the `regex` crate implements the same family).
//! `regexMatch` answers false for an invalid pattern, as sprig does; the other functions,
//! whose Go versions panic or return the compile error, fail.
//! Known difference: `\d`, `\w`, `\s` and `\b` are Unicode-aware here and ASCII-only in Go.
//! Must not: compile unbounded patterns; the regex crate's size limits apply.

use regex::Regex;
use serde_json::Value;

use crate::Result;
use crate::arguments::Args;

fn compile(args: &Args, pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| args.invalid(format!("error parsing regexp: {e}")))
}

fn strings(items: Vec<&str>) -> Value {
    Value::Array(
        items
            .into_iter()
            .map(|s| Value::String(s.to_string()))
            .collect(),
    )
}

/// Go's `n` argument: negative means all, otherwise at most `n`.
fn limit(n: i64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

pub(crate) fn regex_match(args: &Args) -> Result<Value> {
    let (pattern, s) = (args.str(0)?, args.str(1)?);
    Ok(Value::Bool(
        Regex::new(pattern).is_ok_and(|re| re.is_match(s)),
    ))
}

pub(crate) fn must_regex_match(args: &Args) -> Result<Value> {
    let (pattern, s) = (args.str(0)?, args.str(1)?);
    Ok(Value::Bool(compile(args, pattern)?.is_match(s)))
}

/// Up to `n` matches; Go returns a nil slice (JSON `null`) when there are none.
pub(crate) fn regex_find_all(args: &Args) -> Result<Value> {
    let (pattern, s, n) = (args.str(0)?, args.str(1)?, args.int(2)?);
    let re = compile(args, pattern)?;
    let found: Vec<&str> = re.find_iter(s).take(limit(n)).map(|m| m.as_str()).collect();
    if found.is_empty() {
        return Ok(Value::Null);
    }
    Ok(strings(found))
}

pub(crate) fn regex_find(args: &Args) -> Result<Value> {
    let (pattern, s) = (args.str(0)?, args.str(1)?);
    let found = compile(args, pattern)?.find(s).map_or("", |m| m.as_str());
    Ok(Value::String(found.to_string()))
}

/// `$1`/`${name}` in the replacement expand as in Go.
pub(crate) fn regex_replace_all(args: &Args) -> Result<Value> {
    let (pattern, s, replacement) = (args.str(0)?, args.str(1)?, args.str(2)?);
    let re = compile(args, pattern)?;
    Ok(Value::String(re.replace_all(s, replacement).into_owned()))
}

pub(crate) fn regex_replace_all_literal(args: &Args) -> Result<Value> {
    let (pattern, s, replacement) = (args.str(0)?, args.str(1)?, args.str(2)?);
    let re = compile(args, pattern)?;
    Ok(Value::String(
        re.replace_all(s, regex::NoExpand(replacement)).into_owned(),
    ))
}

/// Go's `Regexp.Split`: `n == 0` gives nil, an empty input gives `[""]`, and an empty match
/// at the very start does not produce a leading empty piece.
pub(crate) fn regex_split(args: &Args) -> Result<Value> {
    let (pattern, s, n) = (args.str(0)?, args.str(1)?, args.int(2)?);
    let re = compile(args, pattern)?;
    if n == 0 {
        return Ok(Value::Null);
    }
    if !pattern.is_empty() && s.is_empty() {
        return Ok(strings(vec![""]));
    }
    let mut pieces: Vec<&str> = Vec::new();
    let (mut begin, mut end) = (0, 0);
    for found in re.find_iter(s).take(limit(n)) {
        if n > 0 && pieces.len() as i64 == n - 1 {
            break;
        }
        end = found.start();
        if found.end() != 0 {
            pieces.push(&s[begin..end]);
        }
        begin = found.end();
    }
    if end != s.len() {
        pieces.push(&s[begin..]);
    }
    Ok(strings(pieces))
}

/// Go's `regexp.QuoteMeta`, which escapes exactly `\.+*?()|[]{}^$`.
pub(crate) fn regex_quote_meta(args: &Args) -> Result<Value> {
    let mut out = String::new();
    for c in args.str(0)?.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::String(out))
}
