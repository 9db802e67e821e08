//! Tag detection without building JSON: [`contains_tags`] walks any `Serialize` value with a
//! serializer that only looks at strings (values and map keys) and stops at the first `{{`.
//! The engine asks "is there anything to substitute?" for every node it evaluates; answering
//! that by serializing into a `serde_json::Value` costs an allocation per field and made a
//! 10,000-task DAG template cost milliseconds per look. [`marks`] answers that and "does any
//! string mention `.outputs.result`?" in the same walk.
//!
//! Layout: this module (the walk over values), `keys` (map keys), `template` (templates,
//! with a DAG's tasks read field by field).
//! Must not: allocate per field, or substitute anything (that is `argo-expr`).

use std::cell::Cell;
use std::fmt::Display;

use serde::Serialize;
use serde::ser;

use keys::KeyScanner;

/// Whether any string or map key in `value` contains a `{{` tag (the same answer as
/// `inputs::has_tags(&serde_json::to_value(value))`, without the JSON).
pub(crate) fn contains_tags<T: Serialize + ?Sized>(value: &T) -> bool {
    scan(value, TAG) & TAG != 0
}

/// What one walk over a template found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marks {
    /// Some string or key holds a `{{` tag.
    pub tagged: bool,
    /// Some string or key holds `.outputs.result` (so its JSON does too: the text has no
    /// character JSON escapes). A value that cannot be serialized counts as both.
    pub mentions_result: bool,
}

/// [`contains_tags`] and whether `.outputs.result` occurs, in one walk.
pub(crate) fn marks<T: Serialize + ?Sized>(value: &T) -> Marks {
    let found = scan(value, TAG | RESULT);
    Marks {
        tagged: found & TAG != 0,
        mentions_result: found & RESULT != 0,
    }
}

const TAG: u8 = 1;
const RESULT: u8 = 2;

/// Walks `value` until everything in `wanted` is found; returns what was found (everything
/// when the value cannot be serialized, so that callers take the careful path).
fn scan<T: Serialize + ?Sized>(value: &T, wanted: u8) -> u8 {
    let found = Cell::new(0);
    let scanner = Scanner {
        found: &found,
        wanted,
    };
    match value.serialize(scanner) {
        Err(Stop::Failed) => TAG | RESULT,
        _ => found.get(),
    }
}

/// Why the scan stopped early: everything wanted was found, or the value could not be
/// serialized.
#[derive(Debug)]
enum Stop {
    Found,
    Failed,
}

impl Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stop::Found => "found what was looked for",
            Stop::Failed => "not serializable",
        })
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: Display>(_msg: T) -> Self {
        Stop::Failed
    }
}

/// The walk's state: what was found so far and what is wanted.
#[derive(Clone, Copy)]
struct Scanner<'s> {
    found: &'s Cell<u8>,
    wanted: u8,
}

/// Whether `value` holds `{{`, without setting up a substring search for short strings.
fn has_tag(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes[from..].iter().position(|&b| b == b'{') {
        let next = from + at + 1;
        if bytes.get(next) == Some(&b'{') {
            return true;
        }
        from = next;
    }
    false
}

/// Whether `value` holds `.outputs.result`, looking only at its dots.
fn mentions_result(value: &str) -> bool {
    const NEEDLE: &[u8] = b".outputs.result";
    let bytes = value.as_bytes();
    let Some(last) = bytes.len().checked_sub(NEEDLE.len()) else {
        return false;
    };
    let mut from = 0;
    while let Some(at) = bytes[from..=last].iter().position(|&b| b == b'.') {
        if bytes[from + at..].starts_with(NEEDLE) {
            return true;
        }
        from += at + 1;
    }
    false
}

impl Scanner<'_> {
    fn text(self, value: &str) -> Result<(), Stop> {
        let mut found = self.found.get();
        if found & TAG == 0 && has_tag(value) {
            found |= TAG;
        }
        if self.wanted & RESULT != 0 && found & RESULT == 0 && mentions_result(value) {
            found |= RESULT;
        }
        self.found.set(found);
        if found & self.wanted == self.wanted {
            Err(Stop::Found)
        } else {
            Ok(())
        }
    }
}

macro_rules! scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _value: $ty) -> Result<(), Stop> { Ok(()) })*
    };
}

// After `scalars!`, which it uses.
mod keys;
mod template;

pub(crate) use template::template_marks;

impl<'s> ser::Serializer for Scanner<'s> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_bytes: &[u8],
    );

    fn serialize_str(self, value: &str) -> Result<(), Stop> {
        self.text(value)
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self, Stop> {
        Ok(self)
    }
}

/// The compound serializers: every element or field is walked with the same scanner.
macro_rules! compound {
    ($($trait:ident: $method:ident),* $(,)?) => {
        $(impl ser::$trait for Scanner<'_> {
            type Ok = ();
            type Error = Stop;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                value.serialize(*self)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}

compound!(
    SerializeSeq: serialize_element,
    SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field,
    SerializeTupleVariant: serialize_field,
);

/// Named fields: the field names are the type's own, only the values are walked.
macro_rules! named {
    ($($trait:ident),* $(,)?) => {
        $(impl ser::$trait for Scanner<'_> {
            type Ok = ();
            type Error = Stop;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                _key: &'static str,
                value: &T,
            ) -> Result<(), Stop> {
                value.serialize(*self)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}

named!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Scanner<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        key.serialize(KeyScanner(*self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(*self)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use argo_core::{DagTask, Item, Template, WorkflowStep};

    use super::*;
    use crate::inputs::has_tags;

    fn agrees<T: Serialize>(value: &T) -> bool {
        let json = serde_json::to_value(value).expect("serializable");
        let fast = contains_tags(value);
        assert_eq!(fast, has_tags(&json), "{json}");
        fast
    }

    #[test]
    fn plain_values_have_no_tags() {
        assert!(!agrees(&Template::named("run")));
        assert!(!agrees(&DagTask::calling("a", "run")));
        assert!(!agrees(&WorkflowStep {
            with_items: (0..3).map(|i| Item(serde_json::json!(i))).collect(),
            ..WorkflowStep::calling("s", "run")
        }));
    }

    #[test]
    fn tags_are_found_in_values_nested_lists_and_keys() {
        assert!(agrees(&DagTask {
            when: "{{tasks.a.status}} == Succeeded".into(),
            ..DagTask::calling("b", "run")
        }));
        assert!(agrees(&WorkflowStep {
            with_items: vec![Item(serde_json::json!({"k": ["x", "{{item}}"]}))],
            ..WorkflowStep::calling("s", "run")
        }));
        let mut keyed = BTreeMap::new();
        keyed.insert("{{inputs.parameters.k}}".to_owned(), 1);
        assert!(agrees(&keyed));
    }

    #[test]
    fn marks_find_tags_and_result_references_in_one_walk() {
        let plain = marks(&DagTask::calling("a", "run"));
        assert!(!plain.tagged && !plain.mentions_result);
        let referenced = marks(&DagTask {
            when: "tasks.a.outputs.result == 1".into(),
            ..DagTask::calling("b", "run")
        });
        assert!(!referenced.tagged && referenced.mentions_result);
        let both = marks(&DagTask {
            when: "{{tasks.a.outputs.result}} == 1".into(),
            ..DagTask::calling("b", "run")
        });
        assert!(both.tagged && both.mentions_result);
        assert!(has_tag("a{b{{c") && !has_tag("{a{b}") && !has_tag("{"));
        assert!(mentions_result(".outputs.result") && mentions_result("a.b.outputs.result}}"));
        assert!(mentions_result("a..outputs.result") && !mentions_result("x.outputs.resul"));
    }

    #[test]
    fn a_single_brace_is_not_a_tag() {
        assert!(!agrees(&DagTask {
            when: "{ not a tag }".into(),
            ..DagTask::calling("b", "run")
        }));
    }
}
