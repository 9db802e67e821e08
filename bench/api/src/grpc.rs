//! The gRPC side of B6: N calls in flight on one HTTP/2 channel. The request messages are
//! hand-written prost structs carrying only the fields a call sets (field numbers from the
//! project's `proto/`); every answer is decoded as an empty message (prost skips unknown
//! fields), so the client pays no model cost. It must not depend on the project's crates.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::call::{Call, LARGE, LIST_LABEL, LIST_LIMIT, NAMESPACE, SMALL};
use crate::report::{Outcome, collect};

/// `workflow.WorkflowGetRequest` fields 1 and 2.
#[derive(Clone, PartialEq, prost::Message)]
struct GetRequest {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(string, tag = "2")]
    namespace: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct Skipped {}

/// `k8s.io.apimachinery.pkg.apis.meta.v1.ListOptions` fields 1 and 7.
#[derive(Clone, PartialEq, prost::Message)]
struct ListOptions {
    #[prost(string, optional, tag = "1")]
    label_selector: Option<String>,
    #[prost(int64, optional, tag = "7")]
    limit: Option<i64>,
}

/// `workflow.WorkflowListRequest` fields 1 and 2.
#[derive(Clone, PartialEq, prost::Message)]
struct ListRequest {
    #[prost(string, tag = "1")]
    namespace: String,
    #[prost(message, optional, tag = "2")]
    list_options: Option<ListOptions>,
}

/// `ObjectMeta` fields generateName (2) and labels (11).
#[derive(Clone, PartialEq, prost::Message)]
struct ObjectMeta {
    #[prost(string, optional, tag = "2")]
    generate_name: Option<String>,
    #[prost(map = "string, string", tag = "11")]
    labels: HashMap<String, String>,
}

/// `SuspendTemplate` field duration (1).
#[derive(Clone, PartialEq, prost::Message)]
struct SuspendTemplate {
    #[prost(string, optional, tag = "1")]
    duration: Option<String>,
}

/// `Template` fields name (1) and suspend (16).
#[derive(Clone, PartialEq, prost::Message)]
struct Template {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(message, optional, tag = "16")]
    suspend: Option<SuspendTemplate>,
}

/// `WorkflowSpec` fields templates (1) and entrypoint (2).
#[derive(Clone, PartialEq, prost::Message)]
struct WorkflowSpec {
    #[prost(message, repeated, tag = "1")]
    templates: Vec<Template>,
    #[prost(string, optional, tag = "2")]
    entrypoint: Option<String>,
}

/// `Workflow` fields metadata (1) and spec (2).
#[derive(Clone, PartialEq, prost::Message)]
struct Workflow {
    #[prost(message, optional, tag = "1")]
    metadata: Option<ObjectMeta>,
    #[prost(message, optional, tag = "2")]
    spec: Option<WorkflowSpec>,
}

/// `workflow.WorkflowCreateRequest` fields namespace (1) and workflow (2).
#[derive(Clone, PartialEq, prost::Message)]
struct CreateRequest {
    #[prost(string, tag = "1")]
    namespace: String,
    #[prost(message, optional, tag = "2")]
    workflow: Option<Workflow>,
}

/// The same one-node workflow as the REST CREATE body.
fn create_request() -> CreateRequest {
    let labels = HashMap::from([("bench".to_owned(), "bench-create".to_owned())]);
    let main = Template {
        name: Some("main".to_owned()),
        suspend: Some(SuspendTemplate {
            duration: Some("0".to_owned()),
        }),
    };
    CreateRequest {
        namespace: NAMESPACE.to_owned(),
        workflow: Some(Workflow {
            metadata: Some(ObjectMeta {
                generate_name: Some("b6-create-".to_owned()),
                labels,
            }),
            spec: Some(WorkflowSpec {
                templates: vec![main],
                entrypoint: Some("main".to_owned()),
            }),
        }),
    }
}

type Client = tonic::client::Grpc<tonic::transport::Channel>;

async fn unary<M: prost::Message + Send + Sync + 'static>(
    client: &mut Client,
    method: &'static str,
    request: M,
) -> Result<(), tonic::Status> {
    let path = http::uri::PathAndQuery::from_static(method);
    let codec = tonic_prost::ProstCodec::<M, Skipped>::default();
    client
        .unary(tonic::Request::new(request), path, codec)
        .await?;
    Ok(())
}

/// One unary call of `target` over a ready client.
async fn grpc_call(client: &mut Client, target: Call) -> Result<(), tonic::Status> {
    client
        .ready()
        .await
        .map_err(|e| tonic::Status::unavailable(format!("ready: {e}")))?;
    let get = |name: &str| GetRequest {
        name: name.to_owned(),
        namespace: NAMESPACE.to_owned(),
    };
    match target {
        Call::Get => unary(client, GET, get(SMALL)).await,
        Call::GetLarge => unary(client, GET, get(LARGE)).await,
        Call::List => {
            let request = ListRequest {
                namespace: NAMESPACE.to_owned(),
                list_options: Some(ListOptions {
                    label_selector: Some(format!("bench={LIST_LABEL}")),
                    limit: Some(LIST_LIMIT),
                }),
            };
            unary(client, "/workflow.WorkflowService/ListWorkflows", request).await
        }
        Call::Create => {
            let method = "/workflow.WorkflowService/CreateWorkflow";
            unary(client, method, create_request()).await
        }
    }
}

const GET: &str = "/workflow.WorkflowService/GetWorkflow";

/// Loads `target` with `in_flight` concurrent calls on one channel for `duration`.
pub async fn load(
    port: u16,
    target: Call,
    in_flight: usize,
    duration: Duration,
) -> Result<Outcome, String> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{port}"))
        .map_err(|e| format!("endpoint: {e}"))?
        .connect()
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..in_flight {
        let mut client = tonic::client::Grpc::new(channel.clone());
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            while Instant::now() < deadline {
                let sent = Instant::now();
                match grpc_call(&mut client, target).await {
                    Ok(()) => outcome
                        .latencies_ms
                        .push(sent.elapsed().as_secs_f64() * 1000.0),
                    Err(status) if status.code() == tonic::Code::ResourceExhausted => {
                        outcome.refused += 1
                    }
                    Err(status) => return Err(format!("{}: {status}", target.name())),
                }
            }
            Ok::<_, String>(outcome)
        }));
    }
    collect(tasks).await
}
