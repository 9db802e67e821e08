//! `{{...}}` substitution with Argo's rules.
//!
//! Role: replace simple tags by lookup and expression tags by evaluation, keeping or rejecting
//! unresolved tags per [`Unresolved`], and failing on absent optionals as Argo v4 does.
//!
//! Argo substitutes into the JSON serialisation of a whole template, so a value is written
//! JSON-escaped (Go's `strconv.Quote`) and read back when the JSON is parsed. This module works
//! on each string directly, which gives the same result after that round trip; the one visible
//! effect of the escaping, Go writing `\a`, `\v` and `\xNN` (invalid JSON) for some control
//! characters, is reproduced as an error.
//! Must not: evaluate `when` or `depends` (those are `govaluate` and `depends`).

mod quote;
mod scan;

use serde_json::Value;

pub use scan::{Tag, TagKind, references};

use crate::Options;
use crate::error::{Error, Result};
use crate::expression::{self, LazyEnvironment};
use crate::scope::{Binding, Scope};
use scan::{Piece, classify, pieces};

/// How tags that cannot be resolved yet are treated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Unresolved {
    /// Leave them in place for a later pass (Argo's `Replace(..., allowUnresolved=true)`).
    #[default]
    Keep,
    /// Every unresolved tag is an error (Argo's `Replace(..., allowUnresolved=false)`).
    Reject,
    /// Tags whose key starts with one of these dot-segments (`tasks` matches `tasks.a` but not
    /// `tasksA`) must resolve; others are kept. Unresolved `.outputs.artifacts.` references are
    /// always kept, since artifacts may be optional (Argo's `ReplaceStrict`).
    RejectPrefixes(Vec<String>),
}

impl Unresolved {
    /// Whether an unresolved `key` must be reported.
    pub(crate) fn is_strict(&self, key: &str) -> bool {
        match self {
            Unresolved::Keep => false,
            Unresolved::Reject => true,
            Unresolved::RejectPrefixes(prefixes) => prefixes.iter().any(|prefix| {
                key.strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            }),
        }
    }

    /// Whether failures of expressions without missing variables are tolerated.
    pub(crate) fn tolerates_failures(&self) -> bool {
        match self {
            Unresolved::Keep => true,
            Unresolved::Reject => false,
            Unresolved::RejectPrefixes(prefixes) => prefixes.is_empty(),
        }
    }
}

/// Substitutes every tag in `template` (a plain string, e.g. one field of a template) in one
/// pass, as Argo does. A nested tag (`{{steps.{{inputs.parameters.s}}.outputs.result}}`) is
/// rewritten into a new outer tag (`{{steps.a.outputs.result}}`) that the next pass resolves.
pub fn substitute(template: &str, scope: &Scope, opts: &Options) -> Result<String> {
    let mut env = LazyEnvironment::default();
    substitute_with(template, scope, opts, &mut env)
}

/// Substitutes every string (object keys included) inside `value`, which is how Argo's
/// serialise-substitute-parse of a whole template behaves. Arguments that are pure references
/// to absent optionals should be replaced beforehand (see [`Scope::is_absent_reference`]).
pub fn substitute_json(value: &Value, scope: &Scope, opts: &Options) -> Result<Value> {
    let mut env = LazyEnvironment::default();
    substitute_value(value, scope, opts, &mut env)
}

fn substitute_value(
    value: &Value,
    scope: &Scope,
    opts: &Options,
    env: &mut LazyEnvironment,
) -> Result<Value> {
    Ok(match value {
        Value::String(s) => Value::String(substitute_with(s, scope, opts, env)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| substitute_value(item, scope, opts, env))
                .collect::<Result<_>>()?,
        ),
        Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let key = substitute_with(key, scope, opts, env)?;
                out.insert(key, substitute_value(item, scope, opts, env)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

pub(crate) fn substitute_with(
    template: &str,
    scope: &Scope,
    opts: &Options,
    env: &mut LazyEnvironment,
) -> Result<String> {
    if scan::find_double(template, b'{').is_none() {
        return Ok(template.to_owned());
    }
    substitute_once(template, scope, opts, env)
}

/// One fasttemplate pass.
fn substitute_once(
    template: &str,
    scope: &Scope,
    opts: &Options,
    env: &mut LazyEnvironment,
) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    for piece in pieces(template)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Tag(body, position) => match classify(body) {
                (TagKind::Expression, expr) => {
                    match expression::replace_tag(expr, position, scope, opts, env)? {
                        Some(replacement) => out.push_str(&replacement),
                        None => {
                            out.push_str("{{");
                            out.push_str(body);
                            out.push_str("}}");
                        }
                    }
                }
                (TagKind::Simple, _) => replace_simple(body, position, scope, opts, &mut out)?,
            },
        }
    }
    Ok(out)
}

/// Writes the replacement of a simple tag.
fn replace_simple(
    body: &str,
    position: usize,
    scope: &Scope,
    opts: &Options,
    out: &mut String,
) -> Result<()> {
    let key = body.trim();
    match scope.get(key) {
        Some(Binding::Value(Value::String(value))) => {
            if !quote::embeds_in_json(value) {
                return Err(Error::InvalidJsonResult {
                    tag: body.to_owned(),
                    position,
                });
            }
            out.push_str(value);
            return Ok(());
        }
        Some(Binding::Value(_) | Binding::Time(_)) => {
            return Err(Error::NotAString {
                tag: body.to_owned(),
                position,
            });
        }
        Some(Binding::Absent) => {
            return Err(Error::AbsentValue {
                tag: body.to_owned(),
                position,
            });
        }
        None => {}
    }
    if let Some(index) = body.rfind("{{").filter(|&index| index > 0) {
        let (prefix, nested) = (&body[..index], &body[index + 2..]);
        match scope.get(nested) {
            Some(Binding::Absent) => {
                return Err(Error::AbsentNestedValue {
                    tag: body.to_owned(),
                    nested: nested.to_owned(),
                    position,
                });
            }
            Some(Binding::Value(Value::String(value))) => {
                if !quote::embeds_in_json(value) {
                    return Err(Error::InvalidJsonResult {
                        tag: body.to_owned(),
                        position,
                    });
                }
                out.push_str("{{");
                out.push_str(prefix);
                out.push_str(value);
                return Ok(());
            }
            _ => {}
        }
    }
    let artifacts_may_wait = !matches!(opts.unresolved, Unresolved::Reject);
    if opts.unresolved.is_strict(key)
        && !(artifacts_may_wait && key.contains(".outputs.artifacts."))
    {
        return Err(Error::UnresolvedTag {
            tag: body.to_owned(),
            position,
        });
    }
    out.push_str("{{");
    out.push_str(body);
    out.push_str("}}");
    Ok(())
}

pub(crate) use quote::embeds_in_json;
