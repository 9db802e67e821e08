//! Which running workflows a pod event concerns. A workflow's pods are named after it: the
//! workflow's own name (a single-pod workflow in Argo's v1 naming) or the name followed by a dash
//! and more. So the owners are found by looking up each dash-ended prefix of the pod's name,
//! a handful of set lookups per event whatever the number of running workflows.
//! Must not: read pods or workflows; it only matches names.

use std::collections::BTreeSet;

use crate::queue::WorkflowKey;

/// The keys in `active` that may own the pod `namespace/pod`: those named `pod`, or named like
/// a prefix of `pod` that a dash follows.
pub(crate) fn pod_owners(
    active: &BTreeSet<WorkflowKey>,
    namespace: &str,
    pod: &str,
) -> Vec<WorkflowKey> {
    let ends = pod
        .match_indices('-')
        .map(|(at, _)| at)
        .chain(std::iter::once(pod.len()));
    let mut owners = Vec::new();
    for end in ends {
        let candidate = WorkflowKey::new(namespace, &pod[..end]);
        if active.contains(&candidate) {
            owners.push(candidate);
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &[(&str, &str)]) -> BTreeSet<WorkflowKey> {
        names
            .iter()
            .map(|(namespace, name)| WorkflowKey::new(*namespace, *name))
            .collect()
    }

    #[test]
    fn a_pod_belongs_to_the_workflow_its_name_starts_with() {
        let active = keys(&[("argo", "hello"), ("argo", "other"), ("team", "hello")]);
        assert_eq!(
            pod_owners(&active, "argo", "hello-main-1234"),
            vec![WorkflowKey::new("argo", "hello")]
        );
        assert_eq!(
            pod_owners(&active, "argo", "hello"),
            vec![WorkflowKey::new("argo", "hello")]
        );
    }

    #[test]
    fn every_dash_ended_prefix_that_is_a_workflow_is_an_owner() {
        let active = keys(&[("argo", "a"), ("argo", "a-b"), ("argo", "a-b-c-d")]);
        assert_eq!(
            pod_owners(&active, "argo", "a-b-c-123"),
            vec![
                WorkflowKey::new("argo", "a"),
                WorkflowKey::new("argo", "a-b")
            ]
        );
    }

    #[test]
    fn a_prefix_without_a_dash_after_it_or_another_namespace_is_no_owner() {
        let active = keys(&[("argo", "hell"), ("team", "hello")]);
        assert!(pod_owners(&active, "argo", "hello-main-1").is_empty());
        assert!(pod_owners(&active, "argo", "").is_empty());
    }
}
