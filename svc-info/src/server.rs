//! The InfoService handlers.
//!
//! Must not: keep state beyond the configuration it was built with.

use argo_proto::info::info_service_server::InfoService;
use argo_proto::info::{
    CollectEventRequest, CollectEventResponse, GetInfoRequest, GetUserInfoRequest,
    GetUserInfoResponse, GetVersionRequest, InfoResponse,
};
use argo_proto::wf;
use argo_service::Caller;
use tonic::{Request, Response, Status};

use crate::InfoConfig;

/// Who the server itself is: in auth modes `server` and `client` (no SSO yet) GetUserInfo
/// answers with this identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub service_account_name: String,
    pub service_account_namespace: String,
}

/// The InfoService implementation.
#[derive(Debug, Clone)]
pub struct InfoServer {
    config: InfoConfig,
    identity: Identity,
}

impl InfoServer {
    pub fn new(config: InfoConfig, identity: Identity) -> Self {
        Self { config, identity }
    }

    fn info(&self) -> InfoResponse {
        InfoResponse {
            managed_namespace: self.config.managed_namespace.clone(),
            links: self
                .config
                .links
                .iter()
                .map(|link| wf::Link {
                    name: Some(link.name.clone()),
                    scope: Some(link.scope.clone()),
                    url: Some(link.url.clone()),
                    target: Some(link.target.clone()),
                })
                .collect(),
            modals: self
                .config
                .modals
                .iter()
                .map(|(name, shown)| (name.clone(), *shown))
                .collect(),
            nav_color: self.config.nav_color.clone(),
            columns: self
                .config
                .columns
                .iter()
                .map(|column| wf::Column {
                    name: Some(column.name.clone()),
                    r#type: Some(column.column_type.clone()),
                    key: Some(column.key.clone()),
                })
                .collect(),
        }
    }
}

/// The eight version fields of this build.
pub(crate) fn version() -> wf::Version {
    let build = argo_build_info::build_info();
    wf::Version {
        version: Some(build.version),
        build_date: Some(build.build_date.to_owned()),
        git_commit: Some(build.git_commit.to_owned()),
        git_tag: Some(build.git_tag.to_owned()),
        git_tree_state: Some(build.git_tree_state.to_owned()),
        go_version: Some(build.go_version),
        compiler: Some(build.compiler.to_owned()),
        platform: Some(build.platform),
    }
}

#[tonic::async_trait]
impl InfoService for InfoServer {
    async fn get_info(
        &self,
        _request: Request<GetInfoRequest>,
    ) -> Result<Response<InfoResponse>, Status> {
        Ok(Response::new(self.info()))
    }

    async fn get_version(
        &self,
        _request: Request<GetVersionRequest>,
    ) -> Result<Response<wf::Version>, Status> {
        Ok(Response::new(version()))
    }

    async fn get_user_info(
        &self,
        request: Request<GetUserInfoRequest>,
    ) -> Result<Response<GetUserInfoResponse>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        Ok(Response::new(GetUserInfoResponse {
            subject: caller.subject.unwrap_or_default(),
            email: caller.email.unwrap_or_default(),
            service_account_name: caller
                .service_account
                .unwrap_or_else(|| self.identity.service_account_name.clone()),
            service_account_namespace: caller
                .service_account_namespace
                .unwrap_or_else(|| self.identity.service_account_namespace.clone()),
            ..GetUserInfoResponse::default()
        }))
    }

    async fn collect_event(
        &self,
        request: Request<CollectEventRequest>,
    ) -> Result<Response<CollectEventResponse>, Status> {
        let name = request.into_inner().name;
        if name.is_empty() {
            return Err(Status::invalid_argument("event name is required"));
        }
        tracing::info!(event = %name, "ui event collected");
        Ok(Response::new(CollectEventResponse {}))
    }
}
