//! Giving freed heap memory back to the system. The system allocator (glibc) keeps the pages of
//! freed memory in its per-thread arenas, and this process has many threads (pod supervisors,
//! in-process `wait`s, the blocking pool) while a wide workflow's passes allocate and free tens
//! of megabytes each: the resident size then climbs pass after pass although the live memory
//! does not. `malloc_trim` hands the free pages of every arena back.
//!
//! Fewer arenas help more than trimming: each thread that allocates while another holds its
//! arena's lock gets an arena of its own (up to eight per core), and every arena keeps its own
//! free pages and fragments, so the process holds several times its live memory. The
//! `workflow-controller` binary caps them when it starts ([`limit_arenas`]); the `argo` binary
//! allocates with jemalloc instead (one arena, set in `.cargo/config.toml`), so there these
//! calls reach only what C code (SQLite) allocates through glibc.
//!
//! Must not: trim on every pass (a trim walks every arena): at most once per interval, and
//! only when passes ran since the last one.
#![allow(unsafe_code)]

use std::time::Duration;

/// How often the heap is trimmed at most.
pub(crate) const TRIM_INTERVAL: Duration = Duration::from_secs(1);

/// The most malloc arenas a controller process uses. One: per-thread caches serve most small
/// allocations without the arena's lock, and a single arena reuses what any thread freed.
const ARENAS: i32 = 1;

/// Caps the allocator's arenas at [`ARENAS`]. Call it before the process starts threads: a
/// thread that allocated already keeps the arena it has.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes no pointers; it only changes an allocator setting, under the
    // allocator's own lock.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

/// Returns the free pages of every allocator arena to the system.
pub(crate) fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointers and only releases memory the allocator holds
    // free; it is thread-safe (it locks each arena in turn).
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Counts of passes seen at each tick: a trim runs when the count moved.
#[derive(Debug, Default)]
pub(crate) struct TrimSchedule {
    last: Option<u64>,
}

impl TrimSchedule {
    /// Whether to trim now, given the passes run so far.
    pub(crate) fn due(&mut self, passes: u64) -> bool {
        let due = self.last.is_some_and(|last| last != passes);
        self.last = Some(passes);
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trim_is_due_only_after_passes_ran_since_the_last_tick() {
        let mut schedule = TrimSchedule::default();
        assert!(!schedule.due(0), "the first tick only notes the count");
        assert!(!schedule.due(0), "no pass ran");
        assert!(schedule.due(3));
        assert!(!schedule.due(3));
        assert!(schedule.due(4));
    }

    #[test]
    fn trimming_keeps_live_memory_intact() {
        let live: Vec<Vec<u8>> = (0..64).map(|i| vec![i as u8; 64 * 1024]).collect();
        let freed: Vec<Vec<u8>> = (0..64).map(|_| vec![0u8; 64 * 1024]).collect();
        drop(freed);
        trim();
        assert!(
            live.iter()
                .enumerate()
                .all(|(i, v)| v.iter().all(|b| *b == i as u8))
        );
    }
}
