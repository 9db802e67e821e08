//! Over REST through the real gateway: a template with a field the schema does not have is
//! 400 naming the field and its path, on create and on update, and the store keeps exactly
//! what it had.

mod support;

use std::sync::Arc;

use argo_service::testing::call;
use argo_store::{ListParams, MemoryStore, ResourceKind, ResourceStore};
use http::StatusCode;
use serde_json::{Value, json};
use support::{big_stack, fixture, rest_router};

async fn stored(store: &dyn ResourceStore) -> Vec<Value> {
    let kind = ResourceKind::of::<argo_core::WorkflowTemplate>();
    let page = store
        .list(&kind, &ListParams::default())
        .await
        .expect("lists");
    page.items
        .into_iter()
        .map(|object| serde_json::to_value(object).expect("object is JSON"))
        .collect()
}

#[test]
fn unknown_template_fields_are_400_on_create_and_update_and_change_nothing() {
    big_stack(async {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let router = rest_router(store.clone()).await;

        let mut typo = fixture("greeting.json");
        typo["spec"]["entrypiont"] = json!("main");
        let (status, body) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Some(json!({"template": typo})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body,
            json!({"code": 3, "message": "unknown field \"entrypiont\" in template.spec"})
        );
        assert!(stored(&*store).await.is_empty(), "nothing half-written");

        let (status, created) = call(
            &router,
            "POST",
            "/api/v1/workflow-templates/argo",
            Some(json!({"template": fixture("greeting.json")})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let before = stored(&*store).await;
        let name = created["metadata"]["name"]
            .as_str()
            .expect("a name")
            .to_owned();

        let mut changed = created.clone();
        changed["spec"]["templates"][0]["container"]["imagee"] = json!("alpine");
        let (status, body) = call(
            &router,
            "PUT",
            &format!("/api/v1/workflow-templates/argo/{name}"),
            Some(json!({"template": changed})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body["message"],
            json!("unknown field \"imagee\" in template.spec.templates[0].container")
        );
        assert_eq!(
            stored(&*store).await,
            before,
            "the stored template is unchanged"
        );
    });
}
