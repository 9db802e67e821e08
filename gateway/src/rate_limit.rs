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

use std::collections::HashMap;
use std::net::SocketAddr;
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

/// The outcome of taking one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Take {
    pub limit: u64,
    pub remaining: u64,
    /// When the current window ends and the bucket refills.
    pub reset: SystemTime,
    pub allowed: bool,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    window_start: SystemTime,
    available: u64,
}

/// A keyed store of fixed-window token buckets.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u64,
    key_headers: Vec<String>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// A limiter of `limit` requests per second per key; `key_headers` are tried in order
    /// before the peer address.
    pub fn new(limit: u64, key_headers: Vec<String>) -> Self {
        Self {
            limit,
            key_headers,
            buckets: Mutex::new(HashMap::new()),
        }
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
    pub fn key_for(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
        for name in &self.key_headers {
            let value = headers
                .get(name.as_str())
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
                .unwrap_or("");
            if !value.is_empty() {
                return value.to_owned();
            }
        }
        peer.map(|peer| peer.ip().to_string()).unwrap_or_default()
    }

    /// Takes one token for `key` at time `now`.
    pub fn take(&self, key: &str, now: SystemTime) -> Take {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= SWEEP_THRESHOLD {
            buckets.retain(|_, bucket| now < bucket.window_start + WINDOW);
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            window_start: now,
            available: self.limit,
        });
        let elapsed = now
            .duration_since(bucket.window_start)
            .unwrap_or(Duration::ZERO);
        if elapsed >= WINDOW {
            let windows_passed = elapsed.as_nanos() / WINDOW.as_nanos();
            let advance = u32::try_from(windows_passed).unwrap_or(u32::MAX);
            bucket.window_start += WINDOW.saturating_mul(advance);
            bucket.available = self.limit;
        }
        let reset = bucket.window_start + WINDOW;
        if bucket.available > 0 {
            bucket.available -= 1;
            Take {
                limit: self.limit,
                remaining: bucket.available,
                reset,
                allowed: true,
            }
        } else {
            Take {
                limit: self.limit,
                remaining: 0,
                reset,
                allowed: false,
            }
        }
    }
}

/// Go's `time.RFC1123` of a UTC time: `Sun, 22 Nov 2026 02:30:00 UTC`.
pub fn rfc1123_utc(time: SystemTime) -> String {
    let http_date = httpdate::fmt_http_date(time);
    match http_date.strip_suffix("GMT") {
        Some(stem) => format!("{stem}UTC"),
        None => http_date,
    }
}

fn insert_header(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
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
    let reset = rfc1123_utc(take.reset);
    let mut response = if take.allowed {
        next.run(request).await
    } else if crate::grpc::is_grpc(request.headers()) {
        // gRPC clients read the refusal from the status trailers, not the HTTP status.
        let mut refused: Response = tonic::Status::resource_exhausted(
            "too many requests, retry after ".to_owned() + &reset,
        )
        .into_http();
        insert_header(refused.headers_mut(), "retry-after", &reset);
        refused
    } else {
        let mut refused = Response::new(Body::from("Too Many Requests\n"));
        *refused.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        refused.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        insert_header(refused.headers_mut(), "retry-after", &reset);
        refused
    };
    let headers = response.headers_mut();
    insert_header(headers, "x-ratelimit-limit", &take.limit.to_string());
    insert_header(
        headers,
        "x-ratelimit-remaining",
        &take.remaining.to_string(),
    );
    insert_header(headers, "x-ratelimit-reset", &reset);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_exactly_the_limit_then_refills() {
        let limiter = RateLimiter::new(3, vec![]);
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let results: Vec<bool> = (0..5)
            .map(|i| {
                limiter
                    .take("a", start + Duration::from_millis(i * 100))
                    .allowed
            })
            .collect();
        assert_eq!(results, vec![true, true, true, false, false]);
        let refused = limiter.take("a", start + Duration::from_millis(999));
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.reset, start + WINDOW);
        let next = limiter.take("a", start + Duration::from_millis(1_500));
        assert!(next.allowed);
        assert_eq!(next.remaining, 2);
        assert_eq!(next.reset, start + Duration::from_secs(2));
    }

    #[test]
    fn keys_have_independent_buckets() {
        let limiter = RateLimiter::new(1, vec![]);
        let now = SystemTime::UNIX_EPOCH;
        assert!(limiter.take("a", now).allowed);
        assert!(!limiter.take("a", now).allowed);
        assert!(limiter.take("b", now).allowed);
    }

    #[test]
    fn the_first_configured_header_with_a_value_is_the_key() {
        let limiter = RateLimiter::new(1, vec!["X-Real-IP".into(), "X-Forwarded-For".into()]);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("10.0.0.9"));
        let peer: SocketAddr = "127.0.0.1:5000".parse().expect("address");
        assert_eq!(limiter.key_for(&headers, Some(peer)), "10.0.0.9");
        assert_eq!(limiter.key_for(&HeaderMap::new(), Some(peer)), "127.0.0.1");
    }

    #[test]
    fn reset_dates_use_go_rfc1123_with_utc() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_314_600);
        assert_eq!(rfc1123_utc(time), "Sun, 22 Nov 2026 02:30:00 UTC");
    }
}
