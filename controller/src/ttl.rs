//! Workflow time-to-live (`spec.ttlStrategy`): when a completed workflow is due for deletion.
//! Must not: delete anything (the worker does) or read the clock (`now` is a parameter).

use argo_core::{Workflow, WorkflowPhase};
use jiff::{SignedDuration, Timestamp};

/// How long until `workflow` must be deleted: `None` when it never expires (not completed,
/// no TTL); zero or negative when it is due.
pub fn time_to_deletion(workflow: &Workflow, now: Timestamp) -> Option<SignedDuration> {
    let ttl = workflow.spec.ttl_strategy.as_ref()?;
    let status = &workflow.status;
    if !status.phase.is_completed() {
        return None;
    }
    let specific = if status.phase == WorkflowPhase::Succeeded {
        ttl.seconds_after_success
    } else {
        ttl.seconds_after_failure
    };
    let seconds = specific.or(ttl.seconds_after_completion)?;
    let finished = status.finished_at.as_ref().map_or(now, |t| t.0);
    let due = finished
        .saturating_add(SignedDuration::from_secs(i64::from(seconds)))
        .ok()?;
    Some(due.duration_since(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::TtlStrategy;

    fn completed(phase: WorkflowPhase, ttl: TtlStrategy) -> Workflow {
        let mut wf = Workflow::test().name("wf").build();
        wf.spec.ttl_strategy = Some(ttl);
        wf.status.phase = phase;
        wf.status.finished_at = Some(
            argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(Timestamp::UNIX_EPOCH),
        );
        wf
    }

    #[test]
    fn success_ttl_wins_over_completion_ttl_for_succeeded_workflows() {
        let wf = completed(
            WorkflowPhase::Succeeded,
            TtlStrategy {
                seconds_after_completion: Some(100),
                seconds_after_success: Some(10),
                seconds_after_failure: None,
            },
        );
        assert_eq!(
            time_to_deletion(&wf, Timestamp::UNIX_EPOCH),
            Some(SignedDuration::from_secs(10))
        );
    }

    #[test]
    fn failed_workflows_fall_back_to_the_completion_ttl() {
        let wf = completed(
            WorkflowPhase::Failed,
            TtlStrategy {
                seconds_after_completion: Some(100),
                seconds_after_success: Some(10),
                seconds_after_failure: None,
            },
        );
        assert_eq!(
            time_to_deletion(&wf, Timestamp::UNIX_EPOCH),
            Some(SignedDuration::from_secs(100))
        );
    }

    #[test]
    fn running_workflows_never_expire() {
        let mut wf = completed(WorkflowPhase::Running, TtlStrategy::default());
        wf.spec.ttl_strategy = Some(TtlStrategy {
            seconds_after_completion: Some(0),
            ..TtlStrategy::default()
        });
        assert_eq!(time_to_deletion(&wf, Timestamp::UNIX_EPOCH), None);
    }
}
