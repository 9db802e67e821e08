//! `{{...}}` tags the way Argo's template engine sees them: the text between `{{` and the next
//! `}}`, where a leading `=` marks an expression tag. Offers scanning (for scope checks) and
//! simple-tag substitution over a JSON value (for the argument processing that precedes them).
//!
//! Must not: evaluate expressions; expression tags are left untouched, as Argo's validator does.

use std::collections::HashMap;

use serde_json::Value;

/// A string held an opening `{{` without a closing `}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnclosedTag {
    /// The text from the unclosed `{{` on.
    pub rest: String,
}

impl UnclosedTag {
    /// Argo's wording for the problem.
    pub fn message(&self, text: &str) -> String {
        format!(
            "Cannot find end tag=\"}}}}\" in the template={text:?} starting from {:?}",
            self.rest
        )
    }
}

/// The tags of one string, in order; `Err` when a `{{` is never closed.
pub fn tags_of(text: &str) -> Result<Vec<&str>, UnclosedTag> {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err(UnclosedTag {
                rest: rest[open..].to_owned(),
            });
        };
        tags.push(&after[..close]);
        rest = &after[close + 2..];
    }
    Ok(tags)
}

/// Whether a tag is an expression tag (`{{=...}}`), which validation never checks.
pub fn is_expression(tag: &str) -> bool {
    tag.starts_with('=')
}

/// Visits every string in a JSON value (object keys excluded) with its relative location.
pub fn visit_strings<'a>(
    value: &'a Value,
    at: &crate::location::Loc,
    visit: &mut dyn FnMut(&'a str, &crate::location::Loc) -> bool,
) -> bool {
    match value {
        Value::String(s) => visit(s, at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .all(|(i, item)| visit_strings(item, &at.index(i), visit)),
        Value::Object(map) => map
            .iter()
            .all(|(key, item)| visit_strings(item, &at.key(key), visit)),
        _ => true,
    }
}

/// Replaces simple tags whose trimmed text is a key of `replacements`; others stay as written.
pub fn substitute(
    value: &mut Value,
    replacements: &HashMap<String, String>,
) -> Result<(), UnclosedTag> {
    match value {
        Value::String(s) => {
            if s.contains("{{") {
                *s = substitute_text(s, replacements)?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|item| substitute(item, replacements)),
        Value::Object(map) => map
            .values_mut()
            .try_for_each(|item| substitute(item, replacements)),
        _ => Ok(()),
    }
}

fn substitute_text(
    text: &str,
    replacements: &HashMap<String, String>,
) -> Result<String, UnclosedTag> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err(UnclosedTag {
                rest: rest[open..].to_owned(),
            });
        };
        let tag = &after[..close];
        out.push_str(&rest[..open]);
        match replacements.get(tag.trim()).filter(|_| !is_expression(tag)) {
            Some(replacement) => out.push_str(replacement),
            None => {
                out.push_str("{{");
                out.push_str(tag);
                out.push_str("}}");
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Replaces `{{=...}}` expression tags with a plain word, so text around them can be parsed
/// (Argo does this before checking that a resource manifest is YAML).
pub fn blank_out_expressions(text: &str) -> String {
    static EXPRESSION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\{\{\s*=\s*(.+?)\s*\}\}").expect("static regex")
    });
    EXPRESSION
        .replace_all(text, crate::scope::PLACEHOLDER_PREFIX)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_the_text_between_braces() {
        assert_eq!(
            tags_of("a {{x}} b {{ =y }}{{z}}").expect("closed"),
            vec!["x", " =y ", "z"]
        );
    }

    #[test]
    fn an_unclosed_tag_is_reported() {
        assert!(tags_of("hello {{world").is_err());
    }

    #[test]
    fn substitution_leaves_unknown_and_expression_tags() {
        let mut value = serde_json::json!({"a": ["{{ x }} {{y}} {{=x}}"]});
        let map = HashMap::from([("x".to_owned(), "1".to_owned())]);
        substitute(&mut value, &map).expect("closed");
        assert_eq!(value, serde_json::json!({"a": ["1 {{y}} {{=x}}"]}));
    }
}
