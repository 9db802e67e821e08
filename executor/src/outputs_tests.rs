use std::path::Path;
use std::sync::Arc;

use argo_artifact::LocalRepository;
use argo_artifact::archive;
use argo_core::{ArchiveStrategy, NoneStrategy, Parameter, Template, ValueFrom};

use super::*;
use crate::inputs::tests::config_in;

fn from_path(name: &str, path: &str, default: Option<&str>) -> Parameter {
    Parameter {
        name: name.to_owned(),
        value_from: Some(ValueFrom {
            path: path.to_owned(),
            default: default.map(|d| AnyString(d.to_owned())),
            ..ValueFrom::default()
        }),
        ..Parameter::default()
    }
}

fn repository(root: &Path) -> DefaultRepository {
    DefaultRepository {
        repository: Arc::new(LocalRepository::new(root)),
        bucket: "bucket".to_owned(),
        key_format: String::new(),
        archive_logs: false,
    }
}

#[test]
fn the_result_keeps_the_last_256_kib_after_trimming_one_newline() {
    assert_eq!(script_result(b"hello\n\n"), "hello\n");
    assert_eq!(script_result(b""), "");
    let mut long = vec![b'a'; MAX_RESULT_BYTES];
    long.extend_from_slice(b"tail\n");
    let result = script_result(&long);
    assert_eq!(result.len(), MAX_RESULT_BYTES);
    assert!(result.ends_with("atail"));
}

#[tokio::test]
async fn parameters_are_read_trimmed_or_defaulted_and_missing_ones_fail_like_argo() {
    let temp = tempfile::tempdir().unwrap();
    let mut template = Template::default();
    template.outputs.parameters = vec![
        from_path("present", "/tmp/present.txt", None),
        from_path("defaulted", "/tmp/absent.txt", Some("fallback")),
        from_path("missing", "/tmp/missing.txt", None),
    ];
    let mut config = config_in(&temp.path().join("v"), template);
    config.include_script_output = true;
    let layout = config.var_run.clone();
    let saved = layout.output_parameter("/tmp/present.txt");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    std::fs::write(&saved, "value\n").unwrap();
    std::fs::create_dir_all(layout.container("main")).unwrap();
    std::fs::write(layout.exit_code("main"), "3").unwrap();
    std::fs::write(layout.stdout("main"), "printed\n").unwrap();

    let collected = collect(&config, None).await;
    let values: Vec<_> = collected
        .outputs
        .parameters
        .iter()
        .map(|p| p.value.as_ref().map(|v| v.0.clone()))
        .collect();
    assert_eq!(
        values,
        [Some("value".to_owned()), Some("fallback".to_owned()), None]
    );
    assert_eq!(collected.outputs.exit_code.as_deref(), Some("3"));
    assert_eq!(collected.outputs.result.as_deref(), Some("printed"));
    let message = collected.errors[0].to_string();
    let expected = format!(
        "open {}: no such file or directory",
        layout.output_parameter("/tmp/missing.txt").display()
    );
    assert_eq!(message, expected);
}

#[tokio::test]
async fn artifacts_are_saved_under_the_pod_key_with_their_strategy_and_logs_archived() {
    let temp = tempfile::tempdir().unwrap();
    let repo = repository(&temp.path().join("repo"));
    let mut template = Template::default();
    let mut plain = Artifact::at_path("plain", "/tmp/plain.txt");
    plain.archive = Some(ArchiveStrategy {
        none: Some(NoneStrategy {}),
        ..ArchiveStrategy::default()
    });
    let mut optional = Artifact::at_path("maybe", "/tmp/maybe");
    optional.optional = true;
    template.outputs.artifacts = vec![
        Artifact::at_path("packed", "/tmp/packed.txt"),
        plain,
        optional,
        Artifact::at_path("required", "/tmp/required"),
    ];
    let mut config = config_in(&temp.path().join("v"), template);
    config.artifacts.archive_logs = true;
    let layout = config.var_run.clone();
    for path in ["/tmp/packed.txt", "/tmp/plain.txt"] {
        let source = temp.path().join(Path::new(path).file_name().unwrap());
        std::fs::write(&source, format!("content of {path}")).unwrap();
        let staged = layout.output_artifact(path);
        crate::handover::copy_tree(&source, &staged).unwrap();
    }
    std::fs::create_dir_all(layout.container("main")).unwrap();
    std::fs::write(layout.combined("main"), "log line\n").unwrap();

    let collected = collect(&config, Some(&repo)).await;
    let keys: Vec<_> = collected
        .outputs
        .artifacts
        .iter()
        .map(|a| (a.name.clone(), a.location.s3.as_ref().unwrap().key.clone()))
        .collect();
    assert_eq!(
        keys,
        [
            ("packed".to_owned(), "wf/wf-main-1/packed.tgz".to_owned()),
            ("plain".to_owned(), "wf/wf-main-1/plain.txt".to_owned()),
            ("main-logs".to_owned(), "wf/wf-main-1/main.log".to_owned()),
        ]
    );
    let root = temp.path().join("repo/bucket/wf/wf-main-1");
    assert_eq!(
        std::fs::read_to_string(root.join("plain.txt")).unwrap(),
        "content of /tmp/plain.txt"
    );
    assert!(archive::is_tar_gz(&root.join("packed.tgz")));
    assert_eq!(
        std::fs::read_to_string(root.join("main.log")).unwrap(),
        "log line\n"
    );
    assert_eq!(collected.errors.len(), 1);
    assert_eq!(
        collected.errors[0].to_string(),
        "/tmp/required no such file or directory"
    );
}

#[tokio::test]
async fn a_container_set_output_on_a_shared_volume_is_read_from_the_volume() {
    let temp = tempfile::tempdir().unwrap();
    let workspace = temp.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    let written = workspace.join("out");
    std::fs::write(&written, "hi\n").unwrap();
    let mount = workspace.display().to_string();
    let mut template: Template = serde_json::from_value(serde_json::json!({
        "name": "main",
        "containerSet": {
            "volumeMounts": [{"name": "workspace", "mountPath": mount}],
            "containers": [{"name": "a", "image": "x"}, {"name": "main", "image": "x"}]
        }
    }))
    .unwrap();
    let path = written.display().to_string();
    template.outputs.parameters = vec![from_path("out", &path, None)];
    // Outside every mount: the emissary's copy is the only source.
    template
        .outputs
        .parameters
        .push(from_path("elsewhere", "/etc/hostname", None));
    let config = config_in(&temp.path().join("v"), template);

    let collected = collect(&config, None).await;
    let values: Vec<_> = collected
        .outputs
        .parameters
        .iter()
        .map(|p| p.value.as_ref().map(|v| v.0.clone()))
        .collect();
    assert_eq!(values, [Some("hi".to_owned()), None]);
    assert_eq!(collected.errors.len(), 1, "{:?}", collected.errors);
}
