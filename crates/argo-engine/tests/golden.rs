//! Golden tests: every Workflow of host class H or H+ in the shared examples' `EXPECTED.tsv`
//! runs through `argo_engine::reconcile` in the scripted simulation (see `golden/pods.rs`
//! for what each pod prints and exits with) to its expected final phase, and its node tree
//! must match `tests/golden/<example>.json`. `UPDATE_GOLDEN=1` rewrites the golden files;
//! `ARGO_EXAMPLES` points at the examples (the tests skip with a message without them).
//! One test per example, so a known engine gap is one `#[ignore = "reason"]`.
//! `GOLDEN_DEBUG=1` prints what the pod script decided for each pod.

#[path = "golden/pods.rs"]
mod pods;
#[path = "golden/runner.rs"]
mod runner;
#[path = "golden/shell.rs"]
mod shell;

macro_rules! golden {
    ($($name:ident => $file:literal $(, ignore = $reason:literal)?;)*) => {
        $(
            #[test]
            $(#[ignore = $reason])?
            fn $name() {
                runner::check($file);
            }
        )*
        /// Every example with a test above.
        const LISTED: &[&str] = &[$($file),*];
    };
}

golden! {
    archive_location => "archive-location.yaml";
    arguments_parameters_from_configmap => "arguments-parameters-from-configmap.yaml";
    arguments_parameters => "arguments-parameters.yaml";
    artifact_disable_archive => "artifact-disable-archive.yaml";
    artifact_passing_subpath => "artifact-passing-subpath.yaml";
    artifact_path_placeholders => "artifact-path-placeholders.yaml";
    artifact_repository_ref => "artifact-repository-ref.yaml";
    cluster_workflow_template_cluster_wftmpl_dag => "cluster-workflow-template/cluster-wftmpl-dag.yaml";
    cluster_workflow_template_mixed_cluster_namespaced_wftmpl_steps => "cluster-workflow-template/mixed-cluster-namespaced-wftmpl-steps.yaml";
    cluster_workflow_template_workflow_template_ref_with_entrypoint_arg_passing => "cluster-workflow-template/workflow-template-ref-with-entrypoint-arg-passing.yaml";
    cluster_workflow_template_workflow_template_ref => "cluster-workflow-template/workflow-template-ref.yaml";
    coinflip_recursive => "coinflip-recursive.yaml";
    coinflip => "coinflip.yaml";
    conditional_artifacts => "conditional-artifacts.yaml";
    conditional_parameters => "conditional-parameters.yaml";
    conditionals_complex => "conditionals-complex.yaml";
    container_set_template_graph_workflow => "container-set-template/graph-workflow.yaml";
    container_set_template_outputs_result_workflow => "container-set-template/outputs-result-workflow.yaml";
    container_set_template_parallel_workflow => "container-set-template/parallel-workflow.yaml";
    container_set_template_sequence_workflow => "container-set-template/sequence-workflow.yaml";
    container_set_template_workspace_workflow => "container-set-template/workspace-workflow.yaml";
    continue_on_fail => "continue-on-fail.yaml";
    cron_backfill => "cron-backfill.yaml";
    dag_coinflip => "dag-coinflip.yaml";
    dag_conditional_artifacts => "dag-conditional-artifacts.yaml";
    dag_conditional_parameters => "dag-conditional-parameters.yaml";
    dag_continue_on_fail => "dag-continue-on-fail.yaml";
    dag_diamond => "dag-diamond.yaml";
    dag_enhanced_depends => "dag-enhanced-depends.yaml";
    dag_inline_workflow => "dag-inline-workflow.yaml";
    dag_multiroot => "dag-multiroot.yaml";
    dag_nested => "dag-nested.yaml";
    dag_targets => "dag-targets.yaml";
    dag_task_level_timeout => "dag-task-level-timeout.yaml";
    default_pdb_support => "default-pdb-support.yaml";
    exit_code_output_variable => "exit-code-output-variable.yaml";
    exit_handler_dag_level => "exit-handler-dag-level.yaml";
    exit_handler_with_artifacts => "exit-handler-with-artifacts.yaml";
    exit_handler_with_param => "exit-handler-with-param.yaml";
    exit_handlers => "exit-handlers.yaml";
    expression_destructure_json_complex => "expression-destructure-json-complex.yaml";
    expression_destructure_json => "expression-destructure-json.yaml";
    expression_reusing_verbose_snippets => "expression-reusing-verbose-snippets.yaml";
    expression_tag_template_workflow => "expression-tag-template-workflow.yaml";
    gc_ttl => "gc-ttl.yaml";
    global_outputs => "global-outputs.yaml";
    global_parameters_from_configmap_referenced_as_local_variable => "global-parameters-from-configmap-referenced-as-local-variable.yaml";
    global_parameters_from_configmap => "global-parameters-from-configmap.yaml";
    hello_world => "hello-world.yaml";
    image_pull_secrets => "image-pull-secrets.yaml";
    init_container => "init-container.yaml";
    input_artifact_raw => "input-artifact-raw.yaml";
    intermediate_parameters => "intermediate-parameters.yaml";
    key_only_artifact => "key-only-artifact.yaml";
    loops_dag => "loops-dag.yaml";
    loops_maps => "loops-maps.yaml";
    loops_param_result => "loops-param-result.yaml";
    loops_sequence => "loops-sequence.yaml";
    loops => "loops.yaml";
    map_reduce => "map-reduce.yaml";
    node_selector => "node-selector.yaml";
    output_parameter => "output-parameter.yaml";
    parallelism_limit => "parallelism-limit.yaml";
    parallelism_nested_dag => "parallelism-nested-dag.yaml";
    parallelism_nested_workflow => "parallelism-nested-workflow.yaml";
    parallelism_template_limit => "parallelism-template-limit.yaml";
    parameter_aggregation_dag => "parameter-aggregation-dag.yaml";
    parameter_aggregation_script => "parameter-aggregation-script.yaml";
    pod_gc_strategy_with_label_selector => "pod-gc-strategy-with-label-selector.yaml";
    pod_metadata_wf_field => "pod-metadata-wf-field.yaml";
    pod_resources => "pod-resources.yaml";
    pod_spec_from_previous_step => "pod-spec-from-previous-step.yaml";
    pod_spec_patch => "pod-spec-patch.yaml";
    pod_spec_yaml_patch => "pod-spec-yaml-patch.yaml";
    recursive_for_loop => "recursive-for-loop.yaml";
    resource_claims_template_override => "resource-claims-template-override.yaml";
    resource_claims => "resource-claims.yaml";
    resubmit => "resubmit.yaml";
    retry_backoff => "retry-backoff.yaml";
    retry_conditional => "retry-conditional.yaml";
    retry_on_error => "retry-on-error.yaml";
    retry_script => "retry-script.yaml";
    retry_with_steps => "retry-with-steps.yaml";
    scripts_python => "scripts-python.yaml";
    skipped_output_defaults_consumer_input_default => "skipped-output-defaults/consumer-input-default.yaml";
    skipped_output_defaults_expression_fallback => "skipped-output-defaults/expression-fallback.yaml";
    skipped_output_defaults_producer_output_default => "skipped-output-defaults/producer-output-default.yaml";
    status_reference => "status-reference.yaml";
    step_level_timeout => "step-level-timeout.yaml";
    steps => "steps.yaml";
    suspend_template_outputs => "suspend-template-outputs.yaml";
    suspend_template => "suspend-template.yaml";
    synchronization_db_mutex_wf_level => "synchronization-db-mutex-wf-level.yaml";
    synchronization_db_tmpl_level => "synchronization-db-tmpl-level.yaml";
    synchronization_db_wf_level => "synchronization-db-wf-level.yaml";
    synchronization_mutex_tmpl_level => "synchronization-mutex-tmpl-level.yaml";
    synchronization_mutex_wf_level => "synchronization-mutex-wf-level.yaml";
    synchronization_tmpl_level => "synchronization-tmpl-level.yaml";
    template_defaults => "template-defaults.yaml";
    timeouts_step => "timeouts-step.yaml";
    title_and_description_with_markdown => "title-and-description-with-markdown.yaml";
    withsequence_nested_result => "withsequence-nested-result.yaml";
    workflow_template_hello_world => "workflow-template/hello-world.yaml";
    workflow_template_retry_with_steps => "workflow-template/retry-with-steps.yaml";
    workflow_template_steps => "workflow-template/steps.yaml";
    workflow_template_workflow_archive_logs => "workflow-template/workflow-archive-logs.yaml";
    workflow_template_workflow_template_ref => "workflow-template/workflow-template-ref.yaml";
}

#[test]
fn every_host_class_workflow_of_expected_tsv_has_a_golden_test() {
    let Some(dir) = runner::examples_dir() else {
        return;
    };
    let rows = runner::host_workflow_rows(&dir);
    assert!(!rows.is_empty(), "EXPECTED.tsv has no H/H+ Workflow rows");
    let missing: Vec<&str> = rows
        .iter()
        .map(|r| r.file.as_str())
        .filter(|f| !LISTED.contains(f))
        .collect();
    assert!(
        missing.is_empty(),
        "examples without a golden test: {missing:?}"
    );
}
