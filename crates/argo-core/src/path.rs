//! `FieldPath`: where in a document a value sits, displayed the way users write it
//! (`spec.templates[2].dag.tasks[1].depends`).
//!
//! Must not: depend on a particular parser; YAML positions, serde errors and the unknown-field
//! check all speak this type.

use std::fmt;

/// One step of a path: an object key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A path from a document's root to a value; the empty path is the root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(Vec<PathSegment>);

impl FieldPath {
    /// The document root.
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// This path extended by an object key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.0.push(PathSegment::Key(key.into()));
        self
    }

    /// This path extended by a list index.
    pub fn index(mut self, index: usize) -> Self {
        self.0.push(PathSegment::Index(index));
        self
    }

    /// Extends in place by a key.
    pub fn push_key(&mut self, key: impl Into<String>) {
        self.0.push(PathSegment::Key(key.into()));
    }

    /// Extends in place by an index.
    pub fn push_index(&mut self, index: usize) {
        self.0.push(PathSegment::Index(index));
    }

    /// Removes the last segment.
    pub fn pop(&mut self) -> Option<PathSegment> {
        self.0.pop()
    }

    /// The path without its last segment (`None` at the root).
    pub fn parent(&self) -> Option<FieldPath> {
        let (_, rest) = self.0.split_last()?;
        Some(FieldPath(rest.to_vec()))
    }

    /// The segments from the root.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// The last segment.
    pub fn last(&self) -> Option<&PathSegment> {
        self.0.last()
    }

    /// True for the document root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `prefix` is this path or one of its ancestors.
    pub fn starts_with(&self, prefix: &FieldPath) -> bool {
        self.0.starts_with(&prefix.0)
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Keys print as `a.b`; keys with dots, slashes or spaces as `a["x.io/y"]`; indices as `[2]`.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if is_plain_key(key) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                PathSegment::Key(key) => write!(f, "[{key:?}]")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A path written as `FieldPath` displays it could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid field path {text:?}")]
pub struct FieldPathParseError {
    pub text: String,
}

/// Reads the display form back: `spec.templates[2].name`, `labels["a.io/b"]`.
impl std::str::FromStr for FieldPath {
    type Err = FieldPathParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || FieldPathParseError {
            text: text.to_owned(),
        };
        let mut path = FieldPath::root();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("[\"") {
                let end = after.find("\"]").ok_or_else(invalid)?;
                path.push_key(&after[..end]);
                rest = &after[end + 2..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']').ok_or_else(invalid)?;
                path.push_index(after[..end].parse().map_err(|_| invalid())?);
                rest = &after[end + 1..];
            } else {
                let key_text = rest.strip_prefix('.').unwrap_or(rest);
                let end = key_text.find(['.', '[']).unwrap_or(key_text.len());
                if end == 0 {
                    return Err(invalid());
                }
                path.push_key(&key_text[..end]);
                rest = &key_text[end..];
            }
        }
        Ok(path)
    }
}

impl From<&serde_path_to_error::Path> for FieldPath {
    fn from(path: &serde_path_to_error::Path) -> Self {
        let mut out = FieldPath::root();
        for segment in path.iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => out.push_index(*index),
                serde_path_to_error::Segment::Map { key } => out.push_key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => out.push_key(variant.clone()),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_display_like_users_write_them() {
        let path = FieldPath::root()
            .key("spec")
            .key("templates")
            .index(2)
            .key("dag")
            .key("tasks")
            .index(1)
            .key("depends");
        assert_eq!(path.to_string(), "spec.templates[2].dag.tasks[1].depends");
        assert_eq!(FieldPath::root().to_string(), "");
    }

    #[test]
    fn keys_with_dots_are_quoted() {
        let path = FieldPath::root()
            .key("metadata")
            .key("labels")
            .key("workflows.argoproj.io/phase");
        assert_eq!(
            path.to_string(),
            "metadata.labels[\"workflows.argoproj.io/phase\"]"
        );
    }

    #[test]
    fn display_forms_parse_back() {
        for text in [
            "spec.templates[2].dag.tasks[1].depends",
            "metadata.labels[\"workflows.argoproj.io/phase\"]",
            "[0].a",
            "",
        ] {
            let path: FieldPath = text.parse().expect(text);
            assert_eq!(path.to_string(), text);
        }
        assert!("a[x]".parse::<FieldPath>().is_err());
        assert!("a..b".parse::<FieldPath>().is_err());
    }

    #[test]
    fn parent_drops_the_last_segment() {
        let path = FieldPath::root().key("a").index(0);
        assert_eq!(path.parent(), Some(FieldPath::root().key("a")));
        assert_eq!(FieldPath::root().parent(), None);
        assert!(path.starts_with(&FieldPath::root().key("a")));
    }
}
