//! The run-after order of a pod's main containers (see `RUN_AFTER_ANNOTATION_PREFIX`): whether
//! a container may start, must wait, or never will because one it runs after failed. Pure: it
//! reads the launch and the record, starts nothing and writes nothing.

use crate::launch::PodLaunch;
use crate::record::{ContainerPhase, ContainerRecord, PodRecord};

/// The waiting reason of a main container that will never start because a container it must
/// run after failed.
pub(super) const DEPENDENCY_FAILED: &str = "DependencyFailed";

pub(super) enum Dependencies {
    Pending,
    Succeeded,
    Failed,
}

pub(super) fn is_blocked(container: &ContainerRecord) -> bool {
    matches!(&container.phase, ContainerPhase::Waiting { reason } if reason == DEPENDENCY_FAILED)
}

/// Where the containers that `name` must run after stand.
pub(super) fn dependencies_of(launch: &PodLaunch, record: &PodRecord, name: &str) -> Dependencies {
    let after = launch
        .container(name)
        .map(|c| c.run_after.as_slice())
        .unwrap_or_default();
    let mut outcome = Dependencies::Succeeded;
    for dependency in after {
        let Some(record) = record.containers.iter().find(|c| &c.name == dependency) else {
            continue;
        };
        match record.exit() {
            Some(exit) if exit.exit_code == 0 => {}
            Some(_) => return Dependencies::Failed,
            None if is_blocked(record) => return Dependencies::Failed,
            None => outcome = Dependencies::Pending,
        }
    }
    outcome
}
