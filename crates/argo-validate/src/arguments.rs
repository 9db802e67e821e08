//! Arguments: the checks on `arguments` blocks (workflow, step and task), and the argument
//! processing that binds a template's inputs before it is validated — defaults, supplied
//! values, missing inputs — followed by the substitution of globals and inputs into the template.
//!
//! Must not: check references; that is `scope.rs`, run on the processed template.

use std::collections::HashMap;

use serde_json::Value;

use crate::artifacts::has_location_or_key;
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, flag, object, scalar_text, str};
use crate::names::{NameRule, check_list_names};
use crate::scope::{Globals, Placeholders};
use crate::tags::substitute;

/// Where a template's input values come from when it is validated.
#[derive(Debug, Clone, Copy)]
pub enum Args<'a> {
    /// Every input is supplied with an unknown value (templates checked on their own).
    Fake,
    /// The `arguments` object of a workflow, step or task, and where the call site's
    /// `arguments` are when inputs missing there should be reported at the caller.
    Actual(&'a Value, Option<&'a Loc>),
}

impl<'a> Args<'a> {
    /// Where problems with supplied inputs are reported, when it is the caller.
    pub fn call_site(&self) -> Option<&'a Loc> {
        match self {
            Args::Fake => None,
            Args::Actual(_, at) => *at,
        }
    }

    fn parameter(&self, name: &str, placeholders: &mut Placeholders) -> Option<Value> {
        match self {
            Args::Fake => Some(serde_json::json!({"name": name, "value": placeholders.next()})),
            Args::Actual(arguments, _) => array(arguments, "parameters")
                .iter()
                .find(|p| str(p, "name") == name)
                .cloned(),
        }
    }

    fn artifact(&self, name: &str) -> Option<Value> {
        match self {
            Args::Fake => Some(serde_json::json!({"name": name})),
            Args::Actual(arguments, _) => array(arguments, "artifacts")
                .iter()
                .find(|a| str(a, "name") == name)
                .cloned(),
        }
    }
}

/// Argo's checks on an `arguments` block; `prefix` is e.g. `spec.arguments.`.
pub fn check_arguments(prefix: &str, arguments: &Value, at: &Loc, allow_empty: bool) -> Checked {
    for kind in ["parameters", "artifacts"] {
        let list = array(arguments, kind);
        let names = list.iter().map(|entry| str(entry, "name"));
        if let Err(problem) = check_list_names(names, NameRule::ParamOrArtifact) {
            let mut loc = at.key(kind).index(problem.index);
            if problem.on_name {
                loc = loc.key("name");
            }
            return Err(Finding::new(
                format!("{prefix}{kind}{}", problem.message),
                loc,
            ));
        }
    }
    check_argument_values(prefix, arguments, at, allow_empty)
}

fn check_argument_values(prefix: &str, arguments: &Value, at: &Loc, allow_empty: bool) -> Checked {
    for (index, param) in array(arguments, "parameters").iter().enumerate() {
        let loc = at.key("parameters").index(index);
        let name = str(param, "name");
        let value = field(param, "value");
        let value_from = field(param, "valueFrom");
        if value.is_none() && value_from.is_none() && !allow_empty {
            return Err(Finding::new(
                format!("{prefix}{name}.value or {prefix}{name}.valueFrom is required"),
                loc,
            ));
        }
        if let Some(from) = value_from {
            let allowed = field(from, "configMapKeyRef").is_some()
                || !str(from, "event").is_empty()
                || field(from, "supplied").is_some();
            let forbidden = ["path", "jsonPath", "parameter", "expression"]
                .iter()
                .any(|key| !str(from, key).is_empty());
            if !allowed || forbidden {
                return Err(Finding::new(
                    format!(
                        "{prefix}{name}.valueFrom only allows: default, configMapKeyRef and supplied"
                    ),
                    loc.key("valueFrom"),
                ));
            }
        }
        if let Some(Value::Array(choices)) = field(param, "enum") {
            if choices.is_empty() {
                return Err(Finding::new(
                    format!("{prefix}{name}.enum should contain at least one value"),
                    loc.key("enum"),
                ));
            }
            let Some(value) = value else {
                if allow_empty {
                    // Argo stops checking the remaining arguments here.
                    return Ok(());
                }
                return Err(Finding::new(
                    format!("{prefix}{name}.value is required"),
                    loc,
                ));
            };
            let value = scalar_text(value);
            if !choices.iter().any(|choice| scalar_text(choice) == value) {
                return Err(Finding::new(
                    format!("{prefix}{name}.value should be present in {prefix}{name}.enum list"),
                    loc.key("value"),
                ));
            }
        }
    }
    for (index, artifact) in array(arguments, "artifacts").iter().enumerate() {
        let loc = at.key("artifacts").index(index);
        let name = str(artifact, "name");
        let from = str(artifact, "from");
        if from.is_empty() && !has_location_or_key(artifact) {
            return Err(Finding::new(
                format!("{prefix}{name}.from, artifact location, or key is required"),
                loc,
            ));
        }
        if !from.is_empty() && !str(artifact, "fromExpression").is_empty() {
            return Err(Finding::new(
                format!(
                    "{prefix}{name} shouldn't have both `from` and `fromExpression` in Artifact"
                ),
                loc,
            ));
        }
    }
    Ok(())
}

/// Why argument processing failed: the message and the input it concerns (relative to the
/// template).
#[derive(Debug, Clone)]
pub struct Unprocessable {
    /// Argo's message.
    pub message: String,
    /// The offending input, relative to the template.
    pub at: Loc,
}

/// Binds inputs from `args` and substitutes globals, locals and inputs into a copy of the
/// template, as Argo does before validating it.
pub fn process_args(
    template: &Value,
    args: Args<'_>,
    globals: &Globals,
    locals: &HashMap<String, String>,
    placeholders: &mut Placeholders,
) -> Result<Value, Unprocessable> {
    let mut processed = template.clone();
    let inputs_at = Loc::root().key("inputs");
    let params = array(object(template, "inputs"), "parameters");
    let mut bound = Vec::with_capacity(params.len());
    for (index, param) in params.iter().enumerate() {
        let mut param = as_object(param);
        let name = str(&param, "name").to_owned();
        if field(&param, "value").is_none()
            && let Some(default) = field(&param, "default").cloned()
        {
            param["value"] = default;
        }
        if let Some(arg) = args.parameter(&name, placeholders) {
            if let Some(value) = field(&arg, "value").cloned() {
                param["value"] = value;
                param["valueFrom"] = Value::Null;
            } else {
                param["valueFrom"] = field(&arg, "valueFrom").cloned().unwrap_or(Value::Null);
                param["value"] = Value::Null;
            }
        }
        let from_config_map =
            field(&param, "valueFrom").is_some_and(|from| field(from, "configMapKeyRef").is_some());
        if !from_config_map && field(&param, "value").is_none() {
            return Err(Unprocessable {
                message: format!("inputs.parameters.{name} was not supplied"),
                at: inputs_at.key("parameters").index(index),
            });
        }
        bound.push(param);
    }
    let artifacts = array(object(template, "inputs"), "artifacts");
    let mut bound_artifacts = Vec::with_capacity(artifacts.len());
    for (index, artifact) in artifacts.iter().enumerate() {
        let name = str(artifact, "name");
        let supplied = args.artifact(name);
        if !flag(artifact, "optional") && !has_location_or_key(artifact) && supplied.is_none() {
            return Err(Unprocessable {
                message: format!("inputs.artifacts.{name} was not supplied"),
                at: inputs_at.key("artifacts").index(index),
            });
        }
        let mut bound_artifact = artifact.clone();
        if let Some(supplied) = supplied {
            let mut supplied = as_object(&supplied);
            for key in ["path", "mode", "recurseMode"] {
                supplied[key] = field(artifact, key).cloned().unwrap_or(Value::Null);
            }
            bound_artifact = supplied;
        }
        bound_artifacts.push(bound_artifact);
    }
    if let Some(inputs) = processed.get_mut("inputs").filter(|v| v.is_object()) {
        if !bound.is_empty() {
            inputs["parameters"] = Value::Array(bound);
        }
        if !bound_artifacts.is_empty() {
            inputs["artifacts"] = Value::Array(bound_artifacts);
        }
    }
    substitute_params(&mut processed, globals, locals)?;
    Ok(processed)
}

/// A copy of a list entry that is safe to set fields on: entries that are not objects (which
/// the model would reject) are treated as empty objects.
fn as_object(entry: &Value) -> Value {
    if entry.is_object() {
        entry.clone()
    } else {
        Value::Object(serde_json::Map::new())
    }
}

fn substitute_params(
    template: &mut Value,
    globals: &Globals,
    locals: &HashMap<String, String>,
) -> Result<(), Unprocessable> {
    let unclosed = |unclosed: crate::tags::UnclosedTag| Unprocessable {
        message: unclosed.message(&unclosed.rest),
        at: Loc::root(),
    };
    let mut replacements: HashMap<String, String> = globals.clone();
    replacements.extend(locals.iter().map(|(k, v)| (k.clone(), v.clone())));
    substitute(template, &replacements).map_err(unclosed)?;

    let inputs = object(template, "inputs");
    for param in array(inputs, "parameters") {
        if let Some(value) = field(param, "value") {
            replacements.insert(
                format!("inputs.parameters.{}", str(param, "name")),
                scalar_text(value),
            );
        }
    }
    let all_params = Value::Array(array(inputs, "parameters").to_vec()).to_string();
    replacements.insert("inputs.parameters".to_owned(), all_params);
    for artifact in array(inputs, "artifacts") {
        let path = str(artifact, "path");
        if !path.is_empty() {
            replacements.insert(
                format!("inputs.artifacts.{}.path", str(artifact, "name")),
                path.to_owned(),
            );
        }
    }
    let outputs = object(template, "outputs");
    for artifact in array(outputs, "artifacts") {
        let path = str(artifact, "path");
        if !path.is_empty() {
            replacements.insert(
                format!("outputs.artifacts.{}.path", str(artifact, "name")),
                path.to_owned(),
            );
        }
    }
    for param in array(outputs, "parameters") {
        let path = field(param, "valueFrom").map_or("", |from| str(from, "path"));
        if !path.is_empty() {
            replacements.insert(
                format!("outputs.parameters.{}.path", str(param, "name")),
                path.to_owned(),
            );
        }
    }
    substitute(template, &replacements).map_err(unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_missing_input_without_default_is_not_supplied() {
        let template = json!({"name": "t", "inputs": {"parameters": [{"name": "m"}]}});
        let arguments = json!({});
        let err = process_args(
            &template,
            Args::Actual(&arguments, None),
            &Globals::new(),
            &HashMap::new(),
            &mut Placeholders::default(),
        )
        .expect_err("missing");
        assert_eq!(err.message, "inputs.parameters.m was not supplied");
    }

    #[test]
    fn inputs_and_globals_are_substituted() {
        let template = json!({
            "inputs": {"parameters": [{"name": "m", "default": "{{workflow.name}}"}]},
            "container": {"args": ["{{inputs.parameters.m}}", "{{inputs.parameters.x}}"]}
        });
        let globals = Globals::from([("workflow.name".to_owned(), "wf".to_owned())]);
        let processed = process_args(
            &template,
            Args::Actual(&json!({}), None),
            &globals,
            &HashMap::new(),
            &mut Placeholders::default(),
        )
        .expect("supplied by default");
        assert_eq!(
            processed["container"]["args"],
            json!(["wf", "{{inputs.parameters.x}}"])
        );
    }

    #[test]
    fn enum_values_must_include_the_value() {
        let arguments = json!({"parameters": [{"name": "c", "value": "x", "enum": ["a"]}]});
        let finding = check_arguments("spec.arguments.", &arguments, &Loc::root(), true)
            .expect_err("not in enum");
        assert_eq!(
            finding.message,
            "spec.arguments.c.value should be present in spec.arguments.c.enum list"
        );
    }
}
