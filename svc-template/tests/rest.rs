//! Both template services behind the real gateway in local mode, over REST with Argo's paths:
//! every RPC is reachable, and malformed bodies or bad selectors get 400 naming the problem
//! without anything stored.

mod support;

use std::sync::Arc;

use argo_service::testing::{call_raw, delete, get, post, put};
use argo_store::{MemoryStore, ResourceStore};
use axum::body::Body;
use http::StatusCode;
use serde_json::json;
use support::{big_stack, fixture, rest_router};

#[test]
fn every_workflow_template_rpc_is_reachable_over_rest() {
    big_stack(async {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let router = rest_router(store).await;
        let template = fixture("greeting.json");

        let (status, linted) = post(
            &router,
            "/api/v1/workflow-templates/argo/lint",
            json!({ "template": template }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{linted}");

        let (status, created) = post(
            &router,
            "/api/v1/workflow-templates/argo",
            json!({ "template": template }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        assert_eq!(created["metadata"]["namespace"], "argo");

        let (status, again) = post(
            &router,
            "/api/v1/workflow-templates/argo",
            json!({ "template": template }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");

        let (status, found) = get(&router, "/api/v1/workflow-templates/argo/greeting").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["spec"]["entrypoint"], "main");

        let (status, listed) = get(&router, "/api/v1/workflow-templates/argo?namePattern=greet&listOptions.labelSelector=team%3Ddocs")
        .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        assert_eq!(listed["items"][0]["metadata"]["name"], "greeting");

        let mut changed = found.clone();
        changed["spec"]["arguments"]["parameters"][0]["value"] = json!("rest");
        let (status, updated) = put(
            &router,
            "/api/v1/workflow-templates/argo/greeting",
            json!({ "template": changed }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(
            updated["spec"]["arguments"]["parameters"][0]["value"],
            "rest"
        );

        let (status, _) = delete(&router, "/api/v1/workflow-templates/argo/greeting").await;
        assert_eq!(status, StatusCode::OK);
        let (status, missing) = get(&router, "/api/v1/workflow-templates/argo/greeting").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            missing["message"],
            "workflowtemplates.argoproj.io \"greeting\" not found"
        );
    });
}

#[test]
fn every_cluster_workflow_template_rpc_is_reachable_over_rest() {
    big_stack(async {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let router = rest_router(store).await;
        let template = fixture("shared.json");

        let (status, body) = post(
            &router,
            "/api/v1/cluster-workflow-templates/lint",
            json!({ "template": template }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = post(
            &router,
            "/api/v1/cluster-workflow-templates",
            json!({ "template": template }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, found) = get(&router, "/api/v1/cluster-workflow-templates/shared").await;
        assert_eq!(status, StatusCode::OK);
        let (status, listed) = get(&router, "/api/v1/cluster-workflow-templates").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
        let (status, body) = put(
            &router,
            "/api/v1/cluster-workflow-templates/shared",
            json!({ "template": found }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, _) = delete(&router, "/api/v1/cluster-workflow-templates/shared").await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = delete(&router, "/api/v1/cluster-workflow-templates/shared").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn bad_bodies_lint_failures_and_selectors_are_400_and_store_nothing() {
    big_stack(async {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let router = rest_router(store.clone()).await;

        let (status, body) = call_raw(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Body::from("{\"template\": {\"metadata\": "),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

        let (status, body) = post(
            &router,
            "/api/v1/workflow-templates/argo",
            json!({ "template": {"metadata": {"name": "x"}, "spec": {"templates": "not a list"}} }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("templates")),
            "{body}"
        );

        let mut invalid = fixture("greeting.json");
        invalid["spec"]["entrypoint"] = json!("nowhere");
        let (status, body) = post(
            &router,
            "/api/v1/workflow-templates/argo",
            json!({ "template": invalid }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("nowhere")),
            "{body}"
        );

        let (status, body) = get(
            &router,
            "/api/v1/workflow-templates/argo?listOptions.labelSelector=a%20in%20(b",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("selector")),
            "{body}"
        );

        let kind = argo_store::ResourceKind::of::<argo_core::WorkflowTemplate>();
        let stored = store
            .list(&kind, &argo_store::ListParams::default())
            .await
            .expect("list");
        assert!(stored.items.is_empty(), "nothing half-written");
    });
}
