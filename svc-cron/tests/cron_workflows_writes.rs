//! CronWorkflowService writes (create, update, delete) through the generated trait, over an
//! in-memory store: success, not-found and invalid-argument answers, and schedule and
//! time-zone validation on write.

mod support;

use support::calls::{create, delete, get, suspend, template_kind, update};
use support::{cron, cron_from, seed, service};
use tonic::Code;

#[tokio::test]
async fn create_cron_workflow_stores_it_with_server_metadata() {
    let service = service();
    let created = create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    let metadata = created.metadata.expect("metadata");
    assert_eq!(metadata.namespace.as_deref(), Some("argo"));
    assert!(metadata.uid.is_some());
    let spec = created.spec.expect("spec");
    assert_eq!(spec.schedules, ["0 2 * * *"]);
    assert_eq!(spec.timezone.as_deref(), Some("Europe/Paris"));
}

#[tokio::test]
async fn create_cron_workflow_accepts_descriptors_every_and_cron_tz_schedules() {
    let service = service();
    let schedules = [
        "@hourly",
        "@every 1h30m",
        "CRON_TZ=Asia/Tokyo 0 9 * * mon-fri",
        "*/15 * * * *",
    ];
    let created = create(&service, Some(cron("many", Some(&schedules))))
        .await
        .expect("all valid");
    assert_eq!(created.spec.expect("spec").schedules, schedules);
}

#[tokio::test]
async fn create_cron_workflow_with_a_malformed_schedule_is_invalid_argument_naming_it() {
    let service = service();
    for (schedule, problem) in [
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every forever", "failed to parse duration @every forever"),
        (
            "CRON_TZ=Mars/Base 0 9 * * *",
            "provided bad location Mars/Base",
        ),
    ] {
        let status = create(&service, Some(cron("bad", Some(&["0 1 * * *", schedule]))))
            .await
            .expect_err(schedule);
        assert_eq!(status.code(), Code::InvalidArgument, "{schedule}");
        assert!(
            status
                .message()
                .starts_with(&format!("cron schedule {schedule} is malformed: {problem}")),
            "{}",
            status.message()
        );
    }
    assert_eq!(
        get(&service, "bad")
            .await
            .expect_err("nothing stored")
            .code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn create_cron_workflow_with_an_unknown_timezone_is_invalid_argument() {
    let service = service();
    let mut bad = cron("nightly", None);
    bad.spec.as_mut().expect("spec").timezone = Some("Atlantis/Capital".into());
    let status = create(&service, Some(bad)).await.expect_err("unknown zone");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "invalid timezone \"Atlantis/Capital\": unknown time zone Atlantis/Capital"
    );
}

#[tokio::test]
async fn create_cron_workflow_without_schedules_is_invalid_argument() {
    let service = service();
    let status = create(&service, Some(cron("none", Some(&[]))))
        .await
        .expect_err("no schedule");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "cron workflow must have at least one schedule"
    );
}

#[tokio::test]
async fn create_cron_workflow_without_a_body_is_not_found_as_argo_answers() {
    let service = service();
    let status = create(&service, None).await.expect_err("no body");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(
        status.message(),
        "cron workflow was not found in the request body"
    );
}

#[tokio::test]
async fn create_cron_workflow_with_a_workflow_template_ref_not_found_is_invalid_argument() {
    let service = service();
    let status = create(&service, Some(cron_from("from-template.json")))
        .await
        .expect_err("missing template");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().starts_with("cannot validate Workflow: "),
        "{}",
        status.message()
    );
    seed(&*service.store, &template_kind(), "report-template.json").await;
    create(&service, Some(cron_from("from-template.json")))
        .await
        .expect("the reference resolves from the store");
}

#[tokio::test]
async fn create_cron_workflow_twice_is_already_exists() {
    let service = service();
    create(&service, Some(cron("nightly", None)))
        .await
        .expect("first");
    let status = create(&service, Some(cron("nightly", None)))
        .await
        .expect_err("second");
    assert_eq!(status.code(), Code::AlreadyExists);
    assert_eq!(
        status.message(),
        "cronworkflows.argoproj.io \"nightly\" already exists"
    );
}

#[tokio::test]
async fn update_cron_workflow_replaces_the_schedules() {
    let service = service();
    let mut stored = create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    stored.spec.as_mut().expect("spec").schedules = vec!["@daily".into()];
    let updated = update(&service, Some(stored)).await.expect("updated");
    assert_eq!(updated.spec.expect("spec").schedules, ["@daily"]);
    assert_eq!(
        get(&service, "nightly")
            .await
            .expect("found")
            .spec
            .expect("spec")
            .schedules,
        ["@daily"]
    );
}

#[tokio::test]
async fn update_cron_workflow_not_found_is_not_found() {
    let service = service();
    let status = update(&service, Some(cron("ghost", None)))
        .await
        .expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn update_cron_workflow_with_a_malformed_schedule_is_invalid_argument_and_keeps_the_old_one()
{
    let service = service();
    let mut stored = create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    stored.spec.as_mut().expect("spec").schedules = vec!["0 25 * * *".into()];
    let status = update(&service, Some(stored)).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("0 25 * * *"));
    assert_eq!(
        get(&service, "nightly")
            .await
            .expect("kept")
            .spec
            .expect("spec")
            .schedules,
        ["0 2 * * *"]
    );
    let status = update(&service, None).await.expect_err("no body");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn update_cron_workflow_without_or_with_a_stale_resource_version_is_refused() {
    let service = service();
    let stored = create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    let status = update(&service, Some(cron("nightly", None)))
        .await
        .expect_err("unconditional");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("metadata.resourceVersion"));
    suspend(&service, "nightly")
        .await
        .expect("someone else wrote");
    let status = update(&service, Some(stored)).await.expect_err("stale");
    assert_eq!(status.code(), Code::AlreadyExists);
}

#[tokio::test]
async fn delete_cron_workflow_removes_it() {
    let service = service();
    create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    delete(&service, "nightly").await.expect("deleted");
    assert_eq!(
        get(&service, "nightly").await.expect_err("gone").code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn delete_cron_workflow_not_found_is_not_found() {
    let service = service();
    assert_eq!(
        delete(&service, "nope").await.expect_err("missing").code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn delete_cron_workflow_without_a_name_is_invalid_argument() {
    let service = service();
    assert_eq!(
        delete(&service, "").await.expect_err("no name").code(),
        Code::InvalidArgument
    );
}
