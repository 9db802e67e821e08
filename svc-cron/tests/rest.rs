//! The cron workflow service behind the real gateway in local mode, over REST with Argo's
//! paths: every RPC is reachable; malformed bodies, bad schedules and bad selectors get 400
//! naming the problem without anything stored.

mod support;

use std::sync::Arc;

use argo_service::testing::{call_raw as call, delete, get, json_body, post, put};
use argo_store::{ListParams, MemoryStore, ResourceKind, ResourceStore};
use axum::body::Body;
use http::StatusCode;
use serde_json::{Value, json};
use support::{big_stack, fixture};

async fn router(store: Arc<dyn ResourceStore>) -> axum::Router {
    let routes = tonic::service::Routes::new(svc_cron::service(store, svc_cron::Config::default()));
    argo_service::testing::local_gateway(routes).await
}

#[test]
fn every_cron_workflow_rpc_is_reachable_over_rest() {
    big_stack(async {
        let router = router(Arc::new(MemoryStore::default())).await;
        let cron = fixture("nightly.json");
        let base = "/api/v1/cron-workflows/argo";

        let (status, body) = post(
            &router,
            &format!("{base}/lint"),
            json!({ "cronWorkflow": cron }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, created) = post(&router, base, json!({ "cronWorkflow": cron })).await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let (status, listed) = get(
            &router,
            &format!("{base}?listOptions.labelSelector=team%3Dops"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["items"][0]["metadata"]["name"], "nightly");
        let (status, found) = get(&router, &format!("{base}/nightly")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["spec"]["schedules"], json!(["0 2 * * *"]));

        let (status, paused) = put(&router, &format!("{base}/nightly/suspend"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{paused}");
        assert_eq!(paused["spec"]["suspend"], true);
        let (status, resumed) = put(&router, &format!("{base}/nightly/resume"), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{resumed}");
        assert_ne!(resumed["spec"]["suspend"], true);

        let mut changed = resumed.clone();
        changed["spec"]["schedules"] = json!(["@every 10m"]);
        let (status, updated) = put(
            &router,
            &format!("{base}/nightly"),
            json!({ "cronWorkflow": changed }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["spec"]["schedules"], json!(["@every 10m"]));

        let (status, _) = delete(&router, &format!("{base}/nightly")).await;
        assert_eq!(status, StatusCode::OK);
        let (status, missing) = get(&router, &format!("{base}/nightly")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing["message"],
            "cronworkflows.argoproj.io \"nightly\" not found"
        );
    });
}

/// POSTs the `nightly` fixture with `spec.<field>` set to `value`.
async fn post_nightly_with(
    router: &axum::Router,
    field: &str,
    value: Value,
) -> (StatusCode, Value) {
    let mut cron = fixture("nightly.json");
    cron["spec"][field] = value;
    let body = json_body(json!({ "cronWorkflow": cron }));
    call(router, "POST", "/api/v1/cron-workflows/argo", body).await
}

/// An error body's message, empty when there is none.
fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}

#[test]
fn bad_bodies_schedules_and_selectors_are_400_and_store_nothing() {
    big_stack(async {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let router = router(store.clone()).await;
        let base = "/api/v1/cron-workflows/argo";

        let (status, body) = call(&router, "POST", base, Body::from("{\"cronWorkflow\": [")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

        let (status, body) = post_nightly_with(&router, "schedules", json!("0 2 * * *")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(message(&body).contains("schedules"), "{body}");

        let (status, body) = post_nightly_with(&router, "schedules", json!(["0 2 * * 8"])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            message(&body).starts_with("cron schedule 0 2 * * 8 is malformed"),
            "{body}"
        );

        let (status, body) = post_nightly_with(&router, "timezone", json!("Nowhere/Special")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(message(&body).contains("timezone"), "{body}");

        let (status, body) = get(
            &router,
            &format!("{base}?listOptions.fieldSelector=status.phase%3DActive"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

        let kind = ResourceKind::of::<argo_core::CronWorkflow>();
        let stored = store
            .list(&kind, &ListParams::default())
            .await
            .expect("list");
        assert!(stored.items.is_empty(), "nothing half-written");
    });
}
