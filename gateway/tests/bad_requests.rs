//! Bad REST requests are answered 400 with `{"code":3,"message":...}` naming the problem, and
//! never reach the service: unknown fields (with their path), malformed JSON (with the
//! position), bodies over `--max-request-bytes` (naming the limit) and values of the wrong type.

mod support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use gateway::{AuthMode, Settings};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use support::{FakeWorkflows, state_with};
use tower::ServiceExt as _;

const CREATE: &str = "/api/v1/workflows/argo";

async fn router(fake: FakeWorkflows, settings: Settings) -> axum::Router {
    gateway::router(state_with(fake, settings, vec![AuthMode::Server]).await)
}

fn post(uri: &str, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.into())
        .expect("request builds");
    let peer: SocketAddr = "10.1.2.3:40000".parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

async fn send(router: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json)
}

fn workflow(name: &str) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "name": name,
            "labels": {"team": "docs"},
            "annotations": {"note": "free text"}
        },
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "count", "value": 3}]},
            "templates": [{"name": "main", "container": {"image": "busybox"}}]
        }
    })
}

/// Creates `name` through the router, so the fake's last call is known before a bad request.
async fn create_first(router: &axum::Router, fake: &FakeWorkflows, name: &str) {
    let body = json!({"workflow": workflow(name)});
    let (status, answer) = send(router, post(CREATE, body.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        fake.calls.last().1["workflow"]["metadata"]["name"],
        json!(name)
    );
}

/// The fake saw nothing after `name` was created.
fn assert_last_call_created(fake: &FakeWorkflows, name: &str) {
    let (method, request, _) = fake.calls.last();
    assert_eq!(method, "CreateWorkflow");
    assert_eq!(request["workflow"]["metadata"]["name"], json!(name));
}

#[test]
fn an_unknown_field_is_400_naming_the_field_and_its_path() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = router(fake.clone(), Settings::default()).await;
        create_first(&router, &fake, "first").await;

        let mut bad = workflow("second");
        bad["spec"]["foo"] = json!("bar");
        let (status, body) =
            send(&router, post(CREATE, json!({"workflow": bad}).to_string())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({"code": 3, "message": "unknown field \"foo\" in workflow.spec"})
        );

        let mut deep = workflow("third");
        deep["spec"]["templates"][0]["container"]["imagePullPolicyy"] = json!("Always");
        let (status, body) =
            send(&router, post(CREATE, json!({"workflow": deep}).to_string())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["message"],
            json!("unknown field \"imagePullPolicyy\" in workflow.spec.templates[0].container")
        );

        let (status, body) = send(
            &router,
            post(
                CREATE,
                json!({"workflow": workflow("x"), "dryRun": true}).to_string(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["message"],
            json!("unknown field \"dryRun\" in the top-level object")
        );
        assert_last_call_created(&fake, "first");
    });
}

#[test]
fn malformed_json_is_400_with_the_parse_position() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = router(fake.clone(), Settings::default()).await;
        create_first(&router, &fake, "first").await;

        let (status, body) = send(&router, post(CREATE, "{\"workflow\": {\"metadata\": ")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], json!(3));
        let message = body["message"].as_str().expect("a message");
        assert!(
            message.starts_with("malformed JSON in the request body: ")
                && message.contains("line 1 column"),
            "{message}"
        );

        let (status, body) = send(&router, post(CREATE, "{\"workflow\": {}} trailing")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|message| message.contains("trailing characters at line 1")),
            "{body}"
        );
        assert_last_call_created(&fake, "first");
    });
}

#[test]
fn a_body_over_the_limit_is_400_naming_the_limit_and_one_at_the_limit_passes() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let small = json!({"workflow": {"metadata": {"name": "small"}}}).to_string();
        let settings = Settings {
            max_request_bytes: small.len(),
            ..Settings::default()
        };
        let router = router(fake.clone(), settings).await;

        let (status, answer) = send(&router, post(CREATE, small.clone())).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_last_call_created(&fake, "small");

        let large = json!({"workflow": {"metadata": {"name": "larger"}}}).to_string();
        let (status, body) = send(&router, post(CREATE, large)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            json!({
                "code": 3,
                "message": format!(
                    "request body is larger than the limit of {} bytes (--max-request-bytes)",
                    small.len()
                )
            })
        );
        assert_last_call_created(&fake, "small");
    });
}

#[test]
fn the_default_limit_is_argos_grpc_message_size() {
    assert_eq!(Settings::default().max_request_bytes, 100 * 1024 * 1024);
    assert_eq!(gateway::transcode::MAX_MESSAGE_SIZE, 100 * 1024 * 1024);
}

#[test]
fn values_of_the_wrong_type_are_400_naming_the_path() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = router(fake.clone(), Settings::default()).await;
        create_first(&router, &fake, "first").await;

        let mut bad = workflow("second");
        bad["spec"]["parallelism"] = json!("two");
        let (status, body) =
            send(&router, post(CREATE, json!({"workflow": bad}).to_string())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["message"],
            json!("at $.workflow.spec.parallelism: expected an integer")
        );

        let (status, body) = send(&router, post(CREATE, "[1, 2]")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["message"], json!("at $: expected an object"));
        assert_last_call_created(&fake, "first");
    });
}

#[test]
fn free_form_maps_type_meta_and_raw_json_are_not_unknown_fields() {
    support::big_stack(async {
        let fake = FakeWorkflows::default();
        let router = router(fake.clone(), Settings::default()).await;
        let mut full = workflow("full");
        full["metadata"]["labels"]["workflows.argoproj.io/anything"] = json!("x");
        full["spec"]["templates"][0]["inputs"] = json!({
            "artifacts": [{"name": "a", "path": "/a", "s3": {"key": "k"}}]
        });
        full["spec"]["templates"]
            .as_array_mut()
            .expect("list")
            .push(json!({
                "name": "loop",
                "steps": [[{"name": "s", "template": "main", "withItems": [{"any": {"thing": 1}}]}]]
            }));
        let (status, answer) = send(
            &router,
            post(
                CREATE,
                json!({"workflow": full, "serverDryRun": false}).to_string(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_last_call_created(&fake, "full");
    });
}
