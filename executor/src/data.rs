//! `argoexec data <spec>` (Argo's data template): list the keys under `source.artifactPaths`
//! in the artifact repository, then apply each `transformation[].expression` (expr-lang, with
//! the current list bound to `data`); the JSON of the final value is the node's result.
//! Must not: write anything but the task result (the caller reports it).

use argo_artifact::location::{DefaultRepository, Resolved, resolve};
use argo_core::{Data, NodePhase, NodeResult, Outputs};
use serde_json::Value;

/// Runs the data template given as JSON and returns the node result to report.
pub async fn run(spec: &str, repository: Option<&DefaultRepository>) -> NodeResult {
    match process(spec, repository).await {
        Ok(result) => NodeResult {
            phase: NodePhase::Succeeded,
            outputs: Some(Outputs {
                result: Some(result),
                ..Outputs::default()
            }),
            ..NodeResult::default()
        },
        Err(message) => NodeResult {
            phase: NodePhase::Failed,
            message,
            ..NodeResult::default()
        },
    }
}

async fn process(spec: &str, repository: Option<&DefaultRepository>) -> Result<String, String> {
    let data: Data =
        serde_json::from_str(spec).map_err(|e| format!("the data template argument: {e}"))?;
    let source = source(&data, repository)
        .await
        .map_err(|e| format!("unable to process data source: {e}"))?;
    let transformed = transform(&data, source)
        .map_err(|e| format!("unable to process data transformation: {e}"))?;
    serde_json::to_string(&transformed).map_err(|e| e.to_string())
}

async fn source(data: &Data, repository: Option<&DefaultRepository>) -> Result<Value, String> {
    let Some(paths) = &data.source.artifact_paths else {
        return Err("no valid source is used for data template".into());
    };
    let artifact = &paths.artifact;
    let repository = repository.ok_or_else(|| {
        format!(
            "unable to source artifact paths: artifact {:?}: no artifact repository is configured",
            artifact.name
        )
    })?;
    let resolved = resolve(artifact, &repository.bucket)
        .map_err(|e| format!("unable to source artifact paths: {e}"))?;
    let location = match resolved {
        Some(Resolved::Object(location)) => location,
        Some(Resolved::Raw(_)) | None => {
            return Err(format!(
                "unable to source artifact paths: artifact {:?} names no key to list",
                artifact.name
            ));
        }
    };
    let keys = repository
        .repository
        .list(&location)
        .await
        .map_err(|e| format!("unable to source artifact paths: {e}"))?;
    Ok(Value::from(keys))
}

fn transform(data: &Data, mut value: Value) -> Result<Value, String> {
    for (index, step) in data.transformation.iter().enumerate() {
        if step.expression.is_empty() {
            continue;
        }
        let mut scope = argo_expr::Scope::new();
        scope.insert("data", value);
        value = argo_expr::evaluate(&step.expression, &scope, &argo_expr::Options::default())
            .map_err(|e| format!("error processing data step {index}: {e}"))?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use argo_artifact::{ArtifactRepository as _, LocalRepository};

    async fn repository_with(keys: &[&str]) -> (tempfile::TempDir, DefaultRepository) {
        let dir = tempfile::tempdir().expect("tempdir");
        let local = LocalRepository::new(dir.path().to_path_buf());
        let file = dir.path().join("source.txt");
        std::fs::write(&file, "x").expect("write");
        for key in keys {
            let object = argo_artifact::ObjectLocation::new("bucket", *key);
            local.put_file(&object, &file).await.expect("put");
        }
        let repository = DefaultRepository {
            repository: Arc::new(local),
            bucket: "bucket".into(),
            key_format: String::new(),
            archive_logs: false,
        };
        (dir, repository)
    }

    fn spec(transformations: &[&str]) -> String {
        let steps: Vec<Value> = transformations
            .iter()
            .map(|e| serde_json::json!({"expression": e}))
            .collect();
        serde_json::json!({
            "source": {"artifactPaths": {"name": "in", "s3": {"key": "files"}}},
            "transformation": steps,
        })
        .to_string()
    }

    #[tokio::test]
    async fn artifact_paths_are_listed_then_filtered_and_mapped() {
        let (_dir, repository) = repository_with(&[
            "files/a.txt",
            "files/b.csv",
            "files/sub/c.txt",
            "other/d.txt",
        ])
        .await;
        let result = run(
            &spec(&[
                r#"filter(data, {# endsWith ".txt"})"#,
                r#"map(data, {# + "!"})"#,
            ]),
            Some(&repository),
        )
        .await;
        assert_eq!(result.phase, NodePhase::Succeeded, "{}", result.message);
        let listed = result.outputs.and_then(|o| o.result).expect("a result");
        assert_eq!(listed, r#"["files/a.txt!","files/sub/c.txt!"]"#);
    }

    #[tokio::test]
    async fn a_bad_expression_fails_naming_the_step() {
        let (_dir, repository) = repository_with(&["files/a.txt"]).await;
        let result = run(&spec(&["data +"]), Some(&repository)).await;
        assert_eq!(result.phase, NodePhase::Failed);
        assert!(
            result
                .message
                .starts_with("unable to process data transformation: error processing data step 0"),
            "{}",
            result.message
        );
    }

    #[tokio::test]
    async fn a_missing_source_is_an_error() {
        let result = run(r#"{"source": {}}"#, None).await;
        assert_eq!(
            result.message,
            "unable to process data source: no valid source is used for data template"
        );
    }
}
