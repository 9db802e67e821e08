//! The generated tonic server and client talk over a real loopback socket, on upstream's paths.

use argo_proto::info::info_service_client::InfoServiceClient;
use argo_proto::info::info_service_server::{InfoService, InfoServiceServer};
use argo_proto::info::{
    CollectEventRequest, CollectEventResponse, GetInfoRequest, GetUserInfoRequest,
    GetUserInfoResponse, GetVersionRequest, InfoResponse,
};
use argo_proto::wf;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

struct FixedInfo;

#[tonic::async_trait]
impl InfoService for FixedInfo {
    async fn get_info(&self, _: Request<GetInfoRequest>) -> Result<Response<InfoResponse>, Status> {
        Ok(Response::new(InfoResponse {
            managed_namespace: "argo".to_owned(),
            ..Default::default()
        }))
    }

    async fn get_version(
        &self,
        _: Request<GetVersionRequest>,
    ) -> Result<Response<wf::Version>, Status> {
        Ok(Response::new(wf::Version {
            version: Some("v4.1.2".to_owned()),
            ..Default::default()
        }))
    }

    async fn get_user_info(
        &self,
        _: Request<GetUserInfoRequest>,
    ) -> Result<Response<GetUserInfoResponse>, Status> {
        Err(Status::unauthenticated("no token"))
    }

    async fn collect_event(
        &self,
        _: Request<CollectEventRequest>,
    ) -> Result<Response<CollectEventResponse>, Status> {
        Ok(Response::new(CollectEventResponse {}))
    }
}

#[tokio::test]
async fn generated_client_calls_generated_server_over_loopback() {
    let incoming =
        TcpIncoming::bind("127.0.0.1:0".parse().expect("loopback address")).expect("port binds");
    let address = incoming.local_addr().expect("bound address");
    let server = tokio::spawn(
        Server::builder()
            .add_service(InfoServiceServer::new(FixedInfo))
            .serve_with_incoming(incoming),
    );

    let mut client = InfoServiceClient::connect(format!("http://{address}"))
        .await
        .expect("client connects");
    let version = client
        .get_version(GetVersionRequest {})
        .await
        .expect("GetVersion answers")
        .into_inner();
    assert_eq!(version.version.as_deref(), Some("v4.1.2"));
    let info = client
        .get_info(GetInfoRequest {})
        .await
        .expect("GetInfo answers")
        .into_inner();
    assert_eq!(info.managed_namespace, "argo");
    let refused = client
        .get_user_info(GetUserInfoRequest {})
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);

    server.abort();
}
