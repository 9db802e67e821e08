//! Phases, node types and conditions: the enums status is written in.
//!
//! Must not: decide transitions (the engine's one exhaustive match does).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::string_enum::string_enum;

string_enum! {
    /// The phase of a workflow. `Unknown` (the empty string) means not yet started.
    #[derive(Default)]
    pub enum WorkflowPhase {
        #[default]
        Unknown => "",
        Pending => "Pending",
        Running => "Running",
        Succeeded => "Succeeded",
        Failed => "Failed",
        Error => "Error",
    }
}

impl WorkflowPhase {
    /// Succeeded, Failed or Error.
    pub fn is_completed(&self) -> bool {
        matches!(
            self,
            WorkflowPhase::Succeeded | WorkflowPhase::Failed | WorkflowPhase::Error
        )
    }

    /// The empty phase.
    pub fn is_unknown(&self) -> bool {
        *self == WorkflowPhase::Unknown
    }
}

string_enum! {
    /// The phase of a node. `Unknown` (the empty string) is Go's zero value, never set on purpose.
    #[derive(Default)]
    pub enum NodePhase {
        #[default]
        Unknown => "",
        Pending => "Pending",
        Running => "Running",
        Succeeded => "Succeeded",
        Skipped => "Skipped",
        Failed => "Failed",
        Error => "Error",
        Omitted => "Omitted",
    }
}

impl NodePhase {
    /// The seven phases Argo sets.
    pub const ALL: [NodePhase; 7] = [
        NodePhase::Pending,
        NodePhase::Running,
        NodePhase::Succeeded,
        NodePhase::Skipped,
        NodePhase::Failed,
        NodePhase::Error,
        NodePhase::Omitted,
    ];

    /// Failed or Error.
    pub fn is_failed_or_error(&self) -> bool {
        matches!(self, NodePhase::Failed | NodePhase::Error)
    }

    /// Ran to an end: Succeeded, Failed or Error (Skipped and Omitted did not run).
    pub fn is_completed(&self) -> bool {
        self.is_failed_or_error() || *self == NodePhase::Succeeded
    }

    /// Done for scheduling purposes: completed (with its task result synced) or skipped/omitted.
    pub fn is_fulfilled(&self, task_result_synced: Option<bool>) -> bool {
        let synced = task_result_synced.unwrap_or(true);
        (self.is_completed() && synced) || matches!(self, NodePhase::Skipped | NodePhase::Omitted)
    }

    /// The empty phase.
    pub fn is_unknown(&self) -> bool {
        *self == NodePhase::Unknown
    }
}

string_enum! {
    /// The kind of a node in the status tree.
    pub enum NodeType {
        Pod => "Pod",
        Container => "Container",
        Steps => "Steps",
        StepGroup => "StepGroup",
        Dag => "DAG",
        TaskGroup => "TaskGroup",
        Retry => "Retry",
        Skipped => "Skipped",
        Suspend => "Suspend",
        Http => "HTTP",
        Plugin => "Plugin",
    }
}

string_enum! {
    /// The type of a workflow (or cron workflow) condition.
    pub enum ConditionType {
        Completed => "Completed",
        PodRunning => "PodRunning",
        SpecWarning => "SpecWarning",
        SpecError => "SpecError",
        MetricsError => "MetricsError",
        ArtifactGCError => "ArtifactGCError",
        SubmissionError => "SubmissionError",
    }
}

string_enum! {
    /// Kubernetes' condition status.
    pub enum ConditionStatus {
        True => "True",
        False => "False",
        Unknown => "Unknown",
    }
}

/// One condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub condition_type: Option<ConditionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ConditionStatus>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_use_exact_go_strings_and_keep_unknown_values() {
        assert_eq!(
            serde_json::to_string(&NodeType::Dag).expect("ser"),
            "\"DAG\""
        );
        assert_eq!(
            serde_json::to_string(&NodeType::Http).expect("ser"),
            "\"HTTP\""
        );
        let phase: NodePhase = serde_json::from_str("\"Omitted\"").expect("de");
        assert_eq!(phase, NodePhase::Omitted);
        let other: NodePhase = serde_json::from_str("\"Paused\"").expect("de");
        assert_eq!(other, NodePhase::Other("Paused".into()));
        assert_eq!(serde_json::to_string(&other).expect("ser"), "\"Paused\"");
        let empty: WorkflowPhase = serde_json::from_str("\"\"").expect("de");
        assert_eq!(empty, WorkflowPhase::Unknown);
    }

    #[test]
    fn fulfilled_phases_follow_go_rules() {
        assert!(NodePhase::Succeeded.is_fulfilled(None));
        assert!(!NodePhase::Succeeded.is_fulfilled(Some(false)));
        assert!(NodePhase::Skipped.is_fulfilled(Some(false)));
        assert!(NodePhase::Omitted.is_fulfilled(None));
        assert!(!NodePhase::Running.is_fulfilled(None));
        assert!(!NodePhase::Skipped.is_completed());
    }
}
