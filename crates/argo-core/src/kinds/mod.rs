//! The eight `argoproj.io/v1alpha1` kinds, their `k8s_openapi::Resource`/`Metadata` impls and
//! list aliases. Each kind serialises `apiVersion` and `kind` itself, like k8s-openapi types.
//!
//! Must not: validate specs (lint) or check `apiVersion` on input (`document` does that, so that
//! kube list items without type fields still deserialise).

mod artifact_gc_task;
mod cron_workflow;
mod event_binding;
mod task_result;
mod task_set;
mod workflow;
mod workflow_template;

pub use artifact_gc_task::*;
pub use cron_workflow::*;
pub use event_binding::*;
pub use task_result::*;
pub use task_set::*;
pub use workflow::*;
pub use workflow_template::*;

/// The API group of every Argo kind.
pub const GROUP: &str = "argoproj.io";
/// The API version of every Argo kind.
pub const VERSION: &str = "v1alpha1";
/// `GROUP/VERSION`.
pub const API_VERSION: &str = "argoproj.io/v1alpha1";

/// Implements `Resource`, `ListableResource` and `Metadata<Ty = ObjectMeta>` for a kind.
macro_rules! argo_kind {
    ($ty:ident, kind = $kind:literal, plural = $plural:literal, scope = $scope:ident) => {
        impl ::k8s_openapi::Resource for $ty {
            const API_VERSION: &'static str = $crate::kinds::API_VERSION;
            const GROUP: &'static str = $crate::kinds::GROUP;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $crate::kinds::VERSION;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = ::k8s_openapi::$scope;
        }

        impl ::k8s_openapi::ListableResource for $ty {
            const LIST_KIND: &'static str = concat!($kind, "List");
        }

        impl ::k8s_openapi::Metadata for $ty {
            type Ty = ::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

            fn metadata(&self) -> &Self::Ty {
                &self.metadata
            }

            fn metadata_mut(&mut self) -> &mut Self::Ty {
                &mut self.metadata
            }
        }
    };
}

/// Implements `Serialize` as `apiVersion`, `kind`, `metadata`, then the listed fields; fields
/// marked `?` are left out while they equal their default (Go writes `{}` there, we write
/// nothing).
macro_rules! serialize_kind {
    ($ty:ident { $($key:literal => $field:ident),* $(; ? $okey:literal => $ofield:ident)* }) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("apiVersion", <Self as ::k8s_openapi::Resource>::API_VERSION)?;
                map.serialize_entry("kind", <Self as ::k8s_openapi::Resource>::KIND)?;
                map.serialize_entry("metadata", &self.metadata)?;
                $( map.serialize_entry($key, &self.$field)?; )*
                $(
                    if !$crate::values::is_default(&self.$ofield) {
                        map.serialize_entry($okey, &self.$ofield)?;
                    }
                )*
                map.end()
            }
        }
    };
}

pub(crate) use {argo_kind, serialize_kind};

/// Adds the `apiVersion` and `kind` properties that the hand-written `Serialize` impls emit.
pub(crate) fn with_type_meta(schema: &mut schemars::Schema) {
    let type_field =
        |description: &str| serde_json::json!({ "type": "string", "description": description });
    if let Some(properties) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
    {
        properties.insert("apiVersion".into(), type_field("APIVersion of the object."));
        properties.insert("kind".into(), type_field("Kind of the object."));
    }
}

/// Metadata with a name (and namespace, when given) for test builders.
pub(crate) fn object_meta(
    name: &str,
    namespace: Option<&str>,
) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
    k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        name: Some(name.to_owned()),
        namespace: namespace.map(str::to_owned),
        ..Default::default()
    }
}
