//! The service as mounted: [`WorkflowEndpoint`] answers GetWorkflow and ListWorkflows with
//! their already-encoded bytes ([`EncodedAnswer`]) and hands every other call to the
//! tonic-generated `WorkflowServiceServer`.
//!
//! The generated server can only answer a `wf::Workflow` value, which tonic then encodes:
//! serving a cached answer through it means cloning and encoding the whole workflow per read.
//! Here the two reads go through the same `tonic::server::Grpc` machinery with a codec whose
//! reply is bytes, so a read copies its cached answer once into the response frame.
//!
//! Must not: answer anything but those two reads itself, or differ on the wire from the
//! generated server (the same status for bad requests, the same encoding of answers).

use std::convert::Infallible;
use std::marker::PhantomData;
use std::sync::Arc;
use std::task::{Context, Poll};

use argo_proto::workflow::workflow_service_server::WorkflowServiceServer;
use argo_proto::workflow::{WorkflowGetRequest, WorkflowListRequest};
use argo_store::ResourceStore;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::codegen::{Body, BoxFuture, Service, StdError, http};
use tonic::server::{NamedService, UnaryService};
use tonic::{Request, Response, Status};

use crate::answers::EncodedAnswer;
use crate::server::WorkflowServer;

const GET_WORKFLOW: &str = "/workflow.WorkflowService/GetWorkflow";
const LIST_WORKFLOWS: &str = "/workflow.WorkflowService/ListWorkflows";

/// `workflow.WorkflowService` with its two reads answered from encoded bytes.
pub struct WorkflowEndpoint<S: ?Sized> {
    server: Arc<WorkflowServer<S>>,
    generated: WorkflowServiceServer<WorkflowServer<S>>,
}

impl<S: ?Sized> Clone for WorkflowEndpoint<S> {
    fn clone(&self) -> Self {
        Self {
            server: self.server.clone(),
            generated: self.generated.clone(),
        }
    }
}

impl<S: ?Sized> std::fmt::Debug for WorkflowEndpoint<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkflowEndpoint")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl<S: ResourceStore + ?Sized + 'static> WorkflowEndpoint<S> {
    /// Serves `server`.
    pub fn new(server: WorkflowServer<S>) -> Self {
        let server = Arc::new(server);
        Self {
            generated: WorkflowServiceServer::from_arc(server.clone()),
            server,
        }
    }
}

impl<S: ?Sized> NamedService for WorkflowEndpoint<S> {
    const NAME: &'static str = "workflow.WorkflowService";
}

impl<S, B> Service<http::Request<B>> for WorkflowEndpoint<S>
where
    S: ResourceStore + ?Sized + 'static,
    B: Body + Send + 'static,
    B::Error: Into<StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let server = self.server.clone();
        match request.uri().path() {
            GET_WORKFLOW => Box::pin(async move {
                let mut grpc = tonic::server::Grpc::new(EncodedReplyCodec::default());
                Ok(grpc.unary(GetEncoded(server), request).await)
            }),
            LIST_WORKFLOWS => Box::pin(async move {
                let mut grpc = tonic::server::Grpc::new(EncodedReplyCodec::default());
                Ok(grpc.unary(ListEncoded(server), request).await)
            }),
            _ => self.generated.call(request),
        }
    }
}

struct GetEncoded<S: ?Sized>(Arc<WorkflowServer<S>>);

impl<S: ResourceStore + ?Sized + 'static> UnaryService<WorkflowGetRequest> for GetEncoded<S> {
    type Response = EncodedAnswer;
    type Future = BoxFuture<Response<EncodedAnswer>, Status>;

    fn call(&mut self, request: Request<WorkflowGetRequest>) -> Self::Future {
        let server = self.0.clone();
        Box::pin(async move {
            let answer = server.get(request.into_inner()).await?;
            Ok(Response::new(answer))
        })
    }
}

struct ListEncoded<S: ?Sized>(Arc<WorkflowServer<S>>);

impl<S: ResourceStore + ?Sized + 'static> UnaryService<WorkflowListRequest> for ListEncoded<S> {
    type Response = EncodedAnswer;
    type Future = BoxFuture<Response<EncodedAnswer>, Status>;

    fn call(&mut self, request: Request<WorkflowListRequest>) -> Self::Future {
        let server = self.0.clone();
        Box::pin(async move {
            let answer = server.list(request.into_inner()).await?;
            Ok(Response::new(answer))
        })
    }
}

/// Decodes requests of type `R` as prost does; writes replies that are already encoded.
struct EncodedReplyCodec<R>(PhantomData<fn() -> R>);

impl<R> Default for EncodedReplyCodec<R> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<R: prost::Message + Default + Send + 'static> Codec for EncodedReplyCodec<R> {
    type Encode = EncodedAnswer;
    type Decode = R;
    type Encoder = EncodedAnswerEncoder;
    type Decoder = RequestDecoder<R>;

    fn encoder(&mut self) -> Self::Encoder {
        EncodedAnswerEncoder
    }

    fn decoder(&mut self) -> Self::Decoder {
        RequestDecoder(PhantomData)
    }
}

struct EncodedAnswerEncoder;

impl Encoder for EncodedAnswerEncoder {
    type Item = EncodedAnswer;
    type Error = Status;

    fn encode(&mut self, item: EncodedAnswer, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.reserve(item.encoded_len());
        item.write_to(dst);
        Ok(())
    }
}

struct RequestDecoder<R>(PhantomData<fn() -> R>);

impl<R: prost::Message + Default> Decoder for RequestDecoder<R> {
    type Item = R;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<R>, Status> {
        // As tonic's prost codec: a malformed request is `Internal`.
        R::decode(src)
            .map(Some)
            .map_err(|error| Status::internal(error.to_string()))
    }
}
