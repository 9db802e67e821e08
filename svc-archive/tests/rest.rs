//! The service behind the gateway in local mode: Argo's REST paths reach every RPC, and
//! errors come back with the HTTP statuses of the one error table.

mod support;

use http::{Method, StatusCode};
use serde_json::Value;
use support::{FAILED_UID, Harness, big_stack};

async fn router(harness: &Harness) -> axum::Router {
    let routes = tonic::service::Routes::new(svc_archive::service(
        harness.archive.clone(),
        harness.store.clone(),
        harness.config.clone(),
    ));
    argo_service::testing::local_gateway(routes).await
}

async fn call(router: &axum::Router, method: Method, uri: &str, body: &str) -> (StatusCode, Value) {
    let body = axum::body::Body::from(body.to_owned());
    argo_service::testing::call_raw(router, method.as_str(), uri, body).await
}

#[test]
fn every_archive_rpc_is_reachable_over_rest_with_argo_paths() {
    big_stack(async {
        let harness = Harness::seeded().await;
        let router = router(&harness).await;
        let (status, list) = call(
            &router,
            Method::GET,
            "/api/v1/archived-workflows?listOptions.labelSelector=team%3Ddata&namespace=argo",
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["items"][0]["metadata"]["name"], "nightly-x7k2p");

        let (status, keys) = call(
            &router,
            Method::GET,
            "/api/v1/archived-workflows-label-keys",
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{keys}");
        assert!(
            keys["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
        );

        let (status, values) = call(
            &router,
            Method::GET,
            "/api/v1/archived-workflows-label-values?listOptions.labelSelector=team",
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{values}");
        assert_eq!(values["items"], serde_json::json!(["data", "finance"]));

        let path = format!("/api/v1/archived-workflows/{FAILED_UID}");
        let (status, got) = call(&router, Method::GET, &path, "").await;
        assert_eq!(status, StatusCode::OK, "{got}");
        assert_eq!(got["status"]["phase"], "Failed");

        let retry = format!("{path}/retry");
        let (status, retried) = call(&router, Method::PUT, &retry, r#"{"namespace":"argo"}"#).await;
        assert_eq!(status, StatusCode::OK, "{retried}");
        assert_eq!(retried["status"]["phase"], "Running");

        let resubmit = format!("{path}/resubmit");
        let (status, resubmitted) =
            call(&router, Method::PUT, &resubmit, r#"{"namespace":"argo"}"#).await;
        assert_eq!(status, StatusCode::OK, "{resubmitted}");

        let (status, deleted) = call(&router, Method::DELETE, &path, "").await;
        assert_eq!(status, StatusCode::OK, "{deleted}");
        let (status, gone) = call(&router, Method::GET, &path, "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    });
}

#[test]
fn bad_list_parameters_are_400_with_the_reason() {
    big_stack(async {
        let harness = Harness::seeded().await;
        let router = router(&harness).await;
        let (status, body) = call(
            &router,
            Method::GET,
            "/api/v1/archived-workflows?listOptions.fieldSelector=status.phase%3DFailed",
            "",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("unsupported requirement")),
            "{body}"
        );
    });
}
