//! Regular expressions with Go's RE2 syntax (the `regex` crate implements the same family).
//! Patterns are translated where the dialects differ: Go's `\d \w \s \b` are ASCII-only, and
//! inside a class Go reads `[`, `&` and `~` literally where the regex crate sees set operations.
//! `regexMatch` answers false for an invalid pattern, as sprig does; the other functions,
//! whose Go versions panic or return the compile error, fail.
//! Must not: compile unbounded patterns; the regex crate's size limits apply.

use regex::Regex;
use serde_json::Value;

use crate::Result;
use crate::arguments::Args;

fn compile(args: &Args, pattern: &str) -> Result<Regex> {
    Regex::new(&go_pattern(pattern)).map_err(|e| args.invalid(format!("error parsing regexp: {e}")))
}

/// The ASCII meaning Go gives a Perl class escape, inside a bracket class and outside one.
fn perl_class(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        'd' => ("0-9", "[0-9]"),
        'D' => ("[^0-9]", "[^0-9]"),
        'w' => ("0-9A-Za-z_", "[0-9A-Za-z_]"),
        'W' => ("[^0-9A-Za-z_]", "[^0-9A-Za-z_]"),
        's' => ("\\t\\n\\f\\r ", "[\\t\\n\\f\\r ]"),
        'S' => ("[^\\t\\n\\f\\r ]", "[^\\t\\n\\f\\r ]"),
        _ => return None,
    })
}

/// Rewrites a Go (RE2) pattern into the regex crate's dialect with the same meaning.
pub(crate) fn go_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut class_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                out.push(c);
                break;
            };
            match (perl_class(next), next) {
                (Some((inside, outside)), _) => {
                    out.push_str(if in_class { inside } else { outside })
                }
                (None, 'b' | 'B') if !in_class => out.push_str(&format!("(?-u:\\{next})")),
                _ => {
                    out.push(c);
                    out.push(next);
                }
            }
            i += 2;
            continue;
        }
        if in_class {
            let first = i == class_start;
            match c {
                ']' if !first => in_class = false,
                '[' if chars.get(i + 1) == Some(&':') => {
                    let rest: String = chars[i..].iter().collect();
                    if let Some(end) = rest.find(":]") {
                        out.push_str(&rest[..end + 2]);
                        i += rest[..end + 2].chars().count();
                        continue;
                    }
                    out.push_str("\\[");
                    i += 1;
                    continue;
                }
                '[' | '&' | '~' => {
                    out.push('\\');
                }
                _ => {}
            }
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            if chars.get(i) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            class_start = i;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
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
        Regex::new(&go_pattern(pattern)).is_ok_and(|re| re.is_match(s)),
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

#[cfg(test)]
mod tests {
    use super::go_pattern;

    #[test]
    fn perl_classes_become_ascii_classes() {
        assert_eq!(go_pattern(r"\d+"), "[0-9]+");
        assert_eq!(go_pattern(r"[\d.]"), "[0-9.]");
        assert_eq!(go_pattern(r"\bx"), r"(?-u:\b)x");
        assert_eq!(go_pattern(r"\\d"), r"\\d");
    }

    #[test]
    fn class_punctuation_stays_literal() {
        assert_eq!(go_pattern("[a[&&~]"), r"[a\[\&\&\~]");
        assert_eq!(go_pattern("[]a]"), "[]a]");
        assert_eq!(go_pattern("[[:alpha:]]"), "[[:alpha:]]");
    }
}
