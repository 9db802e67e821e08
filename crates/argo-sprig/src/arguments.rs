//! Typed access to a call's arguments, modelling how Go's reflection hands expr values to a
//! sprig function: a parameter typed `string`, `int`, `float64`, `bool` or a map accepts only
//! that kind (a missing/`nil` argument becomes Go's zero value), anything else is an error.
//! Must not: convert between kinds; lenient conversion lives in `conversion`.

use serde_json::{Map, Value};

use crate::Error;
use crate::Result;
use crate::conversion::go_type_name;

/// The largest list or string a function may build, so that hostile arguments fail cleanly
/// instead of exhausting memory.
pub(crate) const MAX_OUTPUT: usize = 1 << 22;

/// The arguments of one call, with the function's name for error messages.
pub(crate) struct Args<'a> {
    pub name: &'a str,
    pub values: &'a [Value],
}

impl<'a> Args<'a> {
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// The argument at `index`, or `null` when absent.
    pub fn value(&self, index: usize) -> &'a Value {
        self.values.get(index).unwrap_or(&Value::Null)
    }

    /// The arguments from `index` on (a Go variadic tail).
    pub fn rest(&self, index: usize) -> &'a [Value] {
        self.values.get(index..).unwrap_or(&[])
    }

    pub fn invalid(&self, message: impl Into<String>) -> Error {
        Error::Invalid {
            name: self.name.to_string(),
            message: message.into(),
        }
    }

    fn mismatch(&self, index: usize, expected: &str) -> Error {
        self.invalid(format!(
            "argument {} must be {expected}, got {}",
            index + 1,
            go_type_name(self.value(index))
        ))
    }

    /// A Go `string` parameter.
    pub fn str(&self, index: usize) -> Result<&'a str> {
        match self.value(index) {
            Value::String(s) => Ok(s),
            Value::Null => Ok(""),
            _ => Err(self.mismatch(index, "a string")),
        }
    }

    /// A Go `int` parameter.
    pub fn int(&self, index: usize) -> Result<i64> {
        match self.value(index) {
            Value::Number(n) => n.as_i64().ok_or_else(|| self.mismatch(index, "an int")),
            Value::Null => Ok(0),
            _ => Err(self.mismatch(index, "an int")),
        }
    }

    /// A Go `float64` parameter (expr integers are Go `int`, which Go refuses here).
    pub fn float(&self, index: usize) -> Result<f64> {
        match self.value(index) {
            Value::Number(n) if n.is_f64() => {
                n.as_f64().ok_or_else(|| self.mismatch(index, "a float64"))
            }
            Value::Null => Ok(0.0),
            _ => Err(self.mismatch(index, "a float64")),
        }
    }

    /// A Go `bool` parameter.
    pub fn bool(&self, index: usize) -> Result<bool> {
        match self.value(index) {
            Value::Bool(b) => Ok(*b),
            Value::Null => Ok(false),
            _ => Err(self.mismatch(index, "a bool")),
        }
    }

    /// A Go `map[string]interface{}` parameter; `nil` reads as an empty map.
    pub fn dict(&self, index: usize) -> Result<&'a Map<String, Value>> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match self.value(index) {
            Value::Object(map) => Ok(map),
            Value::Null => Ok(EMPTY.get_or_init(Map::new)),
            _ => Err(self.mismatch(index, "a map[string]interface {}")),
        }
    }

    /// A Go `time.Time` parameter: an RFC 3339 string (how times travel as JSON).
    pub fn time(&self, index: usize) -> Result<jiff::Zoned> {
        match self.value(index) {
            Value::String(s) => {
                crate::dates::parse_time(s).ok_or_else(|| self.mismatch(index, "a time.Time"))
            }
            Value::Null => Ok(crate::dates::zero_time()),
            _ => Err(self.mismatch(index, "a time.Time")),
        }
    }

    /// Fails when a result of `size` elements or bytes would be unreasonably large.
    pub fn check_size(&self, size: u128) -> Result<()> {
        if size > MAX_OUTPUT as u128 {
            return Err(self.invalid(format!("result too large ({size} elements)")));
        }
        Ok(())
    }
}
