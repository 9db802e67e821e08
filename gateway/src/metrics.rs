//! Request counters in the Prometheus text format, served at `/metrics`.
//!
//! The gateway counts every response by protocol (`rest`, `grpc`, `ui`) and status code; it
//! does not time requests or label by path, which would make cardinality unbounded.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    protocol: String,
    code: String,
}

/// The gateway's metrics registry.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "argo_gateway_requests",
            "Requests answered by the gateway, by protocol and status code",
            requests.clone(),
        );
        Self { registry, requests }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, protocol: &str, code: &str) {
        self.requests
            .get_or_create(&RequestLabels {
                protocol: protocol.to_owned(),
                code: code.to_owned(),
            })
            .inc();
    }

    /// The registry in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}

fn protocol_of(request: &Request) -> &'static str {
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/grpc") {
        "grpc"
    } else if request.uri().path().contains("/api/") {
        "rest"
    } else {
        "ui"
    }
}

/// The middleware counting responses; gRPC codes are counted by HTTP status here because
/// they travel in trailers.
pub async fn count_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let protocol = protocol_of(&request);
    let response = next.run(request).await;
    metrics.record(protocol, response.status().as_str());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_requests_appear_in_the_text_format() {
        let metrics = Metrics::default();
        metrics.record("rest", "200");
        metrics.record("rest", "200");
        let text = metrics.render();
        assert!(
            text.contains(r#"argo_gateway_requests_total{protocol="rest",code="200"} 2"#),
            "{text}"
        );
    }
}
