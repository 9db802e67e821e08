//! The service as a client sees it: the generated tonic client over a loopback socket, with
//! health served beside it, over an archive and store in one SQLite file.

mod support;

use std::sync::Arc;

use argo_proto::workflowarchive::archived_workflow_service_client::ArchivedWorkflowServiceClient;
use argo_proto::workflowarchive::{GetArchivedWorkflowRequest, ListArchivedWorkflowsRequest};
use argo_store::{ArchiveStore, Environment, SqliteArchive, SqliteConfig, SqliteStore};
use support::{FAILED_UID, big_stack, fixture};
use tonic::Code;
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const SERVICE: &str = "workflowarchive.ArchivedWorkflowService";

#[test]
fn a_generated_client_lists_and_gets_archived_workflows_with_health() {
    big_stack(async {
        let directory = tempfile::tempdir().expect("temporary directory");
        let store = SqliteStore::open(
            &SqliteConfig::file(directory.path().join("argo.db")),
            Environment::default(),
        )
        .await
        .expect("sqlite");
        let archive = SqliteArchive::new(&store);
        archive
            .archive(&fixture("nightly-failed.json"))
            .await
            .expect("archived");
        let incoming = TcpIncoming::bind("127.0.0.1:0".parse().expect("address")).expect("bind");
        let address = format!("http://{}", incoming.local_addr().expect("bound address"));
        let service = svc_archive::service(
            Arc::new(archive),
            Arc::new(store),
            svc_archive::ArchiveConfig::default(),
        );
        let router = argo_service::base_router(&[SERVICE]).await.expect("router");
        tokio::spawn(router.add_service(service).serve_with_incoming(incoming));

        let mut client = ArchivedWorkflowServiceClient::connect(address.clone())
            .await
            .expect("connected");
        let list = client
            .list_archived_workflows(ListArchivedWorkflowsRequest::default())
            .await
            .expect("listed")
            .into_inner();
        assert_eq!(list.items.len(), 1);
        let got = client
            .get_archived_workflow(GetArchivedWorkflowRequest {
                uid: FAILED_UID.into(),
                ..Default::default()
            })
            .await
            .expect("got")
            .into_inner();
        assert_eq!(
            got.metadata.and_then(|m| m.name).as_deref(),
            Some("nightly-x7k2p")
        );
        let missing = client
            .get_archived_workflow(GetArchivedWorkflowRequest {
                uid: "nope".into(),
                ..Default::default()
            })
            .await
            .expect_err("missing");
        assert_eq!(missing.code(), Code::NotFound);

        let channel = tonic::transport::Endpoint::from_shared(address)
            .expect("uri")
            .connect()
            .await
            .expect("connected");
        let serving = HealthClient::new(channel)
            .check(HealthCheckRequest {
                service: SERVICE.into(),
            })
            .await
            .expect("health")
            .into_inner();
        assert_eq!(serving.status, 1, "SERVING");
    });
}
