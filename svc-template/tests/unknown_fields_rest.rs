//! Over REST through the real gateway: a template with a field the schema does not have is
//! 400 naming the field and its path, on create and on update, and the store keeps exactly
//! what it had.

use std::net::SocketAddr;
use std::sync::Arc;

use argo_store::{ListParams, MemoryStore, ResourceKind, ResourceStore};
use axum::body::Body;
use axum::extract::ConnectInfo;
use gateway::{AuthMode, Backends, GatewayState, ModeAuthenticator, Settings};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

async fn router(store: Arc<dyn ResourceStore>) -> axum::Router {
    let services = svc_template::service(store, svc_template::Config::default());
    let routes = tonic::service::Routes::new(services.workflow_templates)
        .add_service(services.cluster_workflow_templates);
    let state = GatewayState::new(
        Settings::default(),
        Backends::local(routes),
        Arc::new(ModeAuthenticator::new(vec![AuthMode::Server])),
    )
    .await
    .expect("gateway state");
    gateway::router(state)
}

async fn call(router: &axum::Router, method: &str, uri: &str, body: &Value) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let peer: SocketAddr = "127.0.0.1:40002".parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn greeting() -> Value {
    let path = format!(
        "{}/tests/fixtures/greeting.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

async fn stored(store: &dyn ResourceStore) -> Vec<Value> {
    let kind = ResourceKind::of::<argo_core::WorkflowTemplate>();
    let page = store
        .list(&kind, &ListParams::default())
        .await
        .expect("lists");
    page.items
        .into_iter()
        .map(|object| serde_json::to_value(object).expect("object is JSON"))
        .collect()
}

fn on_big_stacks(future: impl std::future::Future<Output = ()> + Send + 'static) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(svc_template::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        tokio::spawn(future).await.expect("the test body completes");
    });
}

#[test]
fn unknown_template_fields_are_400_on_create_and_update_and_change_nothing() {
    on_big_stacks(async {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let router = router(store.clone()).await;

        let mut typo = greeting();
        typo["spec"]["entrypiont"] = json!("main");
        let (status, body) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            &json!({"template": typo}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body,
            json!({"code": 3, "message": "unknown field \"entrypiont\" in template.spec"})
        );
        assert!(stored(&*store).await.is_empty(), "nothing half-written");

        let (status, created) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            &json!({"template": greeting()}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let before = stored(&*store).await;
        let name = created["metadata"]["name"]
            .as_str()
            .expect("a name")
            .to_owned();

        let mut changed = created.clone();
        changed["spec"]["templates"][0]["container"]["imagee"] = json!("alpine");
        let (status, body) = call(
            &router,
            "PUT",
            &format!("/api/v1/workflow-templates/argo/{name}"),
            &json!({"template": changed}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body["message"],
            json!("unknown field \"imagee\" in template.spec.templates[0].container")
        );
        assert_eq!(
            stored(&*store).await,
            before,
            "the stored template is unchanged"
        );
    });
}
