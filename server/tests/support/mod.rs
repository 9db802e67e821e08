//! Test support: a local server on a loopback port with a temporary data directory, and a
//! small HTTP/1.1 client for its REST face.
//!
//! The pods run as plain processes (`Sandbox::None`) through `target/<profile>/argoexec`,
//! which `cargo nextest run --workspace` builds (or `cargo build -p executor -p argo-runtime`).

#![allow(dead_code)]

use std::time::Duration;

use argo_server::{LocalServer, RunningServer, ServerOptions};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// Runs `test` on a runtime with the server's worker stacks, from a thread with as large a
/// stack (the test body decodes deep protobuf messages too).
/// The future is made on that thread too: debug builds keep it whole on the stack.
pub fn on_server_runtime<F: std::future::Future<Output = ()>>(test: impl FnOnce() -> F + Send) {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(argo_server::WORKER_STACK_BYTES)
            .spawn_scoped(scope, || {
                argo_server::runtime().expect("runtime").block_on(test());
            })
            .expect("test thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}

/// A started server and its data directory (removed on drop).
pub struct Local {
    pub server: RunningServer,
    pub data: tempfile::TempDir,
}

/// Starts a plain-HTTP loopback server; `adjust` edits the options first.
pub async fn start(adjust: impl FnOnce(&mut ServerOptions)) -> Local {
    let data = tempfile::Builder::new()
        .prefix("argo-server-test-")
        .tempdir()
        .expect("temp dir");
    let mut options = ServerOptions::loopback(data.path());
    adjust(&mut options);
    let server = LocalServer::start(options).await.expect("server starts");
    Local { server, data }
}

/// An HTTP/1.1 client of a plain-HTTP server.
pub struct Rest {
    base: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Rest {
    pub fn new(server: &RunningServer) -> Self {
        Self {
            base: server.url(),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// Sends a request; answers status, headers and the whole body as text.
    pub async fn send(
        &self,
        method: http::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (http::StatusCode, http::HeaderMap, String) {
        let mut request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        let bytes = match body {
            Some(body) => {
                request = request.header(http::header::CONTENT_TYPE, "application/json");
                Bytes::from(serde_json::to_vec(body).expect("json"))
            }
            None => Bytes::new(),
        };
        let request = request.body(Full::new(bytes)).expect("request");
        let response = self.client.request(request).await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body read")
            .to_bytes();
        (
            status,
            headers,
            String::from_utf8(body.to_vec()).expect("utf-8 body"),
        )
    }

    /// GET answering JSON.
    pub async fn get_json(&self, path: &str) -> (http::StatusCode, Value) {
        let (status, _, body) = self.send(http::Method::GET, path, None).await;
        let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
        (status, value)
    }

    /// POST/PUT with a JSON body answering JSON.
    pub async fn send_json(
        &self,
        method: http::Method,
        path: &str,
        body: &Value,
    ) -> (http::StatusCode, Value) {
        let (status, _, text) = self.send(method, path, Some(body)).await;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Polls a workflow until its phase is completed; gives up after `patience`.
    pub async fn wait_completed(&self, namespace: &str, name: &str, patience: Duration) -> Value {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let (status, workflow) = self
                .get_json(&format!("/api/v1/workflows/{namespace}/{name}"))
                .await;
            assert_eq!(status, http::StatusCode::OK, "{workflow}");
            let phase = workflow["status"]["phase"].as_str().unwrap_or_default();
            if matches!(phase, "Succeeded" | "Failed" | "Error") {
                return workflow;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{name} still {phase:?} after {patience:?}: {workflow}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// A one-step workflow that prints `text`.
pub fn echo_workflow(name: &str, text: &str) -> Value {
    serde_json::json!({
        "metadata": {"name": name},
        "spec": {
            "entrypoint": "main",
            "templates": [{
                "name": "main",
                "container": {"image": "busybox", "command": ["echo", text]}
            }]
        }
    })
}
