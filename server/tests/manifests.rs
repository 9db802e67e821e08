//! `--manifests` through a real local server: the kinds Argo's API cannot create are applied at
//! start and served by the API; the controller configmap may come from a manifest too; a bad
//! manifest stops the start, naming the file, and leaves nothing behind.

mod support;

use argo_server::{LocalServer, ServerOptions};
use support::{Rest, on_server_runtime, start};

const BINDINGS: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata:
  name: on-push
spec:
  event:
    selector: discriminator == "push"
  submit:
    workflowTemplateRef:
      name: build
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: workflow-controller-configmap
data:
  links: |
    - name: Docs
      scope: workflow
      url: http://docs.example/{{metadata.name}}
"#;

#[test]
fn applied_bindings_are_listed_and_the_configmap_manifest_is_read() {
    on_server_runtime(|| async {
        let manifests = tempfile::tempdir().expect("temp dir");
        std::fs::write(manifests.path().join("bindings.yaml"), BINDINGS).expect("write");
        let path = manifests.path().to_path_buf();
        let local = start(move |options| options.manifests = vec![path]).await;
        let rest = Rest::new(&local.server);

        let (status, listed) = rest.get_json("/api/v1/workflow-event-bindings/argo").await;
        assert_eq!(status, http::StatusCode::OK, "{listed}");
        let names: Vec<&str> = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|item| item["metadata"]["name"].as_str())
            .collect();
        assert_eq!(names, ["on-push"], "{listed}");

        let (status, info) = rest.get_json("/api/v1/info").await;
        assert_eq!(status, http::StatusCode::OK, "{info}");
        assert_eq!(info["links"][0]["name"], "Docs", "{info}");
        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_bad_manifest_stops_the_start_naming_its_file_and_writes_nothing() {
    on_server_runtime(|| async {
        let manifests = tempfile::tempdir().expect("temp dir");
        std::fs::write(manifests.path().join("a-good.yaml"), BINDINGS).expect("write");
        std::fs::write(
            manifests.path().join("b-bad.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        )
        .expect("write");
        let data = tempfile::tempdir().expect("temp dir");
        let mut options = ServerOptions::loopback(data.path());
        options.manifests = vec![manifests.path().to_path_buf()];
        let error = LocalServer::start(options.clone())
            .await
            .expect_err("bad manifest refused");
        let message = error.to_string();
        assert!(message.contains("b-bad.yaml, document 1"), "{message}");
        assert!(message.contains("Deployment"), "{message}");

        // The good file was not applied either: a start without manifests finds no binding.
        options.manifests.clear();
        let server = LocalServer::start(options).await.expect("starts");
        let (_, listed) = Rest::new(&server)
            .get_json("/api/v1/workflow-event-bindings/argo")
            .await;
        assert_eq!(
            listed["items"].as_array().map_or(0, Vec::len),
            0,
            "{listed}"
        );
        server.shutdown().await.expect("clean shutdown");
    });
}
