//! A macro for Go's open string enums: named constants with exact wire strings plus a fallback
//! variant that keeps any other string, so unknown values round-trip instead of failing.
//!
//! Must not: reject strings Go would accept, or change the wire spelling of a constant.

/// Declares an enum of known string constants with an `Other(String)` fallback.
///
/// Generated: `as_str`, `Display`, `From<&str>`, `From<String>`, string serde and a string JSON
/// schema. A variant whose wire string is empty stands for Go's zero value.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value Go would accept that has no named constant.
            Other(String),
        }

        impl $name {
            /// Every named constant, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The exact wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match $name::from(value.as_str()) {
                    $name::Other(_) => $name::Other(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(value))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let known: Vec<&str> = vec![$($wire),+];
                ::schemars::json_schema!({
                    "type": "string",
                    "description": format!("One of {:?}; other strings are kept as given.", known),
                })
            }
        }
    };
}

pub(crate) use string_enum;
