//! The REST side of B6: HTTP/1.1 keep-alive connections to the gateway on loopback, one call
//! at a time per connection. It knows the wire only (status and raw body), never the
//! project's types.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};

use crate::call::Call;
use crate::report::{Outcome, collect};

pub type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

pub async fn connect(port: u16) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("connect to 127.0.0.1:{port}: {e}"))?;
    stream
        .set_nodelay(true)
        .map_err(|e| format!("nodelay: {e}"))?;
    let (sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(connection);
    Ok(sender)
}

/// Sends one request (a prepared body, cheap to clone) and returns the status and raw body.
pub async fn call(
    sender: &mut Sender,
    method: http::Method,
    path: &str,
    body: Bytes,
) -> Result<(http::StatusCode, Bytes), String> {
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .body(Full::new(body))
        .map_err(|e| format!("request: {e}"))?;
    sender.ready().await.map_err(|e| format!("ready: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e}"))?
        .to_bytes();
    Ok((status, body))
}

/// A GET answered as JSON (a body that is not JSON reads as `null`).
pub async fn get_json(sender: &mut Sender, path: &str) -> Result<serde_json::Value, String> {
    let (status, body) = call(sender, http::Method::GET, path, Bytes::new()).await?;
    if status != http::StatusCode::OK {
        return Err(format!(
            "GET {path}: {status} {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(serde_json::from_slice(&body).unwrap_or_default())
}

/// Loads `target` over `connections` keep-alive connections for `duration`.
pub async fn load(
    port: u16,
    target: Call,
    connections: usize,
    duration: Duration,
) -> Result<Outcome, String> {
    let deadline = Instant::now() + duration;
    let path = target.rest_path();
    let body = target
        .rest_body()
        .map(|b| Bytes::from(b.to_string()))
        .unwrap_or_default();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (path, body) = (path.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(port).await?;
            let mut outcome = Outcome::default();
            while Instant::now() < deadline {
                let sent = Instant::now();
                let (status, answer) =
                    call(&mut sender, target.method(), &path, body.clone()).await?;
                match status {
                    http::StatusCode::OK => outcome
                        .latencies_ms
                        .push(sent.elapsed().as_secs_f64() * 1000.0),
                    http::StatusCode::TOO_MANY_REQUESTS => outcome.refused += 1,
                    other => {
                        let answer = String::from_utf8_lossy(&answer);
                        return Err(format!("{} answered {other}: {answer}", target.name()));
                    }
                }
            }
            Ok::<_, String>(outcome)
        }));
    }
    collect(tasks).await
}
