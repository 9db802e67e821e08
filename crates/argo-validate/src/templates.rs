//! Checking one template: its type, inputs, argument binding, timeouts, then (once per
//! template) its body — steps, DAG or leaf — its outputs, archive location and metrics. The
//! order follows Argo's, because Argo reports only the first problem it meets.
//!
//! Must not: resolve template references; that is `validator.rs`.

use std::collections::HashMap;

use crate::arguments::{Args, process_args};
use crate::artifacts::{location_problem, path_problem};
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, has, object, str, string};
use crate::names::{NameRule, check_list_names};
use crate::scope::Scope;
use crate::template_kind::TemplateKind;
use crate::validator::{Resolved, Validator};

const TYPE_CHOICES: &str = "choose one of: container, containerSet, steps, script, resource, dag, suspend, template, template ref";

impl Validator<'_> {
    /// Argo's `validateTemplate`: checks a resolved template bound to `args`.
    pub fn validate_template(&mut self, resolved: &Resolved, args: Args<'_>) -> Checked {
        let template = &resolved.template;
        let name = str(template, "name").to_owned();
        let at = |relative: &str| resolved.loc(&Loc::parse(relative));
        match TemplateKind::count_of(template) {
            0 => {
                return Err(Finding::new(
                    format!("templates.{name} template type unspecified. {TYPE_CHOICES}"),
                    at(""),
                ));
            }
            1 => {}
            _ => {
                return Err(Finding::new(
                    format!("templates.{name} multiple template types specified. {TYPE_CHOICES}"),
                    at(""),
                ));
            }
        }
        let kind = TemplateKind::of(template);
        if let Some(resources) = field(template, "podResources") {
            if matches!(kind, TemplateKind::Http | TemplateKind::Plugin) {
                return Err(Finding::new(
                    format!(
                        "templates.{name}.podResources is not supported for {} templates",
                        kind.name()
                    ),
                    at("podResources"),
                ));
            }
            crate::limits::check_pod_resources(
                &format!("templates.{name}.podResources"),
                resources,
            )
            .map_err(|message| Finding::new(message, at("podResources")))?;
        }
        let mut scope = self.validate_inputs(resolved, &name, kind)?;
        for (index, container) in array(template, "initContainers").iter().enumerate() {
            if str(container, "name").is_empty() {
                return Err(Finding::new(
                    "initContainers must all have container name",
                    at(&format!("initContainers[{index}]")),
                ));
            }
        }
        let mut locals = HashMap::new();
        if kind.is_pod() {
            locals.insert("pod.name".to_owned(), self.placeholders.next());
            scope.add("pod.name");
        }
        if has(template, "retryStrategy") {
            for key in [
                "retries",
                "lastRetry.exitCode",
                "lastRetry.status",
                "lastRetry.duration",
                "lastRetry.message",
            ] {
                locals.insert(key.to_owned(), self.placeholders.next());
                scope.add(key);
            }
        }
        if kind.is_leaf() {
            let outputs = object(template, "outputs");
            for artifact in array(outputs, "artifacts") {
                if !str(artifact, "path").is_empty() {
                    scope.add(format!("outputs.artifacts.{}.path", str(artifact, "name")));
                }
            }
            for param in array(outputs, "parameters") {
                if field(param, "valueFrom").is_some_and(|from| !str(from, "path").is_empty()) {
                    scope.add(format!("outputs.parameters.{}.path", str(param, "name")));
                }
            }
        }
        let processed = process_args(
            template,
            args,
            &self.globals,
            &locals,
            &mut self.placeholders,
        )
        .map_err(|problem| {
            let loc = args
                .call_site()
                .cloned()
                .unwrap_or_else(|| resolved.loc(&problem.at));
            Finding::new(format!("templates.{name} {}", problem.message), loc)
        })?;
        let processed_kind = TemplateKind::of(&processed);
        if !array(template, "resourceClaims").is_empty() && !processed_kind.is_pod() {
            return Err(Finding::new(
                format!(
                    "templates.{name}.resourceClaims is not supported for {} templates, which do not create a pod",
                    processed_kind.name()
                ),
                at("resourceClaims"),
            ));
        }
        let timeout = string(&processed, "timeout");
        if !timeout.is_empty() {
            if !processed_kind.is_leaf() {
                return Err(Finding::new(
                    format!(
                        "{} template doesn't support timeout field",
                        processed_kind.name()
                    ),
                    at("timeout"),
                ));
            }
            if timeout.parse::<i64>().is_ok() {
                return Err(Finding::new(
                    format!("{name} has invalid duration format in timeout"),
                    at("timeout"),
                ));
            }
        }
        if !string(&processed, "pendingTimeout").is_empty() && !processed_kind.is_leaf() {
            return Err(Finding::new(
                format!(
                    "{} template doesn't support pendingTimeout field",
                    processed_kind.name()
                ),
                at("pendingTimeout"),
            ));
        }
        if !self
            .checked
            .insert(format!("{}{name}", resolved.base.scope_id))
        {
            return Ok(());
        }
        scope.add_globals(&self.globals);
        match processed_kind {
            TemplateKind::Steps => self.validate_steps(&mut scope, resolved, &processed)?,
            TemplateKind::Dag => self.validate_dag(&mut scope, resolved, &processed)?,
            _ => self.validate_leaf(&scope, resolved, &processed)?,
        }
        self.validate_outputs(&scope, resolved, &processed)?;
        if let Some(archive) = field(&processed, "archiveLocation")
            && let Some((message, relative)) =
                location_problem(&format!("templates.{name}.archiveLocation"), archive)
        {
            return Err(Finding::new(message, at("archiveLocation").join(&relative)));
        }
        crate::metrics::check_metrics(&name, &processed)
            .map_err(|(message, relative)| Finding::new(message, resolved.loc(&relative)))
    }

    /// Argo's `validateInputs`: input names and artifacts; returns the template's own scope.
    fn validate_inputs(
        &self,
        resolved: &Resolved,
        name: &str,
        kind: TemplateKind,
    ) -> Checked<Scope> {
        let inputs = object(&resolved.template, "inputs");
        for list in ["parameters", "artifacts"] {
            let names = array(inputs, list).iter().map(|entry| str(entry, "name"));
            if let Err(problem) = check_list_names(names, NameRule::ParamOrArtifact) {
                let mut relative = Loc::parse("inputs").key(list).index(problem.index);
                if problem.on_name {
                    relative = relative.key("name");
                }
                return Err(Finding::new(
                    format!("templates.{name}.inputs.{list}{}", problem.message),
                    resolved.loc(&relative),
                ));
            }
        }
        let mut scope = Scope::default();
        let params = array(inputs, "parameters");
        for param in params {
            scope.add(format!("inputs.parameters.{}", str(param, "name")));
        }
        if !params.is_empty() {
            scope.add("inputs.parameters");
        }
        for (index, artifact) in array(inputs, "artifacts").iter().enumerate() {
            let art_ref = format!("inputs.artifacts.{}", str(artifact, "name"));
            let relative = Loc::parse("inputs.artifacts").index(index);
            scope.add(art_ref.clone());
            if kind.is_leaf() {
                if let Some(problem) = path_problem(artifact) {
                    return Err(Finding::new(
                        format!("error in templates.{name}.{art_ref}: {problem}"),
                        resolved.loc(&relative.key("path")),
                    ));
                }
                scope.add(format!("{art_ref}.path"));
            } else if !str(artifact, "path").is_empty() {
                return Err(Finding::new(
                    format!(
                        "templates.{name}.{art_ref}.path only valid in container/script templates"
                    ),
                    resolved.loc(&relative.key("path")),
                ));
            }
            if !str(artifact, "from").is_empty() {
                return Err(Finding::new(
                    format!("templates.{name}.{art_ref}.from not valid in inputs"),
                    resolved.loc(&relative.key("from")),
                ));
            }
            if let Some((message, inner)) =
                location_problem(&format!("templates.{name}.{art_ref}"), artifact)
            {
                return Err(Finding::new(message, resolved.loc(&relative.join(&inner))));
            }
        }
        Ok(scope)
    }
}
