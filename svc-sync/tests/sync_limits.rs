//! SyncService through the generated trait, over an in-memory store: ConfigMap- and
//! database-backed limits, each RPC's success, not-found and invalid-argument answers.

use std::sync::Arc;

use argo_proto::sync::sync_service_server::SyncService;
use argo_proto::sync::{
    CreateSyncLimitRequest, DeleteSyncLimitRequest, GetSyncLimitRequest, SyncConfigType,
    SyncLimitResponse, UpdateSyncLimitRequest,
};
use argo_store::{MemoryStore, Object, ResourceStore};
use serde_json::json;
use svc_sync::{Config, SyncServer, config_map_kind, sync_limit_kind};
use tonic::{Code, Request, Status};

const CONFIG_MAP: i32 = SyncConfigType::Configmap as i32;
const DATABASE: i32 = SyncConfigType::Database as i32;

struct Service {
    store: Arc<dyn ResourceStore>,
    server: SyncServer,
}

fn service_with(config: Config) -> Service {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    Service {
        server: SyncServer::new(store.clone(), config),
        store,
    }
}

fn service() -> Service {
    service_with(Config::default())
}

async fn create(
    service: &Service,
    kind: i32,
    cm: &str,
    key: &str,
    limit: i32,
) -> Result<SyncLimitResponse, Status> {
    service
        .server
        .create_sync_limit(Request::new(CreateSyncLimitRequest {
            r#type: kind,
            namespace: "argo".into(),
            cm_name: cm.into(),
            key: key.into(),
            limit,
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn get(
    service: &Service,
    kind: i32,
    cm: &str,
    key: &str,
) -> Result<SyncLimitResponse, Status> {
    service
        .server
        .get_sync_limit(Request::new(GetSyncLimitRequest {
            r#type: kind,
            namespace: "argo".into(),
            cm_name: cm.into(),
            key: key.into(),
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn update(
    service: &Service,
    kind: i32,
    cm: &str,
    key: &str,
    limit: i32,
) -> Result<SyncLimitResponse, Status> {
    service
        .server
        .update_sync_limit(Request::new(UpdateSyncLimitRequest {
            r#type: kind,
            namespace: "argo".into(),
            cm_name: cm.into(),
            key: key.into(),
            limit,
        }))
        .await
        .map(tonic::Response::into_inner)
}

async fn delete(service: &Service, kind: i32, cm: &str, key: &str) -> Result<(), Status> {
    service
        .server
        .delete_sync_limit(Request::new(DeleteSyncLimitRequest {
            r#type: kind,
            namespace: "argo".into(),
            cm_name: cm.into(),
            key: key.into(),
        }))
        .await
        .map(|_| ())
}

async fn config_map_data(service: &Service, name: &str) -> serde_json::Value {
    service
        .store
        .get(&config_map_kind(), Some("argo"), name)
        .await
        .expect("config map")
        .fields["data"]
        .clone()
}

async fn seed_config_map(service: &Service, name: &str, data: serde_json::Value) {
    let object = Object::new(&config_map_kind(), Some("argo"), name).with_field("data", data);
    service
        .store
        .create(&config_map_kind(), object)
        .await
        .expect("seeded");
}

#[tokio::test]
async fn create_sync_limit_creates_the_config_map_when_missing() {
    let service = service();
    let created = create(&service, CONFIG_MAP, "limits", "build", 3)
        .await
        .expect("created");
    assert_eq!(
        created,
        SyncLimitResponse {
            r#type: CONFIG_MAP,
            namespace: "argo".into(),
            cm_name: "limits".into(),
            key: "build".into(),
            limit: 3,
        }
    );
    assert_eq!(
        config_map_data(&service, "limits").await,
        json!({"build": "3"})
    );
}

#[tokio::test]
async fn create_sync_limit_adds_a_key_and_keeps_the_others() {
    let service = service();
    seed_config_map(&service, "limits", json!({"other": "text"})).await;
    create(&service, CONFIG_MAP, "limits", "build", 2)
        .await
        .expect("created");
    assert_eq!(
        config_map_data(&service, "limits").await,
        json!({"other": "text", "build": "2"})
    );
}

#[tokio::test]
async fn create_sync_limit_that_exists_is_already_exists() {
    let service = service();
    create(&service, CONFIG_MAP, "limits", "build", 2)
        .await
        .expect("first");
    let status = create(&service, CONFIG_MAP, "limits", "build", 5)
        .await
        .expect_err("second");
    assert_eq!(status.code(), Code::AlreadyExists);
    assert_eq!(
        status.message(),
        "sync limit cannot be created as it already exists"
    );
    create(&service, DATABASE, "", "build", 2)
        .await
        .expect("first");
    let status = create(&service, DATABASE, "", "build", 5)
        .await
        .expect_err("second");
    assert_eq!(status.code(), Code::AlreadyExists);
    assert_eq!(
        status.message(),
        "Database sync limit already exists in namespace \"argo\"."
    );
}

#[tokio::test]
async fn create_sync_limit_in_the_database_stores_a_sync_limit_object() {
    let service = service();
    let created = create(&service, DATABASE, "", "deploys", 4)
        .await
        .expect("created");
    assert_eq!(created.r#type, DATABASE);
    assert_eq!(created.cm_name, "");
    let object = service
        .store
        .get(&sync_limit_kind(), Some("argo"), "deploys")
        .await
        .expect("stored");
    assert_eq!(svc_sync::database_limit_size(&object).expect("size"), 4);
}

#[tokio::test]
async fn create_sync_limit_with_a_bad_limit_type_or_address_is_invalid_argument() {
    let service = service();
    for (kind, cm, key, limit, message) in [
        (
            CONFIG_MAP,
            "limits",
            "build",
            0,
            "limit must be greater than zero",
        ),
        (
            CONFIG_MAP,
            "limits",
            "build",
            -2,
            "limit must be greater than zero",
        ),
        (9, "limits", "build", 1, "unsupported sync config type: 9"),
        (
            CONFIG_MAP,
            "",
            "build",
            1,
            "cmName is required for a CONFIGMAP sync limit",
        ),
        (CONFIG_MAP, "limits", "", 1, "key is required"),
    ] {
        let status = create(&service, kind, cm, key, limit)
            .await
            .expect_err(message);
        assert_eq!(status.code(), Code::InvalidArgument, "{message}");
        assert_eq!(status.message(), message);
    }
    let status = create(&service, DATABASE, "", "team/build", 1)
        .await
        .expect_err("bad key");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("team/build"),
        "{}",
        status.message()
    );
    let listed = service
        .store
        .list(&config_map_kind(), &argo_store::ListParams::default())
        .await
        .expect("list");
    assert!(listed.items.is_empty(), "nothing stored");
}

#[tokio::test]
async fn create_sync_limit_in_the_database_when_disabled_is_invalid_argument() {
    let service = service_with(Config {
        database_limits: false,
    });
    let status = create(&service, DATABASE, "", "build", 1)
        .await
        .expect_err("disabled");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "unsupported sync config type: DATABASE");
}

#[tokio::test]
async fn get_sync_limit_reads_config_map_and_database_limits() {
    let service = service();
    create(&service, CONFIG_MAP, "limits", "build", 3)
        .await
        .expect("created");
    create(&service, DATABASE, "", "build", 7)
        .await
        .expect("created");
    assert_eq!(
        get(&service, CONFIG_MAP, "limits", "build")
            .await
            .expect("cm")
            .limit,
        3
    );
    assert_eq!(
        get(&service, DATABASE, "", "build")
            .await
            .expect("db")
            .limit,
        7
    );
}

#[tokio::test]
async fn get_sync_limit_not_found_names_what_is_missing() {
    let service = service();
    let status = get(&service, CONFIG_MAP, "limits", "build")
        .await
        .expect_err("no config map");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "configmaps \"limits\" not found");
    seed_config_map(&service, "limits", json!({})).await;
    let status = get(&service, CONFIG_MAP, "limits", "build")
        .await
        .expect_err("no key");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "key build not found in configmap argo/limits"
    );
    let status = get(&service, DATABASE, "", "build")
        .await
        .expect_err("no row");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "Database sync limit not found in namespace \"argo\"."
    );
}

#[tokio::test]
async fn get_sync_limit_of_a_non_numeric_value_is_invalid_argument() {
    let service = service();
    seed_config_map(&service, "limits", json!({"build": "many"})).await;
    let status = get(&service, CONFIG_MAP, "limits", "build")
        .await
        .expect_err("not a number");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "invalid limit format for key build in configmap argo/limits"
    );
}

#[tokio::test]
async fn update_sync_limit_changes_config_map_and_database_limits() {
    let service = service();
    create(&service, CONFIG_MAP, "limits", "build", 3)
        .await
        .expect("created");
    create(&service, DATABASE, "", "build", 3)
        .await
        .expect("created");
    assert_eq!(
        update(&service, CONFIG_MAP, "limits", "build", 9)
            .await
            .expect("cm")
            .limit,
        9
    );
    assert_eq!(
        update(&service, DATABASE, "", "build", 8)
            .await
            .expect("db")
            .limit,
        8
    );
    assert_eq!(
        config_map_data(&service, "limits").await,
        json!({"build": "9"})
    );
    assert_eq!(
        get(&service, DATABASE, "", "build")
            .await
            .expect("db")
            .limit,
        8
    );
}

#[tokio::test]
async fn update_sync_limit_not_found_asks_to_create_it_first() {
    let service = service();
    seed_config_map(&service, "limits", json!({})).await;
    let status = update(&service, CONFIG_MAP, "limits", "build", 2)
        .await
        .expect_err("no key");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "key build not found in configmap argo/limits - please create it first"
    );
    let status = update(&service, DATABASE, "", "build", 2)
        .await
        .expect_err("no row");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn update_sync_limit_with_a_non_positive_limit_is_invalid_argument_and_keeps_it() {
    let service = service();
    create(&service, CONFIG_MAP, "limits", "build", 3)
        .await
        .expect("created");
    let status = update(&service, CONFIG_MAP, "limits", "build", 0)
        .await
        .expect_err("zero");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        get(&service, CONFIG_MAP, "limits", "build")
            .await
            .expect("kept")
            .limit,
        3
    );
}

#[tokio::test]
async fn delete_sync_limit_removes_only_its_key_or_its_database_limit() {
    let service = service();
    seed_config_map(&service, "limits", json!({"other": "1", "build": "2"})).await;
    delete(&service, CONFIG_MAP, "limits", "build")
        .await
        .expect("deleted");
    assert_eq!(
        config_map_data(&service, "limits").await,
        json!({"other": "1"})
    );
    delete(&service, CONFIG_MAP, "limits", "build")
        .await
        .expect("a missing key is not an error, as in Argo");
    create(&service, DATABASE, "", "build", 1)
        .await
        .expect("created");
    delete(&service, DATABASE, "", "build")
        .await
        .expect("deleted");
    assert_eq!(
        get(&service, DATABASE, "", "build")
            .await
            .expect_err("gone")
            .code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn delete_sync_limit_not_found_is_not_found() {
    let service = service();
    let status = delete(&service, CONFIG_MAP, "limits", "build")
        .await
        .expect_err("no config map");
    assert_eq!(status.code(), Code::NotFound);
    let status = delete(&service, DATABASE, "", "build")
        .await
        .expect_err("no row");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "Database sync limit not found in namespace \"argo\"."
    );
}

#[tokio::test]
async fn delete_sync_limit_without_a_key_or_of_an_unknown_type_is_invalid_argument() {
    let service = service();
    assert_eq!(
        delete(&service, CONFIG_MAP, "limits", "")
            .await
            .expect_err("no key")
            .code(),
        Code::InvalidArgument
    );
    assert_eq!(
        delete(&service, 3, "limits", "build")
            .await
            .expect_err("type")
            .code(),
        Code::InvalidArgument
    );
}
