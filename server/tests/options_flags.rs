//! `--max-request-bytes` and `--api-rate-limit 0` on a real local server over loopback REST.

mod support;

use http::{Method, StatusCode};
use serde_json::json;
use support::{Rest, echo_workflow, on_server_runtime, start};

const LINT: &str = "/api/v1/workflows/argo/lint";

#[test]
fn a_body_over_max_request_bytes_is_a_bad_request() {
    on_server_runtime(|| async {
        let local = start(|options| options.max_request_bytes = 2048).await;
        let rest = Rest::new(&local.server);

        let small = json!({"workflow": echo_workflow("small", "hi")});
        let (status, linted) = rest.send_json(Method::POST, LINT, &small).await;
        assert_eq!(status, StatusCode::OK, "a small body passes: {linted}");

        let big = json!({"workflow": echo_workflow("big", &"x".repeat(4096))});
        let (status, refused) = rest.send_json(Method::POST, LINT, &big).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        let message = refused["message"].as_str().unwrap_or_default();
        assert!(message.contains("--max-request-bytes"), "{refused}");

        local.server.shutdown().await.expect("server stops");
    });
}

#[test]
fn an_api_rate_limit_of_zero_serves_without_a_limiter() {
    on_server_runtime(|| async {
        let limited = start(|options| options.api_rate_limit = 1000).await;
        let (status, headers, _) = Rest::new(&limited.server)
            .send(Method::GET, "/api/v1/info", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers
                .get("x-ratelimit-limit")
                .map(|value| value.as_bytes()),
            Some(&b"1000"[..]),
            "a limited server says its limit"
        );
        limited.server.shutdown().await.expect("server stops");

        let unlimited = start(|options| options.api_rate_limit = 0).await;
        let rest = Rest::new(&unlimited.server);
        for _ in 0..5 {
            let (status, headers, body) = rest.send(Method::GET, "/api/v1/info", None).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(headers.get("x-ratelimit-limit"), None, "no limiter layer");
        }
        unlimited.server.shutdown().await.expect("server stops");
    });
}
