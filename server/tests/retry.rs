//! Retry end to end on a real local server (loopback ports 31001-31002): a step fails on its
//! first run (it leaves a marker file and exits 1) and passes on the next; after
//! `RetryWorkflow` over REST, of the whole workflow or of that one node, the embedded controller
//! deletes the old pod and runs the step again, and the workflow ends Succeeded with only the
//! new run's log.

mod support;

use std::path::Path;
use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Rest, on_server_runtime, start};

const PATIENCE: Duration = Duration::from_secs(120);

/// Two steps; `flaky` fails while `marker` is absent, creating it.
fn flaky_workflow(name: &str, marker: &Path) -> Value {
    let marker = marker.display();
    let script = format!(
        "if [ -f {marker} ]; then echo second run; exit 0; fi; touch {marker}; echo first run; exit 1"
    );
    json!({
        "metadata": {"name": name},
        "spec": {
            "entrypoint": "main",
            "templates": [
                {"name": "main", "steps": [
                    [{"name": "hello", "template": "hello"}],
                    [{"name": "flaky", "template": "flaky"}]
                ]},
                {"name": "hello", "container": {"image": "busybox", "command": ["echo", "hello"]}},
                {"name": "flaky", "container": {"image": "busybox", "command": ["sh", "-c", script]}}
            ]
        }
    })
}

/// The `main` container's log lines of every pod of the workflow.
async fn log_lines(rest: &Rest, name: &str) -> Vec<String> {
    let (status, _, body) = rest
        .send(
            Method::GET,
            &format!("/api/v1/workflows/argo/{name}/log?logOptions.container=main"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let entry: Value = serde_json::from_str(line).expect("json line");
            entry["result"]["content"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

fn node_id_of(workflow: &Value, display_name: &str) -> String {
    workflow["status"]["nodes"]
        .as_object()
        .expect("nodes")
        .values()
        .find(|node| node["displayName"] == display_name)
        .and_then(|node| node["id"].as_str())
        .unwrap_or_else(|| panic!("no node {display_name}: {workflow}"))
        .to_owned()
}

/// Submits the flaky workflow, waits for it to fail, retries it with `retry_body` (which may
/// name the failed node's id through `{flaky}`), and checks it then succeeds with the old pod
/// gone.
fn fails_then_succeeds_after_retry(port: u16, name: &str, retry_body: fn(&str) -> Value) {
    on_server_runtime(|| async {
        let local = start(|options| options.port = port).await;
        let rest = Rest::new(&local.server);
        let marker = local.data.path().join(format!("{name}.marker"));

        let (status, created) = rest
            .send_json(
                Method::POST,
                "/api/v1/workflows/argo",
                &json!({"workflow": flaky_workflow(name, &marker)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let failed = rest.wait_completed("argo", name, PATIENCE).await;
        assert_eq!(failed["status"]["phase"], "Failed", "{failed}");
        assert!(marker.exists(), "the first run left its marker");
        let flaky = node_id_of(&failed, "flaky");

        let (status, retried) = rest
            .send_json(
                Method::PUT,
                &format!("/api/v1/workflows/argo/{name}/retry"),
                &retry_body(&flaky),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{retried}");

        let finished = rest.wait_completed("argo", name, PATIENCE).await;
        assert_eq!(finished["status"]["phase"], "Succeeded", "{finished}");
        assert_eq!(
            finished["status"]["nodes"][&flaky]["phase"], "Succeeded",
            "{finished}"
        );
        assert!(
            finished["metadata"]["annotations"]
                .get("workflows.argoproj.io/retry-leftovers")
                .is_none(),
            "the controller dropped the leftovers record: {finished}"
        );
        let lines = log_lines(&rest, name).await;
        assert!(lines.iter().any(|l| l == "second run"), "{lines:?}");
        assert!(
            !lines.iter().any(|l| l == "first run"),
            "the failed run's pod (and its log) is gone: {lines:?}"
        );

        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_retried_workflow_reruns_its_failed_step_and_succeeds() {
    fails_then_succeeds_after_retry(31001, "flaky-all", |_| json!({}));
}

#[test]
fn retrying_the_failed_node_by_id_reruns_it_and_succeeds() {
    fails_then_succeeds_after_retry(
        31002,
        "flaky-node",
        |flaky| json!({"restartSuccessful": true, "nodeFieldSelector": format!("id={flaky}")}),
    );
}
