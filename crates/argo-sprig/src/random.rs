//! The random family (`randAlphaNum randAlpha randAscii randNumeric shuffle randInt randBytes
//! uuidv4`), made deterministic: each call draws from a SplitMix64 stream seeded with
//! [`Context::seed`](crate::Context), the function's name and its arguments. The same call
//! with the same seed therefore repeats its answer; vary the seed to vary the output.
//! Must not: read OS randomness or claim cryptographic strength.

use base64::Engine as _;
use serde_json::Value;

use crate::arguments::Args;
use crate::{Context, Result};

/// SplitMix64: tiny, fast and well distributed; good enough for non-secret identifiers.
struct Stream(u64);

impl Stream {
    fn for_call(args: &Args, context: &Context) -> Self {
        // FNV-1a over the call, so different calls in one evaluation differ.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let call = format!("{}{:?}", args.name, args.values);
        for byte in call.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Self(context.seed ^ hash)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0), by rejection to avoid modulo bias.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let x = self.next();
            if x < zone {
                return x % bound;
            }
        }
    }
}

/// `count` characters drawn from `alphabet`; a negative count gives "" as goutils does.
fn random_string(args: &Args, context: &Context, alphabet: &[u8]) -> Result<Value> {
    let count = args.int(0)?;
    if count <= 0 {
        return Ok(Value::String(String::new()));
    }
    args.check_size(count as u128)?;
    let mut stream = Stream::for_call(args, context);
    let out: String = (0..count)
        .map(|_| alphabet[stream.below(alphabet.len() as u64) as usize] as char)
        .collect();
    Ok(Value::String(out))
}

const DIGITS: &[u8] = b"0123456789";
const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

pub(crate) fn rand_alpha_num(args: &Args, context: &Context) -> Result<Value> {
    random_string(args, context, ALPHANUMERIC)
}

pub(crate) fn rand_alpha(args: &Args, context: &Context) -> Result<Value> {
    random_string(args, context, LETTERS)
}

pub(crate) fn rand_numeric(args: &Args, context: &Context) -> Result<Value> {
    random_string(args, context, DIGITS)
}

/// Printable ASCII, space through tilde.
pub(crate) fn rand_ascii(args: &Args, context: &Context) -> Result<Value> {
    let printable: Vec<u8> = (b' '..=b'~').collect();
    random_string(args, context, &printable)
}

/// A Fisher-Yates permutation of the string's characters.
pub(crate) fn shuffle(args: &Args, context: &Context) -> Result<Value> {
    let mut chars: Vec<char> = args.str(0)?.chars().collect();
    let mut stream = Stream::for_call(args, context);
    for i in (1..chars.len()).rev() {
        let j = stream.below(i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    Ok(Value::String(chars.into_iter().collect()))
}

/// `randInt min max`: uniform in `min..max`; Go panics unless `max > min`.
pub(crate) fn rand_int(args: &Args, context: &Context) -> Result<Value> {
    let (low, high) = (args.int(0)?, args.int(1)?);
    let span = i128::from(high) - i128::from(low);
    if span <= 0 || span > i128::from(i64::MAX) {
        return Err(args.invalid(format!("invalid range [{low}, {high})")));
    }
    let mut stream = Stream::for_call(args, context);
    Ok(Value::from(low + stream.below(span as u64) as i64))
}

fn bytes(stream: &mut Stream, count: usize) -> Vec<u8> {
    (0..count).map(|_| stream.next() as u8).collect()
}

/// `count` bytes from this call's stream, for other modules' seeded needs (cipher IVs).
pub(crate) fn call_bytes(args: &Args, context: &Context, count: usize) -> Vec<u8> {
    bytes(&mut Stream::for_call(args, context), count)
}

/// `count` random bytes, base64-encoded.
pub(crate) fn rand_bytes(args: &Args, context: &Context) -> Result<Value> {
    let count = args.int(0)?;
    if count < 0 {
        return Err(args.invalid("negative byte count"));
    }
    args.check_size(count as u128)?;
    let mut stream = Stream::for_call(args, context);
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(bytes(&mut stream, count as usize));
    Ok(Value::String(encoded))
}

/// A version-4 (random) UUID in the canonical lower-case form.
pub(crate) fn uuidv4(args: &Args, context: &Context) -> Result<Value> {
    let mut stream = Stream::for_call(args, context);
    let mut b = bytes(&mut stream, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let uuid = format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    Ok(Value::String(uuid))
}
