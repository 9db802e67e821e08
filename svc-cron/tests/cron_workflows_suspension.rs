//! CronWorkflowService suspend and resume through the generated trait, over an in-memory store:
//! success, not-found and invalid-argument answers.

mod support;

use support::calls::{create, get, resume, suspend, suspended, update};
use support::{cron, service};
use tonic::Code;

#[tokio::test]
async fn suspend_cron_workflow_sets_suspend_and_resume_clears_it() {
    let service = service();
    create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    let paused = suspend(&service, "nightly").await.expect("suspended");
    assert_eq!(suspended(&paused), Some(true));
    assert_eq!(
        suspended(&get(&service, "nightly").await.expect("found")),
        Some(true)
    );
    let resumed = resume(&service, "nightly").await.expect("resumed");
    assert_eq!(suspended(&resumed), Some(false));
}

#[tokio::test]
async fn suspend_cron_workflow_not_found_is_not_found() {
    let service = service();
    let status = suspend(&service, "nope").await.expect_err("missing");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn suspend_cron_workflow_without_a_name_is_invalid_argument() {
    let service = service();
    assert_eq!(
        suspend(&service, "").await.expect_err("no name").code(),
        Code::InvalidArgument
    );
}

#[tokio::test]
async fn resume_cron_workflow_keeps_everything_but_suspend() {
    let service = service();
    let mut created = create(&service, Some(cron("nightly", None)))
        .await
        .expect("created");
    created.spec.as_mut().expect("spec").suspend = Some(true);
    update(&service, Some(created))
        .await
        .expect("suspended by update");
    let resumed = resume(&service, "nightly").await.expect("resumed");
    let spec = resumed.spec.expect("spec");
    assert_eq!(spec.suspend, Some(false));
    assert_eq!(spec.schedules, ["0 2 * * *"]);
}

#[tokio::test]
async fn resume_cron_workflow_not_found_is_not_found() {
    let service = service();
    assert_eq!(
        resume(&service, "nope").await.expect_err("missing").code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn resume_cron_workflow_without_a_name_is_invalid_argument() {
    let service = service();
    assert_eq!(
        resume(&service, "").await.expect_err("no name").code(),
        Code::InvalidArgument
    );
}
