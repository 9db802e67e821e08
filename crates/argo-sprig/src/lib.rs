//! Sprig's generic template functions (the set Argo exposes to expressions as `sprig.<fn>`),
//! implemented over `serde_json::Value`.
//!
//! Role: a pure function library. `call` dispatches by name; arguments and results are JSON
//! values so that any expression engine can adapt to it. Arguments are treated the way Go's
//! reflection would pass expr values to sprig: JSON integers are Go `int`, JSON floats (even
//! `3.0`) are `float64`, arrays are `[]interface {}` and objects are `map[string]interface {}`; a
//! parameter typed `string` or `int` in Go rejects any other kind, while `interface{}`
//! parameters convert the way sprig does (`cast.ToInt64`, `fmt`'s `%v`).
//! Times are RFC 3339 strings (what Go's `json.Marshal` makes of a `time.Time`); the `Local`
//! zone is UTC. The `rand*`, `shuffle`, `uuidv4`, `randBytes` functions, `encryptAES`'s IV and
//! the `bcrypt`/`htpasswd` salts are seeded from [`Context::seed`]: the same call with the same
//! seed gives the same answer.
//! Not provided (calls fail with [`Error::Invalid`] saying so): `getHostByName` (network),
//! `derivePassword` (scrypt, 32 MiB a call), `genPrivateKey`, `buildCustomCert`, `genCA*`,
//! `genSelfSignedCert*`, `genSignedCert*` (key generation).
//! Invariants: deterministic for a given [`Context`] (the clock and the random seed are
//! injected); never panics on any input; `env` and `expandenv` are refused as Argo refuses them.
//! Must not: read the environment, the clock, the file system or the network.

mod arguments;
mod casing;
mod ciphers;
mod conversion;
mod dates;
mod decimal;
mod defaults;
mod dicts;
mod dispatch;
mod durations;
mod encoding;
mod json;
mod layouts;
mod lists;
mod math;
mod passwords;
mod paths;
mod random;
mod reflection;
mod regexes;
mod semver;
mod strings;
mod text;
mod urls;

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
    dispatch::call(name, args, ctx)
}

/// Whether `name` is a sprig function this crate implements (forbidden names are not).
pub fn is_function(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

/// Every function name `call` accepts.
pub const FUNCTIONS: &[&str] = &dispatch::NAMES;

/// Serialises `value` the way Go's `json.Marshal` does: map keys sorted, `<`, `>` and `&`
/// escaped, floats in Go's shortest form (`1` rather than `1.0`). Argo marshals expression
/// results this way, so callers rendering a sprig result should use it.
pub fn to_go_json(value: &Value) -> String {
    json::marshal(value, json::Style::Compact { escape_html: true })
}

/// Formats `value` the way Go's `fmt` verb `%v` does (sprig's `toString`).
pub fn to_go_string(value: &Value) -> String {
    conversion::strval(value)
}
