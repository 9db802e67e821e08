//! The real listener on a loopback port with TLS: a tonic gRPC client and an HTTP/1.1 REST
//! client against the fake services.

mod support;

use std::sync::Arc;

use argo_proto::workflow::WorkflowGetRequest;
use argo_proto::workflow::workflow_service_client::WorkflowServiceClient;
use bytes::Bytes;
use gateway::{AuthMode, Settings, listener, tls};
use http_body_util::{BodyExt as _, Empty};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::{Value, json};
use support::{FakeWorkflows, state_with};
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

struct Running {
    port: u16,
    certificate_pem: String,
    certificate_der: CertificateDer<'static>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn start(fake: FakeWorkflows) -> Running {
    let settings = Settings {
        hsts: true,
        ..Settings::default()
    };
    let state = state_with(fake, settings, vec![AuthMode::Server, AuthMode::Client]).await;
    let certified = tls::self_signed().expect("certificate");
    let certificate_pem = certified.certificate_pem.clone();
    let certificate_der = certified.chain[0].clone();
    let tls_config = tls::server_config(certified).expect("tls config");
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = tcp.local_addr().expect("address").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(listener::serve(
        tcp,
        Some(tls_config),
        gateway::router(state),
        async move {
            let _ = stopped.await;
        },
    ));
    Running {
        port,
        certificate_pem,
        certificate_der,
        stop: Some(stop),
    }
}

#[test]
fn grpc_clients_reach_the_services_health_and_reflection_over_tls() {
    support::big_stack(async {
        let running = start(FakeWorkflows::default()).await;
        let channel = Endpoint::from_shared(format!("https://localhost:{}", running.port))
            .expect("endpoint")
            .tls_config(
                ClientTlsConfig::new()
                    .ca_certificate(Certificate::from_pem(&running.certificate_pem))
                    .domain_name("localhost"),
            )
            .expect("tls config")
            .connect()
            .await
            .expect("connects");

        let mut workflows = WorkflowServiceClient::new(channel.clone());
        let workflow = workflows
            .get_workflow(WorkflowGetRequest {
                name: "hello".to_owned(),
                namespace: "argo".to_owned(),
                ..Default::default()
            })
            .await
            .expect("get succeeds")
            .into_inner();
        assert_eq!(
            workflow
                .metadata
                .and_then(|metadata| metadata.name)
                .as_deref(),
            Some("hello")
        );

        let missing = workflows
            .get_workflow(WorkflowGetRequest {
                name: "missing".to_owned(),
                namespace: "argo".to_owned(),
                ..Default::default()
            })
            .await
            .expect_err("not found");
        assert_eq!(missing.code(), tonic::Code::NotFound);

        let mut health = HealthClient::new(channel.clone());
        let answer = health
            .check(HealthCheckRequest {
                service: "workflow.WorkflowService".to_owned(),
            })
            .await
            .expect("health answers")
            .into_inner();
        assert_eq!(answer.status, 1, "SERVING");

        let mut reflection =
            tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient::new(
                channel,
            );
        let request = tonic_reflection::pb::v1::ServerReflectionRequest {
            host: String::new(),
            message_request: Some(
                tonic_reflection::pb::v1::server_reflection_request::MessageRequest::ListServices(
                    String::new(),
                ),
            ),
        };
        let mut answers = reflection
            .server_reflection_info(futures::stream::iter(vec![request]))
            .await
            .expect("reflection answers")
            .into_inner();
        let answer = answers
            .message()
            .await
            .expect("stream ok")
            .expect("one answer");
        let listed = format!("{:?}", answer.message_response);
        assert!(listed.contains("workflow.WorkflowService"), "{listed}");
    });
}

async fn https_get(running: &Running, path: &str) -> (http::StatusCode, http::HeaderMap, Value) {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(running.certificate_der.clone())
        .expect("certificate is a valid root");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12])
    .expect("tls 1.2 supported")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", running.port))
        .await
        .expect("connects");
    let stream = connector
        .connect(ServerName::try_from("localhost").expect("name"), tcp)
        .await
        .expect("tls 1.2 handshake");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("http/1.1 handshake");
    tokio::spawn(connection);
    let request = http::Request::builder()
        .uri(path)
        .header("host", "localhost")
        .body(Empty::<Bytes>::new())
        .expect("request");
    let response = sender.send_request(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, json)
}

#[test]
fn rest_over_http1_and_tls12_shares_the_port_and_carries_headers() {
    support::big_stack(async {
        let running = start(FakeWorkflows::default()).await;
        let (status, headers, body) = https_get(&running, "/api/v1/workflows/argo/hello").await;
        assert_eq!(status, http::StatusCode::OK);
        assert_eq!(body["metadata"]["name"], json!("hello"));
        assert_eq!(headers["x-ratelimit-limit"], "1000");
        assert_eq!(headers["x-ratelimit-remaining"], "999");
        assert_eq!(headers["strict-transport-security"], "max-age=31536000");
        let (status, _, body) = https_get(&running, "/api/v1/version").await;
        assert_eq!(status, http::StatusCode::OK);
        assert_eq!(body["version"], json!("v4.1.2"));
    });
}
