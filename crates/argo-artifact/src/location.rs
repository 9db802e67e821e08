//! Which object an artifact names. Local mode stores everything in one default repository:
//! `s3` locations without an endpoint (Argo's key-only artifacts, `s3: {key: ...}`) resolve
//! against it, `raw` artifacts carry their data inline, and every other kind (`http`, `git`,
//! `gcs`, `s3` with an endpoint, ...) is refused with a clear "not supported" error.
//! Must not: read or write objects.

use std::sync::Arc;

use argo_core::{Artifact, ArtifactLocation, ArtifactLocationKind};

use crate::archive::ArchiveKind;
use crate::error::{Error, Result};
use crate::repository::{ArtifactRepository, ObjectLocation};

/// The repository that key-only artifacts and outputs without a location go to.
#[derive(Clone, Debug)]
pub struct DefaultRepository {
    pub repository: Arc<dyn ArtifactRepository>,
    /// The bucket used when an artifact names none.
    pub bucket: String,
    /// `keyFormat`; empty means [`crate::DEFAULT_KEY_FORMAT`].
    pub key_format: String,
    /// Whether pods archive their main container's log by default (`archiveLogs`).
    pub archive_logs: bool,
}

/// What an artifact's location resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// An object in the default repository.
    Object(ObjectLocation),
    /// Inline content (`raw.data`).
    Raw(String),
}

fn kind_name(kind: ArtifactLocationKind) -> &'static str {
    match kind {
        ArtifactLocationKind::S3 => "s3",
        ArtifactLocationKind::Git => "git",
        ArtifactLocationKind::Http => "http",
        ArtifactLocationKind::Artifactory => "artifactory",
        ArtifactLocationKind::Hdfs => "hdfs",
        ArtifactLocationKind::Raw => "raw",
        ArtifactLocationKind::Oss => "oss",
        ArtifactLocationKind::Gcs => "gcs",
        ArtifactLocationKind::Azure => "azure",
        ArtifactLocationKind::Plugin => "plugin",
    }
}

/// The object or inline data an input artifact names. `None` when it names no location at all
/// (the caller decides whether that is an error: it is not for optional artifacts).
pub fn resolve(artifact: &Artifact, default_bucket: &str) -> Result<Option<Resolved>> {
    let location: &ArtifactLocation = &artifact.location;
    if let Some(raw) = &location.raw {
        return Ok(Some(Resolved::Raw(raw.data.clone())));
    }
    if let Some(s3) = &location.s3 {
        if !s3.bucket.endpoint.is_empty() {
            return Err(Error::Unsupported {
                name: artifact.name.clone(),
                kind: format!("s3 (endpoint {})", s3.bucket.endpoint),
            });
        }
        if s3.key.is_empty() {
            return Ok(None);
        }
        let bucket = if s3.bucket.bucket.is_empty() {
            default_bucket
        } else {
            &s3.bucket.bucket
        };
        return Ok(Some(Resolved::Object(ObjectLocation::new(
            bucket,
            s3.key.clone(),
        ))));
    }
    match location.kinds().first() {
        Some(kind) => Err(Error::Unsupported {
            name: artifact.name.clone(),
            kind: kind_name(*kind).to_owned(),
        }),
        None => Ok(None),
    }
}

/// Where an output artifact is saved: its own key when it names one, else
/// `<key prefix>/<file name>` in the default bucket (`<name>.tgz`, `<name>.zip`, or the path's
/// base name when not archived), as Argo's executor names them.
pub fn output_object(
    artifact: &Artifact,
    default_bucket: &str,
    key_prefix: &str,
) -> Result<ObjectLocation> {
    if let Some(Resolved::Object(object)) = resolve(artifact, default_bucket)? {
        return Ok(object);
    }
    if artifact.location.raw.is_some() {
        return Err(Error::Unsupported {
            name: artifact.name.clone(),
            kind: "raw output".to_owned(),
        });
    }
    let file_name =
        ArchiveKind::of(artifact.archive.as_ref()).file_name(&artifact.name, &artifact.path);
    Ok(ObjectLocation::new(default_bucket, key_prefix).child(&file_name))
}

/// The location to report for a saved object: a key-only `s3` location naming its bucket.
pub fn reported_location(object: &ObjectLocation) -> ArtifactLocation {
    let mut s3 = argo_core::S3Artifact::default();
    s3.bucket.bucket = object.bucket.clone();
    s3.key = object.key.clone();
    ArtifactLocation {
        s3: Some(s3),
        ..ArtifactLocation::default()
    }
}

#[cfg(test)]
mod tests {
    use argo_core::{HttpArtifact, RawArtifact, S3Artifact};

    use super::*;

    fn key_only(key: &str) -> Artifact {
        let mut artifact = Artifact::at_path("in", "/tmp/in");
        artifact.location = reported_location(&ObjectLocation::new("", key));
        artifact
    }

    #[test]
    fn key_only_s3_artifacts_resolve_against_the_default_bucket() {
        let resolved = resolve(&key_only("wf/pod/out.tgz"), "artifacts").unwrap();
        assert_eq!(
            resolved,
            Some(Resolved::Object(ObjectLocation::new(
                "artifacts",
                "wf/pod/out.tgz"
            )))
        );
    }

    #[test]
    fn raw_artifacts_carry_their_data() {
        let mut artifact = Artifact::at_path("in", "/tmp/in");
        artifact.location.raw = Some(RawArtifact {
            data: "inline".to_owned(),
        });
        assert_eq!(
            resolve(&artifact, "b").unwrap(),
            Some(Resolved::Raw("inline".to_owned()))
        );
    }

    #[test]
    fn http_and_endpoint_s3_artifacts_are_not_supported_yet() {
        let mut artifact = Artifact::at_path("web", "/tmp/w");
        artifact.location.http = Some(HttpArtifact::default());
        let message = resolve(&artifact, "b").unwrap_err().to_string();
        assert!(
            message.contains("http artifacts are not supported in local mode yet"),
            "{message}"
        );
        let mut s3 = S3Artifact::default();
        s3.bucket.endpoint = "minio:9000".to_owned();
        s3.key = "k".to_owned();
        artifact.location = ArtifactLocation {
            s3: Some(s3),
            ..ArtifactLocation::default()
        };
        assert!(resolve(&artifact, "b").is_err());
    }

    #[test]
    fn outputs_without_a_key_go_under_the_pod_prefix() {
        let artifact = Artifact::at_path("hello-art", "/tmp/hello.txt");
        let object = output_object(&artifact, "artifacts", "wf/wf-pod").unwrap();
        assert_eq!(
            object,
            ObjectLocation::new("artifacts", "wf/wf-pod/hello-art.tgz")
        );
        let explicit = key_only("my/own/key.txt");
        let object = output_object(&explicit, "artifacts", "wf/wf-pod").unwrap();
        assert_eq!(object.key, "my/own/key.txt");
    }
}
