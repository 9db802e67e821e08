//! What a retry leaves behind for the controller: the pods of the nodes it reset and those
//! nodes' task results, carried by the retried workflow itself in one annotation. Reset nodes
//! keep their ids and pod names, so until these are gone the controller would observe the old
//! finished pod (and its outputs) and fail the node again at once. Recording them on the
//! workflow works the same whether the API and the controller share a process or only the
//! store: whoever stores the retried workflow stores the record with it, and the controller
//! removes the leftovers before it reconciles, then drops the record in a precondition-guarded
//! write.
//!
//! Must not: delete anything (it is data), or decide which nodes a retry resets (`retry` does).

use std::collections::BTreeSet;

use argo_core::Workflow;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The annotation holding a workflow's [`RetryLeftovers`] as JSON.
pub const ANNOTATION_RETRY_LEFTOVERS: &str = "workflows.argoproj.io/retry-leftovers";

/// Pods and task results of reset nodes, still to be deleted before the workflow is
/// reconciled again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryLeftovers {
    /// Pod names, in the workflow's namespace.
    #[serde(default)]
    pub pods: BTreeSet<String>,
    /// Node ids whose WorkflowTaskResults (named by node id) must go.
    #[serde(default)]
    pub task_results: BTreeSet<String>,
}

impl RetryLeftovers {
    /// True when there is nothing to delete.
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty() && self.task_results.is_empty()
    }

    /// The leftovers `workflow` records; `None` without the annotation. Malformed JSON is an
    /// error naming the annotation.
    pub fn of(workflow: &Workflow) -> Result<Option<Self>> {
        let Some(text) = workflow
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANNOTATION_RETRY_LEFTOVERS))
        else {
            return Ok(None);
        };
        serde_json::from_str(text).map(Some).map_err(|error| {
            Error::msg(format!(
                "metadata.annotations[{ANNOTATION_RETRY_LEFTOVERS}]: invalid JSON: {error}"
            ))
        })
    }

    /// Adds these leftovers to those `workflow` already records (a retry of a retry whose
    /// leftovers the controller has not removed yet keeps both). An unreadable record is
    /// replaced: it could not be acted on anyway.
    pub fn record_on(&self, workflow: &mut Workflow) {
        if self.is_empty() {
            return;
        }
        let mut merged = Self::of(workflow).ok().flatten().unwrap_or_default();
        merged.pods.extend(self.pods.iter().cloned());
        merged
            .task_results
            .extend(self.task_results.iter().cloned());
        let text = serde_json::to_string(&merged).expect("sets of strings serialize");
        workflow
            .metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(ANNOTATION_RETRY_LEFTOVERS.to_owned(), text);
    }

    /// Drops the record from `workflow` (once the leftovers are gone).
    pub fn clear_from(workflow: &mut Workflow) {
        if let Some(annotations) = workflow.metadata.annotations.as_mut() {
            annotations.remove(ANNOTATION_RETRY_LEFTOVERS);
            if annotations.is_empty() {
                workflow.metadata.annotations = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(pods: &[&str], nodes: &[&str]) -> RetryLeftovers {
        RetryLeftovers {
            pods: pods.iter().map(|p| (*p).to_owned()).collect(),
            task_results: nodes.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    #[test]
    fn recorded_leftovers_read_back_and_merge_with_earlier_ones() {
        let mut wf = Workflow::test().name("wf").build();
        assert_eq!(RetryLeftovers::of(&wf).expect("no annotation"), None);
        leftovers(&["wf-a-1"], &["wf-1"]).record_on(&mut wf);
        leftovers(&["wf-b-2"], &[]).record_on(&mut wf);
        let read = RetryLeftovers::of(&wf).expect("valid").expect("recorded");
        assert_eq!(read, leftovers(&["wf-a-1", "wf-b-2"], &["wf-1"]));
        RetryLeftovers::clear_from(&mut wf);
        assert_eq!(RetryLeftovers::of(&wf).expect("cleared"), None);
        assert!(wf.metadata.annotations.is_none());
    }

    #[test]
    fn nothing_to_record_leaves_the_workflow_untouched() {
        let mut wf = Workflow::test().name("wf").build();
        let before = wf.clone();
        RetryLeftovers::default().record_on(&mut wf);
        assert_eq!(wf, before);
    }

    #[test]
    fn a_malformed_record_is_an_error_naming_the_annotation() {
        let mut wf = Workflow::test().name("wf").build();
        wf.metadata.annotations = Some(
            [(ANNOTATION_RETRY_LEFTOVERS.to_owned(), "{pods".to_owned())]
                .into_iter()
                .collect(),
        );
        let error = RetryLeftovers::of(&wf).expect_err("malformed");
        assert!(
            error.to_string().contains(ANNOTATION_RETRY_LEFTOVERS),
            "{error}"
        );
    }
}
