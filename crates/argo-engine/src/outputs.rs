//! Outputs of steps and DAG templates resolved from their local scope (`valueFrom.parameter`,
//! `valueFrom.expression`, artifacts `from`), and the supplied output parameters a suspend
//! node carries until it is resumed.
//!
//! Must not: read pod outputs (those arrive in task results, see `pod_assessment`).

use argo_core::{NodeStatus, Outputs, Parameter, Template};
use argo_expr::{Scope, Unresolved};

use crate::error::{Error, Result};
use crate::operation::Operation;
use crate::scope::lookup_reference;

impl Operation<'_> {
    /// The outputs a steps or DAG template declares, resolved from `scope`; None when it
    /// declares none.
    pub(crate) fn template_outputs_from_scope(
        &self,
        template: &Template,
        scope: &Scope,
    ) -> Result<Option<Outputs>> {
        let declared = &template.outputs;
        if declared.parameters.is_empty()
            && declared.artifacts.is_empty()
            && declared.result.is_none()
        {
            return Ok(None);
        }
        let mut outputs = Outputs::default();
        for param in &declared.parameters {
            let Some(value_from) = &param.value_from else {
                return Err(Error::msg(
                    "output parameters must have a valueFrom specified",
                ));
            };
            let resolved = if !value_from.parameter.is_empty() {
                match lookup_reference(scope, &value_from.parameter) {
                    Some(Some(value)) => Ok(Some(value)),
                    Some(None) => Ok(None),
                    None => Err(Error::msg(format!(
                        "Unable to resolve: {:?}",
                        value_from.parameter
                    ))),
                }
            } else if !value_from.expression.is_empty() {
                let mut full = self.globals.clone();
                for (key, binding) in scope.iter() {
                    full.bind(key.to_owned(), binding.clone());
                }
                argo_expr::evaluate(
                    &value_from.expression,
                    &full,
                    &self.options(Unresolved::Reject),
                )
                .map(|v| {
                    Some(match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    })
                })
                .map_err(Error::from)
            } else {
                Err(Error::msg(format!(
                    "Unable to resolve output parameter {}",
                    param.name
                )))
            };
            let value = match resolved {
                Ok(Some(value)) => value,
                Ok(None) => match &value_from.default {
                    Some(default) => default.0.clone(),
                    None => {
                        return Err(Error::msg(format!(
                            "output parameter {:?}: {:?} is an absent optional (skipped/omitted node output with no default)",
                            param.name, value_from.parameter
                        )));
                    }
                },
                Err(err) => match &value_from.default {
                    Some(default) => default.0.clone(),
                    None => return Err(err),
                },
            };
            outputs.parameters.push(Parameter {
                value: Some(value.into()),
                value_from: None,
                ..param.clone()
            });
        }
        for artifact in &declared.artifacts {
            match self.resolve_artifact_reference(artifact, scope)? {
                Some(resolved) => outputs.artifacts.push(resolved),
                None if artifact.optional => {}
                None => {
                    let reference = if artifact.from.is_empty() {
                        &artifact.from_expression
                    } else {
                        &artifact.from
                    };
                    return Err(Error::msg(format!(
                        "unable to resolve outputs from scope: Unable to resolve: {reference:?}"
                    )));
                }
            }
        }
        Ok(Some(outputs))
    }
}

/// Adds the `supplied` output parameters of a suspend template to its node, with the input
/// parameter's default when the output has none (Argo's `addRawOutputFields`).
pub(crate) fn add_supplied_output_fields(node: &mut NodeStatus, template: &Template) {
    for param in &template.outputs.parameters {
        let Some(value_from) = &param.value_from else {
            continue;
        };
        if value_from.supplied.is_none() {
            continue;
        }
        let mut param = param.clone();
        if let Some(value_from) = param.value_from.as_mut()
            && value_from.default.is_none()
            && let Some(input) = template.inputs.parameter(&param.name)
        {
            value_from.default = input.default.clone();
        }
        node.outputs
            .get_or_insert_with(Outputs::default)
            .parameters
            .push(param);
    }
}

/// Replaces supplied output parameters without a value by their default (a suspend node that
/// timed out), as Argo's `OverrideOutputParametersWithDefault` does.
pub(crate) fn override_outputs_with_default(outputs: &mut Option<Outputs>) {
    let Some(outputs) = outputs else { return };
    for param in &mut outputs.parameters {
        if let Some(value_from) = &param.value_from
            && value_from.supplied.is_some()
            && let Some(default) = &value_from.default
        {
            param.value = Some(default.clone());
        }
    }
}
