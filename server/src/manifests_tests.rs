//! Unit tests of `--manifests`: parsing, kinds, namespaces, create-or-replace.

use std::sync::Arc;

use argo_store::{Environment, MemoryStore, ResourceStore};

use super::*;

const BINDING: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata:
  name: on-push
spec:
  event:
    selector: discriminator == "push"
  submit:
    workflowTemplateRef:
      name: build
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: limits
  namespace: team
data:
  workflow: "2"
"#;

fn store() -> Arc<dyn ResourceStore> {
    Arc::new(MemoryStore::new(Environment::system()))
}

#[test]
fn documents_become_objects_in_their_namespace_or_the_default() {
    let manifests = parse(Path::new("m.yaml"), BINDING, "argo").expect("parses");
    let placed: Vec<_> = manifests
        .iter()
        .map(|manifest| {
            (
                manifest.kind.kind.as_ref(),
                manifest.object.metadata.namespace.as_deref(),
                manifest.object.name(),
            )
        })
        .collect();
    assert_eq!(
        placed,
        vec![
            ("WorkflowEventBinding", Some("argo"), "on-push"),
            ("ConfigMap", Some("team"), "limits"),
        ]
    );
    assert_eq!(manifests[1].origin, "m.yaml, document 2");
}

#[test]
fn an_unsupported_kind_is_named_with_its_document() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
    let error = parse(Path::new("d.yaml"), text, "argo").expect_err("unsupported");
    let message = error.to_string();
    assert!(message.contains("d.yaml, document 1"), "{message}");
    assert!(message.contains("\"Deployment\""), "{message}");
    assert!(message.contains("WorkflowEventBinding"), "{message}");
}

#[test]
fn unknown_fields_and_missing_names_are_refused() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowEventBinding\nmetadata:\n  name: b\nspec:\n  evnt:\n    selector: x\n";
    let message = parse(Path::new("b.yaml"), text, "argo")
        .expect_err("unknown field")
        .to_string();
    assert!(message.contains("b.yaml"), "{message}");
    assert!(message.contains("spec.evnt"), "{message}");

    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: x-\n";
    let message = parse(Path::new("c.yaml"), text, "argo")
        .expect_err("no name")
        .to_string();
    assert!(message.contains("metadata.name is required"), "{message}");
}

#[test]
fn a_cluster_scoped_kind_may_not_name_a_namespace() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: ClusterWorkflowTemplate\nmetadata:\n  name: c\n  namespace: argo\nspec:\n  templates: []\n";
    let message = parse(Path::new("c.yaml"), text, "argo")
        .expect_err("namespaced cluster kind")
        .to_string();
    assert!(message.contains("cluster-scoped"), "{message}");
}

#[test]
fn a_directory_is_read_in_name_order_skipping_other_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config =
        |name: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
    std::fs::write(dir.path().join("b.yml"), config("second")).expect("write");
    std::fs::write(dir.path().join("a.yaml"), config("first")).expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not a manifest").expect("write");
    let manifests = read(&[dir.path().to_path_buf()], "argo").expect("reads");
    let names: Vec<_> = manifests.iter().map(|m| m.object.name()).collect();
    assert_eq!(names, vec!["first", "second"]);
}

#[tokio::test]
async fn applying_twice_replaces_the_object_and_keeps_its_uid() {
    let store = store();
    let first = parse(Path::new("m.yaml"), BINDING, "argo").expect("parses");
    let applied = apply(&store, first).await.expect("applies");
    assert_eq!(applied, vec![Applied::Created, Applied::Created]);
    let kind = ResourceKind::of::<ConfigMap>();
    let before = store
        .get(&kind, Some("team"), "limits")
        .await
        .expect("stored");

    let changed = BINDING.replace("workflow: \"2\"", "workflow: \"3\"");
    let second = parse(Path::new("m.yaml"), &changed, "argo").expect("parses");
    let applied = apply(&store, second).await.expect("applies again");
    assert_eq!(applied, vec![Applied::Replaced, Applied::Replaced]);
    let after = store
        .get(&kind, Some("team"), "limits")
        .await
        .expect("stored");
    assert_eq!(after.metadata.uid, before.metadata.uid);
    assert_ne!(
        after.metadata.resource_version,
        before.metadata.resource_version
    );
    assert_eq!(after.fields["data"]["workflow"], "3");
}
