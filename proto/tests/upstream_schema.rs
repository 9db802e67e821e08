//! Every message we declare has upstream's field names, numbers, labels and types.
//!
//! Reads upstream's `.proto` files straight from the git mirrors (Argo Workflows, Kubernetes
//! api and apimachinery, Argo Events) and compares them field by field with our descriptor
//! set. The mirrors are not part of the repository: set `ARGO_UPSTREAM_MIRRORS` (default
//! `../../.mirror` from the workspace root) and the test skips with a message when they are
//! absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use argo_proto::descriptor_pool;
use prost_reflect::{Cardinality, DescriptorPool, Kind};
use protox_parse::parse;

/// (mirror directory, git ref, file, whether every upstream message must exist in ours)
const UPSTREAM: &[(&str, &str, &str, bool)] = &[
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apis/workflow/v1alpha1/generated.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/artifact/artifact.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/clusterworkflowtemplate/cluster-workflow-template.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/cronworkflow/cron-workflow.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/event/event.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/eventsource/eventsource.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/info/info.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/sensor/sensor.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/sync/sync.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/workflow/workflow.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/workflowarchive/workflow-archive.proto",
        true,
    ),
    (
        "argoproj+argo-workflows",
        "HEAD",
        "pkg/apiclient/workflowtemplate/workflow-template.proto",
        true,
    ),
    (
        "kubernetes+api",
        "v0.35.4",
        "core/v1/generated.proto",
        false,
    ),
    (
        "kubernetes+api",
        "v0.35.4",
        "policy/v1/generated.proto",
        false,
    ),
    (
        "kubernetes+apimachinery",
        "v0.35.4",
        "pkg/apis/meta/v1/generated.proto",
        false,
    ),
    (
        "kubernetes+apimachinery",
        "v0.35.4",
        "pkg/util/intstr/generated.proto",
        false,
    ),
    (
        "kubernetes+apimachinery",
        "v0.35.4",
        "pkg/api/resource/generated.proto",
        false,
    ),
    (
        "argoproj+argo-events",
        "v1.9.11",
        "pkg/apis/events/v1alpha1/generated.proto",
        false,
    ),
];

fn mirrors() -> Option<PathBuf> {
    let dir = std::env::var_os("ARGO_UPSTREAM_MIRRORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.mirror"));
    dir.join("argoproj+argo-workflows/repo")
        .exists()
        .then_some(dir)
}

fn git_show(repo: &Path, reference: &str, file: &str) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .arg("show")
        .arg(format!("{reference}:{file}"))
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Our field's type the way upstream writes it once resolved: a scalar keyword or a full name.
fn our_type(kind: &Kind) -> String {
    match kind {
        Kind::Message(message) if message.is_map_entry() => {
            format!("map<{}>", our_type(&message.map_entry_value_field().kind()))
        }
        Kind::Message(message) => message.full_name().to_owned(),
        Kind::Enum(enumeration) => enumeration.full_name().to_owned(),
        scalar => format!("{scalar:?}").to_lowercase(),
    }
}

fn compare_file(
    pool: &DescriptorPool,
    source: &str,
    file: &str,
    all_required: bool,
    fields_compared: &mut usize,
) -> Vec<String> {
    let parsed = parse(file, source).expect("upstream file parses");
    let package = parsed.package().to_owned();
    let mut problems = Vec::new();
    for message in &parsed.message_type {
        let full_name = format!("{package}.{}", message.name());
        let Some(ours) = pool.get_message_by_name(&full_name) else {
            if all_required {
                problems.push(format!("missing message {full_name}"));
            }
            continue;
        };
        let maps: Vec<_> = message
            .nested_type
            .iter()
            .filter(|nested| nested.options.as_ref().is_some_and(|o| o.map_entry()))
            .collect();
        if ours.fields().count() != message.field.len() {
            problems.push(format!(
                "{full_name}: {} fields, upstream has {}",
                ours.fields().count(),
                message.field.len()
            ));
        }
        for field in &message.field {
            let Some(our_field) = ours.get_field(field.number() as u32) else {
                problems.push(format!("{full_name}: no field number {}", field.number()));
                continue;
            };
            *fields_compared += 1;
            let upstream_type = match field.type_name.as_deref() {
                None => format!("{:?}", field.r#type()).to_lowercase(),
                Some(name) => {
                    let map = maps.iter().find(|entry| name.ends_with(entry.name()));
                    match map {
                        Some(entry) => {
                            let value = &entry.field[1];
                            let value_type = match value.type_name.as_deref() {
                                None => format!("{:?}", value.r#type()).to_lowercase(),
                                Some(value_name) => qualify(&package, value_name),
                            };
                            format!("map<{value_type}>")
                        }
                        None => qualify(&package, name),
                    }
                }
            };
            let upstream_repeated =
                field.label() == prost_types::field_descriptor_proto::Label::Repeated;
            let ours_repeated = our_field.cardinality() == Cardinality::Repeated;
            let ours_type = our_type(&our_field.kind());
            if our_field.name() != field.name()
                || ours_type != upstream_type
                || (ours_repeated != upstream_repeated)
            {
                problems.push(format!(
                    "{full_name}.{}#{}: ours {} {} {ours_type}, upstream {} {upstream_repeated} {upstream_type}",
                    field.name(),
                    field.number(),
                    our_field.name(),
                    ours_repeated,
                    field.name(),
                ));
            }
        }
    }
    problems
}

fn qualify(package: &str, name: &str) -> String {
    let name = name.trim_start_matches('.');
    if name.contains('.') {
        name.to_owned()
    } else {
        format!("{package}.{name}")
    }
}

#[test]
fn every_message_matches_upstream_field_for_field() {
    let Some(mirrors) = mirrors() else {
        eprintln!("skipping: upstream mirrors not found (set ARGO_UPSTREAM_MIRRORS)");
        return;
    };
    let pool = descriptor_pool().expect("descriptor set decodes");
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut fields_compared = 0;
    let mut skipped = 0;
    for (repo, reference, file) in UPSTREAM.iter().map(|(r, g, f, _)| (r, g, f)) {
        let Some(source) = git_show(&mirrors.join(repo).join("repo"), reference, file) else {
            eprintln!("skipping {repo}:{file}: not in the mirror");
            skipped += 1;
            continue;
        };
        let all_required = UPSTREAM
            .iter()
            .any(|(r, _, f, all)| r == repo && f == file && *all);
        problems.extend(compare_file(
            pool,
            &source,
            file,
            all_required,
            &mut fields_compared,
        ));
        compared += 1;
    }
    assert!(compared > 0, "no upstream file could be read");
    eprintln!("compared {fields_compared} fields in {compared} upstream files");
    // With every mirror present the whole schema is compared; with some fetched and others
    // not (a partial mirror), what could be read is still checked field by field above.
    if skipped == 0 {
        assert!(
            fields_compared > 2_000,
            "only {fields_compared} fields compared"
        );
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
