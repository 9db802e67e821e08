//! `AnyString`: a parameter value written as a string, number or boolean, always held and written
//! back as a string (Go formats floats without an exponent, like Rust's `Display` for `f64`).
//!
//! Must not: accept maps or lists (Go silently drops them; we report them instead of losing data).

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string that also accepts JSON numbers and booleans on input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnyString(pub String);

impl AnyString {
    /// The held string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnyString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for AnyString {
    fn from(value: &str) -> Self {
        AnyString(value.to_owned())
    }
}

impl From<String> for AnyString {
    fn from(value: String) -> Self {
        AnyString(value)
    }
}

impl PartialEq<str> for AnyString {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for AnyString {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for AnyString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

struct AnyStringVisitor;

impl Visitor<'_> for AnyStringVisitor {
    type Value = AnyString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<AnyString, E> {
        Ok(AnyString(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<AnyString, E> {
        Ok(AnyString(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<AnyString, E> {
        Ok(AnyString(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<AnyString, E> {
        Ok(AnyString(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<AnyString, E> {
        Ok(AnyString(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<AnyString, E> {
        Ok(AnyString(value.to_string()))
    }
}

impl<'de> Deserialize<'de> for AnyString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyStringVisitor)
    }
}

impl JsonSchema for AnyString {
    fn schema_name() -> Cow<'static, str> {
        "AnyString".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A string; numbers and booleans are accepted and kept as their text.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<AnyString, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_booleans_become_their_text() {
        assert_eq!(parse("\"abc\"").expect("string"), "abc");
        assert_eq!(parse("42").expect("int"), "42");
        assert_eq!(parse("-7").expect("negative"), "-7");
        assert_eq!(parse("1.5").expect("float"), "1.5");
        assert_eq!(parse("1e21").expect("big float"), "1000000000000000000000");
        assert_eq!(parse("true").expect("bool"), "true");
    }

    #[test]
    fn any_string_serialises_as_a_json_string() {
        let json = serde_json::to_string(&AnyString::from("3")).expect("serialise");
        assert_eq!(json, "\"3\"");
    }

    #[test]
    fn maps_and_lists_are_rejected() {
        assert!(parse("{\"a\":1}").is_err());
        assert!(parse("[1]").is_err());
    }
}
