//! A Workflow survives the protobuf wire, both as generated structs and through reflection.

use argo_proto::{descriptor_pool, k8s_core, k8s_meta, wf};
use pretty_assertions::assert_eq;
use prost::Message as _;
use prost_reflect::{DynamicMessage, Value};

const WORKFLOW: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1.Workflow";

fn hello_world() -> wf::Workflow {
    let container = k8s_core::Container {
        name: Some("main".to_owned()),
        image: Some("busybox".to_owned()),
        command: vec!["echo".to_owned()],
        args: vec!["{{inputs.parameters.message}}".to_owned()],
        ..Default::default()
    };
    let template = wf::Template {
        name: Some("print".to_owned()),
        inputs: Some(wf::Inputs {
            parameters: vec![wf::Parameter {
                name: Some("message".to_owned()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        container: Some(container),
        ..Default::default()
    };
    wf::Workflow {
        metadata: Some(k8s_meta::ObjectMeta {
            generate_name: Some("hello-".to_owned()),
            namespace: Some("argo".to_owned()),
            labels: [("team".to_owned(), "data".to_owned())].into(),
            ..Default::default()
        }),
        spec: Some(wf::WorkflowSpec {
            entrypoint: Some("print".to_owned()),
            parallelism: Some(0),
            arguments: Some(wf::Arguments {
                parameters: vec![wf::Parameter {
                    name: Some("message".to_owned()),
                    value: Some("hi".to_owned()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            templates: vec![template],
            ..Default::default()
        }),
        status: Some(wf::WorkflowStatus {
            phase: Some("Running".to_owned()),
            ..Default::default()
        }),
    }
}

#[test]
fn workflow_encodes_and_decodes_to_the_same_value() {
    let workflow = hello_world();
    let bytes = workflow.encode_to_vec();
    let decoded = wf::Workflow::decode(bytes.as_slice()).expect("own encoding decodes");
    assert_eq!(decoded, workflow);
}

#[test]
fn explicit_zero_parallelism_keeps_its_presence_on_the_wire() {
    let bytes = hello_world().encode_to_vec();
    let decoded = wf::Workflow::decode(bytes.as_slice()).expect("own encoding decodes");
    let spec = decoded.spec.expect("spec survives");
    assert_eq!(spec.parallelism, Some(0));
    assert_eq!(spec.active_deadline_seconds, None);
}

#[test]
fn reflection_reads_the_generated_bytes_by_upstream_field_names() {
    let pool = descriptor_pool().expect("descriptor set decodes");
    let descriptor = pool
        .get_message_by_name(WORKFLOW)
        .expect("Workflow is in the schema");
    let bytes = hello_world().encode_to_vec();
    let message = DynamicMessage::decode(descriptor, bytes.as_slice()).expect("reflection decodes");

    let spec = message.get_field_by_name("spec").expect("spec field");
    let spec = spec.as_message().expect("spec is a message");
    assert_eq!(
        spec.get_field_by_name("entrypoint").as_deref(),
        Some(&Value::String("print".to_owned()))
    );
    let templates = spec
        .get_field_by_name("templates")
        .expect("templates field");
    let first = &templates.as_list().expect("templates is a list")[0];
    let container = first
        .as_message()
        .and_then(|t| t.get_field_by_name("container"))
        .expect("container");
    let image = container
        .as_message()
        .and_then(|c| c.get_field_by_name("image"));
    assert_eq!(image.as_deref(), Some(&Value::String("busybox".to_owned())));

    let reencoded = message.encode_to_vec();
    let back = wf::Workflow::decode(reencoded.as_slice()).expect("reflection's encoding decodes");
    assert_eq!(back, hello_world());
}

#[test]
fn generated_structs_convert_to_and_from_rest_json() {
    let json = argo_proto::prost_to_json(&hello_world()).expect("our own message converts");
    assert_eq!(json["spec"]["parallelism"], serde_json::json!(0));
    assert_eq!(
        json["spec"]["templates"][0]["container"]["image"],
        serde_json::json!("busybox")
    );
    let back: wf::Workflow = argo_proto::json_to_prost(&json).expect("its JSON reads back");
    // Go writes empty value structs (`outputs: {}`), so reading them back sets those fields;
    // the JSON, not the presence bits, is what must be stable.
    assert_eq!(
        back.spec.as_ref().map(|spec| spec.parallelism),
        Some(Some(0))
    );
    assert_eq!(
        argo_proto::prost_to_json(&back).expect("converts again"),
        json
    );
}
