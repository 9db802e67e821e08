//! The `argoproj.io/v1alpha1` resource model: Workflow, WorkflowTemplate, ClusterWorkflowTemplate,
//! CronWorkflow, WorkflowEventBinding, WorkflowTaskSet, WorkflowTaskResult and
//! WorkflowArtifactGCTask, as serde types whose JSON and YAML match Argo's.
//!
//! Must not: perform I/O, read clocks or evaluate expressions (that is `argo-expr`).
