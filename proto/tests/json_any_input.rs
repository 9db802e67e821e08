//! No JSON, however wrong, makes the transcoder panic; whatever it accepts, it can read back.

use argo_proto::{descriptor_pool, json_to_message, message_to_json};
use proptest::prelude::*;
use serde_json::{Map, Value as Json};

/// Keys that exist somewhere in a Workflow, so random trees reach deep into the schema.
const KEYS: &[&str] = &[
    "metadata",
    "spec",
    "status",
    "templates",
    "name",
    "steps",
    "dag",
    "tasks",
    "container",
    "script",
    "image",
    "args",
    "parallelism",
    "withItems",
    "arguments",
    "parameters",
    "value",
    "startedAt",
    "finishedAt",
    "nodes",
    "plugin",
    "s3",
    "artifacts",
    "resources",
    "limits",
    "port",
    "livenessProbe",
    "httpGet",
    "retryStrategy",
    "limit",
    "labels",
    "creationTimestamp",
    "mode",
    "metrics",
    "prometheus",
    "histogram",
    "buckets",
    "inputs",
    "outputs",
    "volumes",
    "emptyDir",
    "tcpSocket",
    "unknownKey",
];

fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(
            |number| serde_json::Number::from_f64(number).map_or(Json::Null, Json::Number)
        ),
        "[a-z0-9:.+-]{0,12}".prop_map(Json::String),
        Just(Json::String("2026-11-01T10:00:00Z".to_owned())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|entries| {
                Json::Object(
                    entries
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_json_never_panics_and_accepted_json_reads_back(json in any_json()) {
        let pool = descriptor_pool().expect("descriptor set decodes");
        let workflow = pool
            .get_message_by_name("github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1.Workflow")
            .expect("Workflow is in the schema");
        if let Ok(message) = json_to_message(&workflow, &json) {
            let written = message_to_json(&message);
            let again = json_to_message(&workflow, &written);
            prop_assert!(again.is_ok(), "our own output was rejected: {:?}", again.err());
        }
    }
}
