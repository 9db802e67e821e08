//! The outcomes of InfoService RPCs that `info_rpcs.rs` checks together, one per test, so
//! `argo_service::rpc_coverage` finds each by name (the others are exempt there, with why).

use argo_proto::info::CollectEventRequest;
use argo_proto::info::info_service_server::InfoService;
use svc_info::{Identity, InfoConfig, InfoServer};
use tonic::{Code, Request};

#[tokio::test]
async fn collect_event_without_a_name_is_invalid_argument() {
    let server = InfoServer::new(InfoConfig::default(), Identity::default());
    let status = server
        .collect_event(Request::new(CollectEventRequest::default()))
        .await
        .expect_err("an unnamed event is refused");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
}
