//! The gRPC side: gRPC-web through the router, distributed-mode channels, and rate limiting
//! of gRPC calls.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use argo_proto::wf::Workflow;
use argo_proto::workflow::WorkflowGetRequest;
use argo_proto::workflow::workflow_service_server::WorkflowServiceServer;
use axum::body::Body;
use axum::extract::ConnectInfo;
use gateway::{AuthMode, Backends, GatewayState, ModeAuthenticator, RateLimiter, Settings};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use prost::Message as _;
use serde_json::json;
use support::{FakeWorkflows, big_stack, state_with};
use tower::ServiceExt as _;

fn grpc_web_get(name: &str) -> Request<Body> {
    let message = WorkflowGetRequest {
        name: name.to_owned(),
        namespace: "argo".to_owned(),
        ..Default::default()
    }
    .encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&message);
    let mut request = Request::builder()
        .method("POST")
        .uri("/workflow.WorkflowService/GetWorkflow")
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .body(Body::from(frame))
        .expect("request builds");
    let peer: SocketAddr = "10.2.2.2:1234".parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[test]
fn grpc_web_calls_reach_the_service_through_the_router() {
    big_stack(async {
        let router = gateway::router(
            state_with(
                FakeWorkflows::default(),
                Settings::default(),
                vec![AuthMode::Server],
            )
            .await,
        );
        let response = router
            .oneshot(grpc_web_get("hello"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "application/grpc-web+proto"
        );
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        assert_eq!(bytes[0], 0, "first frame is a data frame");
        let length = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
        let workflow = Workflow::decode(&bytes[5..5 + length]).expect("a workflow");
        assert_eq!(
            workflow
                .metadata
                .and_then(|metadata| metadata.name)
                .as_deref(),
            Some("hello")
        );
        let trailers = String::from_utf8_lossy(&bytes[5 + length..]);
        assert!(trailers.contains("grpc-status:0"), "{trailers}");
    });
}

#[test]
fn grpc_calls_are_rate_limited_per_peer_too() {
    big_stack(async {
        let state = state_with(
            FakeWorkflows::default(),
            Settings::default(),
            vec![AuthMode::Server],
        )
        .await
        .with_rate_limiter(RateLimiter::new(1, vec![]));
        let router = gateway::router(state);
        let first = router
            .clone()
            .oneshot(grpc_web_get("hello"))
            .await
            .expect("infallible");
        assert_eq!(first.status(), StatusCode::OK);
        let second = router
            .oneshot(grpc_web_get("hello"))
            .await
            .expect("infallible");
        // A gRPC refusal is a status clients can decode: RESOURCE_EXHAUSTED (8), trailers-only.
        assert_eq!(second.status(), StatusCode::OK);
        assert_eq!(second.headers()["grpc-status"], "8");
        assert!(second.headers().contains_key("retry-after"));
        assert_eq!(second.headers()["x-ratelimit-remaining"], "0");
    });
}

#[test]
fn distributed_mode_reaches_services_over_a_channel() {
    big_stack(async {
        let tcp = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = tcp.local_addr().expect("address");
        let incoming = futures::stream::unfold(tcp, |tcp| async move {
            let accepted = tcp.accept().await.map(|(stream, _)| stream);
            Some((accepted, tcp))
        });
        let fake = FakeWorkflows::default();
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(WorkflowServiceServer::new(fake.clone()))
                .serve_with_incoming(incoming),
        );
        let backends = Backends::default()
            .with_remote_service("workflow.WorkflowService", &format!("http://{address}"))
            .expect("valid address");
        let state = GatewayState::new(
            Settings::default(),
            backends,
            Arc::new(ModeAuthenticator::new(vec![AuthMode::Client])),
        )
        .await
        .expect("state builds");
        let router = gateway::router(state);
        let mut request = Request::builder()
            .uri("/api/v1/workflows/argo/remote")
            .header("authorization", "Bearer remote-token")
            .body(Body::empty())
            .expect("request builds");
        request.extensions_mut().insert(ConnectInfo(
            "10.3.3.3:1".parse::<SocketAddr>().expect("address"),
        ));
        let response = router.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let workflow: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(workflow["metadata"]["name"], json!("remote"));
        assert_eq!(fake.calls.last().2.as_deref(), Some("Bearer remote-token"));

        let mut unserved = Request::builder()
            .uri("/api/v1/version")
            .header("authorization", "Bearer remote-token")
            .body(Body::empty())
            .expect("request builds");
        unserved.extensions_mut().insert(ConnectInfo(
            "10.3.3.3:1".parse::<SocketAddr>().expect("address"),
        ));
        let response = router.oneshot(unserved).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    });
}
