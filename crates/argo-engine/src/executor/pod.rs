//! Container, script and container-set templates: create the Pod node once and ask for its pod with a
//! CreatePod effect (rendered by `pod_spec`). Later phases come from pod observations
//! (`pod_assessment`).
//!
//! Invariant: a pod is requested when its node is created, and again only when
//! [`crate::Observed::pods_listed`] says the pods observed are complete and a still Pending node's pod
//! is not among them (its creation was lost, as when a controller dies after recording the node
//! but before creating the pod). A reconcile on a partial view never asks for a pod twice.
//! Must not: assess pods or read outputs.

use argo_core::{NodePhase, NodeStatus, NodeType, ShutdownStrategy};

use crate::effect::Effect;
use crate::error::Result;
use crate::operation::{ExecuteOpts, Operation, TemplateCall};
use crate::shared_template::SharedTemplate;

impl<'a> Operation<'a> {
    pub(super) fn execute_pod(
        &mut self,
        node_name: &str,
        template_scope: &str,
        template: &SharedTemplate<'a>,
        call: &TemplateCall,
        opts: &ExecuteOpts,
        existing: Option<NodeStatus>,
    ) -> Result<()> {
        let blocked = match &self.spec.shutdown {
            Some(ShutdownStrategy::Terminate) => true,
            Some(ShutdownStrategy::Stop) => !opts.on_exit_template,
            _ => false,
        };
        if let Some(node) = existing {
            if !blocked && self.pod_was_lost(&node, template) {
                self.request_pod(&node, template, opts)?;
            }
            return Ok(());
        }
        let node = self.init_executable_node(
            node_name,
            NodeType::Pod,
            template_scope,
            template,
            call,
            opts,
            NodePhase::Pending,
        );
        if blocked {
            let strategy = self
                .spec
                .shutdown
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            self.mark_phase(
                node_name,
                NodePhase::Failed,
                Some(&format!("workflow shutdown with strategy: {strategy}")),
            );
            return Ok(());
        }
        self.request_pod(&node, template, opts)?;
        // Look again when the template's (substituted) timeout passes, so a running pod is
        // stopped then rather than when it happens to report next.
        if !template.timeout.is_empty()
            && let Ok(limit) = crate::duration::parse_duration(&template.timeout)
            && let Ok(deadline) = self.now.checked_add(limit)
        {
            self.requeue_at(deadline);
        }
        if let Some(set) = &template.container_set {
            self.add_container_nodes(node_name, template_scope, set);
        }
        Ok(())
    }

    /// Asks for `node`'s pod.
    fn request_pod(
        &mut self,
        node: &NodeStatus,
        template: &SharedTemplate<'a>,
        opts: &ExecuteOpts,
    ) -> Result<()> {
        let include_script_output = self.include_script_output(&node.name, &opts.boundary_id);
        let pod = self.pod_request(node, template, include_script_output, opts.on_exit_template)?;
        self.effects.push(Effect::CreatePod {
            node_id: node.id.clone(),
            pod,
        });
        self.active_pods += 1;
        self.pods_requested += 1;
        Ok(())
    }

    /// Whether `node` is still Pending while a complete listing of the workflow's pods
    /// ([`crate::Observed::pods_listed`]) has no pod for it, neither live nor deleted: the pod asked
    /// for when the node was created never came to be.
    fn pod_was_lost(&self, node: &NodeStatus, template: &SharedTemplate<'a>) -> bool {
        if !self.observed.pods_listed || node.phase != NodePhase::Pending {
            return false;
        }
        let pod_name = crate::node_id::pod_name(&self.name, &node.name, &template.name);
        !self.observed.pods.contains_key(&pod_name)
            && !self.observed.deleted_pods.contains(&pod_name)
    }

    /// Whether the parent steps/DAG template references this step's `outputs.result`, so the
    /// executor must capture stdout (Argo's `includeScriptOutput`). The referenced names are
    /// computed once per boundary and reconcile.
    pub(crate) fn include_script_output(&mut self, node_name: &str, boundary_id: &str) -> bool {
        if boundary_id.is_empty() {
            return false;
        }
        let names = match self.result_references.get(boundary_id) {
            Some(names) => names.clone(),
            None => {
                let Some(parent) = self.boundary_resolved(boundary_id) else {
                    return false;
                };
                // No string mentions `.outputs.result`: its JSON does not either.
                if !parent.marks.mentions_result {
                    return false;
                }
                let parent = parent.template;
                let prefix = if parent.dag.is_some() {
                    "tasks"
                } else if parent.steps.is_some() {
                    "steps"
                } else {
                    ""
                };
                let json = serde_json::to_string(&*parent).unwrap_or_default();
                let names = std::rc::Rc::new(result_referenced_names(&json, prefix));
                self.result_references
                    .insert(boundary_id.to_owned(), names.clone());
                names
            }
        };
        names.contains(step_or_task_name(node_name))
    }
}

/// Names `n` for which `<prefix>.n.outputs.result` or `<prefix>['n'].outputs.result` (also with
/// double quotes, JSON-escaped) occurs in `json`.
pub(crate) fn result_referenced_names(
    json: &str,
    prefix: &str,
) -> std::collections::HashSet<String> {
    const SUFFIX: &str = ".outputs.result";
    let mut names = std::collections::HashSet::new();
    for (index, _) in json.match_indices(SUFFIX) {
        let before = &json[..index];
        if let Some(inner) = before.strip_suffix(']') {
            let Some(open) = inner.rfind('[') else {
                continue;
            };
            let name = inner[open + 1..].trim_matches(|c| c == '\\' || c == '\'' || c == '"');
            if inner[..open].ends_with(prefix) {
                names.insert(name.to_owned());
            }
            continue;
        }
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &before[start..];
        if before[..start].ends_with(&format!("{prefix}.")) && !name.is_empty() {
            names.insert(name.to_owned());
        }
    }
    names
}

/// The step or task name in a node name, without loop, retry and group suffixes
/// (`wf[0].fan(0:1)(0)` -> `fan`), as Argo's `getStepOrDAGTaskName` computes it.
pub(crate) fn step_or_task_name(node_name: &str) -> &str {
    let bytes = node_name.as_bytes();
    let mut opener: Option<u8> = None;
    let mut end = bytes.len();
    for i in (0..bytes.len()).rev() {
        let c = bytes[i];
        match opener {
            Some(o) if c == o => opener = None,
            Some(_) => {}
            None if c == b')' => opener = Some(b'('),
            None if c == b']' => opener = Some(b'['),
            None => {
                end = i + 1;
                break;
            }
        }
        if i == 0 {
            end = 0;
        }
    }
    let trimmed = &node_name[..end];
    match trimmed.rfind('.') {
        Some(dot) => &trimmed[dot + 1..],
        None => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_references_are_found_in_tags_and_expressions() {
        let json = r#"{"a":"{{tasks.gen.outputs.result}}","b":"{{=tasks['other-one'].outputs.result}}","c":"tasks[\"q\"].outputs.result","d":"steps.x.outputs.result"}"#;
        let names = result_referenced_names(json, "tasks");
        assert!(names.contains("gen"));
        assert!(names.contains("other-one"));
        assert!(names.contains("q"));
        assert!(!names.contains("x"));
    }

    #[test]
    fn step_names_drop_loop_retry_and_group_suffixes() {
        assert_eq!(step_or_task_name("wf[0].fanout1(0:1)(0)"), "fanout1");
        assert_eq!(step_or_task_name("wf.task"), "task");
        assert_eq!(step_or_task_name("wf"), "wf");
        assert_eq!(step_or_task_name("wf[1].a(0:x.y)"), "a");
    }
}
