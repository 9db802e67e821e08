//! Configuration of the SQLite backend: where the database file lives, how durable a commit is,
//! and how much watch history to keep. Only data and the default path rule; opening is in `mod.rs`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// One file (created with its directory when missing), in WAL mode.
    File(PathBuf),
    /// A private in-memory database, gone when the store is dropped: for tests.
    InMemory,
}

/// SQLite's `synchronous` setting: how often a commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    Off,
    /// In WAL mode a power loss may lose the last commits but never corrupts the database.
    Normal,
    /// Every commit is on disk when it returns.
    #[default]
    Full,
    Extra,
}

/// How to open a [`super::SqliteStore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteConfig {
    pub location: Location,
    pub synchronous: Synchronous,
    /// How long a write waits for another process holding the database lock.
    pub busy_timeout: Duration,
    /// Connections in the pool (reads run in parallel; writes are serialized).
    pub max_connections: u32,
    /// How many changes the events table keeps for watches to resume from.
    pub event_retention: u64,
    /// How often to look for changes other processes wrote to the same file, to deliver them to
    /// this process's watches; `None` when this process is the only writer.
    pub poll_interval: Option<Duration>,
    /// How many parsed objects of each kind reads keep, reused while their row's revision is
    /// unchanged (see `read_cache`); 0 parses every read.
    pub read_cache_capacity: usize,
}

/// How many changes are kept for watch resumption by default.
pub const DEFAULT_EVENT_RETENTION: u64 = 10_000;

impl SqliteConfig {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            location: Location::File(path.into()),
            synchronous: Synchronous::default(),
            busy_timeout: Duration::from_secs(5),
            max_connections: 4,
            event_retention: DEFAULT_EVENT_RETENTION,
            poll_interval: Some(Duration::from_millis(500)),
            read_cache_capacity: super::read_cache::DEFAULT_READ_CACHE_CAPACITY,
        }
    }

    pub fn in_memory() -> Self {
        Self {
            location: Location::InMemory,
            max_connections: 1,
            poll_interval: None,
            ..Self::file(PathBuf::new())
        }
    }

    /// The file at [`default_database_path`], if a home or data directory is known.
    pub fn default_file() -> Option<Self> {
        default_database_path(|name| std::env::var_os(name)).map(Self::file)
    }

    #[must_use]
    pub fn synchronous(mut self, synchronous: Synchronous) -> Self {
        self.synchronous = synchronous;
        self
    }

    #[must_use]
    pub fn poll_interval(mut self, interval: Option<Duration>) -> Self {
        self.poll_interval = interval;
        self
    }

    #[must_use]
    pub fn read_cache_capacity(mut self, objects: usize) -> Self {
        self.read_cache_capacity = objects;
        self
    }

    #[must_use]
    pub fn event_retention(mut self, events: u64) -> Self {
        self.event_retention = events.max(1);
        self
    }
}

/// `$XDG_DATA_HOME/argo/argo.db`, else `$HOME/.local/share/argo/argo.db`. `environment` reads a
/// variable (injected so tests need not change the process environment).
pub fn default_database_path(environment: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let non_empty = |name: &str| environment(name).filter(|value| !value.is_empty());
    let data_home = non_empty("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| {
            non_empty("HOME").map(|home| PathBuf::from(home).join(".local").join("share"))
        })?;
    Some(data_home.join("argo").join("argo.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    #[test]
    fn the_default_path_prefers_xdg_data_home() {
        let path = default_database_path(variables(&[
            ("XDG_DATA_HOME", "/data"),
            ("HOME", "/home/u"),
        ]));
        assert_eq!(path, Some(PathBuf::from("/data/argo/argo.db")));
    }

    #[test]
    fn the_default_path_falls_back_to_home_local_share() {
        let path = default_database_path(variables(&[("XDG_DATA_HOME", ""), ("HOME", "/home/u")]));
        assert_eq!(
            path,
            Some(PathBuf::from("/home/u/.local/share/argo/argo.db"))
        );
        assert_eq!(default_database_path(variables(&[])), None);
    }

    #[test]
    fn durability_defaults_to_full_synchronous_commits() {
        assert_eq!(
            SqliteConfig::file("/tmp/x.db").synchronous,
            Synchronous::Full
        );
    }
}
