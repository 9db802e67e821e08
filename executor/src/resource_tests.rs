use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_core::{ResourceTemplate, Template};
use argo_store::MemoryStore;
use argo_store::prelude::*;

use super::*;
use crate::inputs::tests::config_in;

fn template(action: &str, manifest: &str, outputs: &str) -> Template {
    let yaml = format!(
        "name: r\nresource:\n  action: {action}\n  manifest: |\n{}\noutputs:\n{outputs}",
        manifest
            .lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    serde_norway::from_str(&yaml).expect("a template")
}

fn with(template: Template, change: impl FnOnce(&mut ResourceTemplate)) -> Template {
    let mut template = template;
    change(template.resource.as_mut().expect("resource"));
    template
}

async fn run_in(store: &Arc<dyn ResourceStore>, template: Template) -> NodeResult {
    let temp = tempfile::tempdir().expect("tempdir");
    let mut config = config_in(temp.path(), template);
    config.workflow_uid = "wf-uid".into();
    run("create", &config, store.clone(), Duration::from_millis(10)).await
}

async fn run_action(
    store: &Arc<dyn ResourceStore>,
    action: &str,
    template: Template,
) -> NodeResult {
    let temp = tempfile::tempdir().expect("tempdir");
    let mut config = config_in(temp.path(), template);
    config.workflow_uid = "wf-uid".into();
    run(action, &config, store.clone(), Duration::from_millis(10)).await
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: one";
const UID_OUT: &str = "  parameters:\n  - name: name\n    valueFrom: {jsonPath: '{.metadata.name}'}\n  - name: a\n    valueFrom: {jqFilter: '.data.a'}";

fn store() -> Arc<dyn ResourceStore> {
    Arc::new(MemoryStore::default())
}

async fn config_map(store: &Arc<dyn ResourceStore>) -> ConfigMap {
    let kind = ResourceKind::of::<ConfigMap>();
    store
        .get(&kind, Some("argo"), "cm")
        .await
        .expect("stored")
        .into_resource()
        .expect("a config map")
}

fn parameter(result: &NodeResult, name: &str) -> Option<String> {
    let outputs = result.outputs.as_ref()?;
    let value = outputs
        .parameters
        .iter()
        .find(|p| p.name == name)?
        .value
        .clone()?;
    Some(value.0)
}

#[tokio::test]
async fn create_stores_the_object_with_an_owner_reference_and_reads_outputs() {
    let store = store();
    let owned = with(template("create", CM, UID_OUT), |r| {
        r.set_owner_reference = true
    });
    let result = run_in(&store, owned).await;
    assert_eq!(result.phase, NodePhase::Succeeded, "{}", result.message);
    assert_eq!(parameter(&result, "name").as_deref(), Some("cm"));
    assert_eq!(parameter(&result, "a").as_deref(), Some("one"));
    let stored = config_map(&store).await;
    let owners = stored.metadata.owner_references.expect("owner references");
    assert_eq!(owners[0].kind, "Workflow");
    assert_eq!(owners[0].name, "wf");
    assert_eq!(owners[0].uid, "wf-uid");
    let again = run_in(&store, template("create", CM, "  parameters: []")).await;
    assert_eq!(again.phase, NodePhase::Failed);
    assert!(
        again.message.starts_with("create ConfigMap \"cm\""),
        "{}",
        again.message
    );
}

#[tokio::test]
async fn apply_patch_replace_get_and_delete_change_the_stored_object() {
    let store = store();
    let applied = run_action(&store, "apply", template("apply", CM, "  parameters: []")).await;
    assert_eq!(applied.phase, NodePhase::Succeeded, "{}", applied.message);
    let merge = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  b: two";
    let patched = run_action(
        &store,
        "patch",
        with(template("patch", merge, "  parameters: []"), |r| {
            r.merge_strategy = "merge".into()
        }),
    )
    .await;
    assert_eq!(patched.phase, NodePhase::Succeeded, "{}", patched.message);
    let data = config_map(&store).await.data.expect("data");
    assert_eq!((data["a"].as_str(), data["b"].as_str()), ("one", "two"));

    let json = "- {op: replace, path: /data/a, value: uno}";
    let json_patched = run_action(
        &store,
        "patch",
        with(template("patch", json, "  parameters: []"), |r| {
            r.merge_strategy = "json".into();
            r.flags = vec!["configmap".into(), "cm".into()];
        }),
    )
    .await;
    assert_eq!(
        json_patched.phase,
        NodePhase::Succeeded,
        "{}",
        json_patched.message
    );
    assert_eq!(config_map(&store).await.data.expect("data")["a"], "uno");

    let replacement = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  only: this";
    let replaced = run_action(
        &store,
        "replace",
        template("replace", replacement, "  parameters: []"),
    )
    .await;
    assert_eq!(replaced.phase, NodePhase::Succeeded, "{}", replaced.message);
    let data = config_map(&store).await.data.expect("data");
    assert_eq!(data.keys().collect::<Vec<_>>(), ["only"]);

    let got = run_action(&store, "get", template("get", CM, UID_OUT)).await;
    assert_eq!(parameter(&got, "name").as_deref(), Some("cm"));

    let deleted = run_action(&store, "delete", template("delete", CM, "  parameters: []")).await;
    assert_eq!(deleted.phase, NodePhase::Succeeded, "{}", deleted.message);
    let twice = run_action(&store, "delete", template("delete", CM, "  parameters: []")).await;
    assert_eq!(
        twice.phase,
        NodePhase::Succeeded,
        "a missing object is ignored"
    );
}

#[tokio::test]
async fn conditions_decide_success_and_failure() {
    let store = store();
    let good = with(template("create", CM, "  parameters: []"), |r| {
        r.success_condition = "data.a == one".into();
    });
    assert_eq!(run_in(&store, good).await.phase, NodePhase::Succeeded);
    let bad = with(template("get", CM, "  parameters: []"), |r| {
        r.failure_condition = "data.a in (one,two)".into();
    });
    let result = run_action(&store, "get", bad).await;
    assert_eq!(result.phase, NodePhase::Failed);
    assert_eq!(
        result.message,
        "failure condition 'data.a in (one,two)' evaluated true"
    );
    let unparsable = with(template("get", CM, "  parameters: []"), |r| {
        r.success_condition = "data.a > x".into();
    });
    let result = run_action(&store, "get", unparsable).await;
    assert!(
        result
            .message
            .starts_with("success condition 'data.a > x' failed to parse")
    );
}

#[tokio::test]
async fn a_workflow_can_be_created_in_the_store() {
    let store = store();
    let manifest = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: child-\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container: {image: busybox}";
    let out = "  parameters:\n  - name: name\n    valueFrom: {jsonPath: '{.metadata.name}'}";
    let result = run_in(&store, template("create", manifest, out)).await;
    assert_eq!(result.phase, NodePhase::Succeeded, "{}", result.message);
    let name = parameter(&result, "name").expect("the generated name");
    assert!(
        name.starts_with("child-") && name.len() > "child-".len(),
        "{name}"
    );
    let kind = ResourceKind::of::<Workflow>();
    assert!(store.get(&kind, Some("argo"), &name).await.is_ok());
}

#[tokio::test]
async fn kinds_that_need_kubernetes_fail_naming_the_kind() {
    let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j";
    let result = run_in(&store(), template("create", manifest, "  parameters: []")).await;
    assert_eq!(result.phase, NodePhase::Failed);
    assert!(
        result
            .message
            .starts_with("kind Job (batch/v1) needs Kubernetes"),
        "{}",
        result.message
    );
    let unknown = run_action(&store(), "scale", template("scale", CM, "  parameters: []")).await;
    assert!(
        unknown.message.starts_with("resource.action \"scale\""),
        "{}",
        unknown.message
    );
}
