//! `bcrypt` and `htpasswd`: bcrypt hashes at Go's default cost (10) in the `$2a$` format, as
//! golang.org/x/crypto produces them. The salt comes from the seeded stream (see `random`), so
//! the same call with the same seed repeats its hash; any bcrypt verifier accepts it.
//! Like sprig, failures are returned as the result text rather than as errors.
//! Must not: read OS randomness.

use serde_json::Value;

use crate::arguments::Args;
use crate::random::call_bytes;
use crate::{Context, Result};

/// x/crypto's `bcrypt.DefaultCost`.
const DEFAULT_COST: u32 = 10;
/// x/crypto refuses longer passwords rather than truncating them.
const MAX_PASSWORD_BYTES: usize = 72;

fn hash(args: &Args, context: &Context, password: &str) -> String {
    if password.len() > MAX_PASSWORD_BYTES {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_string();
    }
    let salt: [u8; 16] = call_bytes(args, context, 16)
        .try_into()
        .expect("sixteen bytes were drawn");
    match bcrypt::hash_with_salt(password, DEFAULT_COST, salt) {
        Ok(parts) => parts.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

pub(crate) fn bcrypt(args: &Args, context: &Context) -> Result<Value> {
    Ok(Value::String(hash(args, context, args.str(0)?)))
}

/// `user:hash`, the Apache htpasswd line; a `:` in the user name is refused in the text.
pub(crate) fn htpasswd(args: &Args, context: &Context) -> Result<Value> {
    let (user, password) = (args.str(0)?, args.str(1)?);
    if user.contains(':') {
        return Ok(Value::String(format!("invalid username: {user}")));
    }
    Ok(Value::String(format!(
        "{user}:{}",
        hash(args, context, password)
    )))
}
