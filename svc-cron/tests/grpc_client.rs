//! The service as a client sees it: the generated tonic client over a loopback socket, with
//! health served beside it (as the `svc-cron` binary serves it).

mod support;

use std::sync::Arc;

use argo_proto::cronworkflow::cron_workflow_service_client::CronWorkflowServiceClient;
use argo_proto::cronworkflow::{CreateCronWorkflowRequest, CronWorkflowSuspendRequest};
use argo_store::MemoryStore;
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

#[test]
fn a_generated_client_creates_and_suspends_with_health_served() {
    support::big_stack(async {
        let incoming = TcpIncoming::bind("127.0.0.1:0".parse().expect("address")).expect("bind");
        let address = format!("http://{}", incoming.local_addr().expect("bound address"));
        let service = svc_cron::service(
            Arc::new(MemoryStore::default()),
            svc_cron::Config::default(),
        );
        let router = argo_service::base_router(&[svc_cron::SERVICE_NAME])
            .await
            .expect("router");
        tokio::spawn(router.add_service(service).serve_with_incoming(incoming));

        let channel = tonic::transport::Endpoint::from_shared(address)
            .expect("endpoint")
            .connect()
            .await
            .expect("connected");
        let mut client = CronWorkflowServiceClient::new(channel.clone());
        client
            .create_cron_workflow(CreateCronWorkflowRequest {
                namespace: "argo".into(),
                cron_workflow: Some(support::cron("nightly", None)),
                create_options: None,
            })
            .await
            .expect("created");
        let suspended = client
            .suspend_cron_workflow(CronWorkflowSuspendRequest {
                name: "nightly".into(),
                namespace: "argo".into(),
            })
            .await
            .expect("suspended")
            .into_inner();
        assert_eq!(suspended.spec.and_then(|spec| spec.suspend), Some(true));

        let answer = HealthClient::new(channel)
            .check(HealthCheckRequest {
                service: svc_cron::SERVICE_NAME.into(),
            })
            .await
            .expect("health answers")
            .into_inner();
        assert_eq!(answer.status, 1, "SERVING");
    });
}
