//! The typed model: special JSON values, steps as lists of lists, IntOrString, enums, status and
//! the less common kinds, each checked through a full parse and round trip.

use argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use argo_core::{
    NodePhase, NodeType, Resource, RetryPolicy, TemplateKind, Workflow, WorkflowPhase,
    parse_documents, parse_one,
};
use pretty_assertions::assert_eq;
use serde_json::json;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[test]
fn steps_are_a_list_of_parallel_groups() {
    let workflow: Workflow = parse_one(&fixture("steps-and-loops.yaml")).expect("parses");
    let main = workflow.spec.template("main").expect("main template");
    assert_eq!(main.kind(), Some(TemplateKind::Steps));
    let groups = main.steps.as_ref().expect("steps");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].steps.len(), 1);
    assert_eq!(groups[1].steps.len(), 2);
    let json = serde_json::to_value(&workflow).expect("serialises");
    assert_eq!(json["spec"]["templates"][0]["steps"][1][1]["name"], "seq");
}

#[test]
fn any_string_parameters_keep_numbers_and_booleans_as_text() {
    let workflow: Workflow = parse_one(&fixture("steps-and-loops.yaml")).expect("parses");
    let values: Vec<&str> = workflow
        .spec
        .arguments
        .parameters
        .iter()
        .filter_map(|p| p.value.as_ref().map(|v| v.as_str()))
        .collect();
    assert_eq!(values, ["42", "1.5", "true"]);
}

#[test]
fn with_items_keep_any_json_and_int_or_string_keeps_its_form() {
    let workflow: Workflow = parse_one(&fixture("steps-and-loops.yaml")).expect("parses");
    let main = workflow.spec.template("main").expect("main");
    let loop_step = &main.steps.as_ref().expect("steps")[1].steps[0];
    let items: Vec<String> = loop_step
        .with_items
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        items,
        ["plain", "7", r#"{"os":"debian","version":12}"#, "[1,2]"]
    );
    let sequence = main.steps.as_ref().expect("steps")[1].steps[1]
        .with_sequence
        .as_ref()
        .expect("sequence");
    assert_eq!(sequence.count, Some(IntOrString::String("5".into())));
    assert_eq!(sequence.start, Some(IntOrString::Int(1)));
    let retry = main.retry_strategy.as_ref().expect("retry");
    assert_eq!(retry.limit, Some(IntOrString::Int(3)));
    assert_eq!(retry.retry_policy, Some(RetryPolicy::OnTransientError));
    let backoff = retry.backoff.as_ref().expect("backoff");
    assert_eq!(backoff.factor, Some(IntOrString::String("2".into())));
}

#[test]
fn synchronization_supports_multiple_and_database_locks() {
    let workflow: Workflow = parse_one(&fixture("steps-and-loops.yaml")).expect("parses");
    let sync = workflow
        .spec
        .template("print")
        .and_then(|t| t.synchronization.as_ref())
        .expect("synchronization");
    assert_eq!(sync.mutexes.len(), 2);
    assert!(sync.mutexes[1].database);
    assert_eq!(sync.semaphores.len(), 2);
    assert_eq!(
        sync.semaphores[1].database.as_ref().map(|d| d.key.as_str()),
        Some("global")
    );
}

#[test]
fn workflow_status_round_trips_with_nodes_and_stored_templates() {
    let text = fixture("workflow-status.yaml");
    let workflow: Workflow = parse_one(&text).expect("parses");
    let status = &workflow.status;
    assert_eq!(status.phase, WorkflowPhase::Succeeded);
    assert!(status.is_completed());
    assert_eq!(status.nodes.len(), 3);
    let pod = status.node("done-2").expect("pod node");
    assert_eq!(pod.node_type, NodeType::Pod);
    assert_eq!(pod.phase, NodePhase::Succeeded);
    assert!(pod.is_fulfilled());
    assert_eq!(pod.pod_ip, "10.0.0.5");
    assert_eq!(
        pod.outputs.as_ref().and_then(|o| o.exit_code.as_deref()),
        Some("0")
    );
    assert_eq!(
        status.node_by_name("done[0]").map(|n| n.id.as_str()),
        Some("done-1")
    );
    assert!(status.stored_templates.contains_key("namespaced/done/leaf"));
    assert_eq!(
        status.started_at.as_ref().map(|t| t.0.to_string()),
        Some("2024-05-01T10:00:00Z".to_owned())
    );

    let json = serde_json::to_value(&workflow).expect("serialises");
    assert_eq!(json["status"]["nodes"]["done-2"]["podIP"], "10.0.0.5");
    assert_eq!(json["status"]["nodes"]["done-1"]["boundaryID"], "done");
    assert_eq!(json["status"]["finishedAt"], "2024-05-01T10:00:07Z");
    assert_eq!(
        json["status"]["artifactRepositoryRef"]["artifactRepository"]["s3"]["keyFormat"],
        "{{workflow.name}}/{{pod.name}}"
    );
    let again: Workflow = serde_json::from_value(json).expect("deserialises again");
    assert_eq!(again, workflow);
}

#[test]
fn the_less_common_kinds_parse_and_round_trip() {
    let documents: Vec<_> = parse_documents(&fixture("other-kinds.yaml"))
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("all parse");
    let kinds: Vec<&str> = documents.iter().map(|d| d.resource.kind()).collect();
    assert_eq!(
        kinds,
        [
            "WorkflowTaskResult",
            "WorkflowTaskSet",
            "WorkflowArtifactGCTask",
            "WorkflowEventBinding",
            "ClusterWorkflowTemplate"
        ]
    );
    for document in &documents {
        let output = document.resource.to_value().expect("serialises");
        assert_eq!(
            output,
            document.raw,
            "{} round trips",
            document.resource.kind()
        );
    }
    let Resource::WorkflowTaskResult(result) = &documents[0].resource else {
        panic!("task result first");
    };
    assert_eq!(result.result.phase, NodePhase::Succeeded);
    let Resource::ClusterWorkflowTemplate(cwt) = &documents[4].resource else {
        panic!("cluster template last");
    };
    let kinds: Vec<_> = cwt.spec.templates.iter().filter_map(|t| t.kind()).collect();
    assert_eq!(
        kinds,
        [
            TemplateKind::Plugin,
            TemplateKind::Suspend,
            TemplateKind::Data
        ]
    );
    assert_eq!(
        cwt.spec.templates[0].plugin.as_ref().and_then(|p| p.name()),
        Some("hello")
    );
}

#[test]
fn go_json_names_with_acronyms_are_exact() {
    let workflow: Workflow = serde_json::from_value(json!({
        "metadata": {"name": "x"},
        "spec": {
            "podGC": {"strategy": "OnPodSuccess"},
            "ttlStrategy": {"secondsAfterCompletion": 10},
            "artifactGC": {"strategy": "OnWorkflowDeletion", "forceFinalizerRemoval": true},
            "volumeClaimGC": {"strategy": "OnWorkflowSuccess"},
            "activeDeadlineSeconds": 60,
            "podSpecPatch": "{}",
            "podMetadata": {"labels": {"a": "b"}},
            "templates": [{
                "name": "t",
                "resource": {"action": "create", "successCondition": "status.succeeded > 0"},
                "outputs": {"artifacts": [{"name": "a", "s3": {"key": "k", "useSDKCreds": true, "roleARN": "r"}}]}
            }]
        }
    }))
    .expect("deserialises");
    let back = serde_json::to_value(&workflow).expect("serialises");
    assert_eq!(back["spec"]["podGC"]["strategy"], "OnPodSuccess");
    assert_eq!(back["spec"]["artifactGC"]["strategy"], "OnWorkflowDeletion");
    assert_eq!(back["spec"]["artifactGC"]["forceFinalizerRemoval"], true);
    assert_eq!(
        back["spec"]["volumeClaimGC"]["strategy"],
        "OnWorkflowSuccess"
    );
    assert_eq!(
        back["spec"]["templates"][0]["resource"]["successCondition"],
        "status.succeeded > 0"
    );
    assert_eq!(
        back["spec"]["templates"][0]["outputs"]["artifacts"][0]["s3"]["roleARN"],
        "r"
    );
    assert_eq!(
        back["spec"]["templates"][0]["outputs"]["artifacts"][0]["s3"]["useSDKCreds"],
        true
    );
}

#[test]
fn octal_file_modes_are_read_as_yaml_1_1_does() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: m}\nspec:\n  templates:\n    - name: t\n      inputs:\n        artifacts:\n          - name: a\n            path: /bin/tool\n            mode: 0755\n";
    let workflow: Workflow = parse_one(text).expect("parses");
    let mode = workflow.spec.templates[0].inputs.artifacts[0].mode;
    assert_eq!(mode, Some(0o755));
}

#[test]
fn test_builder_makes_small_workflows() {
    let workflow = Workflow::test()
        .name("built")
        .entrypoint("main")
        .argument("who", "world")
        .template(argo_core::Template::named("main"))
        .build();
    assert_eq!(workflow.name(), "built");
    assert_eq!(workflow.namespace(), "argo");
    assert!(workflow.spec.entrypoint_template().is_some());
}

#[test]
fn every_kind_has_a_json_schema_with_type_fields() {
    let schemas = [
        schemars::schema_for!(argo_core::Workflow),
        schemars::schema_for!(argo_core::WorkflowTemplate),
        schemars::schema_for!(argo_core::ClusterWorkflowTemplate),
        schemars::schema_for!(argo_core::CronWorkflow),
        schemars::schema_for!(argo_core::WorkflowEventBinding),
        schemars::schema_for!(argo_core::WorkflowTaskSet),
        schemars::schema_for!(argo_core::WorkflowTaskResult),
        schemars::schema_for!(argo_core::WorkflowArtifactGCTask),
    ];
    for schema in schemas {
        let properties = schema
            .get("properties")
            .and_then(|p| p.as_object())
            .expect("object schema");
        assert!(properties.contains_key("apiVersion"));
        assert!(properties.contains_key("kind"));
        assert!(properties.contains_key("metadata"));
    }
}

#[test]
fn steps_tasks_and_hooks_share_the_template_call_view() {
    use argo_core::{ContinueOn, DagTask, LifecycleHook, TemplateCall, WorkflowStep};
    let step = WorkflowStep {
        continue_on: Some(ContinueOn {
            failed: true,
            ..ContinueOn::default()
        }),
        ..WorkflowStep::calling("a", "leaf")
    };
    let task = DagTask {
        inline: Some(Box::new(argo_core::Template::named("inline"))),
        ..DagTask::calling("b", "")
    };
    let hook = LifecycleHook {
        template: "notify".into(),
        ..LifecycleHook::default()
    };
    let calls: [&dyn TemplateCall; 3] = [&step, &task, &hook];
    let names: Vec<&str> = calls.iter().map(|c| c.template_name()).collect();
    assert_eq!(names, ["leaf", "", "notify"]);
    assert_eq!(
        task.inline_template().map(|t| t.name.as_str()),
        Some("inline")
    );
    assert!(step.continues_on(&NodePhase::Failed));
    assert!(!step.continues_on(&NodePhase::Error));
    assert!(!task.continues_on(&NodePhase::Failed));
}

#[test]
fn kinds_describe_themselves_to_kubernetes_clients() {
    use argo_core::k8s_openapi::{
        ClusterResourceScope, ListableResource, NamespaceResourceScope, Resource as K8sResource,
    };
    fn namespaced<K: K8sResource<Scope = NamespaceResourceScope> + ListableResource>()
    -> (&'static str, &'static str, &'static str) {
        (K::KIND, K::URL_PATH_SEGMENT, K::LIST_KIND)
    }
    fn cluster<K: K8sResource<Scope = ClusterResourceScope>>() -> &'static str {
        K::URL_PATH_SEGMENT
    }
    assert_eq!(
        namespaced::<Workflow>(),
        ("Workflow", "workflows", "WorkflowList")
    );
    assert_eq!(
        namespaced::<argo_core::WorkflowArtifactGCTask>().1,
        "workflowartifactgctasks"
    );
    assert_eq!(
        namespaced::<argo_core::WorkflowEventBinding>().1,
        "workfloweventbindings"
    );
    assert_eq!(
        cluster::<argo_core::ClusterWorkflowTemplate>(),
        "clusterworkflowtemplates"
    );
    assert_eq!(
        <Workflow as K8sResource>::API_VERSION,
        "argoproj.io/v1alpha1"
    );
    assert_eq!(argo_core::ARGO_KINDS.len(), 8);
}
