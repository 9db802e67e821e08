//! Tag detection without building JSON: [`contains_tags`] walks any `Serialize` value with a
//! serializer that only looks at strings (values and map keys) and stops at the first `{{`.
//! The engine asks "is there anything to substitute?" for every node it evaluates; answering
//! that by serializing into a `serde_json::Value` costs an allocation per field and made a
//! 10,000-task DAG template cost milliseconds per look.
//!
//! Must not: allocate per field, or substitute anything (that is `argo-expr`).

use std::fmt::Display;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// Whether any string or map key in `value` contains a `{{` tag (the same answer as
/// `inputs::has_tags(&serde_json::to_value(value))`, without the JSON).
pub(crate) fn contains_tags<T: Serialize + ?Sized>(value: &T) -> bool {
    matches!(value.serialize(Scanner), Err(Stop::Found))
}

/// Why the scan stopped early: a tag was found, or the value could not be serialized
/// (treated as "has tags" so that callers take the careful path).
#[derive(Debug)]
enum Stop {
    Found,
    Failed,
}

impl Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stop::Found => "found a tag",
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

#[derive(Clone, Copy)]
struct Scanner;

fn text(value: &str) -> Result<(), Stop> {
    if value.contains("{{") {
        Err(Stop::Found)
    } else {
        Ok(())
    }
}

macro_rules! scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _value: $ty) -> Result<(), Stop> { Ok(()) })*
    };
}

impl ser::Serializer for Scanner {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Scanner;
    type SerializeTuple = Scanner;
    type SerializeTupleStruct = Scanner;
    type SerializeTupleVariant = Scanner;
    type SerializeMap = Scanner;
    type SerializeStruct = Scanner;
    type SerializeStructVariant = Scanner;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_bytes: &[u8],
    );

    fn serialize_str(self, value: &str) -> Result<(), Stop> {
        text(value)
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
        text(variant)
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
    fn serialize_seq(self, _len: Option<usize>) -> Result<Scanner, Stop> {
        Ok(self)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Scanner, Stop> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Scanner, Stop> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Scanner, Stop> {
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Scanner, Stop> {
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Scanner, Stop> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Scanner, Stop> {
        Ok(self)
    }
}

impl ser::SerializeSeq for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTuple for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeMap for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        key.serialize(KeyScanner)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Scanner {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(Scanner)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

/// Map keys: JSON keys are strings (or numbers and bools rendered as strings, which hold no
/// tags); anything else cannot be a JSON key and makes the scan fail.
#[derive(Clone, Copy)]
struct KeyScanner;

impl ser::Serializer for KeyScanner {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = Impossible<(), Stop>;
    type SerializeStructVariant = Impossible<(), Stop>;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
    );

    fn serialize_str(self, value: &str) -> Result<(), Stop> {
        text(value)
    }
    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Stop> {
        Err(Stop::Failed)
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Err(Stop::Failed)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Stop> {
        Err(Stop::Failed)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Err(Stop::Failed)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Stop> {
        Err(Stop::Failed)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        text(variant)
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
        _value: &T,
    ) -> Result<(), Stop> {
        Err(Stop::Failed)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop::Failed)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop::Failed)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::Failed)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::Failed)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Failed)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Failed)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::Failed)
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
    fn a_single_brace_is_not_a_tag() {
        assert!(!agrees(&DagTask {
            when: "{ not a tag }".into(),
            ..DagTask::calling("b", "run")
        }));
    }
}
