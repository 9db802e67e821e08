//! gRPC against a real local server: the project's generated client creates and reads a
//! workflow, health tells mounted from unmounted services, reflection lists the API, and TLS
//! with the generated certificate works.

mod support;

use std::time::Duration;

use argo_proto::workflow::workflow_service_client::WorkflowServiceClient;
use argo_proto::workflow::{WorkflowCreateRequest, WorkflowGetRequest};
use support::{echo_workflow, on_server_runtime, start};
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const PATIENCE: Duration = Duration::from_secs(120);

fn workflow_message(name: &str) -> argo_proto::wf::Workflow {
    argo_proto::json_to_prost(&echo_workflow(name, "over grpc")).expect("workflow converts")
}

#[test]
fn a_workflow_created_over_grpc_runs_to_succeeded() {
    on_server_runtime(|| async {
        let local = start(|_| {}).await;
        let channel = Endpoint::from_shared(local.server.url())
            .expect("endpoint")
            .connect()
            .await
            .expect("connects");
        let mut workflows = WorkflowServiceClient::new(channel.clone());
        let created = workflows
            .create_workflow(WorkflowCreateRequest {
                namespace: "argo".to_owned(),
                workflow: Some(workflow_message("over-grpc")),
                ..Default::default()
            })
            .await
            .expect("created")
            .into_inner();
        assert_eq!(
            created.metadata.and_then(|m| m.name).as_deref(),
            Some("over-grpc")
        );

        let deadline = tokio::time::Instant::now() + PATIENCE;
        let phase = loop {
            let workflow = workflows
                .get_workflow(WorkflowGetRequest {
                    namespace: "argo".to_owned(),
                    name: "over-grpc".to_owned(),
                    ..Default::default()
                })
                .await
                .expect("get")
                .into_inner();
            let phase = workflow.status.and_then(|s| s.phase).unwrap_or_default();
            if matches!(phase.as_str(), "Succeeded" | "Failed" | "Error") {
                break phase;
            }
            assert!(tokio::time::Instant::now() < deadline, "still {phase:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(phase, "Succeeded");

        let mut health = HealthClient::new(channel.clone());
        let status = |service: &str| HealthCheckRequest {
            service: service.to_owned(),
        };
        let serving = health
            .check(status("workflow.WorkflowService"))
            .await
            .expect("health answers")
            .into_inner();
        assert_eq!(serving.status, 1, "SERVING");
        let unmounted = health
            .check(status("artifact.ArtifactService"))
            .await
            .expect("health answers")
            .into_inner();
        assert_eq!(unmounted.status, 2, "NOT_SERVING");

        let mut reflection =
            tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient::new(
                channel,
            );
        let request = tonic_reflection::pb::v1::ServerReflectionRequest {
            host: String::new(),
            message_request: Some(
                tonic_reflection::pb::v1::server_reflection_request::MessageRequest::ListServices(
                    String::new(),
                ),
            ),
        };
        let mut answers = reflection
            .server_reflection_info(futures::stream::iter(vec![request]))
            .await
            .expect("reflection answers")
            .into_inner();
        let answer = answers.message().await.expect("stream").expect("answer");
        let listed = format!("{:?}", answer.message_response);
        assert!(listed.contains("info.InfoService"), "{listed}");

        local.server.shutdown().await.expect("clean shutdown");
    });
}

#[test]
fn a_secure_server_serves_grpc_over_its_self_signed_certificate() {
    on_server_runtime(|| async {
        let local = start(|options| options.secure = true).await;
        let certificate = local
            .server
            .certificate_pem()
            .expect("a secure server has a certificate")
            .to_owned();
        assert!(local.server.url().starts_with("https://"));
        let channel = Endpoint::from_shared(format!(
            "https://localhost:{}",
            local.server.address().port()
        ))
        .expect("endpoint")
        .tls_config(
            ClientTlsConfig::new()
                .ca_certificate(Certificate::from_pem(certificate))
                .domain_name("localhost"),
        )
        .expect("tls config")
        .connect()
        .await
        .expect("connects over TLS");
        let mut workflows = WorkflowServiceClient::new(channel);
        let missing = workflows
            .get_workflow(WorkflowGetRequest {
                namespace: "argo".to_owned(),
                name: "nowhere".to_owned(),
                ..Default::default()
            })
            .await
            .expect_err("not found");
        assert_eq!(missing.code(), tonic::Code::NotFound);
        local.server.shutdown().await.expect("clean shutdown");
    });
}

async fn phase(
    workflows: &mut WorkflowServiceClient<tonic::transport::Channel>,
    name: &str,
) -> String {
    workflows
        .get_workflow(WorkflowGetRequest {
            namespace: "argo".to_owned(),
            name: name.to_owned(),
            ..Default::default()
        })
        .await
        .expect("get")
        .into_inner()
        .status
        .and_then(|status| status.phase)
        .unwrap_or_default()
}

async fn wait_for_phase(
    workflows: &mut WorkflowServiceClient<tonic::transport::Channel>,
    name: &str,
    wanted: &[&str],
) -> String {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let current = phase(workflows, name).await;
        if wanted.contains(&current.as_str()) {
            return current;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} still {current:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn shell_message(name: &str, script: &str) -> argo_proto::wf::Workflow {
    let mut manifest = echo_workflow(name, "");
    manifest["spec"]["templates"][0]["container"]["command"] =
        serde_json::json!(["sh", "-c", script]);
    argo_proto::json_to_prost(&manifest).expect("workflow converts")
}

const DONE: [&str; 3] = ["Succeeded", "Failed", "Error"];

#[test]
fn list_watch_logs_stop_retry_resubmit_and_delete_over_grpc() {
    use argo_proto::workflow::{
        WatchWorkflowsRequest, WorkflowDeleteRequest, WorkflowListRequest, WorkflowLogRequest,
        WorkflowResubmitRequest, WorkflowRetryRequest, WorkflowStopRequest,
    };
    on_server_runtime(|| async {
        let local = start(|_| {}).await;
        let channel = Endpoint::from_shared(local.server.url())
            .expect("endpoint")
            .connect()
            .await
            .expect("connects");
        let mut workflows = WorkflowServiceClient::new(channel);
        let create = |name: &str, script: &str| WorkflowCreateRequest {
            namespace: "argo".to_owned(),
            workflow: Some(shell_message(name, script)),
            ..Default::default()
        };

        // watch from before the creation until the workflow finishes
        let mut events = workflows
            .watch_workflows(WatchWorkflowsRequest {
                namespace: "argo".to_owned(),
                list_options: Some(argo_proto::k8s_meta::ListOptions {
                    field_selector: Some("metadata.name=g-hello".to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .await
            .expect("watch starts")
            .into_inner();
        workflows
            .create_workflow(create("g-hello", "echo hello over grpc"))
            .await
            .expect("created");
        let mut seen = Vec::new();
        while let Some(event) = events.message().await.expect("watch stream") {
            let object = event.object.expect("an event carries its workflow");
            let phase = object.status.and_then(|s| s.phase).unwrap_or_default();
            seen.push(phase.clone());
            if DONE.contains(&phase.as_str()) {
                break;
            }
        }
        assert_eq!(
            seen.last().map(String::as_str),
            Some("Succeeded"),
            "{seen:?}"
        );

        let listed = workflows
            .list_workflows(WorkflowListRequest {
                namespace: "argo".to_owned(),
                ..Default::default()
            })
            .await
            .expect("list")
            .into_inner();
        let names: Vec<String> = listed
            .items
            .iter()
            .filter_map(|item| item.metadata.as_ref().and_then(|m| m.name.clone()))
            .collect();
        assert_eq!(names, ["g-hello"]);

        let mut lines = workflows
            .workflow_logs(WorkflowLogRequest {
                namespace: "argo".to_owned(),
                name: "g-hello".to_owned(),
                log_options: Some(argo_proto::k8s_core::PodLogOptions {
                    container: Some("main".to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .await
            .expect("logs")
            .into_inner();
        let mut contents = Vec::new();
        while let Some(entry) = lines.message().await.expect("log stream") {
            contents.push(entry.content);
        }
        assert!(
            contents.contains(&"hello over grpc".to_owned()),
            "{contents:?}"
        );

        workflows
            .create_workflow(create("g-stop", "sleep 300"))
            .await
            .expect("created");
        wait_for_phase(&mut workflows, "g-stop", &["Running"]).await;
        workflows
            .stop_workflow(WorkflowStopRequest {
                namespace: "argo".to_owned(),
                name: "g-stop".to_owned(),
                ..Default::default()
            })
            .await
            .expect("stopped");
        assert_eq!(
            wait_for_phase(&mut workflows, "g-stop", &DONE).await,
            "Failed"
        );

        workflows
            .create_workflow(create("g-fail", "exit 3"))
            .await
            .expect("created");
        assert_eq!(
            wait_for_phase(&mut workflows, "g-fail", &DONE).await,
            "Failed"
        );
        let retried = workflows
            .retry_workflow(WorkflowRetryRequest {
                namespace: "argo".to_owned(),
                name: "g-fail".to_owned(),
                ..Default::default()
            })
            .await
            .expect("retried")
            .into_inner();
        assert_eq!(
            retried.status.and_then(|s| s.phase).as_deref(),
            Some("Running")
        );
        assert_eq!(
            wait_for_phase(&mut workflows, "g-fail", &DONE).await,
            "Failed"
        );

        let resubmitted = workflows
            .resubmit_workflow(WorkflowResubmitRequest {
                namespace: "argo".to_owned(),
                name: "g-hello".to_owned(),
                ..Default::default()
            })
            .await
            .expect("resubmitted")
            .into_inner();
        let new_name = resubmitted
            .metadata
            .and_then(|m| m.name)
            .expect("a resubmitted workflow has a name");
        assert_ne!(new_name, "g-hello");
        assert_eq!(
            wait_for_phase(&mut workflows, &new_name, &DONE).await,
            "Succeeded"
        );

        workflows
            .delete_workflow(WorkflowDeleteRequest {
                namespace: "argo".to_owned(),
                name: "g-hello".to_owned(),
                ..Default::default()
            })
            .await
            .expect("deleted");
        let gone = workflows
            .get_workflow(WorkflowGetRequest {
                namespace: "argo".to_owned(),
                name: "g-hello".to_owned(),
                ..Default::default()
            })
            .await
            .expect_err("deleted");
        assert_eq!(gone.code(), tonic::Code::NotFound);
        local.server.shutdown().await.expect("clean shutdown");
    });
}
