//! Artifact locations: `ArtifactLocation` (at most one storage kind set) and the non-bucket
//! kinds (git, http, artifactory, hdfs, raw, plugin). Bucket stores live in `object_storage`.
//!
//! Must not: hold credentials themselves (only references to Secrets) or perform any I/O.

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::object_storage::{AzureArtifact, GcsArtifact, OssArtifact, S3Artifact};
use crate::values::{is_default, is_false, is_zero};

/// Where an artifact lives. At most one location should be set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_logs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Artifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifactory: Option<ArtifactoryArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hdfs: Option<HdfsArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oss: Option<OssArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gcs: Option<GcsArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureArtifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<PluginArtifact>,
}

/// The storage kinds an artifact location can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArtifactLocationKind {
    S3,
    Git,
    Http,
    Artifactory,
    Hdfs,
    Raw,
    Oss,
    Gcs,
    Azure,
    Plugin,
}

impl ArtifactLocation {
    /// The kinds that are set, in Go's field order (valid locations have at most one).
    pub fn kinds(&self) -> Vec<ArtifactLocationKind> {
        let candidates = [
            (self.s3.is_some(), ArtifactLocationKind::S3),
            (self.git.is_some(), ArtifactLocationKind::Git),
            (self.http.is_some(), ArtifactLocationKind::Http),
            (
                self.artifactory.is_some(),
                ArtifactLocationKind::Artifactory,
            ),
            (self.hdfs.is_some(), ArtifactLocationKind::Hdfs),
            (self.raw.is_some(), ArtifactLocationKind::Raw),
            (self.oss.is_some(), ArtifactLocationKind::Oss),
            (self.gcs.is_some(), ArtifactLocationKind::Gcs),
            (self.azure.is_some(), ArtifactLocationKind::Azure),
            (self.plugin.is_some(), ArtifactLocationKind::Plugin),
        ];
        candidates
            .into_iter()
            .filter_map(|(set, kind)| set.then_some(kind))
            .collect()
    }

    /// True when some storage location is set.
    pub fn has_location(&self) -> bool {
        !self.kinds().is_empty()
    }
}

/// A git repository checked out as an input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct GitArtifact {
    pub repo: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub revision: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fetch: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssh_private_key_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "is_false")]
    pub insecure_ignore_host_key: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub disable_submodules: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub single_branch: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub branch: String,
    #[serde(rename = "insecureSkipTLS", skip_serializing_if = "is_false")]
    pub insecure_skip_tls: bool,
}

/// A file fetched over HTTP(S).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct HttpArtifact {
    pub url: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<HttpAuth>,
    #[serde(skip_serializing_if = "is_false")]
    pub save_stream_via_file: bool,
}

/// A literal HTTP header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// Authentication for HTTP artifacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct HttpAuth {
    #[serde(skip_serializing_if = "is_default")]
    pub client_cert: ClientCertAuth,
    #[serde(rename = "oauth2", skip_serializing_if = "is_default")]
    pub oauth2: OAuth2Auth,
    #[serde(skip_serializing_if = "is_default")]
    pub basic_auth: BasicAuth,
}

/// Username and password from Secrets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct BasicAuth {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_secret: Option<SecretKeySelector>,
}

/// A client certificate and key from Secrets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientCertAuth {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_secret: Option<SecretKeySelector>,
}

/// OAuth2 client-credentials settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct OAuth2Auth {
    #[serde(rename = "clientIDSecret", skip_serializing_if = "Option::is_none")]
    pub client_id_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_secret: Option<SecretKeySelector>,
    #[serde(rename = "tokenURLSecret", skip_serializing_if = "Option::is_none")]
    pub token_url_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoint_params: Vec<OAuth2EndpointParam>,
}

/// An extra parameter for the OAuth2 token endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct OAuth2EndpointParam {
    pub key: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
}

/// Credentials for Artifactory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactoryAuth {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_secret: Option<SecretKeySelector>,
}

/// A file in Artifactory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactoryArtifact {
    pub url: String,
    #[serde(flatten)]
    pub auth: ArtifactoryAuth,
}

/// Kerberos settings for HDFS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct HdfsKrbConfig {
    #[serde(rename = "krbCCacheSecret", skip_serializing_if = "Option::is_none")]
    pub krb_ccache_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub krb_keytab_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub krb_username: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub krb_realm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub krb_config_config_map: Option<ConfigMapKeySelector>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub krb_service_principal_name: String,
}

/// An HDFS cluster and user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct HdfsConfig {
    #[serde(flatten)]
    pub krb: HdfsKrbConfig,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hdfs_user: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_transfer_protection: String,
}

/// A file in HDFS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct HdfsArtifact {
    #[serde(flatten)]
    pub config: HdfsConfig,
    pub path: String,
    #[serde(skip_serializing_if = "is_false")]
    pub force: bool,
}

/// Literal artifact content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct RawArtifact {
    pub data: String,
}

/// An object handled by an artifact driver plugin.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct PluginArtifact {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub configuration: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub connection_timeout_seconds: i32,
    pub key: String,
}
