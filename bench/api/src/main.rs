//! `bench-api`: GetWorkflow and ListWorkflows load against a running `argo server` on loopback.
//!
//! `bench-api seed --port P [--list-count N]` creates one workflow for GetWorkflow and N
//! (default 50) for ListWorkflows, and waits until they have finished (so GET returns a full
//! status with nodes); `bench-api rest|grpc --port P [--call get|list] --connections 1,16,64
//! --seconds S` loads GetWorkflow of the first (or ListWorkflows of the N, limit 50) and
//! prints one JSON line per level (with `--runs R`, the median run and the best rate):
//! requests/s (answered 200/OK), refused (429 / ResourceExhausted), p50, p99 and p99.9
//! latency. It prints figures; it asserts nothing about them.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use serde_json::json;

const NAMESPACE: &str = "argo";
const NAME: &str = "bench-get";
/// The label every ListWorkflows workflow carries, and the page size listed.
const LIST_LABEL: &str = "bench-list";
const LIST_LIMIT: i64 = 50;

const USAGE: &str = "usage:
  bench-api seed --port P [--list-count N]
  bench-api rest --port P [--call get|list] [--connections 1,16,64] [--seconds S] [--runs R]
  bench-api grpc --port P [--call get|list] [--connections 1,16,64] [--seconds S] [--runs R]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(port) = flag("--port").and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("--port is required\n{USAGE}");
        return ExitCode::from(2);
    };
    let connections: Vec<usize> = flag("--connections")
        .unwrap_or_else(|| "1,16,64".to_owned())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let seconds: u64 = flag("--seconds").and_then(|s| s.parse().ok()).unwrap_or(3);
    let runs: usize = flag("--runs")
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1);
    let list_count: usize = flag("--list-count")
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let call = match flag("--call").as_deref() {
        None | Some("get") => Call::Get,
        Some("list") => Call::List,
        Some(other) => {
            eprintln!("unknown --call {other}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match args.first().map(String::as_str) {
            Some("seed") => seed(port, list_count).await,
            Some(kind @ ("rest" | "grpc")) => {
                for level in &connections {
                    let duration = Duration::from_secs(seconds);
                    let mut outcomes = Vec::new();
                    for _ in 0..runs {
                        let outcome = if kind == "rest" {
                            load_rest(port, call, *level, duration).await?
                        } else {
                            load_grpc(port, call, *level, duration).await?
                        };
                        outcomes.push(outcome);
                    }
                    println!("{}", report(outcomes, kind, call, *level, duration));
                }
                Ok(())
            }
            _ => Err(USAGE.to_owned()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench-api: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Which read is loaded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Call {
    Get,
    List,
}

impl Call {
    fn name(self) -> &'static str {
        match self {
            Call::Get => "GetWorkflow",
            Call::List => "ListWorkflows",
        }
    }

    fn rest_path(self) -> String {
        match self {
            Call::Get => format!("/api/v1/workflows/{NAMESPACE}/{NAME}"),
            Call::List => format!(
                "/api/v1/workflows/{NAMESPACE}?listOptions.labelSelector=bench%3D{LIST_LABEL}\
                 &listOptions.limit={LIST_LIMIT}"
            ),
        }
    }
}

/// Latencies of answered calls and the count of refused ones.
#[derive(Default)]
struct Outcome {
    latencies_ms: Vec<f64>,
    refused: usize,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.latencies_ms.extend(other.latencies_ms);
        self.refused += other.refused;
    }
}

/// One line for a level: the median run's figures (by answered calls) and the best run's
/// rate; with one run both are that run.
fn report(
    mut outcomes: Vec<Outcome>,
    kind: &str,
    call: Call,
    level: usize,
    duration: Duration,
) -> serde_json::Value {
    let seconds = duration.as_secs_f64();
    outcomes.sort_by_key(|outcome| outcome.latencies_ms.len());
    let best = outcomes
        .last()
        .map_or(0, |outcome| outcome.latencies_ms.len());
    let runs = outcomes.len();
    let mut median = outcomes.swap_remove(runs / 2);
    median.latencies_ms.sort_by(f64::total_cmp);
    json!({
        "api": kind, "call": call.name(), "connections": level, "runs": runs,
        "ok_per_s": (median.latencies_ms.len() as f64 / seconds).round(),
        "best_ok_per_s": (best as f64 / seconds).round(),
        "refused_per_s": (median.refused as f64 / seconds).round(),
        "p50_ms": percentile(&median.latencies_ms, 50.0),
        "p99_ms": percentile(&median.latencies_ms, 99.0),
        "p999_ms": percentile(&median.latencies_ms, 99.9),
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    (sorted[rank.min(sorted.len() - 1)] * 1000.0).round() / 1000.0
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(port: u16) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
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

async fn call(
    sender: &mut Sender,
    method: http::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<(http::StatusCode, Bytes), String> {
    let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .body(Full::new(bytes))
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

/// A two-step workflow named `name` labelled `bench=label`.
fn bench_workflow(name: &str, label: &str) -> serde_json::Value {
    json!({"workflow": {
        "metadata": {"name": name, "labels": {"bench": label}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "steps": [[
                {"name": "a", "template": "echo"}, {"name": "b", "template": "echo"}
            ]]},
            {"name": "echo", "container": {"image": "busybox", "command": ["echo", "bench"]}}
        ]}
    }})
}

async fn create(sender: &mut Sender, workflow: serde_json::Value) -> Result<(), String> {
    let path = format!("/api/v1/workflows/{NAMESPACE}");
    let (status, body) = call(sender, http::Method::POST, &path, Some(workflow)).await?;
    if status != http::StatusCode::OK && status != http::StatusCode::CONFLICT {
        return Err(format!(
            "create: {status} {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(())
}

/// Creates the workflows GETs and LISTs read, and waits until they have finished.
async fn seed(port: u16, list_count: usize) -> Result<(), String> {
    let mut sender = connect(port).await?;
    create(&mut sender, bench_workflow(NAME, "api")).await?;
    for index in 0..list_count {
        create(
            &mut sender,
            bench_workflow(&format!("{LIST_LABEL}-{index:03}"), LIST_LABEL),
        )
        .await?;
    }
    let finished = format!(
        "/api/v1/workflows/{NAMESPACE}?listOptions.labelSelector=bench%3D{LIST_LABEL}\
         &fields=items.status.phase"
    );
    let deadline = Instant::now() + Duration::from_secs(300);
    while list_count > 0 {
        if Instant::now() > deadline {
            return Err("the list workflows did not finish within 300 s".to_owned());
        }
        let (_, body) = call(&mut sender, http::Method::GET, &finished, None).await?;
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let phases: Vec<&str> = value["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item["status"]["phase"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        if phases
            .iter()
            .any(|phase| matches!(*phase, "Failed" | "Error"))
        {
            return Err("a list workflow failed".to_owned());
        }
        if phases.len() == list_count && phases.iter().all(|phase| *phase == "Succeeded") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let get = format!("/api/v1/workflows/{NAMESPACE}/{NAME}");
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let (_, body) = call(&mut sender, http::Method::GET, &get, None).await?;
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        match value["status"]["phase"].as_str() {
            Some("Succeeded") => {
                println!("{}", json!({"seeded": NAME, "get_body_bytes": body.len()}));
                return Ok(());
            }
            Some(phase @ ("Failed" | "Error")) => return Err(format!("seed workflow {phase}")),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    Err("seed workflow did not finish within 120 s".to_owned())
}

async fn load_rest(
    port: u16,
    target: Call,
    connections: usize,
    duration: Duration,
) -> Result<Outcome, String> {
    let deadline = Instant::now() + duration;
    let path = target.rest_path();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(port).await?;
            let mut outcome = Outcome::default();
            while Instant::now() < deadline {
                let sent = Instant::now();
                let (status, _) = call(&mut sender, http::Method::GET, &path, None).await?;
                match status {
                    http::StatusCode::OK => outcome
                        .latencies_ms
                        .push(sent.elapsed().as_secs_f64() * 1000.0),
                    http::StatusCode::TOO_MANY_REQUESTS => outcome.refused += 1,
                    other => return Err(format!("{} answered {other}", target.name())),
                }
            }
            Ok::<_, String>(outcome)
        }));
    }
    collect(tasks).await
}

/// `workflow.WorkflowGetRequest` fields 1 and 2; the response is decoded as an empty message
/// (prost skips unknown fields), so the client pays no model cost.
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

/// One unary call of `target` over a ready client.
async fn grpc_call(
    client: &mut tonic::client::Grpc<tonic::transport::Channel>,
    target: Call,
) -> Result<(), tonic::Status> {
    client
        .ready()
        .await
        .map_err(|e| tonic::Status::unavailable(format!("ready: {e}")))?;
    match target {
        Call::Get => {
            let path =
                http::uri::PathAndQuery::from_static("/workflow.WorkflowService/GetWorkflow");
            let codec = tonic_prost::ProstCodec::<GetRequest, Skipped>::default();
            let request = GetRequest {
                name: NAME.to_owned(),
                namespace: NAMESPACE.to_owned(),
            };
            client
                .unary(tonic::Request::new(request), path, codec)
                .await?;
        }
        Call::List => {
            let path =
                http::uri::PathAndQuery::from_static("/workflow.WorkflowService/ListWorkflows");
            let codec = tonic_prost::ProstCodec::<ListRequest, Skipped>::default();
            let request = ListRequest {
                namespace: NAMESPACE.to_owned(),
                list_options: Some(ListOptions {
                    label_selector: Some(format!("bench={LIST_LABEL}")),
                    limit: Some(LIST_LIMIT),
                }),
            };
            client
                .unary(tonic::Request::new(request), path, codec)
                .await?;
        }
    }
    Ok(())
}

async fn load_grpc(
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

async fn collect(
    tasks: Vec<tokio::task::JoinHandle<Result<Outcome, String>>>,
) -> Result<Outcome, String> {
    let mut all = Outcome::default();
    for task in tasks {
        all.merge(task.await.map_err(|e| format!("load task: {e}"))??);
    }
    Ok(all)
}
