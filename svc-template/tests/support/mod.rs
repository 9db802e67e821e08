//! Shared test set-up: both template services over one in-memory store, and fixtures.

#![allow(dead_code)]

pub mod calls;

use std::sync::Arc;

use argo_proto::wf;
use argo_store::{MemoryStore, ResourceStore};
use serde_json::Value;
use svc_template::{ClusterWorkflowTemplateServer, Config, WorkflowTemplateServer};

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// A WorkflowTemplate message from a fixture, renamed when `name` is given.
pub fn template(fixture_name: &str, name: Option<&str>) -> wf::WorkflowTemplate {
    let mut json = fixture(fixture_name);
    if let Some(name) = name {
        json["metadata"]["name"] = Value::String(name.to_owned());
    }
    argo_proto::json_to_prost(&json).expect("fixture converts")
}

/// A ClusterWorkflowTemplate message from a fixture, renamed when `name` is given.
pub fn cluster_template(fixture_name: &str, name: Option<&str>) -> wf::ClusterWorkflowTemplate {
    let mut json = fixture(fixture_name);
    if let Some(name) = name {
        json["metadata"]["name"] = Value::String(name.to_owned());
    }
    argo_proto::json_to_prost(&json).expect("fixture converts")
}

pub struct Services {
    pub store: Arc<dyn ResourceStore>,
    pub templates: Arc<WorkflowTemplateServer>,
    pub cluster: Arc<ClusterWorkflowTemplateServer>,
}

pub fn services_with(config: Config) -> Services {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    Services {
        templates: Arc::new(WorkflowTemplateServer::new(store.clone(), config.clone())),
        cluster: Arc::new(ClusterWorkflowTemplateServer::new(store.clone(), config)),
        store,
    }
}

/// Both template services behind the real gateway in local mode.
pub async fn rest_router(store: Arc<dyn ResourceStore>) -> axum::Router {
    let services = svc_template::service(store, Config::default());
    let routes = tonic::service::Routes::new(services.workflow_templates)
        .add_service(services.cluster_workflow_templates);
    argo_service::testing::local_gateway(routes).await
}

/// Services of the default instance over a store where instance `blue` created the
/// `greeting` WorkflowTemplate.
pub async fn default_instance_over_blues_greeting() -> Services {
    let blue = services_with(Config {
        instance_id: Some("blue".into()),
    });
    calls::create(&blue, template("greeting.json", None))
        .await
        .expect("created by blue");
    Services {
        templates: Arc::new(WorkflowTemplateServer::new(
            blue.store.clone(),
            Config::default(),
        )),
        ..blue
    }
}

/// Stores a ClusterWorkflowTemplate `name` labelled as instance `blue`'s, past the services.
pub async fn seed_blue_cluster_template(services: &Services, name: &str) {
    let object: argo_store::Object = serde_json::from_value(serde_json::json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ClusterWorkflowTemplate",
        "metadata": {"name": name, "labels": {svc_template::INSTANCE_ID_LABEL: "blue"}},
        "spec": {"templates": []}
    }))
    .expect("object");
    let kind = argo_store::ResourceKind::of::<argo_core::ClusterWorkflowTemplate>();
    services
        .store
        .create(&kind, object)
        .await
        .expect("seeded by another instance");
}

pub fn services() -> Services {
    services_with(Config::default())
}

pub fn name_of(metadata: Option<&argo_proto::k8s_meta::ObjectMeta>) -> &str {
    metadata
        .and_then(|metadata| metadata.name.as_deref())
        .unwrap_or_default()
}

/// Runs a test body on a runtime with large worker stacks: prost's decoders for templates nest
/// deeply, and debug builds overflow the default 2 MiB test stack through the gateway.
pub fn big_stack<F>(future: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(svc_template::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .expect("test runtime builds");
    runtime.block_on(async move {
        tokio::spawn(future).await.expect("the test body completes");
    });
}
