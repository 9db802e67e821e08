//! Every InfoService RPC through the generated trait.

use argo_proto::info::info_service_server::InfoService;
use argo_proto::info::{
    CollectEventRequest, GetInfoRequest, GetUserInfoRequest, GetVersionRequest,
};
use svc_info::{Column, Identity, InfoConfig, InfoServer, Link};
use tonic::{Code, Request};

fn server() -> InfoServer {
    let config = InfoConfig {
        managed_namespace: "argo".into(),
        links: vec![Link {
            name: "Docs".into(),
            scope: "system".into(),
            url: "https://example.invalid".into(),
            target: String::new(),
        }],
        columns: vec![Column {
            name: "Env".into(),
            column_type: "label".into(),
            key: "env".into(),
        }],
        nav_color: "red".into(),
        modals: [("feedback".to_owned(), true)].into_iter().collect(),
    };
    let identity = Identity {
        service_account_name: "argo-server".into(),
        service_account_namespace: "argo".into(),
    };
    InfoServer::new(config, identity)
}

#[tokio::test]
async fn get_info_reports_the_configured_settings() {
    let info = server()
        .get_info(Request::new(GetInfoRequest {}))
        .await
        .expect("info")
        .into_inner();
    assert_eq!(info.managed_namespace, "argo");
    assert_eq!(info.nav_color, "red");
    assert_eq!(
        info.links[0].url.as_deref(),
        Some("https://example.invalid")
    );
    assert_eq!(info.columns[0].r#type.as_deref(), Some("label"));
    assert_eq!(info.modals.get("feedback"), Some(&true));
}

#[tokio::test]
async fn get_version_fills_all_eight_fields() {
    let version = server()
        .get_version(Request::new(GetVersionRequest {}))
        .await
        .expect("version")
        .into_inner();
    let json = argo_proto::prost_to_json(&version).expect("json");
    for key in [
        "version",
        "buildDate",
        "gitCommit",
        "gitTag",
        "gitTreeState",
        "goVersion",
        "compiler",
        "platform",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(version.compiler.as_deref(), Some("rustc"));
}

#[tokio::test]
async fn get_user_info_answers_with_the_server_identity() {
    let mut request = Request::new(GetUserInfoRequest {});
    request
        .metadata_mut()
        .insert("authorization", "Bearer token".parse().expect("ascii"));
    let user = server()
        .get_user_info(request)
        .await
        .expect("user")
        .into_inner();
    assert_eq!(user.service_account_name, "argo-server");
    assert_eq!(user.service_account_namespace, "argo");
}

#[tokio::test]
async fn collect_event_accepts_a_named_event_and_refuses_an_unnamed_one() {
    let server = server();
    let accepted = server
        .collect_event(Request::new(CollectEventRequest {
            name: "openedUi".into(),
        }))
        .await;
    assert!(accepted.is_ok());
    let refused = server
        .collect_event(Request::new(CollectEventRequest::default()))
        .await
        .expect_err("unnamed");
    assert_eq!(refused.code(), Code::InvalidArgument);
}
