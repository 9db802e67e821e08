//! `{{...}}` substitution with Argo's rules.
//!
//! Role: replace simple tags by lookup and expression tags by evaluation, keeping or rejecting
//! unresolved tags per [`Unresolved`], and failing on absent optionals as Argo v4 does.
//!
//! Argo substitutes into the JSON serialisation of a whole template, so a value is written
//! JSON-escaped (Go's `strconv.Quote`) and read back when the JSON is parsed; [`substitute_json`]
//! does exactly that. [`substitute`] works on one plain string, which gives the same result as
//! that round trip for a template made of that one string. The visible effect of Go's escaping,
//! `\a`, `\v` and `\xNN` (invalid JSON) for some control characters, is reproduced as an error.
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
    substitute_encoded(template, scope, opts, &mut env, Encoding::Raw)
}

/// Substitutes the tags in `value` the way Argo does for a whole template: serialise it to
/// JSON, substitute over the JSON text (values are JSON-escaped, expressions JSON-unescaped),
/// parse the result back. Object keys are substituted too, and a `{{` in one string may close
/// in a later one, exactly as upstream. Arguments that are pure references to absent optionals
/// should be replaced beforehand (see [`Scope::is_absent_reference`]).
pub fn substitute_json(value: &Value, scope: &Scope, opts: &Options) -> Result<Value> {
    let text = serde_json::to_string(value).map_err(|e| Error::InvalidJson {
        message: e.to_string(),
    })?;
    let mut env = LazyEnvironment::default();
    let substituted = substitute_encoded(&text, scope, opts, &mut env, Encoding::Json)?;
    serde_json::from_str(&substituted).map_err(|e| Error::InvalidJson {
        message: format!(
            "cannot finish template replacement because the result was invalid JSON: {e}"
        ),
    })
}

/// How the text being substituted is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// A plain string: values are written as they are.
    Raw,
    /// JSON text: values are written JSON-escaped and expressions are unescaped first.
    Json,
}

impl Encoding {
    fn write(self, value: &str, out: &mut String) {
        match self {
            Encoding::Raw => out.push_str(value),
            Encoding::Json => quote::escape_into(value, out),
        }
    }
}

fn substitute_encoded(
    template: &str,
    scope: &Scope,
    opts: &Options,
    env: &mut LazyEnvironment,
    encoding: Encoding,
) -> Result<String> {
    if scan::find_double(template, b'{').is_none() {
        return Ok(template.to_owned());
    }
    substitute_once(template, scope, opts, env, encoding)
}

/// One fasttemplate pass.
fn substitute_once(
    template: &str,
    scope: &Scope,
    opts: &Options,
    env: &mut LazyEnvironment,
    encoding: Encoding,
) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    for piece in pieces(template)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Tag(body, position) => match classify(body) {
                (TagKind::Expression, expr) => {
                    let unescaped;
                    let expr = match encoding {
                        Encoding::Raw => expr,
                        Encoding::Json => {
                            unescaped = quote::unescape(expr).ok_or_else(|| Error::Expression {
                                expression: expr.to_owned(),
                                position,
                                message: "failed to unmarshall JSON expression".to_owned(),
                            })?;
                            unescaped.as_str()
                        }
                    };
                    match expression::replace_tag(expr, position, scope, opts, env)? {
                        Some(replacement) => encoding.write(&replacement, &mut out),
                        None => {
                            out.push_str("{{");
                            out.push_str(body);
                            out.push_str("}}");
                        }
                    }
                }
                (TagKind::Simple, _) => {
                    replace_simple(body, position, scope, opts, encoding, &mut out)?;
                }
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
    encoding: Encoding,
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
            encoding.write(value, out);
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
                encoding.write(value, out);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_substitution_escapes_values_and_unescapes_expressions() {
        let mut scope = Scope::new();
        scope.insert("inputs.parameters.q", "say \"hi\"\n");
        let template =
            json!({"args": ["{{inputs.parameters.q}}", "{{=\"a\\\"b\"}}", "{{=[1, 'x']}}"]});
        let out = substitute_json(&template, &scope, &Options::default()).expect("substitutes");
        assert_eq!(out, json!({"args": ["say \"hi\"\n", "a\"b", "[1,\"x\"]"]}));
    }

    #[test]
    fn a_tag_may_span_json_strings_and_is_kept_like_upstream() {
        let template = json!({"a": "x {{ y", "b": "z }} w"});
        let out = substitute_json(&template, &Scope::new(), &Options::default());
        assert_eq!(out, Ok(template));
        assert!(substitute("x {{ y", &Scope::new(), &Options::default()).is_err());
    }

    #[test]
    fn keys_are_substituted() {
        let mut scope = Scope::new();
        scope.insert("workflow.name", "wf");
        let out = substitute_json(
            &json!({"{{workflow.name}}-key": 1}),
            &scope,
            &Options::default(),
        );
        assert_eq!(out, Ok(json!({"wf-key": 1})));
    }
}
