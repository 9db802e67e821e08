//! The conformance suite every storage backend runs: one async function per behaviour, generic
//! over a [`Backend`] harness, and [`conformance_suite!`](crate::conformance_suite) to turn them
//! into `#[tokio::test]`s. A backend passes when every case passes unchanged.
//!
//! This is test code compiled only with the `conformance` feature: cases panic on failure. The
//! cases use a deterministic environment (manual clock, sequential ids) so results are exact.

mod cases_crud;
mod cases_lifecycle;
mod cases_list;
mod cases_watch;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use jiff::Timestamp;
use serde_json::json;

use crate::{
    Environment, IdGenerator, ManualClock, Object, ResourceKind, ResourceStore, Revision, Scope,
    SequentialIds, WatchEvent, WatchStream,
};

pub use cases_crud::*;
pub use cases_lifecycle::*;
pub use cases_list::*;
pub use cases_watch::*;

/// What the suite needs from a backend under test.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    type Store: ResourceStore + Clone + 'static;

    /// Opens the backend's storage. Every call on one harness opens the *same* storage, so a
    /// durable backend sees what an earlier store wrote.
    async fn open(&self, environment: Environment) -> Self::Store;

    /// Releases a store before it is reopened (closing pools, flushing).
    async fn close(&self, store: Self::Store) {
        drop(store);
    }

    /// Discards watch history through `through`; `false` when the backend cannot.
    async fn compact(&self, store: &Self::Store, through: Revision) -> bool;

    /// Whether storage survives [`Self::close`] and [`Self::open`].
    fn durable(&self) -> bool;

    /// Whether the store takes uids, name suffixes and timestamps from the [`Environment`] it is
    /// opened with (a Kubernetes API server assigns its own); cases asserting exact values are
    /// skipped otherwise.
    fn honours_environment(&self) -> bool {
        true
    }
}

/// Whether a case that asserts injected values can run; says why when it cannot.
pub fn environment_is_injected<B: Backend>(backend: &B) -> bool {
    let honoured = backend.honours_environment();
    if !honoured {
        eprintln!("skipped: this backend assigns its own uids, names and timestamps");
    }
    honoured
}

/// Generates one `#[tokio::test]` per conformance case for the backend harness `$backend`
/// (an expression evaluated afresh for every test).
#[macro_export]
macro_rules! conformance_suite {
    ($backend:expr) => {
        $crate::conformance_suite!(@cases $backend;
            create_stores_the_object_with_system_metadata,
            create_fills_in_the_type_and_rejects_another_kind,
            create_rejects_invalid_objects,
            generate_name_appends_a_kubernetes_suffix,
            generate_name_retries_after_a_collision,
            generate_name_gives_up_with_already_exists,
            creating_an_existing_name_is_already_exists,
            missing_objects_are_not_found,
            update_with_a_stale_resource_version_is_a_conflict,
            update_without_a_resource_version_is_unconditional,
            generation_tracks_spec_changes_only,
            status_update_changes_only_the_status,
            status_subresource_kinds_ignore_status_in_update,
            an_update_that_changes_nothing_keeps_the_resource_version,
            delete_checks_preconditions_and_returns_the_last_state,
            finalizers_hold_a_deleted_object_until_removed,
            resource_versions_increase_across_kinds,
            cluster_scoped_kinds_have_no_namespace,
            kinds_with_the_same_names_are_separate,
            racing_updates_with_the_same_version_have_one_winner,
            reopening_keeps_objects_and_revisions,
            list_is_sorted_and_scoped_to_a_namespace,
            label_selectors_support_every_operator,
            field_selectors_match_name_and_namespace,
            invalid_selectors_are_rejected,
            pagination_returns_every_object_once,
            pagination_continues_across_inserts,
            pagination_applies_selectors_before_the_limit,
            invalid_continue_tokens_are_rejected,
            watch_replays_changes_after_a_revision_in_order,
            watch_without_a_revision_starts_with_current_objects,
            watch_from_version_zero_starts_with_current_objects,
            list_then_watch_from_its_revision_misses_nothing,
            watch_filters_by_namespace_and_labels,
            watch_turns_selector_transitions_into_added_and_deleted,
            watch_from_a_compacted_revision_is_expired,
            watch_resumes_from_history_after_reopening,
            several_watchers_see_the_same_changes,
            a_watcher_that_falls_behind_catches_up_from_history,
        );
    };
    (@cases $backend:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let backend = $backend;
                $crate::conformance::$case(&backend).await;
            }
        )*
    };
}

/// A namespaced kind without a status subresource (like Argo's own CRDs).
pub fn things() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "Thing", Scope::Namespaced)
}

/// A namespaced kind with a status subresource.
pub fn gadgets() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "Gadget", Scope::Namespaced)
        .with_status_subresource()
}

/// A cluster-scoped kind.
pub fn cluster_things() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "ClusterThing", Scope::Cluster)
}

/// The time the suite's clock starts at.
pub fn start_time() -> Timestamp {
    "2026-01-02T03:04:05Z"
        .parse()
        .expect("a valid timestamp literal")
}

/// A deterministic environment and its clock.
pub fn environment() -> (Environment, Arc<ManualClock>) {
    Environment::deterministic(start_time())
}

/// Opens a store of `backend` with a fresh deterministic environment.
pub async fn open<B: Backend>(backend: &B) -> B::Store {
    backend.open(environment().0).await
}

/// An object of `kind` with a small spec.
pub fn object(kind: &ResourceKind, namespace: Option<&str>, name: &str) -> Object {
    Object::new(kind, namespace, name).with_field("spec", json!({"replicas": 1}))
}

/// Creates `name` in `namespace` with `labels` as a [`things`] object.
pub async fn create_thing(
    store: &impl ResourceStore,
    namespace: &str,
    name: &str,
    labels: &[(&str, &str)],
) -> Object {
    let mut thing = object(&things(), Some(namespace), name);
    for (key, value) in labels {
        thing = thing.with_label(key, value);
    }
    store
        .create(&things(), thing)
        .await
        .expect("create succeeds")
}

/// The names of `objects`, in order.
pub fn names(objects: &[Object]) -> Vec<String> {
    objects
        .iter()
        .map(|object| object.name().to_owned())
        .collect()
}

/// The next watch event, failing the test after five seconds.
pub async fn next_event(stream: &mut WatchStream) -> WatchEvent {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("a watch event arrives within five seconds")
        .expect("the watch stream is still open")
        .expect("the watch event is not an error")
}

/// Asserts that no event is delivered within a short while.
pub async fn assert_quiet(stream: &mut WatchStream) {
    let next = tokio::time::timeout(Duration::from_millis(100), stream.next()).await;
    assert!(next.is_err(), "unexpected watch event: {next:?}");
}

/// (event type, name) of an event, for compact assertions.
pub fn summary(event: &WatchEvent) -> (&'static str, String) {
    (
        event.event_type().as_str(),
        event.object().name().to_owned(),
    )
}

/// An id generator whose name suffix never changes, to force generateName collisions.
#[derive(Debug, Default)]
pub struct ConstantSuffix {
    uids: SequentialIds,
}

impl IdGenerator for ConstantSuffix {
    fn uid(&self) -> String {
        self.uids.uid()
    }

    fn name_suffix(&self) -> String {
        "xxxxx".to_owned()
    }
}
