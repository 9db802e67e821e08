//! The compiled schema as bytes and as a reflection pool.
//!
//! The pool is decoded once per process; callers share it. Nothing here looks at a message's
//! contents.

use std::sync::OnceLock;

use prost_reflect::DescriptorPool;

use crate::{Error, Result};

/// The encoded `google.protobuf.FileDescriptorSet` of every file in `protos/`, imports included.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/argo_descriptor_set.bin"));

/// The schema as a prost-reflect pool, decoded on first use.
///
/// # Errors
/// Only if the embedded set is malformed, which the crate's tests rule out.
pub fn descriptor_pool() -> Result<&'static DescriptorPool> {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    if let Some(pool) = POOL.get() {
        return Ok(pool);
    }
    let pool = DescriptorPool::decode(FILE_DESCRIPTOR_SET).map_err(Error::DescriptorSet)?;
    Ok(POOL.get_or_init(|| pool))
}
