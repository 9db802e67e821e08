//! `Resource`: any document of a stream, typed when it is one of the eight Argo kinds and kept
//! as JSON otherwise (ConfigMaps, PVCs, ...), plus the `ArgoKind` trait that ties the eight kinds
//! to it.
//!
//! Must not: parse text (see `document`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::kinds::{
    ClusterWorkflowTemplate, CronWorkflow, Workflow, WorkflowArtifactGCTask, WorkflowEventBinding,
    WorkflowTaskResult, WorkflowTaskSet, WorkflowTemplate,
};

/// One resource from a document stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    Workflow(Box<Workflow>),
    WorkflowTemplate(Box<WorkflowTemplate>),
    ClusterWorkflowTemplate(Box<ClusterWorkflowTemplate>),
    CronWorkflow(Box<CronWorkflow>),
    WorkflowEventBinding(Box<WorkflowEventBinding>),
    WorkflowTaskSet(Box<WorkflowTaskSet>),
    WorkflowTaskResult(Box<WorkflowTaskResult>),
    WorkflowArtifactGCTask(Box<WorkflowArtifactGCTask>),
    /// Any other kind, kept as parsed.
    Other {
        api_version: String,
        kind: String,
        value: Value,
    },
}

/// One of the eight Argo kinds.
pub trait ArgoKind:
    k8s_openapi::Resource
    + k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>
    + Serialize
    + DeserializeOwned
    + Clone
    + Sized
{
    /// Wraps the value.
    fn into_resource(self) -> Resource;

    /// Unwraps a resource of this kind, or gives it back.
    fn from_resource(resource: Resource) -> Result<Self, Resource>;
}

macro_rules! argo_kind_resource {
    ($($ty:ident),+) => {
        $(
            impl ArgoKind for $ty {
                fn into_resource(self) -> Resource {
                    Resource::$ty(Box::new(self))
                }

                fn from_resource(resource: Resource) -> Result<Self, Resource> {
                    match resource {
                        Resource::$ty(value) => Ok(*value),
                        other => Err(other),
                    }
                }
            }
        )+

        /// The kind names of the eight Argo kinds.
        pub const ARGO_KINDS: &[&str] = &[$(stringify!($ty)),+];

        impl Resource {
            /// The `kind` of the resource.
            pub fn kind(&self) -> &str {
                match self {
                    $( Resource::$ty(_) => stringify!($ty), )+
                    Resource::Other { kind, .. } => kind,
                }
            }

            /// The `apiVersion` of the resource.
            pub fn api_version(&self) -> &str {
                match self {
                    Resource::Other { api_version, .. } => api_version,
                    _ => crate::kinds::API_VERSION,
                }
            }

            /// The resource's metadata, for the Argo kinds.
            pub fn metadata(
                &self,
            ) -> Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta> {
                match self {
                    $( Resource::$ty(value) => Some(&value.metadata), )+
                    Resource::Other { .. } => None,
                }
            }

            /// The resource as JSON.
            pub fn to_value(&self) -> Result<Value, serde_json::Error> {
                match self {
                    $( Resource::$ty(value) => serde_json::to_value(value), )+
                    Resource::Other { value, .. } => Ok(value.clone()),
                }
            }

            /// Types a JSON object of the Argo kind `kind`; `None` for other kinds.
            pub(crate) fn typed_from_value(
                kind: &str,
                value: &Value,
            ) -> Option<Result<Resource, serde_path_to_error::Error<serde_json::Error>>> {
                match kind {
                    $(
                        stringify!($ty) => Some(
                            serde_path_to_error::deserialize::<_, $ty>(value)
                                .map(|typed| Resource::$ty(Box::new(typed))),
                        ),
                    )+
                    _ => None,
                }
            }
        }
    };
}

argo_kind_resource!(
    Workflow,
    WorkflowTemplate,
    ClusterWorkflowTemplate,
    CronWorkflow,
    WorkflowEventBinding,
    WorkflowTaskSet,
    WorkflowTaskResult,
    WorkflowArtifactGCTask
);

impl Resource {
    /// The `metadata.name`, for any kind.
    pub fn name(&self) -> Option<&str> {
        match self {
            Resource::Other { value, .. } => value.pointer("/metadata/name")?.as_str(),
            _ => self.metadata()?.name.as_deref(),
        }
    }

    /// True for the eight Argo kinds.
    pub fn is_argo(&self) -> bool {
        !matches!(self, Resource::Other { .. })
    }
}
