//! B6 floor: a raw axum GET endpoint and a raw tonic unary method, each returning a 2 KiB body,
//! loaded over loopback at several concurrency levels.
//!
//! The server runs as a child process of this binary (`bench-floor serve http|grpc`, started and
//! killed here by PID) so its RSS is its own. It must not do any work beyond returning the body.

use std::convert::Infallible;
use std::future::{Future, Ready, ready};
use std::io::{BufRead, BufReader};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::json;

use crate::percentile;

#[derive(Clone, Copy)]
pub enum Kind {
    Http,
    Grpc,
}

fn payload() -> Bytes {
    let item = r#"{"name":"hello-world-abcde","phase":"Succeeded"},"#;
    let mut body = String::from(r#"{"items":["#);
    while body.len() < 2048 - item.len() {
        body.push_str(item);
    }
    body.pop();
    body.push_str("]}");
    Bytes::from(body)
}

/// Entry point of the child: serve until killed, announcing the port on stdout.
pub fn serve(kind: &str) -> Result<serde_json::Value, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("bind: {e}"))?;
        let addr = listener.local_addr().map_err(|e| format!("addr: {e}"))?;
        match kind {
            "http" => {
                let body = payload();
                let app = axum::Router::new().route(
                    "/hello",
                    axum::routing::get(move || {
                        let body = body.clone();
                        async move { ([("content-type", "application/json")], body) }
                    }),
                );
                println!("{}", addr.port());
                axum::serve(listener, app)
                    .await
                    .map_err(|e| format!("serve: {e}"))?;
            }
            "grpc" => {
                drop(listener);
                println!("{}", addr.port());
                tonic::transport::Server::builder()
                    .add_service(Hello)
                    .serve(addr)
                    .await
                    .map_err(|e| format!("serve: {e}"))?;
            }
            other => return Err(format!("unknown server kind {other}")),
        }
        Ok(json!({}))
    })
}

#[derive(Clone)]
struct Hello;

impl tonic::server::NamedService for Hello {
    const NAME: &'static str = "bench.Hello";
}

struct Say;

impl tonic::server::UnaryService<Bytes> for Say {
    type Response = Bytes;
    type Future = Ready<Result<tonic::Response<Bytes>, tonic::Status>>;
    fn call(&mut self, _request: tonic::Request<Bytes>) -> Self::Future {
        ready(Ok(tonic::Response::new(payload())))
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl tower_service::Service<http::Request<tonic::body::Body>> for Hello {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Self::Response, Infallible>>;
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        Box::pin(async move {
            let codec = tonic_prost::ProstCodec::<Bytes, Bytes>::default();
            Ok(tonic::server::Grpc::new(codec).unary(Say, request).await)
        })
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(kind: Kind) -> Result<(Server, u16), String> {
    let exe = std::env::current_exe().map_err(|e| format!("current exe: {e}"))?;
    let name = match kind {
        Kind::Http => "http",
        Kind::Grpc => "grpc",
    };
    let mut child = Command::new(exe)
        .args(["serve", name])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("start server: {e}"))?;
    let stdout = child.stdout.take().ok_or("server has no stdout")?;
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("read port: {e}"))?;
    let port = line
        .trim()
        .parse()
        .map_err(|e| format!("bad port {line:?}: {e}"))?;
    Ok((server, port))
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Loads a fresh server at each concurrency level for `seconds` and reports req/s and latency.
pub fn measure(kind: Kind, levels: &[usize], seconds: f64) -> Result<serde_json::Value, String> {
    let (server, port) = start_server(kind)?;
    std::thread::sleep(Duration::from_millis(200));
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("runtime: {e}"))?;
    let mut rows = Vec::new();
    for &level in levels {
        let duration = Duration::from_secs_f64(seconds);
        let mut lat = runtime.block_on(async {
            match kind {
                Kind::Http => load_http(port, level, duration).await,
                Kind::Grpc => load_grpc(port, level, duration).await,
            }
        })?;
        lat.sort_by(f64::total_cmp);
        rows.push(json!({
            "connections": level, "requests": lat.len(), "rps": lat.len() as f64 / seconds,
            "p50_ms": percentile(&lat, 50.0), "p99_ms": percentile(&lat, 99.0),
            "p999_ms": percentile(&lat, 99.9),
        }));
    }
    let rss = rss_kib(server.0.id());
    drop(server);
    Ok(json!({
        "workload": match kind { Kind::Http => "axum-hello", Kind::Grpc => "tonic-hello" },
        "body_bytes": payload().len(), "seconds_per_level": seconds,
        "server_max_rss_kib": rss, "levels": rows,
    }))
}

async fn load_http(port: u16, connections: usize, duration: Duration) -> Result<Vec<f64>, String> {
    use http_body_util::{BodyExt, Empty};
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .map_err(|e| format!("connect: {e}"))?;
            stream
                .set_nodelay(true)
                .map_err(|e| format!("nodelay: {e}"))?;
            let io = hyper_util::rt::TokioIo::new(stream);
            let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
                .await
                .map_err(|e| format!("handshake: {e}"))?;
            tokio::spawn(conn);
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let request = http::Request::get("/hello")
                    .header("host", "127.0.0.1")
                    .body(Empty::<Bytes>::new())
                    .map_err(|e| format!("request: {e}"))?;
                let sent = Instant::now();
                let response = sender
                    .send_request(request)
                    .await
                    .map_err(|e| format!("send: {e}"))?;
                let body = response.into_body().collect().await;
                body.map_err(|e| format!("body: {e}"))?;
                lat.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, String>(lat)
        }));
    }
    collect(tasks).await
}

async fn load_grpc(port: u16, in_flight: usize, duration: Duration) -> Result<Vec<f64>, String> {
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
            let mut lat = Vec::new();
            let path = http::uri::PathAndQuery::from_static("/bench.Hello/Say");
            while Instant::now() < deadline {
                let sent = Instant::now();
                client.ready().await.map_err(|e| format!("ready: {e}"))?;
                let codec = tonic_prost::ProstCodec::<Bytes, Bytes>::default();
                client
                    .unary(tonic::Request::new(Bytes::new()), path.clone(), codec)
                    .await
                    .map_err(|e| format!("call: {e}"))?;
                lat.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, String>(lat)
        }));
    }
    collect(tasks).await
}

async fn collect(
    tasks: Vec<tokio::task::JoinHandle<Result<Vec<f64>, String>>>,
) -> Result<Vec<f64>, String> {
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.map_err(|e| format!("load task: {e}"))??);
    }
    Ok(all)
}
