//! Encodings and digests of strings: base64/base32 (standard alphabets, padded) and the hex
//! SHA digests and decimal Adler-32 sprig prints.
//! Must not: fail on bad input where sprig does not: a failed decode returns Go's error text
//! as the result, as sprig does.

use base64::Engine as _;
use serde_json::Value;
use sha1::Digest as _;

use crate::Result;
use crate::arguments::Args;

fn text(s: String) -> Result<Value> {
    Ok(Value::String(s))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decoded bytes as a Go string; invalid UTF-8 becomes U+FFFD as Go's JSON output would.
fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

pub(crate) fn b64enc(args: &Args) -> Result<Value> {
    text(base64::engine::general_purpose::STANDARD.encode(args.str(0)?))
}

/// Go's `base64.StdEncoding` decoder: padded, lenient about the unused bits of the last
/// symbol.
const GO_STD_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// Go's decoders skip line breaks.
fn without_newlines(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .collect()
}

pub(crate) fn b64dec(args: &Args) -> Result<Value> {
    use base64::DecodeError;
    let input = without_newlines(args.str(0)?);
    match GO_STD_BASE64.decode(&input) {
        Ok(bytes) => text(lossy(bytes)),
        // The position Go reports for a bad byte matches; for a truncated input the crate
        // and Go may name different offsets.
        Err(DecodeError::InvalidByte(at, _) | DecodeError::InvalidLastSymbol(at, _)) => {
            text(format!("illegal base64 data at input byte {at}"))
        }
        Err(_) => text(format!(
            "illegal base64 data at input byte {}",
            input.len() / 4 * 4
        )),
    }
}

pub(crate) fn b32enc(args: &Args) -> Result<Value> {
    text(data_encoding::BASE32.encode(args.str(0)?.as_bytes()))
}

pub(crate) fn b32dec(args: &Args) -> Result<Value> {
    match data_encoding::BASE32.decode(without_newlines(args.str(0)?).as_bytes()) {
        Ok(bytes) => text(lossy(bytes)),
        Err(e) => text(format!("illegal base32 data at input byte {}", e.position)),
    }
}

pub(crate) fn sha1sum(args: &Args) -> Result<Value> {
    text(hex(&sha1::Sha1::digest(args.str(0)?.as_bytes())))
}

pub(crate) fn sha256sum(args: &Args) -> Result<Value> {
    text(hex(&sha2::Sha256::digest(args.str(0)?.as_bytes())))
}

pub(crate) fn sha512sum(args: &Args) -> Result<Value> {
    text(hex(&sha2::Sha512::digest(args.str(0)?.as_bytes())))
}

pub(crate) fn adler32sum(args: &Args) -> Result<Value> {
    let mut hash = adler32::RollingAdler32::new();
    hash.update_buffer(args.str(0)?.as_bytes());
    text(hash.hash().to_string())
}
