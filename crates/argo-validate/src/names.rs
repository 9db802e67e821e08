//! Naming rules: template, step, task and container names (alphanumerics and `-`, at most 128
//! characters) and parameter/artifact names (alphanumerics, `_` and `-`), plus the uniqueness
//! check Argo applies to every named list.
//!
//! Must not: decide where a name error is reported; callers wrap the message.

use regex::Regex;
use std::sync::LazyLock;

static FIELD_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-zA-Z0-9][-a-zA-Z0-9]*$").expect("static regex"));
static PARAM_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[-a-zA-Z0-9_]+$").expect("static regex"));
static PARAMETER_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[-a-zA-Z0-9]+(\.[-a-zA-Z0-9_]+)*\}\}").expect("static regex")
});
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        "{}\\d+",
        regex::escape(crate::scope::PLACEHOLDER_PREFIX)
    ))
    .expect("static regex")
});

const FIELD_NAME_MAX_LENGTH: usize = 128;

/// Which naming rule applies to a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// Templates, steps, tasks, containers.
    Field,
    /// Parameters and artifacts.
    ParamOrArtifact,
}

/// Problems with a template/step/task name; empty when valid.
pub fn field_name_problems(name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if name.len() > FIELD_NAME_MAX_LENGTH {
        problems.push(format!(
            "must be no more than {FIELD_NAME_MAX_LENGTH} characters"
        ));
    }
    if !FIELD_NAME.is_match(name) {
        problems.push(
            "name must consist of alpha-numeric characters or '-', and must start with an alpha-numeric character (e.g. My-name1-2, 123-NAME)"
                .to_owned(),
        );
    }
    problems
}

/// Problems with a step name, tolerating validation placeholders substituted into it.
pub fn step_name_problems(name: &str) -> Vec<String> {
    field_name_problems(&PLACEHOLDER.replace_all(name, "x"))
}

/// Problems with a parameter or artifact name; empty when valid.
pub fn param_name_problems(name: &str) -> Vec<String> {
    if PARAM_NAME.is_match(name) {
        Vec::new()
    } else {
        vec!["Parameter/Artifact name must consist of alpha-numeric characters, '_' or '-' e.g. my_param_1, MY-PARAM-1".to_owned()]
    }
}

/// Whether a string contains a simple `{{a.b.c}}` parameter reference.
pub fn is_parameter(text: &str) -> bool {
    PARAMETER_TAG.is_match(text)
}

/// A problem with a named list: the index of the offending entry and Argo's message suffix
/// (`[1].name 'x' is not unique`), which callers prefix with the list's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListNameProblem {
    /// Index of the entry.
    pub index: usize,
    /// Message starting with `[i].name`.
    pub message: String,
    /// Whether the problem is about the `name` field itself (false: the entry lacks a name).
    pub on_name: bool,
}

/// Argo's checks over the names of a list: present, well-formed, unique.
pub fn check_list_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    rule: NameRule,
) -> Result<(), ListNameProblem> {
    let mut seen = std::collections::HashSet::new();
    for (index, name) in names.into_iter().enumerate() {
        if name.is_empty() {
            return Err(ListNameProblem {
                index,
                message: format!("[{index}].name is required"),
                on_name: false,
            });
        }
        let problems = match rule {
            NameRule::Field => field_name_problems(name),
            NameRule::ParamOrArtifact => param_name_problems(name),
        };
        if !problems.is_empty() {
            return Err(ListNameProblem {
                index,
                message: format!(
                    "[{index}].name: '{name}' is invalid: {}",
                    problems.join(";")
                ),
                on_name: true,
            });
        }
        if !seen.insert(name) {
            return Err(ListNameProblem {
                index,
                message: format!("[{index}].name '{name}' is not unique"),
                on_name: true,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_reject_underscores_and_leading_dashes() {
        assert!(field_name_problems("hello-world1").is_empty());
        assert!(!field_name_problems("hello_world").is_empty());
        assert!(!field_name_problems("-x").is_empty());
        assert!(!field_name_problems(&"a".repeat(129)).is_empty());
    }

    #[test]
    fn parameter_names_allow_underscores() {
        assert!(param_name_problems("my_param-1").is_empty());
        assert!(!param_name_problems("my param").is_empty());
    }

    #[test]
    fn duplicate_names_are_reported_at_the_second_entry() {
        let problem = check_list_names(["a", "b", "a"], NameRule::Field).expect_err("duplicate");
        assert_eq!(problem.index, 2);
        assert_eq!(problem.message, "[2].name 'a' is not unique");
    }

    #[test]
    fn parameter_references_are_recognised() {
        assert!(is_parameter("{{inputs.parameters.x}}"));
        assert!(!is_parameter("plain"));
    }
}
