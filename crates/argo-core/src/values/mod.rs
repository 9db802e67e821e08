//! Argo's special JSON value types (AnyString, Item, Amount, Progress, the open string enums) and
//! the small serde predicates that express Go's `omitempty`.
//!
//! Must not: interpret values (no templating, no duration arithmetic); they only keep wire shapes.

mod amount;
mod any_string;
mod duration;
mod item;
mod progress;
pub(crate) mod string_enum;

pub use amount::Amount;
pub use any_string::AnyString;
pub use duration::{parse_duration_or_seconds, parse_go_duration};
pub use item::Item;
pub use progress::Progress;

use serde::{Deserialize, Deserializer};

/// `omitempty` for Go booleans.
pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

/// `omitempty` for Go integers.
pub(crate) fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// `omitempty` for Go structs that are never omitted by Go but carry no information when empty.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Go decodes `null` into a field's zero value; serde would reject it for non-`Option` fields.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
