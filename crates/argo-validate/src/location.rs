//! Field locations inside a linted document (`spec.templates[2].dag.tasks[1].depends`), kept
//! as segments so they can be extended cheaply while walking a manifest.
//!
//! Must not: know about lines or YAML; mapping a location to a line is the document model's job.

use std::fmt;

/// One step of a [`Loc`]: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a JSON object.
    Key(String),
    /// A position in a JSON array.
    Index(usize),
}

/// A path from the document root to a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    segments: Vec<Segment>,
}

impl Loc {
    /// The document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// Parses the dotted form used in tests and fixtures (`spec.templates[0].name`).
    pub fn parse(text: &str) -> Self {
        let mut loc = Self::root();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let (key, mut rest) = match part.find('[') {
                Some(at) => (&part[..at], &part[at..]),
                None => (part, ""),
            };
            if !key.is_empty() {
                loc = loc.key(key);
            }
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                match stripped[..end].parse::<usize>() {
                    Ok(index) => loc = loc.index(index),
                    Err(_) => loc = loc.key(&stripped[..end]),
                }
                rest = &stripped[end + 1..];
            }
        }
        loc
    }

    /// This location extended by an object key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.segments.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self { segments }
    }

    /// This location extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.segments.clone();
        segments.push(Segment::Index(index));
        Self { segments }
    }

    /// This location extended by a relative location.
    pub fn join(&self, relative: &Loc) -> Self {
        let mut segments = self.segments.clone();
        segments.extend(relative.segments.iter().cloned());
        Self { segments }
    }

    /// The segments from the root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in &self.segments {
            match segment {
                Segment::Key(key) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_round_trip_through_parse_and_display() {
        for text in [
            "spec.templates[2].dag.tasks[1].depends",
            "spec.templates[0].steps[1][0].name",
            "metadata.name",
        ] {
            assert_eq!(Loc::parse(text).to_string(), text);
        }
    }
}
