//! Server streams on the REST face: server-sent events or newline-delimited JSON.
//!
//! With `Accept: text/event-stream` each message is written as `data: {"result":...} ` plus a
//! blank line and grpc-gateway's `\n` delimiter, and a `:` comment line is sent whenever the stream has been quiet for the
//! keep-alive interval (15 s in production) so proxies keep the connection open. Otherwise
//! each message is `{"result":...}` followed by a newline. A failure after the stream started
//! becomes grpc-gateway's `{"error":{...}}` frame. This module only frames; it does not call
//! services or decide routes.

use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use http::{HeaderValue, header};
use prost_reflect::DynamicMessage;
use serde_json::{Value, json};

use crate::errors::http_status_for;
use crate::fields::FieldFilter;

/// The two framings of a server stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`.
    ServerSentEvents,
    /// `application/json`, one object per line.
    NewlineDelimited,
}

impl Framing {
    /// SSE when the client accepts `text/event-stream`, else newline-delimited JSON.
    pub fn for_accept(accept: Option<&str>) -> Self {
        match accept {
            Some(accept) if accept.contains("text/event-stream") => Self::ServerSentEvents,
            _ => Self::NewlineDelimited,
        }
    }

    /// One written chunk. As in Argo's stream forwarder, an event is `data: <json> ` plus a
    /// blank line, and grpc-gateway then appends its `\n` delimiter after every result (but
    /// not after the final error chunk).
    fn frame(self, value: &Value, is_error: bool) -> Bytes {
        let delimiter = if is_error { "" } else { "\n" };
        match self {
            Self::ServerSentEvents => Bytes::from(format!("data: {value} \n\n{delimiter}")),
            Self::NewlineDelimited => Bytes::from(format!("{value}{delimiter}")),
        }
    }
}

/// The `{"result": ...}` chunk for one message, filtered by `fields`.
pub fn result_frame(message: &DynamicMessage, fields: Option<&FieldFilter>) -> Value {
    let chunk = json!({ "result": argo_proto::message_to_json(message) });
    match fields {
        Some(filter) => filter.apply(chunk),
        None => chunk,
    }
}

/// grpc-gateway v1's error chunk for a failure in the middle of a stream.
pub fn error_frame(status: &tonic::Status) -> Value {
    let http = http_status_for(status.code());
    let mut error = serde_json::Map::new();
    error.insert("grpc_code".to_owned(), (status.code() as i32).into());
    error.insert("http_code".to_owned(), http.as_u16().into());
    if !status.message().is_empty() {
        error.insert("message".to_owned(), status.message().into());
    }
    if let Some(reason) = http.canonical_reason() {
        error.insert("http_status".to_owned(), reason.into());
    }
    json!({ "error": error })
}

/// Builds the streaming HTTP response for a stream of messages.
pub fn stream_response<S>(
    messages: S,
    framing: Framing,
    fields: Option<FieldFilter>,
    keep_alive: Duration,
) -> Response
where
    S: Stream<Item = Result<DynamicMessage, tonic::Status>> + Send + 'static,
{
    let frames = messages
        // Stop after the first error chunk, as grpc-gateway does.
        .scan(false, move |errored, item| {
            if *errored {
                return futures::future::ready(None);
            }
            let frame = match item {
                Ok(message) => framing.frame(&result_frame(&message, fields.as_ref()), false),
                Err(status) => {
                    *errored = true;
                    framing.frame(&error_frame(&status), true)
                }
            };
            futures::future::ready(Some(frame))
        });
    let body_stream = match framing {
        Framing::ServerSentEvents => with_keep_alive(frames, keep_alive).boxed(),
        Framing::NewlineDelimited => frames.boxed(),
    };
    let content_type = match framing {
        Framing::ServerSentEvents => "text/event-stream",
        Framing::NewlineDelimited => "application/json",
    };
    let mut response = Response::new(Body::from_stream(
        body_stream.map(Ok::<_, std::convert::Infallible>),
    ));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if framing == Framing::ServerSentEvents {
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// Interleaves a `:` comment whenever `frames` has been quiet for `interval`.
fn with_keep_alive<S>(frames: S, interval: Duration) -> impl Stream<Item = Bytes> + Send
where
    S: Stream<Item = Bytes> + Send + 'static,
{
    futures::stream::unfold(Box::pin(frames), move |mut frames| async move {
        match tokio::time::timeout(interval, frames.next()).await {
            Ok(Some(frame)) => Some((frame, frames)),
            Ok(None) => None,
            Err(_elapsed) => Some((Bytes::from_static(b":\n"), frames)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_stream_accept_selects_server_sent_events() {
        assert_eq!(
            Framing::for_accept(Some("text/event-stream")),
            Framing::ServerSentEvents
        );
        assert_eq!(
            Framing::for_accept(Some("application/json")),
            Framing::NewlineDelimited
        );
        assert_eq!(Framing::for_accept(None), Framing::NewlineDelimited);
    }

    #[test]
    fn error_frames_carry_grpc_and_http_codes() {
        let frame = error_frame(&tonic::Status::not_found("gone"));
        assert_eq!(
            frame,
            json!({"error": {"grpc_code": 5, "http_code": 404, "message": "gone", "http_status": "Not Found"}})
        );
    }

    #[tokio::test(start_paused = true)]
    async fn quiet_event_streams_send_keep_alive_comments() {
        let (sender, receiver) = tokio::sync::mpsc::channel::<Bytes>(1);
        let frames = tokio_stream::wrappers::ReceiverStream::new(receiver);
        let mut stream = Box::pin(with_keep_alive(frames, Duration::from_secs(15)));
        assert_eq!(stream.next().await, Some(Bytes::from_static(b":\n")));
        sender
            .send(Bytes::from_static(b"data: {}\n\n"))
            .await
            .expect("receiver alive");
        assert_eq!(
            stream.next().await,
            Some(Bytes::from_static(b"data: {}\n\n"))
        );
        drop(sender);
        assert_eq!(stream.next().await, None);
    }
}
