//! Sprig's generic template functions (the set Argo exposes to expressions as `sprig.<fn>`),
//! implemented over `serde_json::Value`.
//!
//! Role: a pure function library. `call` dispatches by name; arguments and results are JSON
//! values so that any expression engine can adapt to it.
//! Invariants: deterministic for a given [`Context`] (the clock and the random seed are
//! injected); never panics on any input; `env` and `expandenv` are refused as Argo refuses them.
//! Must not: read the environment, the clock, the file system or the network.

use serde_json::Value;

/// What the functions may depend on besides their arguments.
#[derive(Debug, Clone)]
pub struct Context {
    /// The instant `now`, `ago`, `date` and friends treat as the current time.
    pub now: jiff::Timestamp,
    /// Seed for the `rand*`/`uuidv4`/`shuffle` family, so that tests are repeatable.
    pub seed: u64,
}

impl Context {
    /// A context fixed at `now` with a zero seed.
    pub fn at(now: jiff::Timestamp) -> Self {
        Self { now, seed: 0 }
    }
}

/// Why a sprig call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("unknown sprig function `{name}`")]
    UnknownFunction { name: String },
    #[error("sprig function `{name}` is not allowed")]
    Forbidden { name: String },
    #[error("sprig.{name}: expected {expected} arguments, got {got}")]
    Arity {
        name: String,
        expected: String,
        got: usize,
    },
    #[error("sprig.{name}: {message}")]
    Invalid { name: String, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Calls the sprig function `name` with `args`.
pub fn call(name: &str, args: &[Value], ctx: &Context) -> Result<Value> {
    let _ = ctx;
    match name {
        "env" | "expandenv" => Err(Error::Forbidden { name: name.into() }),
        "upper" => match args {
            [Value::String(s)] => Ok(Value::String(s.to_uppercase())),
            [_] => Err(Error::Invalid {
                name: name.into(),
                message: "expected a string".into(),
            }),
            _ => Err(Error::Arity {
                name: name.into(),
                expected: "1".into(),
                got: args.len(),
            }),
        },
        _ => Err(Error::UnknownFunction { name: name.into() }),
    }
}

/// Whether `name` is a sprig function this crate implements (forbidden names are not).
pub fn is_function(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

/// Every function name `call` accepts.
pub const FUNCTIONS: &[&str] = &["upper"];
