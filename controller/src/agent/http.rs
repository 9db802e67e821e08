//! The agent's HTTP request (Argo's `executeHTTPTemplate`): one HTTP/1.1 request over TCP or
//! TLS with the template's method, URL, headers and body, bounded by `timeoutSeconds`; the
//! response body becomes `outputs.result` and `successCondition` (an expression over
//! `request` and `response`) or, without one, a 2xx status decides the phase.
//! Must not: read the store (header values from Secrets arrive resolved).

use std::collections::BTreeMap;
use std::time::Duration;

use argo_core::{Http, NodePhase, NodeResult, Outputs};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpStream;

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Sends the request; `headers` are the template's headers with their values resolved.
/// Errors are messages naming what failed (the node's message).
pub async fn send(http: &Http, headers: &[(String, String)]) -> Result<Response, String> {
    let request = exchange(http, headers);
    match http.timeout_seconds {
        Some(seconds) => {
            let limit = Duration::from_secs(u64::try_from(seconds.max(0)).unwrap_or(0));
            tokio::time::timeout(limit, request).await.map_err(|_| {
                format!(
                    "{} {}: no response within timeoutSeconds ({seconds}s)",
                    method(http),
                    http.url
                )
            })?
        }
        None => request.await,
    }
}

fn method(http: &Http) -> &str {
    if http.method.is_empty() {
        "GET"
    } else {
        &http.method
    }
}

async fn exchange(http: &Http, headers: &[(String, String)]) -> Result<Response, String> {
    let uri: hyper::Uri = http
        .url
        .parse()
        .map_err(|e| format!("http.url {:?}: {e}", http.url))?;
    let scheme = uri.scheme_str().unwrap_or("http");
    let host = uri
        .host()
        .ok_or_else(|| format!("http.url {:?}: no host", http.url))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let tls = match scheme {
        "http" => false,
        "https" => true,
        other => {
            return Err(format!(
                "http.url {:?}: unsupported scheme {other}",
                http.url
            ));
        }
    };
    let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
    let unreachable = |e: &dyn std::fmt::Display| format!("{} {}: {e}", method(http), http.url);
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| unreachable(&e))?;
    let _ = tcp.set_nodelay(true);
    let request = build_request(http, headers, &uri)?;
    if tls {
        let verification = argo_tls::Verification::skipped_when(http.insecure_skip_verify);
        let config = argo_tls::client_config(verification, b"http/1.1").map_err(|e| match e {
            argo_tls::Error::NoTrustBundle => {
                format!("{e}: set SSL_CERT_FILE or insecureSkipVerify")
            }
            other => other.to_string(),
        })?;
        let name =
            rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| unreachable(&e))?;
        let stream = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| unreachable(&format!("TLS handshake: {e}")))?;
        round_trip(TokioIo::new(stream), request, &unreachable).await
    } else {
        round_trip(TokioIo::new(tcp), request, &unreachable).await
    }
}

fn build_request(
    http: &Http,
    headers: &[(String, String)],
    uri: &hyper::Uri,
) -> Result<hyper::Request<Full<Bytes>>, String> {
    let body = match http.body_from.as_ref().and_then(|b| b.bytes.as_ref()) {
        Some(bytes) => Bytes::from(bytes.0.clone()),
        None => Bytes::from(http.body.clone()),
    };
    let authority = uri.authority().map(|a| a.as_str().to_owned());
    let path = uri
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let mut builder = hyper::Request::builder().method(method(http)).uri(path);
    let mut host_set = false;
    for (name, value) in headers {
        // A `Host` header rewrites the request's host, as Go's client does.
        host_set |= name.eq_ignore_ascii_case("host");
        builder = builder.header(name.as_str(), value.as_str());
    }
    if !host_set && let Some(authority) = authority {
        builder = builder.header(hyper::header::HOST, authority);
    }
    builder
        .body(Full::new(body))
        .map_err(|e| format!("http request for {:?}: {e}", http.url))
}

async fn round_trip<I>(
    io: I,
    request: hyper::Request<Full<Bytes>>,
    unreachable: &(dyn Fn(&dyn std::fmt::Display) -> String + Sync),
) -> Result<Response, String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| unreachable(&e))?;
    let driver = tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| unreachable(&e));
    let outcome = match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| unreachable(&format!("reading the response body: {e}")))?
                .to_bytes()
                .to_vec();
            Ok(Response {
                status,
                headers,
                body,
            })
        }
        Err(error) => Err(error),
    };
    driver.abort();
    outcome
}

/// Go's canonical header key (`content-type` -> `Content-Type`).
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                }
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn header_map(headers: &[(String, String)]) -> Value {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in headers {
        map.entry(canonical(name)).or_default().push(value.clone());
    }
    json!(map)
}

/// The node result for a response: the body as `outputs.result`, Succeeded when
/// `successCondition` holds (or, without one, on a 2xx status), else Failed with Argo's
/// message. A condition that cannot be evaluated is an error message.
pub fn result(
    http: &Http,
    headers: &[(String, String)],
    response: &Response,
) -> Result<NodeResult, String> {
    let body = String::from_utf8_lossy(&response.body).into_owned();
    let (phase, message) = if http.success_condition.is_empty() {
        if (200..300).contains(&response.status) {
            (NodePhase::Succeeded, String::new())
        } else {
            (
                NodePhase::Failed,
                format!("received non-2xx response code: {}", response.status),
            )
        }
    } else {
        let mut scope = argo_expr::Scope::new();
        let body_bytes = http
            .body_from
            .as_ref()
            .and_then(|b| b.bytes.as_ref())
            .map(|b| b.0.clone())
            .unwrap_or_default();
        scope.insert(
            "request",
            json!({
                "method": http.method,
                "url": http.url,
                "body": http.body,
                "bodyBytes": body_bytes,
                "headers": header_map(headers),
            }),
        );
        scope.insert(
            "response",
            json!({
                "statusCode": response.status,
                "body": body,
                "headers": header_map(&response.headers),
            }),
        );
        let options = argo_expr::Options::default();
        let holds = argo_expr::evaluate_bool(&http.success_condition, &scope, &options)
            .map_err(|e| format!("successCondition '{}': {e}", http.success_condition))?;
        if holds {
            (NodePhase::Succeeded, String::new())
        } else {
            (
                NodePhase::Failed,
                format!(
                    "successCondition '{}' evaluated false",
                    http.success_condition
                ),
            )
        }
    };
    Ok(NodeResult {
        phase,
        message,
        outputs: Some(Outputs {
            result: Some(body),
            ..Outputs::default()
        }),
        progress: argo_core::Progress::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn without_a_condition_a_2xx_status_succeeds_and_others_fail_with_argos_message() {
        let http = Http::default();
        let ok = result(&http, &[], &response(204, "")).expect("result");
        assert_eq!(ok.phase, NodePhase::Succeeded);
        let failed = result(&http, &[], &response(503, "busy")).expect("result");
        assert_eq!(failed.phase, NodePhase::Failed);
        assert_eq!(failed.message, "received non-2xx response code: 503");
        assert_eq!(
            failed.outputs.and_then(|o| o.result).as_deref(),
            Some("busy")
        );
    }

    #[test]
    fn a_success_condition_sees_status_body_and_canonical_headers() {
        let http = Http {
            success_condition: "response.statusCode == 404 && response.body == 'gone' && \
                                response.headers['Content-Type'][0] == 'text/plain'"
                .into(),
            ..Http::default()
        };
        let ok = result(&http, &[], &response(404, "gone")).expect("result");
        assert_eq!(ok.phase, NodePhase::Succeeded, "{}", ok.message);
        let failed = result(&http, &[], &response(200, "gone")).expect("result");
        assert_eq!(
            failed.message,
            format!(
                "successCondition '{}' evaluated false",
                http.success_condition
            )
        );
    }

    #[test]
    fn an_unparsable_condition_is_an_error_naming_it() {
        let http = Http {
            success_condition: "response.statusCode ==".into(),
            ..Http::default()
        };
        let error = result(&http, &[], &response(200, "")).expect_err("a bad expression");
        assert!(
            error.starts_with("successCondition 'response.statusCode =='"),
            "{error}"
        );
    }

    #[test]
    fn header_names_are_canonicalised_as_go_does() {
        assert_eq!(canonical("x-request-id"), "X-Request-Id");
        assert_eq!(canonical("HOST"), "Host");
    }
}
