//! Argo's `keyFormat`: the key prefix under which a pod's output artifacts and logs are stored,
//! rendered from `{{workflow.name}}`-style variables. Must not: touch storage.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// The key format used when the repository sets none.
pub const DEFAULT_KEY_FORMAT: &str = "{{workflow.name}}/{{pod.name}}";

/// The variables a key format may use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyContext {
    values: BTreeMap<String, String>,
}

impl KeyContext {
    /// The variables every pod has: `workflow.name` and `pod.name`.
    pub fn new(workflow_name: &str, pod_name: &str) -> Self {
        KeyContext::default()
            .with("workflow.name", workflow_name)
            .with("pod.name", pod_name)
    }

    /// Adds a variable such as `workflow.namespace`, `workflow.uid` or
    /// `workflow.creationTimestamp.Y`.
    #[must_use]
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.values.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Renders `format` (the default format when empty). Text outside `{{...}}` is kept as is;
    /// an unknown variable is an error rather than an empty path segment.
    pub fn render(&self, format: &str) -> Result<String> {
        let format = if format.trim().is_empty() {
            DEFAULT_KEY_FORMAT
        } else {
            format
        };
        let mut out = String::with_capacity(format.len());
        let mut rest = format;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err(Error::KeyFormat {
                    format: format.to_owned(),
                    variable: after.to_owned(),
                });
            };
            let name = after[..end].trim();
            let value = self.values.get(name).ok_or_else(|| Error::KeyFormat {
                format: format.to_owned(),
                variable: name.to_owned(),
            })?;
            out.push_str(value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out.trim_matches('/').to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_format_is_workflow_then_pod() {
        let context = KeyContext::new("hello-x7k", "hello-x7k-main-123");
        assert_eq!(context.render("").unwrap(), "hello-x7k/hello-x7k-main-123");
    }

    #[test]
    fn custom_formats_keep_literal_text_and_accept_spaces_in_braces() {
        let context = KeyContext::new("wf", "pod").with("workflow.namespace", "argo");
        let key = context
            .render("artifacts/{{ workflow.namespace }}/{{workflow.name}}/x-{{pod.name}}")
            .unwrap();
        assert_eq!(key, "artifacts/argo/wf/x-pod");
    }

    #[test]
    fn an_unknown_variable_is_an_error_naming_it() {
        let error = KeyContext::new("wf", "pod")
            .render("{{workflow.uid}}/x")
            .unwrap_err();
        assert!(error.to_string().contains("workflow.uid"), "{error}");
    }

    #[test]
    fn an_unclosed_brace_is_an_error() {
        assert!(KeyContext::new("wf", "pod").render("{{pod.name").is_err());
    }
}
