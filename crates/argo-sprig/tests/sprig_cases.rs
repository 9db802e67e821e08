//! The table-driven conformance suite: every line of `fixtures/cases.txt` calls one function
//! and states what sprig (Go) answers. Lines read
//! `name [json, args] => expected`, where `expected` is a JSON value, `error "fragment"`,
//! `arity`, `unknown`, `forbidden`, or `match "regex"` for the seeded random functions.
//! The context is fixed at 2024-05-06T07:08:09.123456789Z with seed 42.

use std::collections::BTreeSet;

use argo_sprig::{Context, Error, FUNCTIONS, call};
use serde_json::Value;

struct Case {
    line: usize,
    name: String,
    args: Vec<Value>,
    expected: String,
}

fn context() -> Context {
    Context {
        now: "2024-05-06T07:08:09.123456789Z"
            .parse()
            .expect("valid timestamp"),
        seed: 42,
    }
}

fn cases() -> Vec<Case> {
    let text = include_str!("fixtures/cases.txt");
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, rest) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("line {}: no arguments", index + 1));
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Vec<Value>>();
        let args = stream
            .next()
            .unwrap_or_else(|| panic!("line {}: missing arguments", index + 1))
            .unwrap_or_else(|e| panic!("line {}: bad arguments: {e}", index + 1));
        let tail = rest[stream.byte_offset()..].trim();
        let expected = tail
            .strip_prefix("=>")
            .unwrap_or_else(|| panic!("line {}: missing `=>`", index + 1))
            .trim()
            .to_string();
        out.push(Case {
            line: index + 1,
            name: name.to_string(),
            args,
            expected,
        });
    }
    out
}

fn quoted(text: &str) -> String {
    serde_json::from_str::<String>(text.trim()).expect("a JSON string after the keyword")
}

fn check(case: &Case) -> Result<(), String> {
    let got = call(&case.name, &case.args, &context());
    let describe = || {
        format!(
            "line {}: {} {:?} gave {got:?}",
            case.line, case.name, case.args
        )
    };
    let expected = case.expected.as_str();
    let ok = match expected {
        "arity" => matches!(got, Err(Error::Arity { .. })),
        "unknown" => matches!(got, Err(Error::UnknownFunction { .. })),
        "forbidden" => matches!(got, Err(Error::Forbidden { .. })),
        "error" => got.is_err(),
        _ if expected.starts_with("error ") => {
            let fragment = quoted(&expected["error ".len()..]);
            matches!(&got, Err(e) if e.to_string().contains(&fragment))
        }
        _ if expected.starts_with("match ") => {
            let pattern =
                regex::Regex::new(&quoted(&expected["match ".len()..])).expect("valid regex");
            matches!(&got, Ok(Value::String(s)) if pattern.is_match(s))
        }
        _ => {
            let want: Value = serde_json::from_str(expected)
                .unwrap_or_else(|e| panic!("line {}: bad expected value: {e}", case.line));
            match &got {
                Ok(value) => same_json(value, &want),
                Err(_) => false,
            }
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{}, expected {expected}", describe()))
    }
}

/// Equality that tells `1` from `1.0`, as Go's types do.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.is_f64() == y.is_f64() && x.as_f64() == y.as_f64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn every_fixture_case_matches_sprig() {
    let cases = cases();
    let failures: Vec<String> = cases.iter().filter_map(|case| check(case).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_fixture_has_at_least_150_cases() {
    assert!(cases().len() >= 150, "only {} cases", cases().len());
}

#[test]
fn every_listed_function_has_a_fixture_case() {
    let covered: BTreeSet<String> = cases().into_iter().map(|case| case.name).collect();
    let missing: Vec<&&str> = FUNCTIONS
        .iter()
        .filter(|name| !covered.contains(**name))
        .collect();
    assert!(missing.is_empty(), "functions without a case: {missing:?}");
}

#[test]
fn every_listed_function_dispatches() {
    for name in FUNCTIONS {
        let result = call(name, &[], &context());
        assert!(
            !matches!(result, Err(Error::UnknownFunction { .. })),
            "{name} is listed but not dispatched"
        );
        assert!(argo_sprig::is_function(name));
    }
}

#[test]
fn environment_functions_are_forbidden_and_not_listed() {
    for name in ["env", "expandenv"] {
        assert!(matches!(
            call(name, &[Value::from("HOME")], &context()),
            Err(Error::Forbidden { .. })
        ));
        assert!(!argo_sprig::is_function(name));
    }
}

#[test]
fn unsupported_functions_say_so() {
    for name in [
        "buildCustomCert",
        "genSignedCert",
        "genCA",
        "getHostByName",
        "genPrivateKey",
        "derivePassword",
    ] {
        let result = call(name, &[Value::from("x")], &context());
        assert!(
            matches!(&result, Err(Error::Invalid { message, .. }) if message.contains("not supported")),
            "{name}: {result:?}"
        );
        assert!(!argo_sprig::is_function(name));
    }
}

#[test]
fn seeded_functions_repeat_for_the_same_seed_and_differ_for_another() {
    let args = [Value::from(16)];
    let first = call("randAlphaNum", &args, &context());
    assert_eq!(first, call("randAlphaNum", &args, &context()));
    let other = Context {
        seed: 7,
        ..context()
    };
    assert_ne!(first, call("randAlphaNum", &args, &other));
}

#[test]
fn encrypt_aes_round_trips_through_decrypt_aes() {
    for plaintext in [
        "",
        "a",
        "exactly sixteen!",
        "a longer secret spanning three blocks…",
    ] {
        let args = [Value::from("password"), Value::from(plaintext)];
        let encrypted = call("encryptAES", &args, &context()).expect("encrypts");
        let back = call(
            "decryptAES",
            &[Value::from("password"), encrypted],
            &context(),
        );
        assert_eq!(back, Ok(Value::from(plaintext)));
    }
}

#[test]
fn bcrypt_hashes_verify_with_the_password() {
    let hashed = call("bcrypt", &[Value::from("s3cret")], &context()).expect("hashes");
    let hashed = hashed.as_str().expect("a string");
    assert!(bcrypt::verify("s3cret", hashed).expect("a bcrypt hash"));
    assert!(!bcrypt::verify("other", hashed).expect("a bcrypt hash"));
}
