//! `bench-api`: GetWorkflow load against a running `argo server` on loopback.
//!
//! `bench-api seed --port P` creates one workflow and waits until it has finished (so GET
//! returns a full status with nodes); `bench-api rest|grpc --port P --connections 1,16,64
//! --seconds S` loads GetWorkflow of it and prints one JSON line per level: requests/s
//! (answered 200/OK), refused (429 / ResourceExhausted), p50, p99 and p99.9 latency.
//! It prints figures; it asserts nothing about them.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use serde_json::json;

const NAMESPACE: &str = "argo";
const NAME: &str = "bench-get";

const USAGE: &str = "usage:
  bench-api seed --port P
  bench-api rest --port P [--connections 1,16,64] [--seconds S]
  bench-api grpc --port P [--connections 1,16,64] [--seconds S]";

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
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match args.first().map(String::as_str) {
            Some("seed") => seed(port).await,
            Some(kind @ ("rest" | "grpc")) => {
                for level in &connections {
                    let duration = Duration::from_secs(seconds);
                    let outcome = if kind == "rest" {
                        load_rest(port, *level, duration).await?
                    } else {
                        load_grpc(port, *level, duration).await?
                    };
                    println!("{}", outcome.report(kind, *level, duration));
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

    fn report(mut self, kind: &str, level: usize, duration: Duration) -> serde_json::Value {
        self.latencies_ms.sort_by(f64::total_cmp);
        let seconds = duration.as_secs_f64();
        json!({
            "api": kind, "call": "GetWorkflow", "connections": level,
            "ok_per_s": (self.latencies_ms.len() as f64 / seconds).round(),
            "refused_per_s": (self.refused as f64 / seconds).round(),
            "p50_ms": percentile(&self.latencies_ms, 50.0),
            "p99_ms": percentile(&self.latencies_ms, 99.0),
            "p999_ms": percentile(&self.latencies_ms, 99.9),
        })
    }
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

/// Creates the workflow GETs read, and waits until it has finished.
async fn seed(port: u16) -> Result<(), String> {
    let mut sender = connect(port).await?;
    let workflow = json!({"workflow": {
        "metadata": {"name": NAME, "labels": {"bench": "api"}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "steps": [[
                {"name": "a", "template": "echo"}, {"name": "b", "template": "echo"}
            ]]},
            {"name": "echo", "container": {"image": "busybox", "command": ["echo", "bench"]}}
        ]}
    }});
    let path = format!("/api/v1/workflows/{NAMESPACE}");
    let (status, body) = call(&mut sender, http::Method::POST, &path, Some(workflow)).await?;
    if status != http::StatusCode::OK && status != http::StatusCode::CONFLICT {
        return Err(format!(
            "create: {status} {}",
            String::from_utf8_lossy(&body)
        ));
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

async fn load_rest(port: u16, connections: usize, duration: Duration) -> Result<Outcome, String> {
    let deadline = Instant::now() + duration;
    let path = format!("/api/v1/workflows/{NAMESPACE}/{NAME}");
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
                    other => return Err(format!("GetWorkflow answered {other}")),
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

async fn load_grpc(port: u16, in_flight: usize, duration: Duration) -> Result<Outcome, String> {
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
            let path =
                http::uri::PathAndQuery::from_static("/workflow.WorkflowService/GetWorkflow");
            let mut outcome = Outcome::default();
            while Instant::now() < deadline {
                let sent = Instant::now();
                client.ready().await.map_err(|e| format!("ready: {e}"))?;
                let codec = tonic_prost::ProstCodec::<GetRequest, Skipped>::default();
                let request = GetRequest {
                    name: NAME.to_owned(),
                    namespace: NAMESPACE.to_owned(),
                };
                match client
                    .unary(tonic::Request::new(request), path.clone(), codec)
                    .await
                {
                    Ok(_) => outcome
                        .latencies_ms
                        .push(sent.elapsed().as_secs_f64() * 1000.0),
                    Err(status) if status.code() == tonic::Code::ResourceExhausted => {
                        outcome.refused += 1
                    }
                    Err(status) => return Err(format!("GetWorkflow: {status}")),
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
