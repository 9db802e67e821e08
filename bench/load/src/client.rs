//! One HTTP/1.1 keep-alive connection to the server and JSON calls over it. It knows the wire
//! only: no project crate, no model types; bodies are `serde_json::Value`.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// A keep-alive connection to `127.0.0.1:port`.
pub struct Connection {
    sender: Sender,
}

impl Connection {
    pub async fn open(port: u16) -> Result<Self, String> {
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
        Ok(Self { sender })
    }

    /// Sends one request and returns the status and the raw body.
    pub async fn call(
        &mut self,
        method: http::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<(http::StatusCode, Bytes), String> {
        let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
        let request = http::Request::builder()
            .method(method.clone())
            .uri(path)
            .header("host", "127.0.0.1")
            .header("content-type", "application/json")
            .body(Full::new(bytes))
            .map_err(|e| format!("request {method} {path}: {e}"))?;
        self.sender
            .ready()
            .await
            .map_err(|e| format!("{method} {path}: connection not ready: {e}"))?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("{method} {path}: body: {e}"))?
            .to_bytes();
        Ok((status, body))
    }

    /// A call that must answer 200 with a JSON body.
    pub async fn json(
        &mut self,
        method: http::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, String> {
        let (status, bytes) = self.call(method.clone(), path, body).await?;
        if status != http::StatusCode::OK {
            return Err(format!(
                "{method} {path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("{method} {path}: not JSON: {e}"))
    }
}

/// Polling interval that keeps the completion time's resolution near 2% of the elapsed time
/// (100 ms to 1 s), so a poll of a large list does not load the server while it works.
pub fn poll_interval(elapsed: Duration) -> Duration {
    (elapsed / 50).clamp(Duration::from_millis(100), Duration::from_secs(1))
}
