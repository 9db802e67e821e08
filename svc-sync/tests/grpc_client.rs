//! The service as a client sees it: the generated tonic client over a loopback socket, with
//! health served beside it (as the `svc-sync` binary serves it), and the SQLite store
//! underneath.

use std::sync::Arc;

use argo_proto::sync::sync_service_client::SyncServiceClient;
use argo_proto::sync::{CreateSyncLimitRequest, GetSyncLimitRequest, SyncConfigType};
use argo_store::{Environment, SqliteConfig, SqliteStore};
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

#[tokio::test]
async fn a_generated_client_creates_and_reads_a_limit_over_sqlite_with_health_served() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(
        &SqliteConfig::file(directory.path().join("argo.db")),
        Environment::default(),
    )
    .await
    .expect("sqlite");
    let incoming = TcpIncoming::bind("127.0.0.1:0".parse().expect("address")).expect("bind");
    let address = format!("http://{}", incoming.local_addr().expect("bound address"));
    let service = svc_sync::service(Arc::new(store), svc_sync::Config::default());
    let router = argo_service::base_router(&[svc_sync::SERVICE_NAME])
        .await
        .expect("router");
    tokio::spawn(router.add_service(service).serve_with_incoming(incoming));

    let channel = tonic::transport::Endpoint::from_shared(address)
        .expect("endpoint")
        .connect()
        .await
        .expect("connected");
    let mut client = SyncServiceClient::new(channel.clone());
    client
        .create_sync_limit(CreateSyncLimitRequest {
            r#type: SyncConfigType::Database.into(),
            namespace: "argo".into(),
            cm_name: String::new(),
            key: "deploys".into(),
            limit: 2,
        })
        .await
        .expect("created");
    let found = client
        .get_sync_limit(GetSyncLimitRequest {
            r#type: SyncConfigType::Database.into(),
            namespace: "argo".into(),
            cm_name: String::new(),
            key: "deploys".into(),
        })
        .await
        .expect("found")
        .into_inner();
    assert_eq!(found.limit, 2);

    let answer = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: svc_sync::SERVICE_NAME.into(),
        })
        .await
        .expect("health answers")
        .into_inner();
    assert_eq!(answer.status, 1, "SERVING");
}
