//! sprig's `encryptAES`/`decryptAES`: AES-256 in CBC mode, the key being the password's bytes
//! zero-padded (or cut) to 32, PKCS#7-style padding, and base64 of IV followed by ciphertext.
//! The IV of `encryptAES` comes from the seeded stream (see `random`), so the same call with
//! the same seed repeats its ciphertext: fine for reproducible workflows, not for secrecy
//! against someone who can observe several ciphertexts.
//! Must not: read OS randomness; malformed ciphertext is an error, never a panic.

use aes::Aes256;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use base64::Engine as _;
use serde_json::Value;

use crate::arguments::Args;
use crate::random::call_bytes;
use crate::{Context, Result};

const BLOCK: usize = 16;

fn cipher(password: &str) -> Aes256 {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let used = bytes.len().min(key.len());
    key[..used].copy_from_slice(&bytes[..used]);
    Aes256::new(&key.into())
}

pub(crate) fn encrypt_aes(args: &Args, context: &Context) -> Result<Value> {
    let (password, plaintext) = (args.str(0)?, args.str(1)?);
    if plaintext.is_empty() {
        return Ok(Value::String(String::new()));
    }
    args.check_size(plaintext.len() as u128 * 2)?;
    let cipher = cipher(password);
    let mut content = plaintext.as_bytes().to_vec();
    let padding = BLOCK - content.len() % BLOCK;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let mut out = call_bytes(args, context, BLOCK);
    let mut previous: [u8; BLOCK] = out[..BLOCK].try_into().expect("the IV is one block");
    for chunk in content.chunks(BLOCK) {
        let mut block = [0u8; BLOCK];
        for (i, byte) in chunk.iter().enumerate() {
            block[i] = byte ^ previous[i];
        }
        let mut block: aes::Block = block.into();
        cipher.encrypt_block(&mut block);
        previous = block.into();
        out.extend_from_slice(&previous);
    }
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(out),
    ))
}

pub(crate) fn decrypt_aes(args: &Args) -> Result<Value> {
    let (password, encoded) = (args.str(0)?, args.str(1)?);
    if encoded.is_empty() {
        return Ok(Value::String(String::new()));
    }
    let crypt = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| args.invalid(e.to_string()))?;
    if crypt.len() <= BLOCK || crypt.len() % BLOCK != 0 {
        return Err(args.invalid("crypto/cipher: input not full blocks"));
    }
    let cipher = cipher(password);
    let mut plain = Vec::with_capacity(crypt.len() - BLOCK);
    let mut blocks = crypt.chunks(BLOCK);
    let mut previous = blocks.next().expect("the length was checked").to_vec();
    for chunk in blocks {
        let bytes: [u8; BLOCK] = chunk.try_into().expect("chunks are whole blocks");
        let mut block: aes::Block = bytes.into();
        cipher.decrypt_block(&mut block);
        plain.extend(block.iter().zip(&previous).map(|(b, p)| b ^ p));
        previous = chunk.to_vec();
    }
    let padding = usize::from(*plain.last().expect("at least one block"));
    if padding > plain.len() {
        return Err(args.invalid("padding longer than the plaintext"));
    }
    plain.truncate(plain.len() - padding);
    Ok(Value::String(String::from_utf8_lossy(&plain).into_owned()))
}
