//! Every upstream example survives JSON -> protobuf -> JSON with nothing lost.
//!
//! The examples are read at test time from `../shared/argo-examples` (relative to the
//! workspace root, or `ARGO_EXAMPLES`), never copied into the repository; the test skips
//! with a message when they are absent. Each document goes the way a request goes through
//! the gateway and a service: JSON to a reflected message, to protobuf bytes, into the
//! generated prost struct, back to bytes, and back to JSON. The JSON that comes out must
//! contain every value that went in (Go's own normalisations aside: numbers given to
//! string-typed parameters come back as strings) and must be a fixed point.

use std::path::{Path, PathBuf};

use argo_proto::{descriptor_pool, json_to_message, message_to_json, wf};
use prost::Message;
use prost_reflect::DynamicMessage;
use serde::Deserialize as _;
use serde_json::Value as Json;

const ARGO: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1";

fn examples_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ARGO_EXAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/argo-examples")
        });
    dir.is_dir().then_some(dir)
}

/// JSON -> reflected message -> bytes -> generated struct `M` -> bytes -> reflected -> JSON.
fn round_trip<M: Message + Default>(kind: &str, input: &Json) -> Result<Json, String> {
    let pool = descriptor_pool().map_err(|error| error.to_string())?;
    let descriptor = pool
        .get_message_by_name(&format!("{ARGO}.{kind}"))
        .ok_or("no such message")?;
    let message = json_to_message(&descriptor, input).map_err(|error| error.to_string())?;
    let typed = M::decode(message.encode_to_vec().as_slice()).map_err(|error| error.to_string())?;
    let decoded = DynamicMessage::decode(descriptor, typed.encode_to_vec().as_slice())
        .map_err(|error| error.to_string())?;
    Ok(message_to_json(&decoded))
}

fn round_trip_kind(kind: &str, input: &Json) -> Option<Result<Json, String>> {
    Some(match kind {
        "Workflow" => round_trip::<wf::Workflow>(kind, input),
        "WorkflowTemplate" => round_trip::<wf::WorkflowTemplate>(kind, input),
        "ClusterWorkflowTemplate" => round_trip::<wf::ClusterWorkflowTemplate>(kind, input),
        "CronWorkflow" => round_trip::<wf::CronWorkflow>(kind, input),
        "WorkflowEventBinding" => round_trip::<wf::WorkflowEventBinding>(kind, input),
        _ => return None,
    })
}

/// Argo's CLI reads YAML 1.1, where an unquoted `0755` is octal; serde_norway hands it over
/// as the string "0755". File modes are the only integer fields the examples write that way.
fn read_octal_modes_like_yaml_1_1(value: &mut Json) {
    match value {
        Json::Object(entries) => {
            for (key, child) in entries.iter_mut() {
                if let (true, Json::String(text)) = (key == "mode" || key == "defaultMode", &*child)
                    && text.len() > 1
                    && text.starts_with('0')
                    && let Ok(number) = i64::from_str_radix(&text[1..], 8)
                {
                    *child = Json::from(number);
                } else {
                    read_octal_modes_like_yaml_1_1(child);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(read_octal_modes_like_yaml_1_1),
        _ => {}
    }
}

/// A value Go's `omitempty` may drop without losing information.
fn is_empty(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::Bool(flag) => !flag,
        Json::Number(number) => number.as_f64() == Some(0.0),
        Json::String(text) => text.is_empty(),
        Json::Array(items) => items.is_empty(),
        // `emptyDir: {}` means something; an object must survive even when empty.
        Json::Object(_) => false,
    }
}

/// Scalars that Go turns into their text (AnyString parameters, quantities).
fn same_text(input: &Json, output: &Json) -> bool {
    match (input, output) {
        (Json::Number(number), Json::String(text)) => number.to_string() == *text,
        (Json::Bool(flag), Json::String(text)) => flag.to_string() == *text,
        _ => false,
    }
}

/// Every value in `input` is also in `output`; the differences found, by path.
fn missing_values(input: &Json, output: &Json, path: &str, found: &mut Vec<String>) {
    match (input, output) {
        (input, _) if input == output || same_text(input, output) => {}
        (input, Json::Null) if is_empty(input) => {}
        (Json::Object(entries), Json::Object(out)) => {
            for (key, value) in entries {
                let child = format!("{path}.{key}");
                match out.get(key) {
                    Some(out_value) => missing_values(value, out_value, &child, found),
                    None if is_empty(value) => {}
                    None => found.push(format!("{child}: {value} is gone")),
                }
            }
        }
        (Json::Array(items), Json::Array(out)) if items.len() == out.len() => {
            for (index, (item, out_item)) in items.iter().zip(out).enumerate() {
                missing_values(item, out_item, &format!("{path}[{index}]"), found);
            }
        }
        _ => found.push(format!("{path}: {input} came back as {output}")),
    }
}

#[test]
fn every_example_round_trips_through_protobuf_without_losing_a_value() {
    let Some(dir) = examples_dir() else {
        eprintln!("skipping: no example workflows at ../shared/argo-examples (set ARGO_EXAMPLES)");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples dir reads")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    files.sort();
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("example reads");
        let name = file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (index, document) in serde_norway::Deserializer::from_str(&text).enumerate() {
            let Ok(mut input) = Json::deserialize(document) else {
                problems.push(format!("{name}#{index}: not YAML we can read"));
                continue;
            };
            read_octal_modes_like_yaml_1_1(&mut input);
            let kind = input
                .get("kind")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(object) = input.as_object_mut() {
                // Kubernetes TypeMeta has no protobuf field; upstream's gateway drops it too.
                object.remove("apiVersion");
                object.remove("kind");
            }
            let Some(once) = round_trip_kind(&kind, &input) else {
                continue;
            };
            let once = match once {
                Ok(once) => once,
                Err(error) => {
                    problems.push(format!("{name}#{index}: {error}"));
                    continue;
                }
            };
            let mut found = Vec::new();
            missing_values(&input, &once, "$", &mut found);
            problems.extend(
                found
                    .into_iter()
                    .map(|problem| format!("{name}#{index} {problem}")),
            );
            match round_trip_kind(&kind, &once) {
                Some(Ok(twice)) if twice == once => {}
                _ => problems.push(format!(
                    "{name}#{index}: a second round trip changes the JSON"
                )),
            }
            checked += 1;
        }
    }
    eprintln!(
        "round-tripped {checked} documents from {} files",
        files.len()
    );
    assert!(checked > 100, "only {checked} documents were checked");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
