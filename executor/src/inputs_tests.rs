use std::sync::Arc;

use argo_artifact::archive::ArchiveKind;
use argo_artifact::{LocalRepository, ObjectLocation};
use argo_core::{RawArtifact, ScriptTemplate, Template};

use super::*;
use crate::layout::VarRunArgo;

pub(crate) fn config_in(var_run: &Path, template: Template) -> ExecutorConfig {
    let json = serde_json::to_string(&template).unwrap();
    let mut config = ExecutorConfig::from_lookup(|name| match name {
        "ARGO_TEMPLATE" => Some(json.clone()),
        "ARGO_VAR_RUN" => Some(var_run.to_string_lossy().into_owned()),
        "ARGO_WORKFLOW_NAME" => Some("wf".to_owned()),
        "ARGO_POD_NAME" => Some("wf-main-1".to_owned()),
        "ARGO_NODE_ID" => Some("wf-1".to_owned()),
        "ARGO_NAMESPACE" => Some("argo".to_owned()),
        _ => None,
    })
    .unwrap();
    config.var_run = VarRunArgo::new(var_run);
    config
}

fn repository(root: &Path) -> DefaultRepository {
    DefaultRepository {
        repository: Arc::new(LocalRepository::new(root)),
        bucket: "bucket".to_owned(),
        key_format: String::new(),
        archive_logs: false,
    }
}

#[tokio::test]
async fn init_stages_template_executor_script_and_artifacts() {
    let temp = tempfile::tempdir().unwrap();
    let repo = repository(&temp.path().join("repo"));
    let source = temp.path().join("message.txt");
    std::fs::write(&source, "from the repository").unwrap();
    let object = ObjectLocation::new("bucket", "earlier/pod/message.tgz");
    transfer::save(
        repo.repository.as_ref(),
        &source,
        ArchiveKind::TarGz { level: None },
        &object,
    )
    .await
    .unwrap();

    let mut template = Template {
        name: "t".to_owned(),
        script: Some(ScriptTemplate {
            source: "echo hi".to_owned(),
            ..ScriptTemplate::default()
        }),
        ..Template::default()
    };
    let mut stored = Artifact::at_path("message", "/tmp/message");
    stored.location = location::reported_location(&ObjectLocation::new("", object.key.clone()));
    let mut raw = Artifact::at_path("raw", "/tmp/raw");
    raw.location.raw = Some(RawArtifact {
        data: "inline".to_owned(),
    });
    let mut optional = Artifact::at_path("maybe", "/tmp/maybe");
    optional.optional = true;
    template.inputs.artifacts = vec![stored, raw, optional];

    let var_run = temp.path().join("var-run-argo");
    let config = config_in(&var_run, template);
    let binary = temp.path().join("argoexec-binary");
    std::fs::write(&binary, "binary").unwrap();
    init(&config, Some(&repo), &binary).await.unwrap();

    let layout = &config.var_run;
    assert!(layout.template().exists());
    assert_eq!(
        std::fs::read_to_string(layout.executor_binary()).unwrap(),
        "binary"
    );
    assert_eq!(std::fs::read_to_string(layout.script()).unwrap(), "echo hi");
    assert_eq!(
        std::fs::read_to_string(layout.input_artifact("message")).unwrap(),
        "from the repository"
    );
    assert_eq!(
        std::fs::read_to_string(layout.input_artifact("raw")).unwrap(),
        "inline"
    );
    assert!(!layout.input_artifact("maybe").exists());
}

#[tokio::test]
async fn a_required_artifact_without_location_or_object_fails_init() {
    let temp = tempfile::tempdir().unwrap();
    let repo = repository(&temp.path().join("repo"));
    let mut template = Template::default();
    template.inputs.artifacts = vec![Artifact::at_path("needed", "/tmp/needed")];
    let config = config_in(&temp.path().join("v"), template);
    let error = init(&config, Some(&repo), Path::new("/bin/true"))
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "required artifact 'needed' not supplied");

    let mut missing = Artifact::at_path("gone", "/tmp/gone");
    missing.location = location::reported_location(&ObjectLocation::new("", "no/such/key"));
    let error = stage_input_artifact(&config, Some(&repo), &missing)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no/such/key"), "{error}");
}
