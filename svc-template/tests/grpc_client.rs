//! The services as a client sees them: generated tonic clients over a loopback socket, with
//! health and reflection served beside them (as the `svc-template` binary serves them), and the
//! SQLite store underneath.

mod support;

use std::sync::Arc;

use argo_proto::clusterworkflowtemplate::ClusterWorkflowTemplateGetRequest;
use argo_proto::clusterworkflowtemplate::cluster_workflow_template_service_client::ClusterWorkflowTemplateServiceClient;
use argo_proto::workflowtemplate::workflow_template_service_client::WorkflowTemplateServiceClient;
use argo_proto::workflowtemplate::{WorkflowTemplateCreateRequest, WorkflowTemplateGetRequest};
use argo_store::{Environment, ResourceStore, SqliteConfig, SqliteStore};
use tonic::Code;
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;

async fn serve(store: Arc<dyn ResourceStore>) -> String {
    let incoming = TcpIncoming::bind("127.0.0.1:0".parse().expect("address")).expect("bind");
    let address = incoming.local_addr().expect("bound address");
    let services = svc_template::service(store, svc_template::Config::default());
    let router = argo_service::base_router(&svc_template::SERVICE_NAMES)
        .await
        .expect("router");
    tokio::spawn(
        router
            .add_service(services.workflow_templates)
            .add_service(services.cluster_workflow_templates)
            .serve_with_incoming(incoming),
    );
    format!("http://{address}")
}

#[test]
fn generated_clients_create_and_get_over_sqlite_with_health_and_reflection() {
    support::big_stack(async {
        let directory = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(
            &SqliteConfig::file(directory.path().join("argo.db")),
            Environment::default(),
        )
        .await
        .expect("sqlite");
        let address = serve(Arc::new(store)).await;

        let mut templates = WorkflowTemplateServiceClient::connect(address.clone())
            .await
            .expect("connected");
        templates
            .create_workflow_template(WorkflowTemplateCreateRequest {
                namespace: "argo".into(),
                template: Some(support::template("greeting.json", None)),
                create_options: None,
            })
            .await
            .expect("created");
        let found = templates
            .get_workflow_template(WorkflowTemplateGetRequest {
                name: "greeting".into(),
                namespace: "argo".into(),
                get_options: None,
            })
            .await
            .expect("found")
            .into_inner();
        assert_eq!(support::name_of(found.metadata.as_ref()), "greeting");

        let mut cluster = ClusterWorkflowTemplateServiceClient::connect(address.clone())
            .await
            .expect("connected");
        let missing = cluster
            .get_cluster_workflow_template(ClusterWorkflowTemplateGetRequest {
                name: "absent".into(),
                get_options: None,
            })
            .await
            .expect_err("missing");
        assert_eq!(missing.code(), Code::NotFound);

        let channel = tonic::transport::Endpoint::from_shared(address.clone())
            .expect("endpoint")
            .connect()
            .await
            .expect("connected");
        let mut health = HealthClient::new(channel.clone());
        for service in svc_template::SERVICE_NAMES {
            let answer = health
                .check(HealthCheckRequest {
                    service: service.into(),
                })
                .await
                .expect("health answers")
                .into_inner();
            assert_eq!(answer.status, 1, "{service} is SERVING");
        }

        let mut reflection = ServerReflectionClient::new(channel);
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut answers = reflection
            .server_reflection_info(futures::stream::iter(vec![request]))
            .await
            .expect("reflection answers")
            .into_inner();
        let answer = answers
            .message()
            .await
            .expect("stream ok")
            .expect("one answer");
        let listed = format!("{:?}", answer.message_response);
        assert!(
            listed.contains("workflowtemplate.WorkflowTemplateService"),
            "{listed}"
        );
    });
}
