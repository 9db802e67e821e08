//! The Argo API gateway: one port for gRPC, gRPC-web and REST, as `argo server` serves them.
//!
//! [`router`] builds the whole HTTP face from a [`GatewayState`]: REST transcoding driven by
//! the schema's `google.api.http` rules ([`transcode`]), server streams as SSE or
//! newline-delimited JSON ([`stream`]), the gRPC proxy with reflection and health ([`grpc`]),
//! `/metrics`, `/healthz` and the UI seam ([`ui`]), all behind per-client rate limiting
//! ([`rate_limit`]) and Argo's security headers. The services themselves are reached through
//! [`Backends`]: in-process tonic routes in local mode, channels in distributed mode.
//! [`listener`] runs the router on a TCP port with optional TLS ([`tls`]). The gateway holds no
//! API logic of its own.

pub mod auth;
pub mod backend;
pub mod codec;
pub mod config;
mod errors;
pub mod fields;
pub mod grpc;
pub mod listener;
pub mod metrics;
pub mod rate_limit;
pub mod rendered;
pub mod routes;
pub mod stream;
pub mod tls;
pub mod transcode;
pub mod ui;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use http::{HeaderValue, Method, StatusCode, header};

pub use auth::{AuthMode, Authenticator, Credentials, ModeAuthenticator};
pub use backend::{BackendError, Backends, GrpcBackend};
pub use config::{Config, Settings};
pub use errors::{Error, Result, http_status_for, status_json};
pub use metrics::Metrics;
pub use rate_limit::RateLimiter;
pub use ui::{AssetProvider, DirectoryAssets, MemoryAssets};

/// Everything the router serves from.
pub struct GatewayState {
    pub settings: Settings,
    pub routes: routes::RouteTable,
    pub backends: Backends,
    pub authenticator: Arc<dyn Authenticator>,
    pub assets: Option<Arc<dyn AssetProvider>>,
    pub metrics: Arc<Metrics>,
    pub rate_limiter: Arc<RateLimiter>,
    /// The JSON of recent REST read answers (see [`rendered`]).
    pub rendered: rendered::RenderedAnswers,
    /// Reflection and health.
    pub gateway_services: tonic::service::Routes,
    /// Lets the embedding process mark services (not) serving.
    pub health: tonic_health::server::HealthReporter,
}

impl GatewayState {
    /// State with the schema's routes, reflection, health, fresh metrics and a rate limiter
    /// keyed as `IP_KEY_FUNC_HEADERS` says.
    ///
    /// # Errors
    /// When the schema or reflection cannot be built.
    pub async fn new(
        settings: Settings,
        backends: Backends,
        authenticator: Arc<dyn Authenticator>,
    ) -> Result<Self> {
        let services = grpc::gateway_services().await?;
        let rate_limiter = Arc::new(if RateLimiter::disabled_by_env() {
            RateLimiter::disabled()
        } else {
            RateLimiter::new(settings.api_rate_limit, RateLimiter::key_headers_from_env())
        });
        Ok(Self {
            routes: routes::RouteTable::from_schema()?,
            settings,
            backends,
            authenticator,
            assets: None,
            metrics: Arc::new(Metrics::default()),
            rate_limiter,
            rendered: rendered::RenderedAnswers::default(),
            gateway_services: services.routes,
            health: services.health,
        })
    }

    /// Serves the UI from `assets`.
    pub fn with_assets(mut self, assets: Arc<dyn AssetProvider>) -> Self {
        self.assets = Some(assets);
        self
    }

    /// Replaces the rate limiter (tests use fixed key headers).
    pub fn with_rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.rate_limiter = Arc::new(limiter);
        self
    }
}

/// The gateway's HTTP face; serve it with [`listener::serve`] or call it in-process.
pub fn router(state: GatewayState) -> Router {
    let metrics = state.metrics.clone();
    let limiter = state.rate_limiter.clone();
    let state = Arc::new(state);
    let router = Router::new()
        .fallback(dispatch)
        .with_state(state.clone())
        .layer(from_fn_with_state(state, security_headers));
    // A limit of 0 (or ARGO_API_RATE_LIMIT_DISABLED) leaves the limiter out entirely.
    let router = if limiter.is_enabled() {
        router.layer(from_fn_with_state(limiter, rate_limit::limit_requests))
    } else {
        router
    };
    router.layer(from_fn_with_state(metrics, metrics::count_requests))
}

/// The path below the base href, or `None` when the request is outside it.
fn strip_base_href<'a>(path: &'a str, base_href: &str) -> Option<&'a str> {
    let prefix = base_href.trim_matches('/');
    if prefix.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix('/')?.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

async fn dispatch(State(state): State<Arc<GatewayState>>, request: Request) -> Response {
    if grpc::is_grpc(request.headers()) {
        return grpc::serve(state, request).await;
    }
    // Requests outside the base href are served as if it were absent, as behind a proxy
    // that strips the prefix.
    let original_path = request.uri().path();
    let path = strip_base_href(original_path, &state.settings.base_href)
        .unwrap_or(original_path)
        .to_owned();
    if request.method() == Method::OPTIONS && !state.settings.access_control_allow_origin.is_empty()
    {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        return response;
    }
    match path.as_str() {
        "/metrics" => text_response(
            state.metrics.render(),
            "text/plain; version=0.0.4; charset=utf-8",
        ),
        "/healthz" => text_response("ok".to_owned(), "text/plain; charset=utf-8"),
        api if api.starts_with("/api/") => {
            let request = with_path(request, api);
            transcode::handle_rest(state, request).await
        }
        other => ui::serve(state.assets.as_deref(), other, &state.settings.base_href),
    }
}

fn with_path(request: Request, path: &str) -> Request {
    let (mut parts, body) = request.into_parts();
    let path_and_query = match parts.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    if let Ok(uri) = http::Uri::builder().path_and_query(path_and_query).build() {
        parts.uri = uri;
    }
    Request::from_parts(parts, body)
}

fn text_response(text: String, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(text));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// X-Frame-Options, HSTS and CORS on every non-gRPC response, as configured.
async fn security_headers(
    State(state): State<Arc<GatewayState>>,
    request: Request,
    next: Next,
) -> Response {
    let grpc = grpc::is_grpc(request.headers());
    let preflight = request.method() == Method::OPTIONS;
    let mut response = next.run(request).await;
    if grpc {
        return response;
    }
    let settings = &state.settings;
    let headers = response.headers_mut();
    if !settings.x_frame_options.is_empty()
        && let Ok(value) = HeaderValue::from_str(&settings.x_frame_options)
    {
        headers.insert(header::X_FRAME_OPTIONS, value);
    }
    if settings.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if !settings.access_control_allow_origin.is_empty()
        && let Ok(origin) = HeaderValue::from_str(&settings.access_control_allow_origin)
    {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if preflight {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("POST, GET, OPTIONS, PUT, DELETE"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("Content-Type, Authorization"),
            );
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_href_prefix_is_removed_only_on_a_segment_boundary() {
        assert_eq!(
            strip_base_href("/argo/api/v1/info", "/argo/"),
            Some("/api/v1/info")
        );
        assert_eq!(strip_base_href("/argo", "/argo/"), Some("/"));
        assert_eq!(strip_base_href("/argonaut", "/argo/"), None);
        assert_eq!(strip_base_href("/api/v1/info", "/"), Some("/api/v1/info"));
    }
}
