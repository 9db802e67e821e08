//! Checks on a template's `outputs`: names, references, artifact paths, global names and how
//! each output parameter gets its value for the template's kind.
//!
//! Must not: add outputs to any scope; callers do that when walking steps and tasks.

use serde_json::Value;

use crate::artifacts::path_problem;
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, object, str};
use crate::names::{NameRule, check_list_names, is_parameter, param_name_problems};
use crate::scope::{Scope, resolve_all};
use crate::template_kind::TemplateKind;
use crate::validator::{Resolved, Validator};

impl Validator<'_> {
    /// Argo's `validateOutputs` over the processed template.
    pub fn validate_outputs(
        &self,
        scope: &Scope,
        resolved: &Resolved,
        template: &Value,
    ) -> Checked {
        let name = str(template, "name");
        let outputs = object(template, "outputs");
        let at = |relative: Loc| resolved.loc(&Loc::root().key("outputs").join(&relative));
        for list in ["parameters", "artifacts"] {
            let names = array(outputs, list).iter().map(|entry| str(entry, "name"));
            if let Err(problem) = check_list_names(names, NameRule::ParamOrArtifact) {
                return Err(Finding::new(
                    format!("templates.{name}.outputs.{list} {}", problem.message),
                    at(Loc::root().key(list).index(problem.index)),
                ));
            }
        }
        resolve_all(scope, &self.globals, outputs, self.mode.template_validation).map_err(|u| {
            Finding::new(format!("templates.{name}.outputs {}", u.message), at(u.at))
        })?;
        let kind = TemplateKind::of(template);
        for (index, artifact) in array(outputs, "artifacts").iter().enumerate() {
            let art_ref = format!("outputs.artifacts.{}", str(artifact, "name"));
            let here = Loc::root().key("artifacts").index(index);
            if kind.is_leaf() {
                if let Some(problem) = path_problem(artifact) {
                    return Err(Finding::new(
                        format!("error in templates.{name}.{art_ref}: {problem}"),
                        at(here.key("path")),
                    ));
                }
            } else if !str(artifact, "path").is_empty() {
                return Err(Finding::new(
                    format!(
                        "templates.{name}.{art_ref}.path only valid in container/script templates"
                    ),
                    at(here.key("path")),
                ));
            }
            let global = str(artifact, "globalName");
            if !global.is_empty()
                && !is_parameter(global)
                && let Some(problem) = param_name_problems(global).into_iter().next()
            {
                return Err(Finding::new(
                    format!("templates.{name}.{art_ref}.globalName: {problem}"),
                    at(here.key("globalName")),
                ));
            }
        }
        for (index, param) in array(outputs, "parameters").iter().enumerate() {
            let param_ref = format!("templates.{name}.outputs.parameters.{}", str(param, "name"));
            let here = Loc::root().key("parameters").index(index);
            check_output_parameter(&param_ref, param, kind)
                .map_err(|(message, relative)| Finding::new(message, at(here.join(&relative))))?;
            let global = str(param, "globalName");
            if !global.is_empty()
                && !is_parameter(global)
                && let Some(problem) = param_name_problems(global).into_iter().next()
            {
                return Err(Finding::new(
                    format!("{param_ref}.globalName: {problem}"),
                    at(here.key("globalName")),
                ));
            }
        }
        Ok(())
    }
}

/// One output parameter: exactly one value source, suited to the template kind.
fn check_output_parameter(
    param_ref: &str,
    param: &Value,
    kind: TemplateKind,
) -> Result<(), (String, Loc)> {
    let from_at = Loc::root().key("valueFrom");
    let value_from = field(param, "valueFrom");
    if value_from.is_some() && field(param, "value").is_some() {
        return Err((
            format!("{param_ref} has both valueFrom and value specified, choose one"),
            Loc::root(),
        ));
    }
    if field(param, "value").is_some() {
        return Ok(());
    }
    let Some(from) = value_from else {
        return Err((
            format!("{param_ref} does not have valueFrom or value specified"),
            Loc::root(),
        ));
    };
    let sources = ["path", "jqFilter", "jsonPath", "parameter", "expression"]
        .iter()
        .filter(|key| !str(from, key).is_empty())
        .count()
        + usize::from(field(from, "supplied").is_some());
    match sources {
        0 => {
            return Err((
                "valueFrom type unspecified. choose one of: path, jqFilter, jsonPath, parameter, raw, expression".to_owned(),
                from_at,
            ));
        }
        1 => {}
        _ => {
            return Err((
                "multiple valueFrom types specified. choose one of: path, jqFilter, jsonPath, parameter, raw".to_owned(),
                from_at,
            ));
        }
    }
    let kind_name = kind.name();
    match kind {
        TemplateKind::Container | TemplateKind::ContainerSet | TemplateKind::Script
            if str(from, "path").is_empty() =>
        {
            Err((
                format!("{param_ref}.path must be specified for {kind_name} templates"),
                from_at,
            ))
        }
        TemplateKind::Resource
            if str(from, "jqFilter").is_empty() && str(from, "jsonPath").is_empty() =>
        {
            Err((
                format!(
                    "{param_ref} .jqFilter or jsonPath must be specified for {kind_name} templates"
                ),
                from_at,
            ))
        }
        TemplateKind::Dag | TemplateKind::Steps => {
            let parameter = str(from, "parameter");
            let expression = str(from, "expression");
            if parameter.is_empty() && expression.is_empty() {
                Err((
                    format!(
                        "{param_ref}.parameter or expression must be specified for {kind_name} templates"
                    ),
                    from_at,
                ))
            } else if !parameter.is_empty() && !expression.is_empty() {
                Err((
                    format!(
                        "{param_ref} shouldn't have both `from` and `expression` specified in `ValueFrom` for {kind_name} templates"
                    ),
                    from_at,
                ))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}
