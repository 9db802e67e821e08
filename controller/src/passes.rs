//! Counts of what the controller's workers did: passes that reconciled a workflow and the
//! workflow writes they made. Read by benchmarks (`argo run` reports them when asked) and
//! tests; cheap enough (two relaxed atomics) to keep always on.
//! Must not: influence any decision of the controller.

use std::sync::atomic::{AtomicU64, Ordering};

/// Running totals since the controller was built.
#[derive(Debug, Default)]
pub(crate) struct PassCounter {
    reconciles: AtomicU64,
    writes: AtomicU64,
}

/// A snapshot of [`PassCounter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PassCounts {
    /// Passes that ran the engine over a workflow.
    pub reconciles: u64,
    /// Of those, the ones that wrote the workflow back.
    pub writes: u64,
}

impl PassCounter {
    pub(crate) fn reconciled(&self, wrote: bool) {
        self.reconciles.fetch_add(1, Ordering::Relaxed);
        if wrote {
            self.writes.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn snapshot(&self) -> PassCounts {
        PassCounts {
            reconciles: self.reconciles.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
        }
    }
}
