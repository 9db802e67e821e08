//! Object-storage artifact kinds: S3, GCS, Azure Blob and Alibaba OSS buckets and objects.
//!
//! Must not: hold credentials themselves (only references to Secrets) or perform any I/O.

use k8s_openapi::api::core::v1::SecretKeySelector;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::{is_false, is_zero};

/// An S3 bucket and how to reach it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct S3Bucket {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bucket: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token_secret: Option<SecretKeySelector>,
    #[serde(rename = "roleARN", skip_serializing_if = "String::is_empty")]
    pub role_arn: String,
    #[serde(rename = "useSDKCreds", skip_serializing_if = "is_false")]
    pub use_sdk_creds: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_bucket_if_not_present: Option<CreateS3BucketOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_options: Option<S3EncryptionOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub addressing_style: String,
}

/// Server-side encryption settings for S3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct S3EncryptionOptions {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kms_key_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kms_encryption_context: String,
    #[serde(skip_serializing_if = "is_false")]
    pub enable_encryption: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_side_customer_key_secret: Option<SecretKeySelector>,
}

/// Options used when the bucket is created on demand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct CreateS3BucketOptions {
    #[serde(skip_serializing_if = "is_false")]
    pub object_locking: bool,
}

/// An object in S3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct S3Artifact {
    #[serde(flatten)]
    pub bucket: S3Bucket,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
}

/// An Azure blob container and how to reach it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct AzureBlobContainer {
    pub endpoint: String,
    pub container: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_key_secret: Option<SecretKeySelector>,
    #[serde(rename = "useSDKCreds", skip_serializing_if = "is_false")]
    pub use_sdk_creds: bool,
}

/// A blob in Azure storage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct AzureArtifact {
    #[serde(flatten)]
    pub container: AzureBlobContainer,
    pub blob: String,
}

/// An Alibaba OSS bucket and how to reach it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct OssBucket {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key_secret: Option<SecretKeySelector>,
    #[serde(skip_serializing_if = "is_false")]
    pub create_bucket_if_not_present: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub security_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_rule: Option<OssLifecycleRule>,
    #[serde(rename = "useSDKCreds", skip_serializing_if = "is_false")]
    pub use_sdk_creds: bool,
}

/// OSS lifecycle rule for stored objects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct OssLifecycleRule {
    #[serde(skip_serializing_if = "is_zero")]
    pub mark_infrequent_access_after_days: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub mark_deletion_after_days: i32,
}

/// An object in OSS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct OssArtifact {
    #[serde(flatten)]
    pub bucket: OssBucket,
    pub key: String,
}

/// A GCS bucket and its service-account key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct GcsBucket {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bucket: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account_key_secret: Option<SecretKeySelector>,
}

/// An object in GCS.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct GcsArtifact {
    #[serde(flatten)]
    pub bucket: GcsBucket,
    pub key: String,
}
