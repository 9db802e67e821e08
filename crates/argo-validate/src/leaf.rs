//! Checks on templates that do work themselves (container, script, resource, container set,
//! data, HTTP, plugin — and suspend, which Argo checks the same way): every reference resolves,
//! mounts do not collide, images are set, resource actions and manifests are sane, deadlines
//! are positive and `parallelism` is not used.
//!
//! Must not: look at steps or DAG bodies.

use std::collections::HashMap;

use serde_json::Value;

use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, object, str};
use crate::names::{NameRule, check_list_names};
use crate::scope::{Scope, is_placeholder, resolve_all};
use crate::validator::{BaseKind, Resolved, Validator};

/// Container names the executor reserves for itself.
fn is_reserved_container(name: &str) -> bool {
    name == "wait" || name == "supervisor" || name.starts_with("artifact-plugin-")
}

impl Validator<'_> {
    /// Argo's `validateLeaf` over the processed template.
    pub fn validate_leaf(&self, scope: &Scope, resolved: &Resolved, template: &Value) -> Checked {
        let name = str(template, "name");
        let at = |relative: &str| resolved.loc(&Loc::parse(relative));
        resolve_all(
            scope,
            &self.globals,
            template,
            self.mode.template_validation,
        )
        .map_err(|u| {
            Finding::new(
                format!("templates.{name}: {}", u.message),
                resolved.loc(&u.at),
            )
        })?;
        if let Some(container) = field(template, "container") {
            let mut mounts: HashMap<&str, String> = HashMap::new();
            for (index, mount) in array(container, "volumeMounts").iter().enumerate() {
                let path = str(mount, "mountPath");
                if let Some(previous) = mounts.get(path) {
                    return Err(Finding::new(
                        format!(
                            "templates.{name}.container.volumeMounts[{index}].mountPath '{path}' already mounted in {previous}"
                        ),
                        at(&format!("container.volumeMounts[{index}].mountPath")),
                    ));
                }
                mounts.insert(
                    path,
                    format!("container.volumeMounts.{}", str(mount, "name")),
                );
            }
            for (index, artifact) in array(object(template, "inputs"), "artifacts")
                .iter()
                .enumerate()
            {
                let path = str(artifact, "path");
                if let Some(previous) = mounts.get(path) {
                    return Err(Finding::new(
                        format!(
                            "templates.{name}.inputs.artifacts[{index}].path '{path}' already mounted in {previous}"
                        ),
                        at(&format!("inputs.artifacts[{index}].path")),
                    ));
                }
                mounts.insert(path, format!("inputs.artifacts.{}", str(artifact, "name")));
            }
            if str(container, "image").is_empty() && !has_default_image(resolved, "container") {
                return Err(Finding::new(
                    format!("templates.{name}.container.image may not be empty"),
                    at("container.image"),
                ));
            }
        }
        if let Some(set) = field(template, "containerSet") {
            check_container_set(set).map_err(|(message, relative)| {
                Finding::new(
                    format!("templates.{name}.containerSet.{message}"),
                    at("containerSet").join(&relative),
                )
            })?;
            let outputs = object(template, "outputs");
            let needs_main = !array(object(template, "inputs"), "artifacts").is_empty()
                || !array(outputs, "parameters").is_empty()
                || !array(outputs, "artifacts").is_empty();
            let containers = array(set, "containers");
            if needs_main && !containers.iter().any(|c| str(c, "name") == "main") {
                return Err(Finding::new(
                    format!(
                        "templates.{name}.containerSet.containers must have a container named \"main\" for input or output"
                    ),
                    at("containerSet.containers"),
                ));
            }
            for (index, container) in containers.iter().enumerate() {
                let container_name = str(container, "name");
                if is_reserved_container(container_name) {
                    return Err(Finding::new(
                        format!(
                            "templates.{name}.containerSet.containers: {container_name:?} is a reserved Argo container name"
                        ),
                        at(&format!("containerSet.containers[{index}].name")),
                    ));
                }
            }
        }
        for (index, sidecar) in array(template, "sidecars").iter().enumerate() {
            let sidecar_name = str(sidecar, "name");
            if is_reserved_container(sidecar_name) {
                return Err(Finding::new(
                    format!(
                        "templates.{name}.sidecars: {sidecar_name:?} is a reserved Argo container name"
                    ),
                    at(&format!("sidecars[{index}].name")),
                ));
            }
        }
        if let Some(resource) = field(template, "resource") {
            check_resource(name, template, resource).map_err(|(message, relative)| {
                Finding::new(message, at("resource").join(&relative))
            })?;
        }
        if let Some(script) = field(template, "script")
            && str(script, "image").is_empty()
            && !has_default_image(resolved, "script")
        {
            return Err(Finding::new(
                format!("templates.{name}.script.image may not be empty"),
                at("script.image"),
            ));
        }
        if let Some(deadline) = field(template, "activeDeadlineSeconds") {
            let message = format!(
                "templates.{name}.activeDeadlineSeconds must be a positive integer > 0 or an argo variable"
            );
            let number = match deadline {
                Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
                Value::String(s) => {
                    let looks_like_variable = s.starts_with("{{") && s.ends_with("}}");
                    let parsed = s.parse::<i64>().ok();
                    if parsed.is_none() && !looks_like_variable && !is_placeholder(s) {
                        return Err(Finding::new(message, at("activeDeadlineSeconds")));
                    }
                    parsed
                }
                _ => None,
            };
            if number.is_some_and(|n| n < 0) {
                return Err(Finding::new(message, at("activeDeadlineSeconds")));
            }
        }
        if field(template, "parallelism").is_some() {
            return Err(Finding::new(
                format!("templates.{name}.parallelism is only valid for steps and dag templates"),
                at("parallelism"),
            ));
        }
        Ok(())
    }
}

/// Whether the template's base supplies a default image through `templateDefaults`.
fn has_default_image(resolved: &Resolved, kind: &str) -> bool {
    if resolved.base.kind == BaseKind::ClusterWorkflowTemplate {
        return false;
    }
    let defaults = object(resolved.base.spec(), "templateDefaults");
    !str(object(defaults, kind), "image").is_empty()
}

/// Argo's container-set checks; the message is relative to `containerSet.`.
fn check_container_set(set: &Value) -> Result<(), (String, Loc)> {
    let containers = array(set, "containers");
    if containers.is_empty() {
        return Err((
            "containers must have at least one container".to_owned(),
            Loc::root().key("containers"),
        ));
    }
    let names = containers.iter().map(|c| str(c, "name"));
    if let Err(problem) = check_list_names(names, NameRule::Field) {
        return Err((
            format!("containers{}", problem.message),
            Loc::root().key("containers").index(problem.index),
        ));
    }
    let mut mounts: HashMap<&str, String> = HashMap::new();
    for (index, mount) in array(set, "volumeMounts").iter().enumerate() {
        let path = str(mount, "mountPath");
        if let Some(previous) = mounts.get(path) {
            return Err((
                format!("volumeMounts[{index}].mountPath '{path}' already mounted in {previous}"),
                Loc::root().key("volumeMounts").index(index),
            ));
        }
        mounts.insert(path, format!("volumeMounts.{}", str(mount, "name")));
    }
    let defined: Vec<&str> = containers.iter().map(|c| str(c, "name")).collect();
    for (index, container) in containers.iter().enumerate() {
        for dependency in array(container, "dependencies") {
            let dependency = dependency.as_str().unwrap_or("");
            if !defined.contains(&dependency) {
                return Err((
                    format!(
                        "containers.{} dependency '{dependency}' not defined",
                        str(container, "name")
                    ),
                    Loc::root()
                        .key("containers")
                        .index(index)
                        .key("dependencies"),
                ));
            }
        }
    }
    let graph: Vec<(String, Vec<String>)> = containers
        .iter()
        .map(|c| {
            let deps = array(c, "dependencies")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            (str(c, "name").to_owned(), deps)
        })
        .collect();
    if let Some(cycle) = crate::task_order::find_cycle(&graph) {
        return Err((
            format!("containers dependency cycle detected: {cycle}"),
            Loc::root().key("containers"),
        ));
    }
    Ok(())
}

/// Argo's resource-template checks; locations are relative to `resource`.
fn check_resource(name: &str, template: &Value, resource: &Value) -> Result<(), (String, Loc)> {
    let action = str(resource, "action");
    if !is_placeholder(action)
        && !matches!(
            action,
            "get" | "create" | "apply" | "delete" | "replace" | "patch"
        )
    {
        return Err((
            format!(
                "templates.{name}.resource.action must be one of: get, create, apply, delete, replace, patch"
            ),
            Loc::root().key("action"),
        ));
    }
    if action == "delete" || action == "get" {
        return Ok(());
    }
    let manifest = str(resource, "manifest");
    let manifest_from = field(resource, "manifestFrom");
    if manifest.is_empty() && manifest_from.is_none() {
        return Err((
            format!(
                "either templates.{name}.resource.manifest or templates.{name}.resource.manifestFrom must be specified"
            ),
            Loc::root(),
        ));
    }
    if !manifest.is_empty() && manifest_from.is_some() {
        return Err((
            "shouldn't have both `manifest` and `manifestFrom` specified in `Manifest` for resource template".to_owned(),
            Loc::root().key("manifestFrom"),
        ));
    }
    if let Some(artifact) = manifest_from.and_then(|from| field(from, "artifact")) {
        let wanted = str(artifact, "name");
        let inputs = array(object(template, "inputs"), "artifacts");
        if !inputs.iter().any(|a| str(a, "name") == wanted) {
            return Err((
                format!("artifact {wanted} in `manifestFrom` refer to a non-exist artifact"),
                Loc::parse("manifestFrom.artifact"),
            ));
        }
    }
    if !manifest.is_empty()
        && !is_placeholder(manifest)
        && !is_yaml(&crate::tags::blank_out_expressions(manifest))
    {
        return Err((
            format!("templates.{name}.resource.manifest must be a valid yaml"),
            Loc::root().key("manifest"),
        ));
    }
    Ok(())
}

/// Whether the first YAML document of a text parses.
fn is_yaml(text: &str) -> bool {
    use serde::Deserialize;
    let mut documents = serde_norway::Deserializer::from_str(text);
    match documents.next() {
        Some(document) => serde_json::Value::deserialize(document).is_ok(),
        None => true,
    }
}
