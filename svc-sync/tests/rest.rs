//! The sync service behind the real gateway in local mode, over REST with Argo's paths: every
//! RPC is reachable for both backends; malformed bodies and bad values get 400 naming the
//! problem without anything stored.

use std::net::SocketAddr;
use std::sync::Arc;

use argo_store::{ListParams, MemoryStore, ResourceStore};
use axum::body::Body;
use axum::extract::ConnectInfo;
use gateway::{AuthMode, Backends, GatewayState, ModeAuthenticator, Settings};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

async fn router(store: Arc<dyn ResourceStore>) -> axum::Router {
    let routes = tonic::service::Routes::new(svc_sync::service(store, svc_sync::Config::default()));
    let state = GatewayState::new(
        Settings::default(),
        Backends::local(routes),
        Arc::new(ModeAuthenticator::new(vec![AuthMode::Server])),
    )
    .await
    .expect("gateway state");
    gateway::router(state)
}

async fn call(router: &axum::Router, method: &str, uri: &str, body: Body) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body)
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

fn json_body(value: Value) -> Body {
    Body::from(value.to_string())
}

#[tokio::test]
async fn every_sync_rpc_is_reachable_over_rest_for_config_maps() {
    let router = router(Arc::new(MemoryStore::default())).await;
    let (status, created) = call(
        &router,
        "POST",
        "/api/v1/sync/argo",
        json_body(json!({"type": "CONFIGMAP", "cmName": "limits", "key": "build", "limit": 2})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["limit"], 2);
    assert_eq!(created["cmName"], "limits");

    let (status, found) = call(
        &router,
        "GET",
        "/api/v1/sync/argo/build?cmName=limits&type=CONFIGMAP",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["limit"], 2);

    let (status, updated) = call(
        &router,
        "PUT",
        "/api/v1/sync/argo/build",
        json_body(json!({"type": "CONFIGMAP", "cmName": "limits", "limit": 5})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["limit"], 5);

    let (status, _) = call(
        &router,
        "DELETE",
        "/api/v1/sync/argo/build?cmName=limits",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, missing) = call(
        &router,
        "GET",
        "/api/v1/sync/argo/build?cmName=limits",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing["message"],
        "key build not found in configmap argo/limits"
    );
}

#[tokio::test]
async fn every_sync_rpc_is_reachable_over_rest_for_database_limits() {
    let router = router(Arc::new(MemoryStore::default())).await;
    let (status, created) = call(
        &router,
        "POST",
        "/api/v1/sync/argo",
        json_body(json!({"type": "DATABASE", "key": "deploys", "limit": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    // Go's encoding/json writes the enum as its number, as Argo's gateway does.
    assert_eq!(created["type"], 1);
    let (status, again) = call(
        &router,
        "POST",
        "/api/v1/sync/argo",
        json_body(json!({"type": "DATABASE", "key": "deploys", "limit": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, updated) = call(
        &router,
        "PUT",
        "/api/v1/sync/argo/deploys",
        json_body(json!({"type": "DATABASE", "limit": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    let (status, found) = call(
        &router,
        "GET",
        "/api/v1/sync/argo/deploys?type=DATABASE",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["limit"], 3);
    let (status, _) = call(
        &router,
        "DELETE",
        "/api/v1/sync/argo/deploys?type=DATABASE",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &router,
        "DELETE",
        "/api/v1/sync/argo/deploys?type=DATABASE",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn malformed_bodies_and_bad_limits_are_400_and_store_nothing() {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    let router = router(store.clone()).await;
    let (status, body) = call(
        &router,
        "POST",
        "/api/v1/sync/argo",
        Body::from("{\"limit\": "),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = call(
        &router,
        "POST",
        "/api/v1/sync/argo",
        json_body(json!({"cmName": "limits", "key": "build", "limit": "lots"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit")),
        "{body}"
    );
    let (status, body) = call(
        &router,
        "POST",
        "/api/v1/sync/argo",
        json_body(json!({"cmName": "limits", "key": "build", "limit": 0})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["message"], "limit must be greater than zero");
    let listed = store
        .list(&svc_sync::config_map_kind(), &ListParams::default())
        .await
        .expect("list");
    assert!(listed.items.is_empty(), "nothing half-written");
}
