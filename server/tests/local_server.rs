//! A real local server on a loopback port: workflows submitted over REST run to completion
//! through the embedded controller, and their logs, info and UI are served.

mod support;

use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::json;
use support::{Rest, echo_workflow, on_server_runtime, start};

const PATIENCE: Duration = Duration::from_secs(120);

#[test]
fn a_workflow_posted_over_rest_runs_to_succeeded_and_serves_its_logs() {
    on_server_runtime(|| async {
        let local = start(|_| {}).await;
        let rest = Rest::new(&local.server);

        let (status, created) = rest
            .send_json(
                Method::POST,
                "/api/v1/workflows/argo",
                &json!({"workflow": echo_workflow("hello", "hello from the server")}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        assert_eq!(created["metadata"]["namespace"], "argo");

        let finished = rest.wait_completed("argo", "hello", PATIENCE).await;
        assert_eq!(finished["status"]["phase"], "Succeeded", "{finished}");

        let (status, listed) = rest.get_json("/api/v1/workflows/argo").await;
        assert_eq!(status, StatusCode::OK);
        let names: Vec<&str> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["metadata"]["name"].as_str())
            .collect();
        assert_eq!(names, ["hello"]);

        let (status, _, body) = rest
            .send(
                Method::GET,
                "/api/v1/workflows/argo/hello/log?logOptions.container=main",
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let contents: Vec<String> = body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let entry: serde_json::Value = serde_json::from_str(line).expect("json line");
                entry["result"]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        assert!(
            contents.iter().any(|line| line == "hello from the server"),
            "{body}"
        );

        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_missing_workflow_is_a_404_with_kubernetes_wording() {
    on_server_runtime(|| async {
        let local = start(|_| {}).await;
        let rest = Rest::new(&local.server);
        let (status, body) = rest.get_json("/api/v1/workflows/argo/nowhere").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], 5, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("nowhere"),
            "{body}"
        );
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn info_reports_the_configmap_file_and_the_managed_namespace() {
    on_server_runtime(|| async {
        let configmap = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(
            configmap.path(),
            "navColor: teal\nlinks:\n- name: Docs\n  scope: system\n  url: https://docs.example\n- name: Bad\n  scope: system\n  url: javascript:void(0)\n",
        )
        .expect("write configmap");
        let path = configmap.path().display().to_string();
        let local = start(move |options| {
            options.configmap = path;
            options.namespaced = true;
            options.managed_namespace = Some("team".to_owned());
        })
        .await;
        let rest = Rest::new(&local.server);
        let (status, info) = rest.get_json("/api/v1/info").await;
        assert_eq!(status, StatusCode::OK, "{info}");
        assert_eq!(info["managedNamespace"], "team");
        assert_eq!(info["navColor"], "teal");
        assert_eq!(info["links"].as_array().map(Vec::len), Some(1), "{info}");

        let (status, version) = rest.get_json("/api/v1/version").await;
        assert_eq!(status, StatusCode::OK);
        assert!(version["version"].as_str().is_some(), "{version}");
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_configmap_with_unknown_keys_stops_the_start_naming_the_key() {
    on_server_runtime(|| async {
        let configmap = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(configmap.path(), "paralelism: 3\n").expect("write configmap");
        let data = tempfile::tempdir().expect("temp dir");
        let mut options = argo_server::ServerOptions::loopback(data.path());
        options.configmap = configmap.path().display().to_string();
        let error = argo_server::LocalServer::start(options)
            .await
            .expect_err("typo refused");
        assert!(error.to_string().contains("paralelism"), "{error}");
    });
}

#[test]
fn the_configured_rate_limit_is_reported_on_responses() {
    on_server_runtime(|| async {
        let local = start(|options| options.api_rate_limit = 7).await;
        let rest = Rest::new(&local.server);
        let (status, headers, _) = rest.send(Method::GET, "/api/v1/version", None).await;
        assert_eq!(status, StatusCode::OK);
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("x-ratelimit-limit").as_deref(), Some("7"));
        assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("6"));
        assert!(header("x-ratelimit-reset").is_some());
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn the_ui_directory_is_served_with_the_base_href_rewritten() {
    on_server_runtime(|| async {
        let ui = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            ui.path().join("index.html"),
            "<html><head><base href=\"/\"></head><body>argo</body></html>",
        )
        .expect("index");
        let ui_dir = ui.path().to_path_buf();
        let local = start(move |options| {
            options.ui_dir = Some(ui_dir);
            options.base_href = "/argo/".to_owned();
        })
        .await;
        let rest = Rest::new(&local.server);
        let (status, _, body) = rest.send(Method::GET, "/argo/workflows", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("<base href=\"/argo/\">"), "{body}");
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_workflow_submitted_from_a_template_over_rest_succeeds() {
    on_server_runtime(|| async {
        let local = start(|_| {}).await;
        let rest = Rest::new(&local.server);
        let mut template = echo_workflow("greeter", "hello from a template");
        template["metadata"]["namespace"] = "argo".into();
        let (status, created) = rest
            .send_json(
                Method::POST,
                "/api/v1/workflow-templates/argo",
                &json!({"template": template}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");

        let (status, submitted) = rest
            .send_json(
                Method::POST,
                "/api/v1/workflows/argo/submit",
                &json!({
                    "resourceKind": "WorkflowTemplate",
                    "resourceName": "greeter",
                    "submitOptions": {"name": "from-template"}
                }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{submitted}");
        let finished = rest.wait_completed("argo", "from-template", PATIENCE).await;
        assert_eq!(finished["status"]["phase"], "Succeeded", "{finished}");

        let (status, crons) = rest.get_json("/api/v1/cron-workflows/argo").await;
        assert_eq!(status, StatusCode::OK, "{crons}");
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_completed_workflow_is_archived_when_the_configmap_asks() {
    on_server_runtime(|| async {
        let configmap = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(configmap.path(), "persistence:\n  archive: true\n").expect("write");
        let path = configmap.path().display().to_string();
        let local = start(move |options| options.configmap = path).await;
        let rest = Rest::new(&local.server);
        let (status, created) = rest
            .send_json(
                Method::POST,
                "/api/v1/workflows/argo",
                &json!({"workflow": echo_workflow("kept", "kept for later")}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let finished = rest.wait_completed("argo", "kept", PATIENCE).await;
        assert_eq!(finished["status"]["phase"], "Succeeded", "{finished}");

        let (status, archived) = rest
            .get_json("/api/v1/archived-workflows?namespace=argo")
            .await;
        assert_eq!(status, StatusCode::OK, "{archived}");
        let names: Vec<&str> = archived["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["metadata"]["name"].as_str())
            .collect();
        assert_eq!(names, ["kept"], "{archived}");
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn an_event_matching_a_binding_runs_the_bound_template() {
    on_server_runtime(|| async {
        let local = start(|_| {}).await;
        let rest = Rest::new(&local.server);
        let mut template = echo_workflow("greeter", "{{workflow.parameters.text}}");
        template["metadata"]["namespace"] = "argo".into();
        template["spec"]["arguments"] = json!({"parameters": [{"name": "text"}]});
        let (status, created) = rest
            .send_json(
                Method::POST,
                "/api/v1/workflow-templates/argo",
                &json!({"template": template}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let binding: argo_core::WorkflowEventBinding = serde_json::from_value(json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "WorkflowEventBinding",
            "metadata": {"name": "on-hello", "namespace": "argo"},
            "spec": {
                "event": {"selector": "discriminator == \"hello\""},
                "submit": {
                    "workflowTemplateRef": {"name": "greeter"},
                    "arguments": {"parameters": [
                        {"name": "text", "valueFrom": {"event": "payload.message"}}
                    ]}
                }
            }
        }))
        .expect("binding parses");
        argo_store::Typed::<argo_core::WorkflowEventBinding>::new(local.server.store())
            .create(&binding)
            .await
            .expect("binding stored");

        let (status, body) = rest
            .send_json(
                Method::POST,
                "/api/v1/events/argo/hello",
                &json!({"message": "hi from an event"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, listed) = rest.get_json("/api/v1/workflows/argo").await;
        let names: Vec<String> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["metadata"]["name"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(
            names.len(),
            1,
            "one workflow per matching binding: {listed}"
        );
        let finished = rest.wait_completed("argo", &names[0], PATIENCE).await;
        assert_eq!(finished["status"]["phase"], "Succeeded", "{finished}");
        let (_, _, logs) = rest
            .send(
                Method::GET,
                &format!(
                    "/api/v1/workflows/argo/{}/log?logOptions.container=main",
                    names[0]
                ),
                None,
            )
            .await;
        assert!(logs.contains("hi from an event"), "{logs}");
        local.server.shutdown().await.expect("clean shutdown");
    });
}
