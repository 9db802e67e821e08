//! The in-process agent end to end: http templates against a tiny local HTTP server (headers
//! from a Secret, success conditions, the body as the result feeding the next node), a plugin
//! template failing for want of the plugin, and resource templates run by `argoexec resource`
//! on the local runtime creating a ConfigMap and a Workflow in the store, with an output read
//! through jsonPath.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argo_core::k8s_openapi::ByteString;
use argo_core::k8s_openapi::api::core::v1::Secret;
use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use argo_core::{NodePhase, NodeStatus, NodeType, Workflow, WorkflowPhase};
use argo_runtime::FakeRuntime;
use argo_store::{MemoryStore, ResourceStore, Typed};
use controller::{
    Cluster, Controller, ControllerConfig, EmbeddedOptions, LoopSettings, WorkflowKey,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// One request the server saw: its request line and headers, lower-cased names.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    headers: BTreeMap<String, String>,
    body: String,
}

/// Serves on a free port, which it returns: `/pong` answers 200 "pong", `/echo/<x>` answers
/// 200 "<x>!", anything else 500 "boom". Records every request.
async fn serve() -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, mut body) = loop {
                    let Ok(read) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..read]);
                    let text = String::from_utf8_lossy(&buffer).into_owned();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        break (head.to_owned(), body.to_owned());
                    }
                };
                let mut lines = head.lines();
                let line = lines.next().unwrap_or_default().to_owned();
                let headers: BTreeMap<String, String> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                let length: usize = headers
                    .get("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                while body.len() < length {
                    let Ok(read) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if read == 0 {
                        break;
                    }
                    body.push_str(&String::from_utf8_lossy(&chunk[..read]));
                }
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                record.lock().expect("lock").push(Seen {
                    line,
                    headers,
                    body,
                });
                let (status, reply) = if path == "/pong" {
                    ("200 OK", "pong".to_owned())
                } else if let Some(x) = path.strip_prefix("/echo/") {
                    ("200 OK", format!("{x}!"))
                } else {
                    ("500 Internal Server Error", "boom".to_owned())
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (port, seen)
}

fn workflow(yaml: &str) -> Workflow {
    serde_norway::from_str(yaml).expect("a workflow")
}

/// A port nobody listens on: bound by the system, then let go.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    listener.local_addr().expect("address").port()
}

fn nodes_by_display_name(workflow: &Workflow) -> BTreeMap<String, NodeStatus> {
    workflow
        .status
        .nodes
        .values()
        .map(|n| (n.display_name.clone(), n.clone()))
        .collect()
}

/// Runs passes of `controller` (the agent works in the background) until the workflow
/// completes; returns it.
async fn run(controller: &Controller, key: &WorkflowKey) -> Workflow {
    for _ in 0..200 {
        controller.process(key).await.expect("pass");
        let current = controller
            .cluster()
            .workflows()
            .get(Some(&key.namespace), &key.name)
            .await
            .expect("workflow");
        if current.status.phase.is_completed() {
            return current;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("workflow {key} did not complete");
}

async fn fake_cluster() -> (Cluster, Controller) {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    let cluster = Cluster::new(store, Arc::new(FakeRuntime::new()));
    let controller = Controller::new(
        cluster.clone(),
        ControllerConfig::default(),
        LoopSettings::default(),
    );
    (cluster, controller)
}

async fn submit(cluster: &Cluster, workflow: &Workflow) -> WorkflowKey {
    let created = cluster.workflows().create(workflow).await.expect("created");
    WorkflowKey::new(created.namespace(), created.name())
}

#[tokio::test]
async fn http_nodes_call_the_server_with_secret_headers_and_chain_their_results() {
    let (port, seen) = serve().await;
    let (cluster, controller) = fake_cluster().await;
    let secrets: Typed<Secret> = Typed::new(cluster.store.clone());
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some("token".into()),
            namespace: Some("argo".into()),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(
            "value".to_owned(),
            ByteString(b"s3cret".to_vec()),
        )])),
        ..Secret::default()
    };
    secrets.create(&secret).await.expect("secret");
    let key = submit(
        &cluster,
        &workflow(
            "
metadata: {name: calls, namespace: argo}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: ping
        template: ping
    - - name: echo
        template: echo
        arguments: {parameters: [{name: word, value: '{{steps.ping.outputs.result}}'}]}
  - name: ping
    http:
      url: http://127.0.0.1:PORT/pong
      method: POST
      body: hello
      timeoutSeconds: 5
      headers:
      - {name: X-Plain, value: plain}
      - name: Authorization
        valueFrom: {secretKeyRef: {name: token, key: value}}
      successCondition: response.statusCode == 200 && response.body == 'pong'
  - name: echo
    inputs: {parameters: [{name: word}]}
    http:
      url: 'http://127.0.0.1:PORT/echo/{{inputs.parameters.word}}'
"
            .replace("PORT", &port.to_string())
            .as_str(),
        ),
    )
    .await;
    let done = run(&controller, &key).await;
    assert_eq!(
        done.status.phase,
        WorkflowPhase::Succeeded,
        "{}",
        done.status.message
    );
    let nodes = nodes_by_display_name(&done);
    assert_eq!(nodes["ping"].node_type, NodeType::Http);
    let result = |name: &str| {
        nodes[name]
            .outputs
            .as_ref()
            .and_then(|o| o.result.clone())
            .unwrap_or_default()
    };
    assert_eq!(result("ping"), "pong");
    assert_eq!(result("echo"), "pong!");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2, "each node is requested once: {seen:?}");
    assert_eq!(seen[0].line, "POST /pong HTTP/1.1");
    assert_eq!(seen[0].headers["authorization"], "s3cret");
    assert_eq!(seen[0].headers["x-plain"], "plain");
    assert_eq!(seen[0].body, "hello");
    assert_eq!(seen[1].line, "GET /echo/pong HTTP/1.1");
}

#[tokio::test]
async fn a_non_2xx_response_fails_the_node_with_argos_message_and_retries_run_again() {
    let (port, seen) = serve().await;
    let (cluster, controller) = fake_cluster().await;
    let key = submit(
        &cluster,
        &workflow(
            "
metadata: {name: fails, namespace: argo}
spec:
  entrypoint: call
  templates:
  - name: call
    retryStrategy: {limit: 1}
    http: {url: 'http://127.0.0.1:PORT/nope'}
"
            .replace("PORT", &port.to_string())
            .as_str(),
        ),
    )
    .await;
    let done = run(&controller, &key).await;
    assert_eq!(done.status.phase, WorkflowPhase::Failed);
    let nodes = nodes_by_display_name(&done);
    assert_eq!(nodes["fails(0)"].phase, NodePhase::Failed);
    assert_eq!(
        nodes["fails(0)"].message,
        "received non-2xx response code: 500"
    );
    assert_eq!(nodes["fails(1)"].phase, NodePhase::Failed);
    assert_eq!(
        seen.lock().expect("lock").len(),
        2,
        "one request per attempt"
    );
}

#[tokio::test]
async fn an_unreachable_url_and_a_missing_plugin_fail_with_clear_messages() {
    let port = closed_port();
    let (cluster, controller) = fake_cluster().await;
    let key = submit(
        &cluster,
        &workflow(
            "
metadata: {name: odd, namespace: argo}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: closed, template: closed}
      - {name: plugged, template: plugged}
  - name: closed
    http: {url: 'http://127.0.0.1:PORT/', timeoutSeconds: 2}
  - name: plugged
    plugin: {hello: {text: hi}}
"
            .replace("PORT", &port.to_string())
            .as_str(),
        ),
    )
    .await;
    let done = run(&controller, &key).await;
    assert_eq!(done.status.phase, WorkflowPhase::Failed);
    let nodes = nodes_by_display_name(&done);
    assert_eq!(nodes["plugged"].node_type, NodeType::Plugin);
    assert!(
        nodes["plugged"]
            .message
            .contains("executor plugin \"hello\" is not installed"),
        "{}",
        nodes["plugged"].message
    );
    assert!(
        nodes["closed"]
            .message
            .starts_with(&format!("GET http://127.0.0.1:{port}/:")),
        "{}",
        nodes["closed"].message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_templates_create_a_config_map_and_a_workflow_in_the_store() {
    support::build_pod_binaries();
    let data = tempfile::tempdir().expect("temp dir");
    let embedded = controller::embedded::open(&EmbeddedOptions {
        data_dir: data.path().to_path_buf(),
        sandbox: argo_runtime::Sandbox::None,
        argoexec: None,
    })
    .await
    .expect("embedded store and runtime");
    let controller = Controller::new(
        embedded.cluster.clone(),
        ControllerConfig::default(),
        LoopSettings::default(),
    )
    .with_pod_rewriter(Arc::new(embedded.pods.clone()));
    let key = submit(
        &embedded.cluster,
        &workflow(
            "
metadata: {name: makes, namespace: argo}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: cm
        template: make-cm
    - - name: child
        template: make-wf
        arguments: {parameters: [{name: from, value: '{{steps.cm.outputs.parameters.key}}'}]}
  - name: make-cm
    resource:
      action: create
      setOwnerReference: true
      successCondition: data.greeting == hello
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: made-by-resource}
        data: {greeting: hello}
    outputs:
      parameters:
      - name: key
        valueFrom: {jsonPath: '{.data.greeting}'}
  - name: make-wf
    inputs: {parameters: [{name: from}]}
    resource:
      action: create
      manifest: |
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: child-
          labels: {from: '{{inputs.parameters.from}}'}
        spec:
          entrypoint: wait
          templates:
          - name: wait
            suspend: {}
    outputs:
      parameters:
      - name: name
        valueFrom: {jsonPath: '{.metadata.name}'}
",
        ),
    )
    .await;
    let mut done = None;
    for _ in 0..400 {
        controller.process(&key).await.expect("pass");
        let current = embedded
            .cluster
            .workflows()
            .get(Some("argo"), "makes")
            .await
            .expect("workflow");
        if current.status.phase.is_completed() {
            done = Some(current);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let done = done.expect("the workflow completes");
    assert_eq!(
        done.status.phase,
        WorkflowPhase::Succeeded,
        "{}",
        done.status.message
    );
    let config_map = embedded
        .cluster
        .config_maps()
        .get(Some("argo"), "made-by-resource")
        .await
        .expect("the ConfigMap is in the store");
    let owner = &config_map.metadata.owner_references.expect("owner")[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("Workflow", "makes")
    );
    let nodes = nodes_by_display_name(&done);
    let parameter = |node: &str, name: &str| {
        nodes[node]
            .outputs
            .as_ref()
            .and_then(|o| o.parameter(name))
            .and_then(|p| p.value.clone())
            .map(|v| v.0)
            .unwrap_or_default()
    };
    assert_eq!(parameter("cm", "key"), "hello");
    let child = parameter("child", "name");
    assert!(child.starts_with("child-"), "{child:?}");
    let created = embedded
        .cluster
        .workflows()
        .get(Some("argo"), &child)
        .await
        .expect("the child workflow is in the store");
    let labels = created.metadata.labels.unwrap_or_default();
    assert_eq!(labels.get("from").map(String::as_str), Some("hello"));
    for pod in embedded
        .cluster
        .runtime
        .list(None)
        .await
        .unwrap_or_default()
    {
        let _ = embedded
            .cluster
            .runtime
            .delete(&pod.namespace, &pod.name, Duration::ZERO)
            .await;
    }
}
