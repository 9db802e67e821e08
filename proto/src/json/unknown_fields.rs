//! Which JSON keys a message accepts, for rejecting the keys no field claims.
//!
//! Go's decoder with `DisallowUnknownFields` accepts a key when a field of the struct claims it
//! (exactly or case-insensitively), when a field of an embedded `json:",inline"` struct claims
//! it, or when the struct embeds Kubernetes' `TypeMeta` (`apiVersion`, `kind`): go-to-protobuf
//! leaves `TypeMeta` out of the schema, so this module puts it back by rule. Messages with their
//! own JSON form (raw JSON, `Plugin`) take any key. Free-form maps are fields, so their entries
//! are never looked at here. This module reads only the descriptor; it does not convert values.

use prost_reflect::{Kind, MessageDescriptor};

use super::field_rule::field_rule;
use super::special::{Special, special_kind};

/// What the reader does with a JSON key that no field of the message claims.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnknownFields {
    /// An error naming the key and where it is (what a client sending a request gets).
    #[default]
    Reject,
    /// Dropped, as Go's `encoding/json` drops it by default (for JSON this project produced
    /// itself from the domain model, whose types may run ahead of the API schema).
    Ignore,
}

const META: &str = "k8s.io.apimachinery.pkg.apis.meta.v1";

/// The Kubernetes option structs that embed `TypeMeta` without carrying `metadata`.
const OPTIONS_WITH_TYPE_META: [&str; 5] = [
    "k8s.io.apimachinery.pkg.apis.meta.v1.CreateOptions",
    "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
    "k8s.io.apimachinery.pkg.apis.meta.v1.GetOptions",
    "k8s.io.apimachinery.pkg.apis.meta.v1.ListOptions",
    "k8s.io.api.core.v1.PodLogOptions",
];

/// Whether `message`'s Go struct embeds `TypeMeta`, so `apiVersion` and `kind` are accepted.
///
/// Every Kubernetes object and list does (they are the messages with an `ObjectMeta` or
/// `ListMeta` called `metadata`), as do the option structs of the API machinery.
pub(crate) fn embeds_type_meta(message: &MessageDescriptor) -> bool {
    if OPTIONS_WITH_TYPE_META.contains(&message.full_name()) {
        return true;
    }
    let Some(metadata) = message.get_field_by_name("metadata") else {
        return false;
    };
    let Kind::Message(meta) = metadata.kind() else {
        return false;
    };
    let is_object_or_list_meta = meta
        .full_name()
        .strip_prefix(META)
        .is_some_and(|short| short == ".ObjectMeta" || short == ".ListMeta");
    is_object_or_list_meta && !has_own_type_meta_fields(message)
}

fn has_own_type_meta_fields(message: &MessageDescriptor) -> bool {
    message.get_field_by_name("kind").is_some() || message.get_field_by_name("apiVersion").is_some()
}

/// Whether `key` is one of `TypeMeta`'s keys.
pub(crate) fn is_type_meta_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("apiVersion") || key.eq_ignore_ascii_case("kind")
}

/// Whether `message`, read from the same JSON object as its parent (an inline field), claims
/// `key`: one of its own fields, or of its inline fields, or anything for raw-JSON kinds.
pub(crate) fn inline_message_claims(message: &MessageDescriptor, key: &str) -> bool {
    match special_kind(message) {
        Some(Special::RawJson | Special::Plugin) => return true,
        Some(_) => return false,
        None => {}
    }
    if embeds_type_meta(message) && is_type_meta_key(key) {
        return true;
    }
    message.fields().any(|field| {
        let rule = field_rule(&field);
        if !rule.inline {
            return rule.key.eq_ignore_ascii_case(key);
        }
        match field.kind() {
            Kind::Message(inner) => inline_message_claims(&inner, key),
            _ => false,
        }
    })
}

/// The path as a person reads it: `workflow.spec.templates[0]` rather than `$.workflow...`.
pub(crate) fn readable_path(path: &str) -> String {
    match path.strip_prefix("$.") {
        Some(rest) => rest.to_owned(),
        None if path == "$" => "the top-level object".to_owned(),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor_pool;

    const ARGO: &str = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1";

    fn message(name: &str) -> MessageDescriptor {
        descriptor_pool()
            .expect("descriptor set decodes")
            .get_message_by_name(name)
            .expect("message exists")
    }

    #[test]
    fn kubernetes_objects_lists_and_options_embed_type_meta() {
        assert!(embeds_type_meta(&message(&format!("{ARGO}.Workflow"))));
        assert!(embeds_type_meta(&message(&format!("{ARGO}.WorkflowList"))));
        assert!(embeds_type_meta(&message(&format!("{META}.CreateOptions"))));
        assert!(!embeds_type_meta(&message(&format!("{ARGO}.WorkflowSpec"))));
        assert!(!embeds_type_meta(&message(
            "workflow.WorkflowCreateRequest"
        )));
    }

    #[test]
    fn an_inline_message_claims_its_own_and_its_inline_fields_keys() {
        let artifact = message(&format!("{ARGO}.Artifact"));
        let location = match artifact
            .get_field_by_name("artifactLocation")
            .expect("field")
            .kind()
        {
            Kind::Message(location) => location,
            other => panic!("artifactLocation is {other:?}"),
        };
        assert!(inline_message_claims(&location, "s3"));
        assert!(inline_message_claims(&location, "S3"));
        assert!(!inline_message_claims(&location, "bucket"));
    }

    #[test]
    fn paths_read_without_the_root_marker() {
        assert_eq!(readable_path("$.workflow.spec"), "workflow.spec");
        assert_eq!(readable_path("$"), "the top-level object");
        assert_eq!(readable_path("$[2]"), "$[2]");
    }
}
