//! Arguments to inputs and template substitution (Argo's `ProcessArgs` and
//! `SubstituteParams`): input parameters take their default, then the caller's argument, then
//! a ConfigMap value; input artifacts take the caller's artifact; then the whole template is
//! substituted with globals and locals, and again with `inputs.*`.
//!
//! Must not: resolve templates or create nodes.

use std::collections::BTreeMap;

use argo_core::{AnyString, Arguments, Template};
use argo_expr::{ABSENT_ARGUMENT_SENTINEL, Scope, Unresolved};

use crate::error::{Error, Result};
use crate::operation::Operation;
use crate::shared_template::SharedTemplate;

impl Operation<'_> {
    /// [`Operation::process_args`] for a shared template: a template without inputs and
    /// without tags (`tagged` false) is used as it is, without a copy.
    pub(crate) fn process_args_shared<'t>(
        &self,
        template: &SharedTemplate<'t>,
        tagged: bool,
        args: &Arguments,
        locals: &BTreeMap<String, String>,
    ) -> Result<SharedTemplate<'t>> {
        if !tagged && template.inputs.is_empty() {
            return Ok(template.clone());
        }
        self.process_args(template, args, locals)
            .map(SharedTemplate::from)
    }

    /// Applies `args` to the template's inputs and substitutes the template.
    pub(crate) fn process_args(
        &self,
        template: &Template,
        args: &Arguments,
        locals: &BTreeMap<String, String>,
    ) -> Result<Template> {
        let mut template = template.clone();
        for input in &mut template.inputs.parameters {
            if input.value.is_none()
                && let Some(default) = &input.default
            {
                input.value = Some(default.clone());
            }
            let argument = args.parameter(&input.name);
            let absent = argument
                .and_then(|a| a.value.as_ref())
                .is_some_and(|v| v.0 == ABSENT_ARGUMENT_SENTINEL);
            if absent {
                if input.value.is_none() && input.value_from.is_none() {
                    return Err(Error::msg(format!(
                        "inputs.parameters.{}: argument references an absent optional (skipped/omitted node output with no default)",
                        input.name
                    )));
                }
            } else if let Some(argument) = argument {
                if let Some(value) = &argument.value {
                    input.value = Some(value.clone());
                } else if let Some(value_from) = &argument.value_from {
                    input.value_from = Some(value_from.clone());
                }
            }
            if let Some(selector) = input
                .value_from
                .as_ref()
                .and_then(|v| v.config_map_key_ref.as_ref())
            {
                let name = self.substitute_text(&selector.name, &Scope::new())?;
                let key = self.substitute_text(&selector.key, &Scope::new())?;
                let found = self
                    .observed
                    .config_maps
                    .get(&name)
                    .and_then(|cm| cm.get(&key));
                match found {
                    Some(value) => input.value = Some(AnyString(value.clone())),
                    None => match input.value_from.as_ref().and_then(|v| v.default.clone()) {
                        Some(default) => input.value = Some(default),
                        None => {
                            return Err(Error::msg(format!(
                                "unable to retrieve inputs.parameters.{} from ConfigMap: ConfigMap '{name}' does not exist",
                                input.name
                            )));
                        }
                    },
                }
            } else if input.value.is_none() {
                return Err(Error::msg(format!(
                    "inputs.parameters.{} was not supplied",
                    input.name
                )));
            }
            if !input.enum_values.is_empty()
                && let Some(value) = &input.value
                && !input.enum_values.contains(value)
            {
                return Err(Error::msg(format!(
                    "value '{}' for parameter '{}' is not in the enum",
                    value.0, input.name
                )));
            }
        }
        for input in &mut template.inputs.artifacts {
            let argument = args.artifact(&input.name);
            if argument.is_none() && (!input.from.is_empty() || !input.from_expression.is_empty()) {
                // An input naming its own source (`from: {{workflow.outputs.artifacts.g}}`).
                if let Some(found) = self.resolve_artifact_reference(input, &Scope::new())? {
                    let (path, mode, recurse) =
                        (input.path.clone(), input.mode, input.recurse_mode);
                    *input = found;
                    input.path = path;
                    input.mode = mode;
                    input.recurse_mode = recurse;
                }
            }
            let has_location = input.location != Default::default();
            if !input.optional && !has_location && argument.is_none() {
                return Err(Error::msg(format!(
                    "inputs.artifacts.{} was not supplied",
                    input.name
                )));
            }
            if let Some(argument) = argument {
                let (path, mode, recurse) = (input.path.clone(), input.mode, input.recurse_mode);
                *input = argument.clone();
                input.path = path;
                input.mode = mode;
                input.recurse_mode = recurse;
            }
        }
        self.substitute_params(&template, locals)
    }

    /// Substitutes globals and `locals`, then `inputs.*` and output paths, into a template.
    pub(crate) fn substitute_params(
        &self,
        template: &Template,
        locals: &BTreeMap<String, String>,
    ) -> Result<Template> {
        if !crate::tags::contains_tags(template) {
            return Ok(template.clone());
        }
        let json = serde_json::to_value(template).map_err(|e| Error::msg(e.to_string()))?;
        let mut scope = self.globals.clone();
        for (key, value) in locals {
            scope.insert(key.clone(), value.clone());
        }
        let opts = self.options(Unresolved::Keep);
        let first = argo_expr::substitute_json(&json, &scope, &opts)?;
        let replaced: Template =
            serde_json::from_value(first.clone()).map_err(|e| Error::msg(e.to_string()))?;
        for input in &replaced.inputs.parameters {
            match &input.value {
                Some(value) => {
                    scope.insert(format!("inputs.parameters.{}", input.name), value.0.clone())
                }
                None if input.value_from.is_none() => {
                    return Err(Error::msg(format!(
                        "inputs.parameters.{} had no value",
                        input.name
                    )));
                }
                None => {}
            }
        }
        let all = serde_json::to_string(&replaced.inputs.parameters).unwrap_or_default();
        scope.insert("inputs.parameters", all);
        for artifact in &replaced.inputs.artifacts {
            if !artifact.path.is_empty() {
                scope.insert(
                    format!("inputs.artifacts.{}.path", artifact.name),
                    artifact.path.clone(),
                );
            }
        }
        for artifact in &replaced.outputs.artifacts {
            if !artifact.path.is_empty() {
                scope.insert(
                    format!("outputs.artifacts.{}.path", artifact.name),
                    artifact.path.clone(),
                );
            }
        }
        for param in &replaced.outputs.parameters {
            if let Some(value_from) = &param.value_from
                && !value_from.path.is_empty()
            {
                scope.insert(
                    format!("outputs.parameters.{}.path", param.name),
                    value_from.path.clone(),
                );
            }
        }
        let second = argo_expr::substitute_json(&first, &scope, &opts)?;
        serde_json::from_value(second).map_err(|e| Error::msg(e.to_string()))
    }

    /// Substitutes globals plus `extra` into a string, keeping unresolved tags.
    pub(crate) fn substitute_text(&self, text: &str, extra: &Scope) -> Result<String> {
        if !text.contains("{{") {
            return Ok(text.to_owned());
        }
        let mut scope = self.globals.clone();
        for (key, binding) in extra.iter() {
            scope.bind(key.to_owned(), binding.clone());
        }
        Ok(argo_expr::substitute(
            text,
            &scope,
            &self.options(Unresolved::Keep),
        )?)
    }
}

/// Whether any string (or key) in a JSON value contains a `{{` tag (the reference that
/// `tags::contains_tags` is tested against).
#[cfg(test)]
pub(crate) fn has_tags(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains("{{"),
        serde_json::Value::Array(items) => items.iter().any(has_tags),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains("{{") || has_tags(v)),
        _ => false,
    }
}
