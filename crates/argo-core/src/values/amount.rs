//! `Amount`: a JSON number (histogram bucket bounds) kept as the number it was written as.
//!
//! Must not: round integers through floating point.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Number;

/// A number; integers stay integers, decimals keep their shortest exact form.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount(pub Number);

impl Amount {
    /// The value as a float, as metrics use it.
    pub fn as_f64(&self) -> f64 {
        self.0.as_f64().unwrap_or(f64::NAN)
    }
}

impl Default for Amount {
    fn default() -> Self {
        Amount(Number::from(0))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Number::deserialize(deserializer).map(Amount)
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_trip_integers_and_decimals() {
        let amounts: Vec<Amount> = serde_json::from_str("[1, 0.01, 2.5]").expect("amounts");
        assert_eq!(
            serde_json::to_string(&amounts).expect("serialise"),
            "[1,0.01,2.5]"
        );
        assert!((amounts[1].as_f64() - 0.01).abs() < f64::EPSILON);
    }
}
