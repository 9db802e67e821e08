//! Variable scopes: which `{{...}}` references a template may use. Mirrors Argo's validator:
//! global variables (workflow name, parameters, labels...), per-template variables (inputs,
//! pod name, retries), node references added as steps and tasks are walked, and loop items.
//! References under the prefixes `item.`, `steps.`, `inputs.`, `outputs.`, `pod.`, `workflow.`
//! and `tasks.` must resolve; anything else is the user's own text and passes.
//!
//! Must not: substitute values; substitution lives in `arguments.rs`.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::location::Loc;
use crate::manifest::{array, field, flag, str};
use crate::names::is_parameter;
use crate::tags::{is_expression, tags_of, visit_strings};
use crate::template_kind::{TemplateKind, has_output};

/// Prefix of the stand-in values given to variables whose value is unknown until run time.
pub const PLACEHOLDER_PREFIX: &str = "__argo__internal__placeholder-";

const CHECKED_PREFIXES: [&str; 7] = [
    "item.",
    "steps.",
    "inputs.",
    "outputs.",
    "pod.",
    "workflow.",
    "tasks.",
];
const ANY_ITEM: &str = "item.*";
const ANY_WORKFLOW_OUTPUT_PARAMETER: &str = "workflow.outputs.parameters.*";
const ANY_WORKFLOW_OUTPUT_ARTIFACT: &str = "workflow.outputs.artifacts.*";

/// Hands out distinct placeholder values.
#[derive(Debug, Default)]
pub struct Placeholders {
    next: usize,
}

impl Placeholders {
    /// A fresh placeholder.
    pub fn next(&mut self) -> String {
        self.next += 1;
        format!("{PLACEHOLDER_PREFIX}{}", self.next)
    }
}

/// Whether a value is a validation placeholder.
pub fn is_placeholder(text: &str) -> bool {
    text.starts_with(PLACEHOLDER_PREFIX)
}

/// Global variables and their (possibly placeholder) values.
pub type Globals = HashMap<String, String>;

/// The names visible to one template or step.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    names: HashSet<String>,
    /// Names added since [`Scope::begin_layer`], taken out again by [`Scope::end_layer`].
    layer: Option<Vec<String>>,
}

impl Scope {
    /// Makes `name` resolvable.
    pub fn add(&mut self, name: impl Into<String>) {
        let name = name.into();
        if self.names.contains(&name) {
            return;
        }
        if let Some(layer) = &mut self.layer {
            layer.push(name.clone());
        }
        self.names.insert(name);
    }

    /// Starts a layer of names that [`Scope::end_layer`] removes: what one task adds for
    /// itself (its ancestors' outputs, its loop items) without copying the template's scope,
    /// which grows with every task.
    pub fn begin_layer(&mut self) {
        self.layer = Some(Vec::new());
    }

    /// Removes the names added since [`Scope::begin_layer`].
    pub fn end_layer(&mut self) {
        for name in self.layer.take().unwrap_or_default() {
            self.names.remove(&name);
        }
    }

    /// Whether `name` resolves.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Adds every global variable.
    pub fn add_globals(&mut self, globals: &Globals) {
        self.names.extend(globals.keys().cloned());
    }
}

/// An unresolvable reference: Argo's message and where the string holding it is.
#[derive(Debug, Clone)]
pub struct Unresolved {
    /// `failed to resolve {{tag}}` or an unclosed-tag message.
    pub message: String,
    /// Location of the string, relative to the value checked.
    pub at: Loc,
}

/// Checks that every checked reference in `value` resolves in `scope` or `globals`.
pub fn resolve_all(
    scope: &Scope,
    globals: &Globals,
    value: &Value,
    template_validation: bool,
) -> Result<(), Unresolved> {
    let mut failure = None;
    visit_strings(value, &Loc::root(), &mut |text, at| match check_text(
        scope,
        globals,
        text,
        template_validation,
    ) {
        Ok(()) => true,
        Err(message) => {
            failure = Some(Unresolved {
                message,
                at: at.clone(),
            });
            false
        }
    });
    failure.map_or(Ok(()), Err)
}

/// Checks the references in one string.
pub fn check_text(
    scope: &Scope,
    globals: &Globals,
    text: &str,
    template_validation: bool,
) -> Result<(), String> {
    let tags = tags_of(text).map_err(|unclosed| unclosed.message(text))?;
    for tag in tags {
        if is_expression(tag) {
            continue;
        }
        let trimmed = tag.trim();
        if !CHECKED_PREFIXES.iter().any(|p| trimmed.starts_with(p)) {
            continue;
        }
        if scope.contains(trimmed) || globals.contains_key(trimmed) {
            continue;
        }
        if is_tolerated(scope, trimmed, template_validation) {
            continue;
        }
        return Err(format!("failed to resolve {{{{{tag}}}}}"));
    }
    Ok(())
}

/// References Argo lets through even though they are not in scope.
fn is_tolerated(scope: &Scope, tag: &str, template_validation: bool) -> bool {
    let any_item = scope.contains(ANY_ITEM);
    ((tag == "item" || tag.starts_with("item.")) && any_item)
        || (tag.starts_with("workflow.outputs.parameters.")
            && scope.contains(ANY_WORKFLOW_OUTPUT_PARAMETER))
        || (tag.starts_with("workflow.outputs.artifacts.")
            && scope.contains(ANY_WORKFLOW_OUTPUT_ARTIFACT))
        || tag.starts_with("outputs.")
        || tag.starts_with("workflow.creationTimestamp")
        || tag.starts_with("workflow.scheduledTime")
        || tag.starts_with("workflow.duration")
        || tag.starts_with("tasks.name")
        || tag.starts_with("steps.name")
        || tag.starts_with("node.name")
        || (tag.starts_with("workflow.parameters") && template_validation)
}

/// Marks workflow output artifacts with run-time names as resolvable.
pub fn allow_any_workflow_output_artifact(globals: &mut Globals) {
    globals.insert(ANY_WORKFLOW_OUTPUT_ARTIFACT.to_owned(), "true".to_owned());
}

/// A loop that cannot run: Argo's message and the holder field it is about (none: the holder).
pub type LoopProblem = (String, Option<&'static str>);

/// Adds the `item` variables of a loop; errors when more than one loop kind is set.
pub fn add_items(holder: &Value, scope: &mut Scope) -> Result<(), LoopProblem> {
    let items = array(holder, "withItems");
    let param = str(holder, "withParam");
    let sequence = field(holder, "withSequence");
    let defined = usize::from(!items.is_empty())
        + usize::from(!param.is_empty())
        + usize::from(sequence.is_some());
    if defined > 1 {
        return Err((
            "only one of withItems, withParam, withSequence can be specified".to_owned(),
            None,
        ));
    }
    if !items.is_empty() {
        for item in items {
            match item {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => scope.add("item"),
                Value::Array(list) => {
                    for i in 0..list.len() {
                        scope.add(format!("item.[{i}]"));
                    }
                }
                Value::Object(map) => {
                    for key in map.keys() {
                        scope.add(format!("item.{key}"));
                    }
                }
                Value::Null => {
                    return Err((
                        "unsupported withItems type: null".to_owned(),
                        Some("withItems"),
                    ));
                }
            }
        }
    } else if !param.is_empty() {
        scope.add("item");
        scope.add(ANY_ITEM);
    } else if let Some(sequence) = sequence {
        if field(sequence, "count").is_some() && field(sequence, "end").is_some() {
            return Err((
                "only one of count or end can be defined in withSequence".to_owned(),
                Some("withSequence"),
            ));
        }
        scope.add("item");
    }
    Ok(())
}

/// How a node's outputs are added to a scope.
#[derive(Debug, Clone, Copy)]
pub struct NodeOutputs<'a> {
    /// `steps` or `tasks`.
    pub prefix: &'a str,
    /// The step or task name.
    pub name: &'a str,
    /// Whether the node loops, so its outputs are aggregated.
    pub aggregate: bool,
    /// Whether the node is an ancestor of the one being checked (its status is known).
    pub ancestor: bool,
}

/// Adds the references a finished step or task offers (`steps.x.outputs.result`...). Output
/// parameters and artifacts with a `globalName` also become workflow outputs.
pub fn add_node_outputs(
    template: Option<&Value>,
    node: NodeOutputs<'_>,
    scope: &mut Scope,
    globals: &mut Globals,
    placeholders: &mut Placeholders,
) {
    let base = format!("{}.{}", node.prefix, node.name);
    for suffix in ["id", "startedAt", "finishedAt", "hostNodeName"] {
        scope.add(format!("{base}.{suffix}"));
    }
    let Some(template) = template else { return };
    if flag(template, "daemon") {
        scope.add(format!("{base}.ip"));
    }
    if has_output(template) {
        scope.add(format!("{base}.outputs.result"));
        scope.add(format!("{base}.exitCode"));
    }
    let outputs = crate::manifest::object(template, "outputs");
    for (kind, any) in [
        ("parameters", ANY_WORKFLOW_OUTPUT_PARAMETER),
        ("artifacts", ANY_WORKFLOW_OUTPUT_ARTIFACT),
    ] {
        for output in array(outputs, kind) {
            scope.add(format!("{base}.outputs.{kind}.{}", str(output, "name")));
            let global_name = str(output, "globalName");
            if global_name.is_empty() {
                continue;
            }
            if is_parameter(global_name) {
                scope.add(any);
            } else {
                let global = format!("workflow.outputs.{kind}.{global_name}");
                scope.add(global.clone());
                globals.insert(global, placeholders.next());
            }
        }
    }
    if node.aggregate {
        if matches!(
            TemplateKind::of(template),
            TemplateKind::Script | TemplateKind::ContainerSet
        ) {
            scope.add(format!("{base}.outputs.result"));
            scope.add(format!("{base}.exitCode"));
        }
        scope.add(format!("{base}.outputs.parameters"));
    }
    if node.ancestor {
        scope.add(format!("{base}.status"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unchecked_prefixes_pass_and_checked_ones_must_resolve() {
        let scope = Scope::default();
        let globals = Globals::new();
        assert!(check_text(&scope, &globals, "{{mine.value}} {{=inputs.x}}", false).is_ok());
        assert_eq!(
            check_text(&scope, &globals, "{{inputs.parameters.x}}", false),
            Err("failed to resolve {{inputs.parameters.x}}".to_owned())
        );
    }

    #[test]
    fn with_param_allows_any_item_key() {
        let mut scope = Scope::default();
        add_items(&json!({"withParam": "{{x}}"}), &mut scope).expect("one loop");
        assert!(check_text(&scope, &Globals::new(), "{{item.anything}}", false).is_ok());
    }

    #[test]
    fn two_loop_kinds_are_rejected() {
        let mut scope = Scope::default();
        let holder = json!({"withItems": [1], "withParam": "x"});
        assert!(add_items(&holder, &mut scope).is_err());
    }

    #[test]
    fn a_layer_takes_out_only_the_names_it_added() {
        let mut scope = Scope::default();
        scope.add("tasks.a.status");
        scope.begin_layer();
        scope.add("tasks.a.status");
        scope.add("tasks.b.status");
        assert!(scope.contains("tasks.b.status"));
        scope.end_layer();
        assert!(scope.contains("tasks.a.status"), "there before the layer");
        assert!(!scope.contains("tasks.b.status"), "added in the layer");
        scope.add("tasks.c.status");
        assert!(scope.contains("tasks.c.status"), "no layer open: kept");
    }
}
