//! The server process's log output (`--loglevel`): `RUST_LOG` wins when set, as in every
//! binary of the workspace.
//!
//! Must not: be called by library code; only the process's entry point installs a subscriber.

use crate::{Error, Result};

/// Argo's `--loglevel` values.
pub const LEVELS: [&str; 5] = ["debug", "info", "warn", "warning", "error"];

/// Installs a text subscriber at `level` (or `RUST_LOG`); a second call is a no-op.
///
/// # Errors
/// [`Error::InvalidOption`] for a level Argo does not know.
pub fn init(level: &str) -> Result<()> {
    let directive = match level {
        "debug" | "info" | "warn" | "error" => level,
        "warning" => "warn",
        other => {
            return Err(Error::InvalidOption {
                option: "--loglevel",
                reason: format!("{other:?} is not one of debug, info, warn, error"),
            });
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(directive));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
    Ok(())
}
