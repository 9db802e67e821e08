//! Well-known label and annotation keys Argo puts on workflows, pods, task results and
//! ConfigMaps, so every crate spells them the same way.
//!
//! Must not: contain logic; only names.

/// Prefix of workflow-scoped keys.
pub const WORKFLOWS_PREFIX: &str = "workflows.argoproj.io";

// Labels on workflows and related objects.
pub const LABEL_PHASE: &str = "workflows.argoproj.io/phase";
pub const LABEL_COMPLETED: &str = "workflows.argoproj.io/completed";
pub const LABEL_WORKFLOW: &str = "workflows.argoproj.io/workflow";
pub const LABEL_WORKFLOW_ARCHIVING_STATUS: &str = "workflows.argoproj.io/workflow-archiving-status";
pub const LABEL_CONTROLLER_INSTANCE_ID: &str = "workflows.argoproj.io/controller-instanceid";
pub const LABEL_CREATOR: &str = "workflows.argoproj.io/creator";
pub const LABEL_CREATOR_EMAIL: &str = "workflows.argoproj.io/creator-email";
pub const LABEL_CREATOR_PREFERRED_USERNAME: &str =
    "workflows.argoproj.io/creator-preferred-username";
pub const LABEL_ACTOR: &str = "workflows.argoproj.io/actor";
pub const LABEL_ACTOR_EMAIL: &str = "workflows.argoproj.io/actor-email";
pub const LABEL_ACTOR_PREFERRED_USERNAME: &str = "workflows.argoproj.io/actor-preferred-username";
pub const LABEL_ACTION: &str = "workflows.argoproj.io/action";
pub const LABEL_COMPONENT: &str = "workflows.argoproj.io/component";
pub const LABEL_RESUBMITTED_FROM: &str = "workflows.argoproj.io/resubmitted-from-workflow";
pub const LABEL_CRON_WORKFLOW: &str = "workflows.argoproj.io/cron-workflow";
pub const LABEL_WORKFLOW_TEMPLATE: &str = "workflows.argoproj.io/workflow-template";
pub const LABEL_CLUSTER_WORKFLOW_TEMPLATE: &str = "workflows.argoproj.io/cluster-workflow-template";
pub const LABEL_WORKFLOW_EVENT_BINDING: &str = "workflows.argoproj.io/workflow-event-binding";
pub const LABEL_ON_EXIT: &str = "workflows.argoproj.io/on-exit";
pub const LABEL_ARTIFACT_GC_POD: &str = "workflows.argoproj.io/artifact-gc-pod";
pub const LABEL_REPORT_OUTPUTS_COMPLETED: &str = "workflows.argoproj.io/report-outputs-completed";
pub const LABEL_CRON_WORKFLOW_COMPLETED: &str = "cronworkflows.argoproj.io/completed";
pub const LABEL_BACKFILL: &str = "workflows.argoproj.io/backfill";
pub const LABEL_CONFIG_MAP_TYPE: &str = "workflows.argoproj.io/configmap-type";

// Annotations.
pub const ANNOTATION_NODE_ID: &str = "workflows.argoproj.io/node-id";
pub const ANNOTATION_NODE_NAME: &str = "workflows.argoproj.io/node-name";
pub const ANNOTATION_NODE_TYPE: &str = "workflows.argoproj.io/node-type";
pub const ANNOTATION_NODE_START_TIME: &str = "workflows.argoproj.io/node-start-time";
pub const ANNOTATION_WORKFLOW_NAME: &str = "workflows.argoproj.io/workflow-name";
pub const ANNOTATION_WORKFLOW_UID: &str = "workflows.argoproj.io/workflow-uid";
pub const ANNOTATION_POD_NAME_FORMAT: &str = "workflows.argoproj.io/pod-name-format";
pub const ANNOTATION_PROGRESS: &str = "workflows.argoproj.io/progress";
pub const ANNOTATION_SCHEDULED_TIME: &str = "workflows.argoproj.io/scheduled-time";
pub const ANNOTATION_ARTIFACT_GC_STRATEGY: &str = "workflows.argoproj.io/artifact-gc-strategy";
pub const ANNOTATION_POD_GC_STRATEGY: &str = "workflows.argoproj.io/pod-gc-strategy";
pub const ANNOTATION_SERVICE_ACCOUNT_TOKEN_NAME: &str =
    "workflows.argoproj.io/service-account-token.name";
pub const ANNOTATION_RBAC_RULE: &str = "workflows.argoproj.io/rbac-rule";
pub const ANNOTATION_RBAC_RULE_PRECEDENCE: &str = "workflows.argoproj.io/rbac-rule-precedence";
pub const ANNOTATION_TRACE_ID: &str = "workflows.argoproj.io/trace-id";
pub const ANNOTATION_SPAN_ID: &str = "workflows.argoproj.io/span-id";
/// On a template's `annotations`: the display name of its nodes.
pub const ANNOTATION_DISPLAY_NAME: &str = "workflows.argoproj.io/display-name";
/// The last schedule a CronWorkflow was evaluated with.
pub const ANNOTATION_CRON_LAST_USED_SCHEDULE: &str = "cronworkflows.argoproj.io/last-used-schedule";
pub const ANNOTATION_DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";
