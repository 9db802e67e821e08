//! The stored object model: a kind descriptor, an object's key, and the object itself (Kubernetes
//! `ObjectMeta` plus the rest of its JSON body).
//!
//! The store is generic over kinds: it never interprets an object's body beyond `status`, so it
//! does not depend on the resource model crate. This module holds data only; it performs no I/O.

use std::borrow::Cow;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Error, Result};

/// Whether objects of a kind live in a namespace or at cluster level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// Maps a `k8s_openapi` scope marker type to a [`Scope`], so typed access can derive the kind.
pub trait ScopeOf {
    const SCOPE: Scope;
}

impl ScopeOf for k8s_openapi::NamespaceResourceScope {
    const SCOPE: Scope = Scope::Namespaced;
}

impl ScopeOf for k8s_openapi::ClusterResourceScope {
    const SCOPE: Scope = Scope::Cluster;
}

/// Describes a kind the store holds: its `apiVersion`, `kind`, scope and whether `status` is a
/// separate subresource.
///
/// With a status subresource (Kubernetes' `subresources: {status: {}}`), `update` keeps the stored
/// status and only `update_status` changes it. Without one (Argo's own CRDs), `update` writes the
/// whole object. Either way `update_status` changes only `status`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceKind {
    pub api_version: Cow<'static, str>,
    pub kind: Cow<'static, str>,
    /// The lower-case plural used in API paths (`workflows`, `configmaps`): what a Kubernetes
    /// backend needs to address the kind.
    pub plural: Cow<'static, str>,
    pub scope: Scope,
    pub status_subresource: bool,
}

impl ResourceKind {
    /// A kind whose plural follows English rules from `kind` (override with [`Self::with_plural`]).
    pub fn new(api_version: &'static str, kind: &'static str, scope: Scope) -> Self {
        Self {
            api_version: Cow::Borrowed(api_version),
            kind: Cow::Borrowed(kind),
            plural: Cow::Owned(plural_of(kind)),
            scope,
            status_subresource: false,
        }
    }

    /// The kind of a `k8s_openapi` (or argo-core) resource type.
    pub fn of<T>() -> Self
    where
        T: k8s_openapi::Resource,
        T::Scope: ScopeOf,
    {
        Self::new(T::API_VERSION, T::KIND, <T::Scope as ScopeOf>::SCOPE)
            .with_plural(T::URL_PATH_SEGMENT)
    }

    #[must_use]
    pub fn with_plural(mut self, plural: &'static str) -> Self {
        self.plural = Cow::Borrowed(plural);
        self
    }

    /// The API group (`argoproj.io`), empty for the core group (`v1`).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The API version without the group (`v1alpha1`).
    pub fn version(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or(&self.api_version, |(_, version)| version)
    }

    #[must_use]
    pub fn with_status_subresource(mut self) -> Self {
        self.status_subresource = true;
        self
    }

    pub fn is_namespaced(&self) -> bool {
        self.scope == Scope::Namespaced
    }
}

/// The lower-case English plural of a kind name, as Kubernetes derives resource names.
fn plural_of(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    let consonant_before_y = lower
        .strip_suffix('y')
        .and_then(|stem| stem.chars().last())
        .is_some_and(|c| !"aeiou".contains(c));
    if consonant_before_y {
        format!("{}ies", &lower[..lower.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.api_version, self.kind)
    }
}

/// Identifies one object: its kind, namespace (`None` for cluster-scoped kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey {
    pub kind: ResourceKind,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectKey {
    pub fn new(kind: &ResourceKind, namespace: Option<&str>, name: &str) -> Self {
        let namespace = match kind.scope {
            Scope::Namespaced => namespace.map(str::to_owned),
            Scope::Cluster => None,
        };
        Self {
            kind: kind.clone(),
            namespace,
            name: name.to_owned(),
        }
    }

    /// The namespace as stored: cluster-scoped objects use the empty string.
    pub fn stored_namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    pub fn not_found(&self) -> Error {
        Error::NotFound {
            kind: self.kind.kind.to_string(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    pub fn already_exists(&self) -> Error {
        Error::AlreadyExists {
            kind: self.kind.kind.to_string(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    pub fn conflict(&self, message: impl Into<String>) -> Error {
        Error::Conflict {
            kind: self.kind.kind.to_string(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            message: message.into(),
        }
    }
}

/// One stored object: `apiVersion`, `kind`, `metadata` and every other top-level field (`spec`,
/// `status`, `data`...) kept as JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Object {
    /// An empty object of `kind` named `name` (in `namespace` for namespaced kinds).
    pub fn new(kind: &ResourceKind, namespace: Option<&str>, name: &str) -> Self {
        let metadata = ObjectMeta {
            name: Some(name.to_owned()),
            namespace: namespace.map(str::to_owned),
            ..ObjectMeta::default()
        };
        Self {
            api_version: kind.api_version.to_string(),
            kind: kind.kind.to_string(),
            metadata,
            fields: Map::new(),
        }
    }

    /// Converts any serializable resource (typed or `serde_json::Value`) into an object.
    pub fn from_resource<T: Serialize>(resource: &T) -> Result<Self> {
        let value = serde_json::to_value(resource).map_err(Error::Serialization)?;
        // The usual shape is taken apart by hand: deserializing a struct with a flattened map
        // buffers and copies every field once more.
        let is_text = |field: Option<&Value>| matches!(field, None | Some(Value::String(_)));
        let Value::Object(mut fields) = value else {
            return serde_json::from_value(value).map_err(Error::Serialization);
        };
        if !is_text(fields.get("apiVersion")) || !is_text(fields.get("kind")) {
            // Not strings: let the derived deserializer report it.
            return serde_json::from_value(Value::Object(fields)).map_err(Error::Serialization);
        }
        let mut text = |key: &str| match fields.shift_remove(key) {
            Some(Value::String(text)) => text,
            _ => String::new(),
        };
        let (api_version, kind) = (text("apiVersion"), text("kind"));
        let metadata = match fields.shift_remove("metadata") {
            Some(metadata) => serde_json::from_value(metadata).map_err(Error::Serialization)?,
            None => ObjectMeta::default(),
        };
        Ok(Self {
            api_version,
            kind,
            metadata,
            fields,
        })
    }

    /// Converts this object into a typed resource.
    pub fn into_resource<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        // The same map the derived serializer writes, built by moving the fields, not copying.
        let mut map = Map::with_capacity(self.fields.len() + 3);
        map.insert("apiVersion".to_owned(), Value::String(self.api_version));
        map.insert("kind".to_owned(), Value::String(self.kind));
        map.insert(
            "metadata".to_owned(),
            serde_json::to_value(&self.metadata).map_err(Error::Serialization)?,
        );
        for (key, value) in self.fields {
            map.insert(key, value);
        }
        serde_json::from_value(Value::Object(map)).map_err(Error::Serialization)
    }

    /// This object's `apiVersion`, `kind` and `metadata` without its body (what a
    /// metadata-only watch delivers).
    #[must_use]
    pub fn metadata_only(&self) -> Self {
        Self {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            metadata: self.metadata.clone(),
            fields: Map::new(),
        }
    }

    /// Converts a borrowed object into a typed resource, as [`Object::into_resource`] does,
    /// without copying the JSON tree first (the resource's own strings are its only copy).
    pub fn to_resource<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        use serde::de::value::MapDeserializer;
        let head = [
            ("apiVersion", Value::String(self.api_version.clone())),
            ("kind", Value::String(self.kind.clone())),
            (
                "metadata",
                serde_json::to_value(&self.metadata).map_err(Error::Serialization)?,
            ),
        ];
        let entries = head
            .iter()
            .map(|(key, value)| (*key, value))
            .chain(self.fields.iter().map(|(key, value)| (key.as_str(), value)));
        T::deserialize(MapDeserializer::<_, serde_json::Error>::new(entries))
            .map_err(Error::Serialization)
    }

    #[must_use]
    pub fn with_field(mut self, field: &str, value: Value) -> Self {
        self.fields.insert(field.to_owned(), value);
        self
    }

    #[must_use]
    pub fn with_label(mut self, key: &str, value: &str) -> Self {
        self.metadata
            .labels
            .get_or_insert_default()
            .insert(key.to_owned(), value.to_owned());
        self
    }

    #[must_use]
    pub fn with_generate_name(mut self, prefix: &str) -> Self {
        self.metadata.name = None;
        self.metadata.generate_name = Some(prefix.to_owned());
        self
    }

    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> Option<&str> {
        self.metadata.namespace.as_deref()
    }

    pub fn resource_version(&self) -> Option<&str> {
        self.metadata.resource_version.as_deref()
    }

    pub fn uid(&self) -> Option<&str> {
        self.metadata.uid.as_deref()
    }

    pub fn generation(&self) -> i64 {
        self.metadata.generation.unwrap_or(0)
    }

    pub fn status(&self) -> Option<&Value> {
        self.fields.get("status")
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.metadata.labels.as_ref()?.get(key).map(String::as_str)
    }

    /// The key of this object once it is stored as `kind`.
    pub fn key(&self, kind: &ResourceKind) -> ObjectKey {
        ObjectKey::new(kind, self.namespace(), self.name())
    }

    pub fn has_finalizers(&self) -> bool {
        self.metadata
            .finalizers
            .as_ref()
            .is_some_and(|finalizers| !finalizers.is_empty())
    }

    pub fn is_being_deleted(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }

    /// Whether the parts that `generation` tracks differ: everything but `metadata`, and also but
    /// `status` when it is a subresource.
    pub(crate) fn spec_differs(&self, other: &Self, status_subresource: bool) -> bool {
        // Compared in place: a copy of both bodies would cost more than the comparison.
        let tracked = |field: &String| !(status_subresource && field.as_str() == "status");
        let count = |object: &Self| object.fields.keys().filter(|field| tracked(field)).count();
        if count(self) != count(other) {
            return true;
        }
        self.fields
            .iter()
            .filter(|(field, _)| tracked(field))
            .any(|(field, value)| other.fields.get(field) != Some(value))
    }
}

/// A store-wide revision, rendered as the decimal string clients see as `resourceVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Revision(pub u64);

impl Revision {
    /// Parses a client-supplied `resourceVersion`.
    pub fn parse(value: &str) -> Result<Self> {
        value
            .parse::<u64>()
            .map(Self)
            .map_err(|_| Error::InvalidResourceVersion {
                value: value.to_owned(),
            })
    }

    #[must_use]
    pub fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
    use serde_json::json;

    #[test]
    fn kinds_of_typed_resources_carry_their_scope() {
        let config_map = ResourceKind::of::<ConfigMap>();
        assert_eq!(config_map.api_version, "v1");
        assert_eq!(config_map.kind, "ConfigMap");
        assert_eq!(config_map.scope, Scope::Namespaced);
        assert_eq!(ResourceKind::of::<Namespace>().scope, Scope::Cluster);
    }

    #[test]
    fn objects_round_trip_through_typed_resources() {
        let config_map = ConfigMap {
            metadata: ObjectMeta {
                name: Some("params".into()),
                namespace: Some("argo".into()),
                ..ObjectMeta::default()
            },
            data: Some([("a".to_owned(), "1".to_owned())].into()),
            ..ConfigMap::default()
        };
        let object = Object::from_resource(&config_map).unwrap();
        assert_eq!(object.kind, "ConfigMap");
        assert_eq!(object.fields["data"], json!({"a": "1"}));
        let back: ConfigMap = object.into_resource().unwrap();
        assert_eq!(back, config_map);
    }

    #[test]
    fn kinds_know_their_group_version_and_plural() {
        let workflows = ResourceKind::new("argoproj.io/v1alpha1", "Workflow", Scope::Namespaced);
        assert_eq!(
            (workflows.group(), workflows.version()),
            ("argoproj.io", "v1alpha1")
        );
        assert_eq!(workflows.plural, "workflows");
        let policy = ResourceKind::new("example.io/v1", "NetworkPolicy", Scope::Namespaced);
        assert_eq!(policy.plural, "networkpolicies");
        assert_eq!(ResourceKind::of::<ConfigMap>().plural, "configmaps");
        assert_eq!(ResourceKind::of::<ConfigMap>().group(), "");
        let index = ResourceKind::new("example.io/v1", "Index", Scope::Namespaced);
        assert_eq!(index.plural, "indexes");
    }

    #[test]
    fn cluster_scoped_keys_drop_the_namespace() {
        let kind = ResourceKind::new("v1", "Namespace", Scope::Cluster);
        let key = ObjectKey::new(&kind, Some("ignored"), "argo");
        assert_eq!(key.namespace, None);
        assert_eq!(key.stored_namespace(), "");
    }

    #[test]
    fn status_changes_are_not_spec_changes_only_with_a_status_subresource() {
        let kind = ResourceKind::new("v1", "Thing", Scope::Namespaced);
        let before = Object::new(&kind, Some("ns"), "a").with_field("status", json!({"p": 1}));
        let after = before.clone().with_field("status", json!({"p": 2}));
        assert!(!after.spec_differs(&before, true));
        assert!(after.spec_differs(&before, false));
    }

    #[test]
    fn an_added_or_removed_field_is_a_spec_change_but_a_new_status_under_a_subresource_is_not() {
        let kind = ResourceKind::new("v1", "Thing", Scope::Namespaced);
        let bare = Object::new(&kind, Some("ns"), "a").with_field("spec", json!({"x": 1}));
        let with_data = bare.clone().with_field("data", json!({"k": "v"}));
        assert!(with_data.spec_differs(&bare, true));
        assert!(bare.spec_differs(&with_data, true));
        let with_status = bare.clone().with_field("status", json!({"p": 1}));
        assert!(!with_status.spec_differs(&bare, true));
        assert!(!bare.spec_differs(&with_status, true));
        assert!(with_status.spec_differs(&bare, false));
        let reordered = Object::new(&kind, Some("ns"), "a")
            .with_field("data", json!({"k": "v"}))
            .with_field("spec", json!({"x": 1}));
        assert!(!reordered.spec_differs(&with_data, false));
    }

    #[test]
    fn revisions_reject_non_numeric_text() {
        assert_eq!(Revision::parse("42").unwrap(), Revision(42));
        assert!(matches!(
            Revision::parse("abc"),
            Err(Error::InvalidResourceVersion { .. })
        ));
    }
}
