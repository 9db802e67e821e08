//! Argo REST JSON through protobuf and back: Go's encoding/json rules, special types, errors.

use std::path::Path;

use argo_proto::{descriptor_pool, json_to_message, message_to_json};
use pretty_assertions::assert_eq;
use prost::Message as _;
use prost_reflect::{DynamicMessage, MessageDescriptor};
use serde_json::{Value as Json, json};

const ARGO: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1";

fn descriptor(short: &str) -> MessageDescriptor {
    let pool = descriptor_pool().expect("descriptor set decodes");
    pool.get_message_by_name(&format!("{ARGO}.{short}"))
        .expect("message exists")
}

/// JSON -> message -> protobuf bytes -> message -> JSON, as Argo's gateway does it.
fn through_the_wire(short: &str, input: &Json) -> Json {
    let message = json_to_message(&descriptor(short), input).expect("input is valid");
    let bytes = message.encode_to_vec();
    let decoded =
        DynamicMessage::decode(descriptor(short), bytes.as_slice()).expect("bytes decode");
    message_to_json(&decoded)
}

fn fixture(name: &str) -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

#[test]
fn small_workflow_comes_back_as_go_would_write_it() {
    let output = through_the_wire("Workflow", &fixture("workflow-small.json"));
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflow-small.go-json.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&output).expect("json serialises");
        std::fs::write(&golden, text + "\n").expect("golden written");
    }
    let expected: Json =
        serde_json::from_str(&std::fs::read_to_string(&golden).expect("golden exists"))
            .expect("golden is JSON");
    assert_eq!(output, expected);
}

#[test]
fn transcoding_twice_changes_nothing() {
    let once = through_the_wire("Workflow", &fixture("workflow-small.json"));
    let twice = through_the_wire("Workflow", &once);
    assert_eq!(twice, once);
}

#[test]
fn type_meta_is_not_on_the_protobuf_wire() {
    let output = through_the_wire(
        "Workflow",
        &json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow"}),
    );
    assert_eq!(output.get("kind"), None);
    assert_eq!(output.get("apiVersion"), None);
}

#[test]
fn value_structs_and_zero_times_are_written_like_go_does() {
    let output = through_the_wire("Workflow", &json!({}));
    assert_eq!(output["metadata"], json!({"creationTimestamp": null}));
    assert_eq!(output["status"]["startedAt"], Json::Null);
    assert_eq!(output["status"]["finishedAt"], Json::Null);
    assert!(
        output["spec"].get("entrypoint").is_none(),
        "omitempty string left out"
    );
}

#[test]
fn empty_list_items_are_written_as_null_not_left_out() {
    let output = through_the_wire("WorkflowList", &json!({"items": []}));
    assert_eq!(output, json!({"metadata": {}, "items": null}));
}

#[test]
fn pointer_scalars_keep_an_explicit_zero_and_int64_stays_a_number() {
    let output = through_the_wire(
        "WorkflowSpec",
        &json!({"parallelism": 0, "activeDeadlineSeconds": 9_007_199_254_740_993_i64}),
    );
    assert_eq!(output["parallelism"], json!(0));
    assert_eq!(
        output["activeDeadlineSeconds"],
        json!(9_007_199_254_740_993_i64)
    );
}

#[test]
fn any_string_parameters_accept_numbers_and_booleans_and_answer_strings() {
    let output = through_the_wire(
        "Arguments",
        &json!({"parameters": [{"name": "a", "value": 3}, {"name": "b", "value": false}, {"name": "c", "value": 0.5}]}),
    );
    let values: Vec<_> = output["parameters"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["value"].clone())
        .collect();
    assert_eq!(values, [json!("3"), json!("false"), json!("0.5")]);
}

#[test]
fn inline_artifact_location_stays_flat() {
    let input = json!({"name": "data", "s3": {"bucket": "b", "key": "k"}, "archive": {"none": {}}});
    let output = through_the_wire("Artifact", &input);
    assert_eq!(output["s3"], json!({"bucket": "b", "key": "k"}));
    assert!(output.get("artifactLocation").is_none());
    assert_eq!(output["archive"], json!({"none": {}}));
}

#[test]
fn items_plugins_and_parallel_steps_keep_their_own_json_shape() {
    let input = json!({
        "name": "t",
        "plugin": {"slack": {"channel": "#ops"}},
        "steps": [[{"name": "a", "withItems": [1, "x", {"k": [true]}]}], []]
    });
    let output = through_the_wire("Template", &input);
    assert_eq!(output["plugin"], input["plugin"]);
    assert_eq!(
        output["steps"][0][0]["withItems"],
        input["steps"][0][0]["withItems"]
    );
    assert_eq!(output["steps"][1], Json::Null);
}

#[test]
fn int_or_string_and_quantity_round_trip() {
    let input = json!({
        "resources": {"limits": {"cpu": "250m"}, "requests": {"memory": "64Mi"}},
        "ports": [{"containerPort": 80}],
        "livenessProbe": {"tcpSocket": {"port": 8080}, "httpGet": {"port": "web"}}
    });
    let pool = descriptor_pool().expect("descriptor set decodes");
    let container = pool
        .get_message_by_name("k8s.io.api.core.v1.Container")
        .expect("Container");
    let message = json_to_message(&container, &input).expect("valid");
    let output = message_to_json(&message);
    assert_eq!(output["resources"], input["resources"]);
    assert_eq!(output["livenessProbe"]["tcpSocket"]["port"], json!(8080));
    assert_eq!(output["livenessProbe"]["httpGet"]["port"], json!("web"));
}

#[test]
fn renamed_go_fields_use_the_go_json_name() {
    let input = json!({"schedules": ["* * * * *"], "workflowMetadata": {"labels": {"a": "b"}}});
    let output = through_the_wire("CronWorkflowSpec", &input);
    assert_eq!(
        output["workflowMetadata"],
        json!({"labels": {"a": "b"}, "creationTimestamp": null})
    );
}

#[test]
fn unknown_keys_are_refused_by_default_and_dropped_on_request_like_go_does() {
    let input = json!({"entrypoint": "m", "noSuchField": 1});
    let error = json_to_message(&descriptor("WorkflowSpec"), &input).expect_err("unknown key");
    assert_eq!(
        error.to_string(),
        "unknown field \"noSuchField\" in the top-level object"
    );
    let lenient = argo_proto::json::json_to_message_with(
        &descriptor("WorkflowSpec"),
        &input,
        argo_proto::json::UnknownFields::Ignore,
    )
    .expect("dropped");
    let output = message_to_json(&lenient);
    assert_eq!(output.get("noSuchField"), None);
    assert_eq!(output["entrypoint"], json!("m"));
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_naming_its_path() {
    let error = json_to_message(
        &descriptor("WorkflowSpec"),
        &json!({"templates": [{"name": 5}]}),
    )
    .expect_err("a number is not a template name");
    assert_eq!(
        error.to_string(),
        "at $.templates[0].name: expected a string"
    );
    let error = json_to_message(
        &descriptor("NodeStatus"),
        &json!({"startedAt": "yesterday"}),
    )
    .expect_err("not a time");
    assert!(error.to_string().starts_with("at $.startedAt:"), "{error}");
}

#[test]
fn times_are_utc_seconds_and_accept_offsets() {
    let output = through_the_wire(
        "NodeStatus",
        &json!({"startedAt": "2026-11-01T12:00:00.75+02:00"}),
    );
    assert_eq!(output["startedAt"], json!("2026-11-01T10:00:00Z"));
}

#[test]
fn an_int_or_string_too_big_for_int32_is_an_error() {
    let pool = descriptor_pool().expect("descriptor set decodes");
    let probe = pool
        .get_message_by_name("k8s.io.api.core.v1.TCPSocketAction")
        .expect("TCPSocketAction");
    let error = json_to_message(&probe, &json!({"port": 4_294_967_296_i64})).expect_err("too big");
    assert_eq!(error.to_string(), "at $.port: integer out of range");
}

#[test]
fn a_time_carries_whole_seconds_on_the_wire_as_kubernetes_does() {
    let message = json_to_message(
        &descriptor("NodeStatus"),
        &json!({"startedAt": "2026-11-01T10:00:00.75Z"}),
    )
    .expect("valid time");
    let started = message.get_field_by_name("startedAt").expect("startedAt");
    let started = started.as_message().expect("a Time message");
    assert_eq!(
        started
            .get_field_by_name("nanos")
            .and_then(|nanos| nanos.as_i32()),
        Some(0)
    );
    let pool = descriptor_pool().expect("descriptor set decodes");
    let event = pool
        .get_message_by_name("k8s.io.api.core.v1.Event")
        .expect("Event");
    let output = message_to_json(
        &json_to_message(
            &event,
            &json!({"eventTime": "2026-11-01T10:00:00.123456789Z"}),
        )
        .expect("valid micro time"),
    );
    assert_eq!(output["eventTime"], json!("2026-11-01T10:00:00.123456Z"));
}

#[test]
fn keys_match_case_insensitively_as_in_go() {
    let output = through_the_wire(
        "WorkflowSpec",
        &json!({"EntryPoint": "main", "serviceaccountname": "sa"}),
    );
    assert_eq!(output["entrypoint"], json!("main"));
    assert_eq!(output["serviceAccountName"], json!("sa"));
}
