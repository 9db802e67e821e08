//! Map keys for the tag walk: JSON keys are strings (or numbers and bools rendered as
//! strings, which hold no tags); anything else cannot be a JSON key and makes the walk fail.
//!
//! Must not: walk values (that is the parent module's `Scanner`).

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{Scanner, Stop};

/// Map keys: JSON keys are strings (or numbers and bools rendered as strings, which hold no
/// tags); anything else cannot be a JSON key and makes the scan fail.
#[derive(Clone, Copy)]
pub(super) struct KeyScanner<'s>(pub(super) Scanner<'s>);

impl ser::Serializer for KeyScanner<'_> {
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
        self.0.text(value)
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
        self.0.text(variant)
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
