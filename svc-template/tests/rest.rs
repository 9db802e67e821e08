//! Both template services behind the real gateway in local mode, over REST with Argo's paths:
//! every RPC is reachable, and malformed bodies or bad selectors get 400 naming the problem
//! without anything stored.

mod support;

use std::sync::Arc;

use argo_service::testing::{call, call_raw};
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

        let (status, linted) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo/lint",
            Some(json!({ "template": template })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{linted}");

        let (status, created) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Some(json!({ "template": template })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        assert_eq!(created["metadata"]["namespace"], "argo");

        let (status, again) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Some(json!({ "template": template })),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");

        let (status, found) = call(
            &router,
            "GET",
            "/api/v1/workflow-templates/argo/greeting",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["spec"]["entrypoint"], "main");

        let (status, listed) = call(
            &router,
            "GET",
            "/api/v1/workflow-templates/argo?namePattern=greet&listOptions.labelSelector=team%3Ddocs",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        assert_eq!(listed["items"][0]["metadata"]["name"], "greeting");

        let mut changed = found.clone();
        changed["spec"]["arguments"]["parameters"][0]["value"] = json!("rest");
        let (status, updated) = call(
            &router,
            "PUT",
            "/api/v1/workflow-templates/argo/greeting",
            Some(json!({ "template": changed })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(
            updated["spec"]["arguments"]["parameters"][0]["value"],
            "rest"
        );

        let (status, _) = call(
            &router,
            "DELETE",
            "/api/v1/workflow-templates/argo/greeting",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, missing) = call(
            &router,
            "GET",
            "/api/v1/workflow-templates/argo/greeting",
            None,
        )
        .await;
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

        let (status, body) = call(
            &router,
            "POST",
            "/api/v1/cluster-workflow-templates/lint",
            Some(json!({ "template": template })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = call(
            &router,
            "POST",
            "/api/v1/cluster-workflow-templates",
            Some(json!({ "template": template })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, found) = call(
            &router,
            "GET",
            "/api/v1/cluster-workflow-templates/shared",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, listed) =
            call(&router, "GET", "/api/v1/cluster-workflow-templates", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
        let (status, body) = call(
            &router,
            "PUT",
            "/api/v1/cluster-workflow-templates/shared",
            Some(json!({ "template": found })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, _) = call(
            &router,
            "DELETE",
            "/api/v1/cluster-workflow-templates/shared",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(
            &router,
            "DELETE",
            "/api/v1/cluster-workflow-templates/shared",
            None,
        )
        .await;
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

        let (status, body) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Some(json!({ "template": {"metadata": {"name": "x"}, "spec": {"templates": "not a list"}} })),
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
        let (status, body) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Some(json!({ "template": invalid })),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("nowhere")),
            "{body}"
        );

        let (status, body) = call(
            &router,
            "GET",
            "/api/v1/workflow-templates/argo?listOptions.labelSelector=a%20in%20(b",
            None,
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
