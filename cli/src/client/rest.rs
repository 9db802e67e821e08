//! The REST transport (`--argo-http1`): each call goes to the method's `google.api.http`
//! binding, with path variables and query parameters filled from the request JSON the way
//! grpc-gateway reads them back; streams are read as newline-delimited `{"result": ...}`.
//! Must not: hold a connection pool (one connection per call is plenty for a CLI).

use bytes::Bytes;
use futures::StreamExt as _;
use futures::stream::BoxStream;
use http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value as Json};

use super::ClientError;
use super::connection::Dialer;
use argo_proto::{HttpBinding, HttpBody, HttpVerb};

/// Where and how to send REST calls.
#[derive(Debug, Clone)]
pub struct RestTransport {
    pub dialer: Dialer,
    pub base_href: String,
    pub headers: Vec<(String, String)>,
}

/// The method, path and body of one call, built from the request JSON.
#[derive(Debug, PartialEq)]
pub struct RestCall {
    pub method: Method,
    pub path_and_query: String,
    pub body: Option<Json>,
}

impl RestTransport {
    async fn send(
        &self,
        call: &RestCall,
    ) -> Result<hyper::Response<hyper::body::Incoming>, ClientError> {
        let io = self.dialer.dial().await?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        tokio::spawn(connection);
        let base = self.base_href.trim_end_matches('/');
        let uri = format!("{base}{}", call.path_and_query);
        let mut builder = Request::builder()
            .method(call.method.clone())
            .uri(&uri)
            .header(http::header::HOST, &self.dialer.address);
        for (key, value) in &self.headers {
            let name = HeaderName::from_bytes(key.as_bytes())
                .map_err(|_| ClientError::BadHeader(key.clone()))?;
            let value =
                HeaderValue::from_str(value).map_err(|_| ClientError::BadHeader(value.clone()))?;
            builder = builder.header(name, value);
        }
        let body = match &call.body {
            Some(json) => {
                builder = builder.header(http::header::CONTENT_TYPE, "application/json");
                Bytes::from(json.to_string())
            }
            None => Bytes::new(),
        };
        let request = builder
            .body(Full::new(body))
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| ClientError::Transport(format!("{} {uri}: {e}", call.method)))?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map(|collected| collected.to_bytes())
            .unwrap_or_default();
        Err(http_error(status, &bytes))
    }

    /// One request, one JSON response.
    pub async fn unary(&self, call: &RestCall) -> Result<Json, ClientError> {
        let response = self.send(call).await?;
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?
            .to_bytes();
        if bytes.is_empty() {
            return Ok(Json::Object(Map::new()));
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::Transport(format!("the server's answer is not JSON: {e}")))
    }

    /// One request, a stream of JSON results.
    pub async fn stream(
        &self,
        call: &RestCall,
    ) -> Result<BoxStream<'static, Result<Json, ClientError>>, ClientError> {
        let response = self.send(call).await?;
        let frames = response.into_body().into_data_stream();
        let lines = futures::stream::unfold(
            (frames, Vec::<u8>::new(), false),
            |(mut frames, mut buffer, mut ended)| async move {
                loop {
                    if let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = buffer.drain(..=end).collect();
                        return Some((Ok(line), (frames, buffer, ended)));
                    }
                    if ended {
                        if buffer.is_empty() {
                            return None;
                        }
                        let rest = std::mem::take(&mut buffer);
                        return Some((Ok(rest), (frames, buffer, ended)));
                    }
                    match frames.next().await {
                        Some(Ok(chunk)) => buffer.extend_from_slice(&chunk),
                        Some(Err(e)) => {
                            ended = true;
                            buffer.clear();
                            return Some((
                                Err(ClientError::Transport(e.to_string())),
                                (frames, buffer, ended),
                            ));
                        }
                        None => ended = true,
                    }
                }
            },
        );
        Ok(lines
            .filter_map(|line| async move {
                match line {
                    Err(e) => Some(Err(e)),
                    Ok(bytes) => stream_line(&bytes),
                }
            })
            .boxed())
    }
}

/// One line of a grpc-gateway stream: `{"result": ...}` or `{"error": ...}`; blank lines and
/// SSE framing are skipped.
fn stream_line(bytes: &[u8]) -> Option<Result<Json, ClientError>> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let text = text.strip_prefix("data:").map_or(text, str::trim);
    if text.is_empty() {
        return None;
    }
    let value: Json = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Some(Err(ClientError::Transport(format!("bad stream line: {e}")))),
    };
    if let Some(error) = value.get("error") {
        return Some(Err(server_error_from_json(error, "Unknown")));
    }
    Some(Ok(value.get("result").cloned().unwrap_or(value)))
}

fn http_error(status: StatusCode, body: &[u8]) -> ClientError {
    match serde_json::from_slice::<Json>(body) {
        Ok(json) => server_error_from_json(&json, status.canonical_reason().unwrap_or("Unknown")),
        Err(_) => ClientError::Server {
            code: status.as_u16().to_string(),
            message: String::from_utf8_lossy(body).trim().to_owned(),
        },
    }
}

fn server_error_from_json(json: &Json, fallback: &str) -> ClientError {
    let code = json
        .get("code")
        .and_then(Json::as_i64)
        .map_or_else(|| fallback.to_owned(), grpc_code_name);
    let message = json
        .get("message")
        .or_else(|| json.get("error"))
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    ClientError::Server { code, message }
}

fn grpc_code_name(code: i64) -> String {
    let code = i32::try_from(code).unwrap_or(2);
    format!("{:?}", tonic::Code::from_i32(code))
}

/// Builds the call for `binding` from the request JSON.
pub fn rest_call(binding: &HttpBinding, request: &Json) -> Result<RestCall, ClientError> {
    let mut remaining = request.clone();
    let mut path = String::new();
    let mut rest = binding.path.as_str();
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let variable = &rest[start + 1..start + end];
        let name = variable.split('=').next().unwrap_or(variable);
        let value = take_dotted(&mut remaining, name)
            .map(|value| scalar_text(&value))
            .unwrap_or_default();
        path.push_str(&percent_encode(&value, false));
        rest = &rest[start + end + 1..];
    }
    path.push_str(rest);
    let (body, query_source) = match &binding.body {
        HttpBody::Whole => (Some(remaining), None),
        HttpBody::Field(field) => {
            let body = take_dotted(&mut remaining, field);
            (body, Some(remaining))
        }
        HttpBody::None => (None, Some(remaining)),
    };
    let mut pairs = Vec::new();
    if let Some(source) = &query_source {
        flatten_query("", source, &mut pairs);
    }
    if !pairs.is_empty() {
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k, true), percent_encode(v, true)))
            .collect();
        path.push('?');
        path.push_str(&query.join("&"));
    }
    let method = match binding.verb {
        HttpVerb::Get => Method::GET,
        HttpVerb::Put => Method::PUT,
        HttpVerb::Post => Method::POST,
        HttpVerb::Delete => Method::DELETE,
        HttpVerb::Patch => Method::PATCH,
    };
    Ok(RestCall {
        method,
        path_and_query: path,
        body,
    })
}

fn take_dotted(value: &mut Json, dotted: &str) -> Option<Json> {
    let mut names: Vec<&str> = dotted.split('.').collect();
    let last = names.pop()?;
    let mut target = value;
    for name in names {
        target = target.get_mut(name)?;
    }
    target.as_object_mut()?.remove(last)
}

fn scalar_text(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

fn flatten_query(prefix: &str, value: &Json, pairs: &mut Vec<(String, String)>) {
    match value {
        Json::Object(map) => {
            for (key, child) in map {
                let key = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten_query(&key, child, pairs);
            }
        }
        Json::Array(items) => {
            for item in items {
                flatten_query(prefix, item, pairs);
            }
        }
        Json::Null => {}
        Json::String(text) if text.is_empty() => {}
        Json::Bool(false) => {}
        other => pairs.push((prefix.to_owned(), scalar_text(other))),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `/` outside queries is
/// encoded too, since a path variable is one segment).
fn percent_encode(text: &str, _query: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn binding(method: &str) -> HttpBinding {
        let pool = argo_proto::descriptor_pool().unwrap();
        argo_proto::http_bindings(pool)
            .unwrap()
            .into_iter()
            .find(|b| b.method.full_name() == method)
            .unwrap()
    }

    #[test]
    fn a_get_fills_the_path_and_puts_the_rest_in_the_query() {
        let call = rest_call(
            &binding("workflow.WorkflowService.ListWorkflows"),
            &json!({"namespace": "argo", "listOptions": {"labelSelector": "a=b,c"}}),
        )
        .unwrap();
        assert_eq!(call.method, Method::GET);
        assert_eq!(
            call.path_and_query,
            "/api/v1/workflows/argo?listOptions.labelSelector=a%3Db%2Cc"
        );
        assert_eq!(call.body, None);
    }

    #[test]
    fn a_whole_body_call_sends_the_request_without_the_path_fields() {
        let call = rest_call(
            &binding("workflow.WorkflowService.StopWorkflow"),
            &json!({"namespace": "argo", "name": "w", "message": "bye"}),
        )
        .unwrap();
        assert_eq!(call.method, Method::PUT);
        assert_eq!(call.path_and_query, "/api/v1/workflows/argo/w/stop");
        assert_eq!(call.body, Some(json!({"message": "bye"})));
    }

    #[test]
    fn stream_lines_unwrap_results_and_report_errors() {
        let line = br#"data: {"result":{"content":"hi"}}"#;
        assert_eq!(
            stream_line(line).unwrap().unwrap(),
            json!({"content": "hi"})
        );
        assert!(stream_line(b"   ").is_none());
        let error = stream_line(br#"{"error":{"code":5,"message":"gone"}}"#)
            .unwrap()
            .unwrap_err();
        assert_eq!(error.to_string(), "rpc error: code = NotFound desc = gone");
    }
}
