//! The sync service behind the real gateway in local mode, over REST with Argo's paths: every
//! RPC is reachable for both backends; malformed bodies and bad values get 400 naming the
//! problem without anything stored.

use std::sync::Arc;

use argo_service::testing::{call_raw as call, delete, get, post, put};
use argo_store::{ListParams, MemoryStore, ResourceStore};
use axum::body::Body;
use http::StatusCode;
use serde_json::json;

async fn router(store: Arc<dyn ResourceStore>) -> axum::Router {
    let routes = tonic::service::Routes::new(svc_sync::service(store, svc_sync::Config::default()));
    argo_service::testing::local_gateway(routes).await
}

#[tokio::test]
async fn every_sync_rpc_is_reachable_over_rest_for_config_maps() {
    let router = router(Arc::new(MemoryStore::default())).await;
    let (status, created) = post(
        &router,
        "/api/v1/sync/argo",
        json!({"type": "CONFIGMAP", "cmName": "limits", "key": "build", "limit": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["limit"], 2);
    assert_eq!(created["cmName"], "limits");

    let (status, found) = get(
        &router,
        "/api/v1/sync/argo/build?cmName=limits&type=CONFIGMAP",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["limit"], 2);

    let (status, updated) = put(
        &router,
        "/api/v1/sync/argo/build",
        json!({"type": "CONFIGMAP", "cmName": "limits", "limit": 5}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["limit"], 5);

    let (status, _) = delete(&router, "/api/v1/sync/argo/build?cmName=limits").await;
    assert_eq!(status, StatusCode::OK);
    let (status, missing) = get(&router, "/api/v1/sync/argo/build?cmName=limits").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing["message"],
        "key build not found in configmap argo/limits"
    );
}

#[tokio::test]
async fn every_sync_rpc_is_reachable_over_rest_for_database_limits() {
    let router = router(Arc::new(MemoryStore::default())).await;
    let (status, created) = post(
        &router,
        "/api/v1/sync/argo",
        json!({"type": "DATABASE", "key": "deploys", "limit": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    // Go's encoding/json writes the enum as its number, as Argo's gateway does.
    assert_eq!(created["type"], 1);
    let (status, again) = post(
        &router,
        "/api/v1/sync/argo",
        json!({"type": "DATABASE", "key": "deploys", "limit": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, updated) = put(
        &router,
        "/api/v1/sync/argo/deploys",
        json!({"type": "DATABASE", "limit": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    let (status, found) = get(&router, "/api/v1/sync/argo/deploys?type=DATABASE").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["limit"], 3);
    let (status, _) = delete(&router, "/api/v1/sync/argo/deploys?type=DATABASE").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = delete(&router, "/api/v1/sync/argo/deploys?type=DATABASE").await;
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
    let (status, body) = post(
        &router,
        "/api/v1/sync/argo",
        json!({"cmName": "limits", "key": "build", "limit": "lots"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit")),
        "{body}"
    );
    let (status, body) = post(
        &router,
        "/api/v1/sync/argo",
        json!({"cmName": "limits", "key": "build", "limit": 0}),
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
