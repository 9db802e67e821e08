//! Unknown keys in client JSON are errors naming the key and its path; free-form parts of
//! Kubernetes objects (labels, annotations, raw JSON, `TypeMeta`, inline structs) are not.

use argo_proto::json::{UnknownFields, json_to_message_with};
use argo_proto::{Error, descriptor_pool, json_to_message, wf};
use prost_reflect::MessageDescriptor;
use serde_json::{Value as Json, json};

const ARGO: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1";

fn descriptor(name: &str) -> MessageDescriptor {
    descriptor_pool()
        .expect("descriptor set decodes")
        .get_message_by_name(name)
        .expect("message exists")
}

fn argo(short: &str) -> MessageDescriptor {
    descriptor(&format!("{ARGO}.{short}"))
}

/// The unknown key and path a strict read reports.
fn unknown_field(message: &MessageDescriptor, json: &Json) -> (String, String) {
    match json_to_message(message, json) {
        Err(Error::UnknownField { field, path }) => (field, path),
        Err(other) => panic!("expected an unknown field, got {other}"),
        Ok(_) => panic!("expected an unknown field, the JSON was accepted"),
    }
}

fn create_request(workflow: &Json) -> Json {
    json!({"namespace": "argo", "workflow": workflow})
}

fn hello_world() -> Json {
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "generateName": "hello-",
            "labels": {"anything/goes": "here"},
            "annotations": {"free.form": "text"},
            "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {"f:any": {}}}}]
        },
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "n", "value": 3}]},
            "templates": [{
                "name": "main",
                "container": {"image": "busybox", "args": ["echo"]},
                "outputs": {"artifacts": [{"name": "a", "path": "/a", "s3": {"key": "k"}}]}
            }]
        }
    })
}

#[test]
fn a_valid_create_request_with_type_meta_and_free_form_maps_is_accepted() {
    let request = descriptor("workflow.WorkflowCreateRequest");
    json_to_message(&request, &create_request(&hello_world())).expect("valid request");
}

#[test]
fn an_unknown_spec_field_is_named_with_its_path() {
    let mut workflow = hello_world();
    workflow["spec"]["foo"] = json!(1);
    let (field, path) = unknown_field(
        &descriptor("workflow.WorkflowCreateRequest"),
        &create_request(&workflow),
    );
    assert_eq!((field.as_str(), path.as_str()), ("foo", "workflow.spec"));
    let message = Error::UnknownField { field, path }.to_string();
    assert_eq!(message, "unknown field \"foo\" in workflow.spec");
}

#[test]
fn an_unknown_key_deep_in_a_list_names_the_index() {
    let mut workflow = hello_world();
    workflow["spec"]["templates"][0]["container"]["imag"] = json!("typo");
    let (field, path) = unknown_field(&argo("Workflow"), &workflow);
    assert_eq!(field, "imag");
    assert_eq!(path, "spec.templates[0].container");
}

#[test]
fn an_unknown_top_level_request_key_is_rejected() {
    let mut request = create_request(&hello_world());
    request["dryRun"] = json!(true);
    let (field, path) = unknown_field(&descriptor("workflow.WorkflowCreateRequest"), &request);
    assert_eq!(field, "dryRun");
    assert_eq!(path, "the top-level object");
}

#[test]
fn inline_struct_keys_are_known_and_a_key_no_inline_struct_claims_is_not() {
    let artifact = json!({"name": "a", "path": "/a", "s3": {"key": "k"}, "archive": {"none": {}}});
    json_to_message(&argo("Artifact"), &artifact).expect("inline artifact location keys");
    let mut bad = artifact;
    bad["bucket"] = json!("b");
    assert_eq!(
        unknown_field(&argo("Artifact"), &bad),
        ("bucket".to_owned(), "the top-level object".to_owned())
    );
}

#[test]
fn keys_match_fields_case_insensitively_as_go_does() {
    json_to_message(&argo("WorkflowSpec"), &json!({"EntryPoint": "main"}))
        .expect("Go matches keys case-insensitively");
}

#[test]
fn type_meta_is_known_only_where_go_embeds_it() {
    json_to_message(
        &argo("WorkflowList"),
        &json!({"kind": "WorkflowList", "apiVersion": "v1", "items": []}),
    )
    .expect("lists embed TypeMeta");
    json_to_message(
        &descriptor("k8s.io.apimachinery.pkg.apis.meta.v1.CreateOptions"),
        &json!({"kind": "CreateOptions", "dryRun": ["All"]}),
    )
    .expect("options embed TypeMeta");
    assert_eq!(
        unknown_field(&argo("WorkflowSpec"), &json!({"kind": "Workflow"})).0,
        "kind"
    );
}

#[test]
fn raw_json_fields_take_any_object() {
    let items = json!({
        "entrypoint": "main",
        "templates": [{
            "name": "main",
            "steps": [[{
                "name": "s",
                "template": "t",
                "withItems": [{"anything": {"nested": [1, 2]}}, "text", 3]
            }]]
        }]
    });
    json_to_message(&argo("WorkflowSpec"), &items).expect("items are raw JSON");
}

#[test]
fn ignore_mode_drops_unknown_keys_as_go_does_by_default() {
    let mut workflow = hello_world();
    workflow["spec"]["foo"] = json!(1);
    json_to_message_with(&argo("Workflow"), &workflow, UnknownFields::Ignore)
        .expect("unknown keys are dropped");
    let converted: wf::Workflow = argo_proto::json_to_prost(&workflow).expect("lenient");
    assert_eq!(
        converted.spec.and_then(|spec| spec.entrypoint).as_deref(),
        Some("main")
    );
}

#[test]
fn map_entries_are_values_not_fields() {
    let meta = descriptor("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    json_to_message(
        &meta,
        &json!({"labels": {"foo": "bar", "spec": "x"}, "annotations": {"kind": "y"}}),
    )
    .expect("labels and annotations hold any keys");
}
