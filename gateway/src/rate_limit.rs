//! Per-client rate limiting with go-limiter's semantics and headers.
//!
//! Each key (the client IP, or the first non-empty header named in `IP_KEY_FUNC_HEADERS`) has
//! a bucket of `limit` tokens per one-second window; the window starts at the key's first
//! request and all tokens come back at each window boundary, which is what Argo's
//! `sethvargo/go-limiter` memory store does (a GCRA limiter such as governor would admit
//! extra requests inside the first second, so it does not reproduce "exactly the limit
//! passes"). Every response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
//! `X-RateLimit-Reset` (an RFC1123 UTC date); a refusal is `429 Too Many Requests` with
//! `Retry-After` set to the same date. It covers REST and gRPC alike and knows nothing about
//! routes.
//!
//! Off switch (ours; Argo's `--api-rate-limit` has none, and go-limiter reads 0 tokens as its
//! default of 1): a limit of 0, or `ARGO_API_RATE_LIMIT_DISABLED=true` in the environment
//! (read once at start, like `IP_KEY_FUNC_HEADERS`), removes the layer: no bookkeeping, no
//! refusals and no `X-RateLimit-*` headers. It exists to measure what the limiter costs.
//!
//! Per request the limiter takes one lock and one map lookup keyed by the peer's address (no
//! text is built for it); the header values of a window are built once per window.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, StatusCode, header};

/// The window length; Argo's limiter refills once per second.
pub const WINDOW: Duration = Duration::from_secs(1);

/// Buckets are swept once the store holds this many keys.
const SWEEP_THRESHOLD: usize = 10_000;

/// The environment variable that turns the limiter off (any of `1`, `true`, `yes`).
pub const DISABLED_VARIABLE: &str = "ARGO_API_RATE_LIMIT_DISABLED";

/// The outcome of taking one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Take {
    pub limit: u64,
    pub remaining: u64,
    /// When the current window ends and the bucket refills.
    pub reset: SystemTime,
    /// `reset` as Go's RFC1123 UTC date, built once per window.
    pub reset_header: HeaderValue,
    pub allowed: bool,
}

/// Who a bucket belongs to: the peer's address, or a configured header's value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    Ip(IpAddr),
    Header(String),
    /// No header and no peer address (in-process calls).
    Unknown,
}

#[derive(Clone, Debug)]
struct Bucket {
    window_start: SystemTime,
    available: u64,
    reset_header: HeaderValue,
}

impl Bucket {
    fn starting(window_start: SystemTime, limit: u64) -> Self {
        Self {
            window_start,
            available: limit,
            reset_header: reset_header(window_start + WINDOW),
        }
    }
}

/// A keyed store of fixed-window token buckets.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u64,
    limit_header: HeaderValue,
    key_headers: Vec<String>,
    buckets: Mutex<HashMap<ClientKey, Bucket>>,
}

impl RateLimiter {
    /// A limiter of `limit` requests per second per key; `key_headers` are tried in order
    /// before the peer address. A limit of 0 is the off switch ([`Self::is_enabled`]).
    pub fn new(limit: u64, key_headers: Vec<String>) -> Self {
        Self {
            limit,
            limit_header: HeaderValue::from(limit),
            key_headers,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// A limiter that limits nothing: the layer is left out.
    pub fn disabled() -> Self {
        Self::new(0, Vec::new())
    }

    /// Whether requests are limited (the limit is not 0).
    pub fn is_enabled(&self) -> bool {
        self.limit > 0
    }

    /// Whether `ARGO_API_RATE_LIMIT_DISABLED` asks for no limiter.
    pub fn disabled_by_env() -> bool {
        std::env::var(DISABLED_VARIABLE).is_ok_and(|value| {
            matches!(
                value.trim().to_ascii_lowercase().as_str(),
                "1" | "true" | "yes"
            )
        })
    }

    /// Reads the header list from `IP_KEY_FUNC_HEADERS` (comma separated) as Argo does.
    pub fn key_headers_from_env() -> Vec<String> {
        std::env::var("IP_KEY_FUNC_HEADERS")
            .map(|list| {
                list.split(',')
                    .map(|name| name.trim().to_owned())
                    .filter(|name| !name.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The client key: the first configured header with a value, else the peer IP.
    pub fn key_for(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> ClientKey {
        for name in &self.key_headers {
            let value = headers
                .get(name.as_str())
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
                .unwrap_or("");
            if !value.is_empty() {
                return ClientKey::Header(value.to_owned());
            }
        }
        peer.map_or(ClientKey::Unknown, |peer| ClientKey::Ip(peer.ip()))
    }

    /// Takes one token for `key` at time `now`.
    pub fn take(&self, key: &ClientKey, now: SystemTime) -> Take {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= SWEEP_THRESHOLD {
            buckets.retain(|_, bucket| now < bucket.window_start + WINDOW);
        }
        // Cloning an address key allocates nothing; header keys are the rare case.
        let bucket = buckets
            .entry(key.clone())
            .or_insert_with(|| Bucket::starting(now, self.limit));
        let elapsed = now
            .duration_since(bucket.window_start)
            .unwrap_or(Duration::ZERO);
        if elapsed >= WINDOW {
            let windows_passed = elapsed.as_nanos() / WINDOW.as_nanos();
            let advance = u32::try_from(windows_passed).unwrap_or(u32::MAX);
            let window_start = bucket.window_start + WINDOW.saturating_mul(advance);
            *bucket = Bucket::starting(window_start, self.limit);
        }
        let allowed = bucket.available > 0;
        if allowed {
            bucket.available -= 1;
        }
        Take {
            limit: self.limit,
            remaining: bucket.available,
            reset: bucket.window_start + WINDOW,
            reset_header: bucket.reset_header.clone(),
            allowed,
        }
    }
}

fn reset_header(reset: SystemTime) -> HeaderValue {
    HeaderValue::from_str(&rfc1123_utc(reset))
        .unwrap_or_else(|_| HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 UTC"))
}

/// Go's `time.RFC1123` of a UTC time: `Sun, 22 Nov 2026 02:30:00 UTC`.
pub fn rfc1123_utc(time: SystemTime) -> String {
    let http_date = httpdate::fmt_http_date(time);
    match http_date.strip_suffix("GMT") {
        Some(stem) => format!("{stem}UTC"),
        None => http_date,
    }
}

/// The middleware: limits, then decorates every response with the rate headers.
pub async fn limit_requests(
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let key = limiter.key_for(request.headers(), peer);
    let take = limiter.take(&key, SystemTime::now());
    let mut response = if take.allowed {
        next.run(request).await
    } else if crate::grpc::is_grpc(request.headers()) {
        // gRPC clients read the refusal from the status trailers, not the HTTP status.
        let mut refused: Response = tonic::Status::resource_exhausted(format!(
            "too many requests, retry after {}",
            rfc1123_utc(take.reset)
        ))
        .into_http();
        refused
            .headers_mut()
            .insert(header::RETRY_AFTER, take.reset_header.clone());
        refused
    } else {
        let mut refused = Response::new(Body::from("Too Many Requests\n"));
        *refused.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        refused.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        refused
            .headers_mut()
            .insert(header::RETRY_AFTER, take.reset_header.clone());
        refused
    };
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", limiter.limit_header.clone());
    headers.insert("x-ratelimit-remaining", HeaderValue::from(take.remaining));
    headers.insert("x-ratelimit-reset", take.reset_header);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> ClientKey {
        ClientKey::Header(text.to_owned())
    }

    #[test]
    fn a_zero_limit_is_the_off_switch() {
        assert!(!RateLimiter::disabled().is_enabled());
        assert!(RateLimiter::new(1, vec![]).is_enabled());
    }

    #[test]
    fn a_window_admits_exactly_the_limit_then_refills() {
        let limiter = RateLimiter::new(3, vec![]);
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let results: Vec<bool> = (0..5)
            .map(|i| {
                limiter
                    .take(&key("a"), start + Duration::from_millis(i * 100))
                    .allowed
            })
            .collect();
        assert_eq!(results, vec![true, true, true, false, false]);
        let refused = limiter.take(&key("a"), start + Duration::from_millis(999));
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.reset, start + WINDOW);
        let next = limiter.take(&key("a"), start + Duration::from_millis(1_500));
        assert!(next.allowed);
        assert_eq!(next.remaining, 2);
        assert_eq!(next.reset, start + Duration::from_secs(2));
        assert_eq!(
            next.reset_header,
            HeaderValue::from_str(&rfc1123_utc(start + Duration::from_secs(2))).expect("date")
        );
    }

    #[test]
    fn keys_have_independent_buckets() {
        let limiter = RateLimiter::new(1, vec![]);
        let now = SystemTime::UNIX_EPOCH;
        assert!(limiter.take(&key("a"), now).allowed);
        assert!(!limiter.take(&key("a"), now).allowed);
        assert!(limiter.take(&key("b"), now).allowed);
    }

    #[test]
    fn the_first_configured_header_with_a_value_is_the_key() {
        let limiter = RateLimiter::new(1, vec!["X-Real-IP".into(), "X-Forwarded-For".into()]);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("10.0.0.9"));
        let peer: SocketAddr = "127.0.0.1:5000".parse().expect("address");
        assert_eq!(limiter.key_for(&headers, Some(peer)), key("10.0.0.9"));
        assert_eq!(
            limiter.key_for(&HeaderMap::new(), Some(peer)),
            ClientKey::Ip(peer.ip())
        );
        assert_eq!(limiter.key_for(&HeaderMap::new(), None), ClientKey::Unknown);
    }

    #[test]
    fn reset_dates_use_go_rfc1123_with_utc() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_314_600);
        assert_eq!(rfc1123_utc(time), "Sun, 22 Nov 2026 02:30:00 UTC");
    }
}
