//! The write rules every backend applies, as pure functions: what a create, update, status update
//! or delete turns the stored object into, given the revision the write will commit at.
//!
//! Backends look up the stored object, call these, and persist the resulting [`Change`]; keeping
//! the rules here is what makes the backends agree. Nothing here does I/O or reads the clock
//! itself (the caller passes `now`).

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::environment::generated_name;
use crate::{Environment, Error, Object, Preconditions, ResourceKind, Result, Revision, Scope};

/// How many generated names a create tries before reporting `AlreadyExists`.
pub const GENERATE_NAME_ATTEMPTS: usize = 8;

/// The outcome of a write rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Nothing changes; no revision is taken and no event is emitted.
    Unchanged(Object),
    /// Store this object (created or modified). `previous_labels` is `None` for creations.
    Put {
        object: Object,
        previous_labels: Option<BTreeMap<String, String>>,
    },
    /// Remove the object; this is its last state, stamped with the deleting revision.
    Remove(Object),
}

/// The name a create stores the object under: its own, or `generateName` plus a fresh suffix.
pub fn creation_name(
    kind: &ResourceKind,
    object: &Object,
    environment: &Environment,
) -> Result<String> {
    if let Some(name) = object
        .metadata
        .name
        .as_deref()
        .filter(|name| !name.is_empty())
    {
        return Ok(name.to_owned());
    }
    match object
        .metadata
        .generate_name
        .as_deref()
        .filter(|prefix| !prefix.is_empty())
    {
        Some(prefix) => Ok(generated_name(prefix, &environment.ids.name_suffix())),
        None => Err(invalid(
            kind,
            "",
            "metadata.name or metadata.generateName is required",
        )),
    }
}

/// Whether a create may retry with another generated name after a name collision.
pub fn name_is_generated(object: &Object) -> bool {
    object.metadata.name.as_deref().is_none_or(str::is_empty)
}

/// A new object as stored: validated, named `name`, with uid, creation time, revision and
/// generation 1.
pub fn created(
    kind: &ResourceKind,
    mut object: Object,
    name: String,
    environment: &Environment,
    revision: Revision,
) -> Result<Object> {
    check_type(kind, &mut object, &name)?;
    validate_name(kind, &name)?;
    if object
        .resource_version()
        .is_some_and(|version| !version.is_empty())
    {
        return Err(invalid(
            kind,
            &name,
            "metadata.resourceVersion must not be set on create",
        ));
    }
    match kind.scope {
        Scope::Namespaced => {
            let namespace = object.namespace().unwrap_or("");
            if namespace.is_empty() {
                return Err(invalid(kind, &name, "metadata.namespace is required"));
            }
            validate_name(kind, namespace)?;
        }
        Scope::Cluster => object.metadata.namespace = None,
    }
    if kind.status_subresource {
        object.fields.remove("status");
    }
    let metadata = &mut object.metadata;
    metadata.name = Some(name);
    metadata.uid = Some(environment.ids.uid());
    metadata.creation_timestamp = Some(Time(environment.clock.now()));
    metadata.resource_version = Some(revision.to_string());
    metadata.generation = Some(1);
    metadata.deletion_timestamp = None;
    metadata.deletion_grace_period_seconds = None;
    metadata.self_link = None;
    Ok(object)
}

/// An update of `stored` to `incoming`, honouring the resourceVersion and uid preconditions.
pub fn updated(
    kind: &ResourceKind,
    stored: &Object,
    mut incoming: Object,
    revision: Revision,
) -> Result<Change> {
    check_type(kind, &mut incoming, stored.name())?;
    check_update_preconditions(kind, stored, &incoming)?;
    if kind.status_subresource {
        match stored.fields.get("status") {
            Some(status) => incoming.fields.insert("status".to_owned(), status.clone()),
            None => incoming.fields.remove("status"),
        };
    }
    let system = &stored.metadata;
    let metadata = &mut incoming.metadata;
    metadata.name.clone_from(&system.name);
    metadata.namespace.clone_from(&system.namespace);
    metadata.uid.clone_from(&system.uid);
    metadata
        .creation_timestamp
        .clone_from(&system.creation_timestamp);
    metadata
        .deletion_timestamp
        .clone_from(&system.deletion_timestamp);
    metadata.deletion_grace_period_seconds = system.deletion_grace_period_seconds;
    metadata.generate_name.clone_from(&system.generate_name);
    metadata.self_link = None;
    metadata
        .resource_version
        .clone_from(&system.resource_version);
    metadata.generation = system.generation;
    if incoming.spec_differs(stored, kind.status_subresource) {
        incoming.metadata.generation = Some(stored.generation().saturating_add(1));
    }
    Ok(finish(stored, incoming, revision))
}

/// A status update: `stored` with `incoming`'s status, nothing else.
pub fn status_updated(
    kind: &ResourceKind,
    stored: &Object,
    mut incoming: Object,
    revision: Revision,
) -> Result<Change> {
    check_type(kind, &mut incoming, stored.name())?;
    check_update_preconditions(kind, stored, &incoming)?;
    let mut object = stored.clone();
    match incoming.fields.remove("status") {
        Some(status) => object.fields.insert("status".to_owned(), status),
        None => object.fields.remove("status"),
    };
    Ok(finish(stored, object, revision))
}

/// A delete of `stored`: removal, or for objects with finalizers a deletion mark.
pub fn deleted(
    kind: &ResourceKind,
    stored: &Object,
    preconditions: &Preconditions,
    now: Timestamp,
    revision: Revision,
) -> Result<Change> {
    let key = stored.key(kind);
    if let Some(uid) = &preconditions.uid
        && stored.uid() != Some(uid.as_str())
    {
        return Err(key.conflict(format!(
            "precondition failed: uid {uid} does not match the stored uid {}",
            stored.uid().unwrap_or("")
        )));
    }
    if let Some(version) = &preconditions.resource_version
        && stored.resource_version() != Some(version.as_str())
    {
        return Err(key.conflict(format!(
            "precondition failed: resourceVersion {version} does not match the stored {}",
            stored.resource_version().unwrap_or("")
        )));
    }
    if !stored.has_finalizers() {
        let mut last = stored.clone();
        last.metadata.resource_version = Some(revision.to_string());
        return Ok(Change::Remove(last));
    }
    if stored.is_being_deleted() {
        return Ok(Change::Unchanged(stored.clone()));
    }
    let mut marked = stored.clone();
    marked.metadata.deletion_timestamp = Some(Time(now));
    marked.metadata.deletion_grace_period_seconds = Some(0);
    Ok(finish(stored, marked, revision))
}

/// Classifies a rewritten object: unchanged, removed (deleting and no finalizers left) or put.
fn finish(stored: &Object, mut object: Object, revision: Revision) -> Change {
    object
        .metadata
        .resource_version
        .clone_from(&stored.metadata.resource_version);
    if object == *stored {
        return Change::Unchanged(object);
    }
    object.metadata.resource_version = Some(revision.to_string());
    if object.is_being_deleted() && !object.has_finalizers() {
        return Change::Remove(object);
    }
    Change::Put {
        object,
        previous_labels: Some(stored.metadata.labels.clone().unwrap_or_default()),
    }
}

fn check_update_preconditions(
    kind: &ResourceKind,
    stored: &Object,
    incoming: &Object,
) -> Result<()> {
    let key = stored.key(kind);
    if let Some(version) = incoming
        .resource_version()
        .filter(|version| !version.is_empty())
    {
        Revision::parse(version)?;
        if stored.resource_version() != Some(version) {
            return Err(key.conflict(
                "the object has been modified; apply your changes to the latest version and try again",
            ));
        }
    }
    if let Some(uid) = incoming.uid().filter(|uid| !uid.is_empty())
        && stored.uid() != Some(uid)
    {
        return Err(key.conflict(format!("uid {uid} does not match the stored object")));
    }
    Ok(())
}

/// Fills in `apiVersion`/`kind` when missing; rejects an object of another kind.
fn check_type(kind: &ResourceKind, object: &mut Object, name: &str) -> Result<()> {
    if object.api_version.is_empty() {
        object.api_version = kind.api_version.to_string();
    }
    if object.kind.is_empty() {
        object.kind = kind.kind.to_string();
    }
    if object.api_version != kind.api_version || object.kind != kind.kind {
        let message = format!(
            "object is a {}/{}, not a {kind}",
            object.api_version, object.kind
        );
        return Err(invalid(kind, name, &message));
    }
    Ok(())
}

/// Names must be usable as one URL path segment, as Kubernetes requires of every kind.
fn validate_name(kind: &ResourceKind, name: &str) -> Result<()> {
    let problem = if name.is_empty() {
        Some("name must not be empty")
    } else if name.len() > 253 {
        Some("name must be at most 253 characters")
    } else if name == "." || name == ".." {
        Some("name may not be '.' or '..'")
    } else if name.contains(['/', '%']) || name.chars().any(char::is_control) {
        Some("name may not contain '/', '%' or control characters")
    } else {
        None
    };
    match problem {
        Some(message) => Err(invalid(kind, name, message)),
        None => Ok(()),
    }
}

fn invalid(kind: &ResourceKind, name: &str, message: &str) -> Error {
    Error::InvalidObject {
        kind: kind.kind.to_string(),
        name: name.to_owned(),
        message: message.to_owned(),
    }
}
