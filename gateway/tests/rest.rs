//! In-process tests of the gateway's HTTP face with `tower::ServiceExt::oneshot`.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use gateway::{AuthMode, MemoryAssets, RateLimiter, Settings};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use support::{FakeWorkflows, state_with};
use tower::ServiceExt as _;

fn get(uri: &str) -> Request<Body> {
    request("GET", uri, Body::empty())
}

fn request(method: &str, uri: &str, body: Body) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .body(body)
        .expect("request builds");
    let peer: SocketAddr = "10.1.1.1:40000".parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

async fn server_router(fake: FakeWorkflows) -> axum::Router {
    gateway::router(
        state_with(
            fake,
            Settings::default(),
            vec![AuthMode::Server, AuthMode::Client],
        )
        .await,
    )
}

async fn body_text(response: axum::response::Response) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

async fn body_json(response: axum::response::Response) -> Value {
    serde_json::from_str(&body_text(response).await).expect("json body")
}

#[test]
fn get_workflow_answers_kubernetes_style_json() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .oneshot(get("/api/v1/workflows/argo/hello"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/json");
        let workflow = body_json(response).await;
        assert_eq!(workflow["metadata"]["name"], json!("hello"));
        assert_eq!(workflow["metadata"]["namespace"], json!("argo"));
        assert_eq!(workflow["metadata"]["uid"], json!("uid-hello"));
        assert_eq!(workflow["status"]["phase"], json!("Running"));
    });
}

#[test]
fn nested_repeated_and_go_boolean_query_parameters_reach_the_service() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = server_router(fake.clone()).await;
        let response = router
            .oneshot(get(
                "/api/v1/workflows/argo?listOptions.labelSelector=a%3Db&listOptions.limit=5&listOptions.watch=True&nameFilter=Prefix",
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let (method, request, _) = fake.calls.last();
        assert_eq!(method, "ListWorkflows");
        assert_eq!(request["namespace"], json!("argo"));
        assert_eq!(request["listOptions"]["labelSelector"], json!("a=b"));
        assert_eq!(request["listOptions"]["limit"], json!(5));
        assert_eq!(request["listOptions"]["watch"], json!(true));
        assert_eq!(request["nameFilter"], json!("Prefix"));
        let list = body_json(response).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    });
}

#[test]
fn an_empty_list_still_has_items() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .oneshot(get("/api/v1/workflows/empty"))
            .await
            .expect("infallible");
        let list = body_json(response).await;
        assert!(list.get("items").is_some(), "{list}");
    });
}

#[test]
fn create_takes_the_whole_body_and_the_namespace_from_the_path() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = server_router(fake.clone()).await;
        let body =
            json!({"workflow": {"metadata": {"generateName": "hello-"}}, "serverDryRun": true});
        let response = router
            .oneshot(request(
                "POST",
                "/api/v1/workflows/argo",
                Body::from(body.to_string()),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let created = body_json(response).await;
        assert_eq!(created["metadata"]["name"], json!("hello-abcde"));
        assert_eq!(created["metadata"]["namespace"], json!("argo"));
        let (_, request, _) = fake.calls.last();
        assert_eq!(request["serverDryRun"], json!(true));
    });
}

#[test]
fn grpc_errors_become_http_statuses_with_code_and_message() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .clone()
            .oneshot(get("/api/v1/workflows/argo/missing"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            body_json(response).await,
            json!({"code": 5, "message": "workflows.argoproj.io \"missing\" not found"})
        );

        let exists = json!({"workflow": {"metadata": {"name": "exists"}}});
        let response = router
            .clone()
            .oneshot(request(
                "POST",
                "/api/v1/workflows/argo",
                Body::from(exists.to_string()),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::CONFLICT);

        let response = router
            .clone()
            .oneshot(request(
                "POST",
                "/api/v1/workflows/argo/lint",
                Body::from("{}"),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            body_json(response).await["message"],
            json!("spec.templates is required")
        );

        let response = router
            .oneshot(request(
                "POST",
                "/api/v1/workflows/argo",
                Body::from("{not json"),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    });
}

#[test]
fn delete_answers_200_with_an_empty_object() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .oneshot(request(
                "DELETE",
                "/api/v1/workflows/argo/hello?force=true",
                Body::empty(),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_text(response).await, "{}");
    });
}

#[test]
fn put_actions_reach_their_method_not_get() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = server_router(fake.clone()).await;
        let response = router
            .oneshot(request(
                "PUT",
                "/api/v1/workflows/argo/hello/stop",
                Body::from(r#"{"message":"bye"}"#),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let (method, request, _) = fake.calls.last();
        assert_eq!(method, "StopWorkflow");
        assert_eq!(request["message"], json!("bye"));
        assert_eq!(request["name"], json!("hello"));
    });
}

#[test]
fn unknown_api_paths_are_404_and_wrong_verbs_405() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .clone()
            .oneshot(get("/api/v1/nothing-here"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let response = router
            .oneshot(request(
                "PATCH",
                "/api/v1/workflows/argo/hello",
                Body::empty(),
            ))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::NOT_IMPLEMENTED);
    });
}

#[test]
fn fields_filters_the_response_in_both_forms() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .clone()
            .oneshot(get(
                "/api/v1/workflows/argo?fields=items.metadata.name,metadata.resourceVersion",
            ))
            .await
            .expect("infallible");
        assert_eq!(
            body_json(response).await,
            json!({"metadata": {"resourceVersion": "7"}, "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]})
        );
        let response = router
            .oneshot(get(
                "/api/v1/workflows/argo/hello?fields=-status,metadata.uid,spec",
            ))
            .await
            .expect("infallible");
        let workflow = body_json(response).await;
        assert!(workflow.get("status").is_none(), "{workflow}");
        assert!(workflow.get("spec").is_none(), "{workflow}");
        assert!(workflow["metadata"].get("uid").is_none(), "{workflow}");
        assert_eq!(workflow["metadata"]["name"], json!("hello"));
    });
}

#[test]
fn streams_are_newline_delimited_results_by_default() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .oneshot(get(
                "/api/v1/workflows/argo/hello/log?logOptions.follow=true&fields=result.content",
            ))
            .await
            .expect("infallible");
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(
            body_text(response).await,
            "{\"result\":{\"content\":\"hello\"}}\n{\"result\":{\"content\":\"world\"}}\n"
        );
    });
}

#[test]
fn event_streams_frame_each_result_as_data_and_end_with_an_error_frame() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let mut sse =
            get("/api/v1/workflow-events/broken?fields=result.type,result.object.metadata.name");
        sse.headers_mut()
            .insert("accept", "text/event-stream".parse().expect("header"));
        let response = router.oneshot(sse).await.expect("infallible");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(
            body_text(response).await,
            concat!(
                "data: {\"result\":{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}} \n\n\n",
                "data: {\"error\":{\"grpc_code\":13,\"http_code\":500,\"message\":\"the store went away\",\"http_status\":\"Internal Server Error\"}} \n\n"
            )
        );
    });
}

#[test]
fn quiet_event_streams_send_keep_alive_comments() {
    support::big_stack(async {
        let settings = Settings {
            keep_alive: Duration::from_millis(50),
            ..Settings::default()
        };
        let router = gateway::router(
            state_with(FakeWorkflows::default(), settings, vec![AuthMode::Server]).await,
        );
        let mut sse = get("/api/v1/workflow-events/quiet");
        sse.headers_mut()
            .insert("accept", "text/event-stream".parse().expect("header"));
        let response = router.oneshot(sse).await.expect("infallible");
        let mut body = response.into_body();
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("a frame within the timeout")
            .expect("stream open")
            .expect("frame ok");
        assert_eq!(frame.into_data().expect("data frame"), ":\n");
    });
}

#[test]
fn client_mode_forwards_the_bearer_token_and_refuses_anonymous_calls() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = gateway::router(
            state_with(fake.clone(), Settings::default(), vec![AuthMode::Client]).await,
        );
        let mut with_token = get("/api/v1/workflows/argo/hello");
        with_token
            .headers_mut()
            .insert("authorization", "Bearer secret".parse().expect("header"));
        let response = router
            .clone()
            .oneshot(with_token)
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(fake.calls.last().2.as_deref(), Some("Bearer secret"));

        let response = router
            .oneshot(get("/api/v1/workflows/argo/hello"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            body_json(response).await,
            json!({"code": 16, "message": gateway::auth::TOKEN_NOT_VALID})
        );
    });
}

#[test]
fn base_href_serves_api_and_ui_under_the_prefix() {
    support::big_stack(async {
        let settings = Settings {
            base_href: "/argo/".to_owned(),
            ..Settings::default()
        };
        let assets = MemoryAssets::default()
            .with_file("index.html", r#"<html><head><base href="/"></head></html>"#)
            .with_file("main.js", "console.log(1)");
        let state = state_with(FakeWorkflows::default(), settings, vec![AuthMode::Server])
            .await
            .with_assets(std::sync::Arc::new(assets));
        let router = gateway::router(state);

        let response = router
            .clone()
            .oneshot(get("/argo/api/v1/workflows/argo/hello"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);

        let response = router
            .clone()
            .oneshot(get("/argo/main.js"))
            .await
            .expect("infallible");
        assert_eq!(body_text(response).await, "console.log(1)");

        let response = router
            .oneshot(get("/argo/workflows/argo"))
            .await
            .expect("infallible");
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        assert_eq!(
            body_text(response).await,
            r#"<html><head><base href="/argo/"></head></html>"#
        );
    });
}

#[test]
fn security_headers_follow_the_settings() {
    support::big_stack(async {
        let settings = Settings {
            hsts: true,
            access_control_allow_origin: "https://ui.example".to_owned(),
            x_frame_options: "SAMEORIGIN".to_owned(),
            ..Settings::default()
        };
        let router = gateway::router(
            state_with(FakeWorkflows::default(), settings, vec![AuthMode::Server]).await,
        );
        let response = router
            .clone()
            .oneshot(get("/api/v1/workflows/argo/hello"))
            .await
            .expect("infallible");
        assert_eq!(response.headers()["x-frame-options"], "SAMEORIGIN");
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000"
        );
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "https://ui.example"
        );

        let response = router
            .oneshot(request("OPTIONS", "/api/v1/workflows/argo", Body::empty()))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            response.headers()["access-control-allow-methods"],
            "POST, GET, OPTIONS, PUT, DELETE"
        );

        let plain = gateway::router(
            state_with(
                FakeWorkflows::default(),
                Settings::default(),
                vec![AuthMode::Server],
            )
            .await,
        );
        let response = plain
            .oneshot(get("/api/v1/workflows/argo/hello"))
            .await
            .expect("infallible");
        assert_eq!(response.headers()["x-frame-options"], "DENY");
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none()
        );
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
    });
}

#[test]
fn metrics_and_health_are_served() {
    support::big_stack(async {
        let router = server_router(FakeWorkflows::default()).await;
        let response = router
            .clone()
            .oneshot(get("/api/v1/workflows/argo/hello"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let response = router
            .clone()
            .oneshot(get("/healthz"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let response = router.oneshot(get("/metrics")).await.expect("infallible");
        let text = body_text(response).await;
        assert!(
            text.contains(r#"argo_gateway_requests_total{protocol="rest",code="200"} 1"#),
            "{text}"
        );
    });
}

#[test]
fn rate_limit_passes_exactly_the_limit_per_ip_and_leaves_other_ips_alone() {
    support::big_stack(async {
        let state = state_with(
            FakeWorkflows::default(),
            Settings::default(),
            vec![AuthMode::Server],
        )
        .await
        .with_rate_limiter(RateLimiter::new(1000, vec![]));
        let router = gateway::router(state);
        let mut passed = 0;
        let mut refused = 0;
        let started = std::time::Instant::now();
        for _ in 0..1200 {
            let response = router
                .clone()
                .oneshot(get("/healthz"))
                .await
                .expect("infallible");
            assert!(response.headers().contains_key("x-ratelimit-limit"));
            assert!(response.headers().contains_key("x-ratelimit-remaining"));
            assert!(response.headers().contains_key("x-ratelimit-reset"));
            match response.status() {
                StatusCode::OK => passed += 1,
                StatusCode::TOO_MANY_REQUESTS => {
                    let reset = &response.headers()["x-ratelimit-reset"];
                    assert_eq!(&response.headers()["retry-after"], reset);
                    assert!(reset.to_str().expect("ascii").ends_with(" UTC"));
                    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
                    refused += 1;
                }
                other => panic!("unexpected status {other}"),
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the test must run inside one window"
        );
        assert_eq!((passed, refused), (1000, 200));

        let mut other = get("/healthz");
        other.extensions_mut().insert(ConnectInfo(
            "10.9.9.9:1".parse::<SocketAddr>().expect("address"),
        ));
        let response = router.oneshot(other).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-ratelimit-remaining"], "999");
    });
}

#[test]
fn rate_limit_keys_on_the_configured_header_first() {
    support::big_stack(async {
        let state = state_with(
            FakeWorkflows::default(),
            Settings::default(),
            vec![AuthMode::Server],
        )
        .await
        .with_rate_limiter(RateLimiter::new(1, vec!["X-Forwarded-For".to_owned()]));
        let router = gateway::router(state);
        let forwarded = |ip: &str| {
            let mut request = get("/healthz");
            request
                .headers_mut()
                .insert("x-forwarded-for", ip.parse().expect("header"));
            request
        };
        let first = router
            .clone()
            .oneshot(forwarded("1.1.1.1"))
            .await
            .expect("infallible");
        assert_eq!(first.status(), StatusCode::OK);
        let second = router
            .clone()
            .oneshot(forwarded("1.1.1.1"))
            .await
            .expect("infallible");
        assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(body_text(second).await, "Too Many Requests\n");
        let other = router
            .oneshot(forwarded("2.2.2.2"))
            .await
            .expect("infallible");
        assert_eq!(other.status(), StatusCode::OK);
    });
}
