//! The [`ArtifactRepository`] trait: plain object storage addressed by bucket and key. Archive
//! strategies, sub paths and modes are applied above it (see `transfer`), so a backend only moves
//! bytes. Must not: interpret artifact specs.

use std::fmt::Debug;
use std::path::Path;
use std::pin::Pin;

use async_trait::async_trait;
use tokio::io::AsyncRead;

use crate::error::Result;

/// One object: a bucket and a key inside it (`/`-separated, relative).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectLocation {
    pub bucket: String,
    pub key: String,
}

impl ObjectLocation {
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        ObjectLocation {
            bucket: bucket.into(),
            key: key.into(),
        }
    }

    /// The object `name` below this key taken as a directory.
    pub fn child(&self, name: &str) -> Self {
        let key = self.key.trim_end_matches('/');
        let key = if key.is_empty() {
            name.to_owned()
        } else {
            format!("{key}/{name}")
        };
        ObjectLocation::new(self.bucket.clone(), key)
    }
}

/// A stream of an object's bytes.
pub type ObjectReader = Pin<Box<dyn AsyncRead + Send>>;

/// Object storage for artifacts. Implementations are safe to share between tasks; writes of
/// one key replace the object atomically (readers see the old or the new bytes, never a mix).
#[async_trait]
pub trait ArtifactRepository: Send + Sync + Debug {
    /// Stores the file at `source` as the object.
    async fn put_file(&self, object: &ObjectLocation, source: &Path) -> Result<()>;

    /// Writes the object to the file `destination` (its parent must exist).
    async fn get_file(&self, object: &ObjectLocation, destination: &Path) -> Result<()>;

    /// Streams the object.
    async fn open(&self, object: &ObjectLocation) -> Result<ObjectReader>;

    /// True when the object exists.
    async fn exists(&self, object: &ObjectLocation) -> Result<bool>;

    /// The keys of every object whose key starts with `prefix.key` taken as a directory
    /// (`a/b` lists `a/b/c` and `a/b/d/e`, not `a/bc`), sorted.
    async fn list(&self, prefix: &ObjectLocation) -> Result<Vec<String>>;

    /// Removes the object; removing a missing object succeeds.
    async fn delete(&self, object: &ObjectLocation) -> Result<()>;
}
