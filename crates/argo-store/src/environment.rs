//! The store's sources of time and randomness: a [`Clock`] for `creationTimestamp` and
//! `deletionTimestamp`, an [`IdGenerator`] for `uid`s and `generateName` suffixes.
//!
//! Production uses the system clock and random UUIDs; tests inject [`ManualClock`] and
//! [`SequentialIds`] so stored objects are deterministic. Nothing else in the crate reads the time
//! or draws random numbers.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;

/// The characters Kubernetes draws `generateName` suffixes from (no vowels, no look-alikes).
pub const NAME_SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The length of a `generateName` suffix.
pub const NAME_SUFFIX_LENGTH: usize = 5;

/// The longest prefix kept from `generateName`, so the generated name fits in 63 characters.
pub const MAX_GENERATE_NAME_PREFIX: usize = 63 - NAME_SUFFIX_LENGTH;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub trait IdGenerator: Send + Sync {
    /// A new object uid (a UUID in text form).
    fn uid(&self) -> String;
    /// A `generateName` suffix: [`NAME_SUFFIX_LENGTH`] characters from [`NAME_SUFFIX_ALPHABET`].
    fn name_suffix(&self) -> String;
}

/// Everything a backend needs from the outside world.
#[derive(Clone)]
pub struct Environment {
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGenerator>,
}

impl Environment {
    /// The system clock and random identifiers.
    pub fn system() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
        }
    }

    /// A manual clock at `start` and sequential identifiers: for tests.
    pub fn deterministic(start: Timestamp) -> (Self, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(start));
        let environment = Self {
            clock: clock.clone(),
            ids: Arc::new(SequentialIds::default()),
        };
        (environment, clock)
    }
}

impl Default for Environment {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    pub fn set(&self, now: Timestamp) {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }

    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Random v4 UUIDs and random suffixes.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn uid(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    fn name_suffix(&self) -> String {
        let bytes = *uuid::Uuid::new_v4().as_bytes();
        suffix_from_number(u64::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ]))
    }
}

/// Uids `00000000-0000-0000-0000-000000000001`, `...2`, ... and suffixes `bbbbb`, `bbbbc`, ...
#[derive(Debug, Default)]
pub struct SequentialIds {
    uids: AtomicU64,
    suffixes: AtomicU64,
}

impl IdGenerator for SequentialIds {
    fn uid(&self) -> String {
        let next = self.uids.fetch_add(1, Ordering::Relaxed) + 1;
        format!("00000000-0000-0000-0000-{next:012}")
    }

    fn name_suffix(&self) -> String {
        suffix_from_number(self.suffixes.fetch_add(1, Ordering::Relaxed))
    }
}

/// Renders `number` in base 27 over [`NAME_SUFFIX_ALPHABET`], keeping the last five digits.
pub fn suffix_from_number(mut number: u64) -> String {
    let base = NAME_SUFFIX_ALPHABET.len() as u64;
    let mut digits = [NAME_SUFFIX_ALPHABET[0]; NAME_SUFFIX_LENGTH];
    for digit in digits.iter_mut().rev() {
        *digit = NAME_SUFFIX_ALPHABET[(number % base) as usize];
        number /= base;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// The name `generateName` yields with `suffix`, truncating long prefixes as Kubernetes does.
pub fn generated_name(prefix: &str, suffix: &str) -> String {
    let mut cut = prefix.len().min(MAX_GENERATE_NAME_PREFIX);
    while !prefix.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &prefix[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_use_the_kubernetes_alphabet_and_length() {
        for number in [0, 1, 26, 27, 1_000_000, u64::MAX] {
            let suffix = suffix_from_number(number);
            assert_eq!(suffix.len(), NAME_SUFFIX_LENGTH);
            assert!(
                suffix.bytes().all(|b| NAME_SUFFIX_ALPHABET.contains(&b)),
                "{suffix}"
            );
        }
        assert_eq!(suffix_from_number(0), "bbbbb");
        assert_eq!(suffix_from_number(1), "bbbbc");
        let random = RandomIds.name_suffix();
        assert!(random.bytes().all(|b| NAME_SUFFIX_ALPHABET.contains(&b)));
    }

    #[test]
    fn long_generate_name_prefixes_are_truncated_to_fit_63_characters() {
        let prefix = "x".repeat(80);
        assert_eq!(generated_name(&prefix, "bbbbb").len(), 63);
        assert_eq!(generated_name("wf-", "bcdfg"), "wf-bcdfg");
    }

    #[test]
    fn sequential_ids_count_up() {
        let ids = SequentialIds::default();
        assert_eq!(ids.uid(), "00000000-0000-0000-0000-000000000001");
        assert_eq!(ids.uid(), "00000000-0000-0000-0000-000000000002");
    }

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(jiff::SignedDuration::from_secs(5));
        assert_eq!(clock.now().as_second(), start.as_second() + 5);
    }
}
