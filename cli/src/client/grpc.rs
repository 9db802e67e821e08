//! The gRPC transport: raw protobuf bytes over a tonic channel, so one code path serves every
//! method in the schema (the caller encodes and decodes with the descriptor set).
//! Must not: interpret messages; errors keep the server's code and message.

use std::str::FromStr as _;

use bytes::{Buf as _, BufMut as _};
use futures::StreamExt as _;
use futures::stream::BoxStream;
use http::uri::PathAndQuery;
use hyper_util::rt::TokioIo;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::metadata::{MetadataKey, MetadataValue};
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Status};

use super::ClientError;
use super::connection::Dialer;

/// A connected gRPC channel plus the metadata every call carries.
#[derive(Debug, Clone)]
pub struct GrpcTransport {
    channel: Channel,
    metadata: Vec<(String, String)>,
}

impl GrpcTransport {
    /// Connects now, so an unreachable server is reported before any call.
    pub async fn connect(
        dialer: Dialer,
        metadata: Vec<(String, String)>,
    ) -> Result<Self, ClientError> {
        let address = dialer.address.clone();
        let endpoint = Endpoint::from_shared(format!("http://{address}")).map_err(|e| {
            ClientError::Unreachable {
                address: address.clone(),
                reason: e.to_string(),
            }
        })?;
        let connector = tower::service_fn(move |_uri: http::Uri| {
            let dialer = dialer.clone();
            async move {
                dialer
                    .dial()
                    .await
                    .map(TokioIo::new)
                    .map_err(|e| std::io::Error::other(e.to_string()))
            }
        });
        let channel = endpoint
            .connect_with_connector(connector)
            .await
            .map_err(|e| ClientError::Unreachable {
                address,
                reason: error_chain(&e),
            })?;
        Ok(Self { channel, metadata })
    }

    fn request(&self, body: Vec<u8>) -> Result<Request<Vec<u8>>, ClientError> {
        let mut request = Request::new(body);
        for (key, value) in &self.metadata {
            let key = MetadataKey::from_bytes(key.to_ascii_lowercase().as_bytes())
                .map_err(|_| ClientError::BadHeader(key.clone()))?;
            let value = MetadataValue::try_from(value.as_str())
                .map_err(|_| ClientError::BadHeader(value.clone()))?;
            request.metadata_mut().insert(key, value);
        }
        Ok(request)
    }

    async fn ready(&self) -> Result<tonic::client::Grpc<Channel>, ClientError> {
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        grpc.ready()
            .await
            .map_err(|e| ClientError::Transport(error_chain(&e)))?;
        Ok(grpc)
    }

    /// One request, one response.
    pub async fn unary(&self, path: &str, body: Vec<u8>) -> Result<Vec<u8>, ClientError> {
        let mut grpc = self.ready().await?;
        let path = method_path(path)?;
        let response = grpc
            .unary(self.request(body)?, path, RawCodec)
            .await
            .map_err(status_error)?;
        Ok(response.into_inner())
    }

    /// One request, a stream of responses.
    pub async fn server_streaming(
        &self,
        path: &str,
        body: Vec<u8>,
    ) -> Result<BoxStream<'static, Result<Vec<u8>, ClientError>>, ClientError> {
        let mut grpc = self.ready().await?;
        let path = method_path(path)?;
        let response = grpc
            .server_streaming(self.request(body)?, path, RawCodec)
            .await
            .map_err(status_error)?;
        Ok(response
            .into_inner()
            .map(|item| item.map_err(status_error))
            .boxed())
    }
}

fn method_path(path: &str) -> Result<PathAndQuery, ClientError> {
    PathAndQuery::from_str(path).map_err(|e| ClientError::Schema(format!("{path}: {e}")))
}

/// A server status as the CLI reports it: code and message.
pub fn status_error(status: Status) -> ClientError {
    ClientError::Server {
        code: format!("{:?}", status.code()),
        message: status.message().to_owned(),
    }
}

/// An error and its causes, joined the way Go prints wrapped errors.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(next) = source {
        let next_text = next.to_string();
        if !text.contains(&next_text) {
            text.push_str(": ");
            text.push_str(&next_text);
        }
        source = next.source();
    }
    text
}

/// Passes message bytes through untouched.
#[derive(Debug, Clone, Copy, Default)]
struct RawCodec;

#[derive(Debug, Clone, Copy, Default)]
struct RawEncoder;

#[derive(Debug, Clone, Copy, Default)]
struct RawDecoder;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawEncoder;
    type Decoder = RawDecoder;

    fn encoder(&mut self) -> Self::Encoder {
        RawEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        RawDecoder
    }
}

impl Encoder for RawEncoder {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawDecoder {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let length = src.remaining();
        Ok(Some(src.copy_to_bytes(length).to_vec()))
    }
}
