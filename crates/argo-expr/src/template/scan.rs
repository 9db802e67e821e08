//! Finding `{{...}}` tags in text, the way Argo's fasttemplate does.
//!
//! Role: split a template into literal text and tags. A tag is the text between a `{{` and the
//! first `}}` after it, so `{{a.{{b}}}}` yields the tag `a.{{b` followed by the text `}}` (the
//! nested-tag trick in `template::substitute` relies on this). A `{{` with no later `}}` makes
//! the whole template invalid, as in Argo.
//! Must not: look anything up or interpret tag contents beyond the kind prefix.

use crate::error::{Error, Result};

/// Which syntax a tag uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// `{{name}}`: a verbatim (whitespace-trimmed) key lookup.
    Simple,
    /// `{{=expr}}`: an expr-lang expression.
    Expression,
}

/// One tag found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub kind: TagKind,
    /// For a simple tag, the raw text between the braces; for an expression tag, the text
    /// after the `=`.
    pub body: String,
    /// Byte offset of the opening `{{`.
    pub start: usize,
    /// Byte offset just past the closing `}}`.
    pub end: usize,
}

impl Tag {
    /// The key a simple tag looks up (the body without surrounding whitespace).
    pub fn key(&self) -> &str {
        self.body.trim()
    }
}

/// A piece of a scanned template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    /// The raw inner text and the offset of its opening `{{`.
    Tag(&'a str, usize),
}

/// Byte offset of the first `cc` (`{{` or `}}`) in `text`; cheaper than a substring search.
pub(crate) fn find_double(text: &str, c: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes.get(from..)?.iter().position(|&b| b == c) {
        let at = from + offset;
        if bytes.get(at + 1) == Some(&c) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Splits `template` into text and tags.
pub(crate) fn pieces(template: &str) -> Result<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = find_double(rest, b'{') {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after_open = &rest[open + 2..];
        let Some(close) = find_double(after_open, b'}') else {
            return Err(Error::UnclosedTag {
                template: template.to_owned(),
                position: offset + open,
            });
        };
        out.push(Piece::Tag(&after_open[..close], offset + open));
        let consumed = open + 2 + close + 2;
        rest = &rest[consumed..];
        offset += consumed;
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Classifies a raw tag body.
pub(crate) fn classify(body: &str) -> (TagKind, &str) {
    match body.strip_prefix('=') {
        Some(expression) => (TagKind::Expression, expression),
        None => (TagKind::Simple, body),
    }
}

/// Every tag in `template` with its kind and position (for linters and the engine). Fails
/// like Argo on a `{{` that is never closed.
pub fn references(template: &str) -> Result<Vec<Tag>> {
    let mut tags = Vec::new();
    for piece in pieces(template)? {
        if let Piece::Tag(body, start) = piece {
            let (kind, body) = classify(body);
            let raw_len = body.len() + usize::from(kind == TagKind::Expression);
            tags.push(Tag {
                kind,
                body: body.to_owned(),
                start,
                end: start + raw_len + 4,
            });
        }
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_ends_at_the_first_closing_braces() {
        let tags = references("x{{a.{{b}}}}y").expect("closed");
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].body, "a.{{b");
        assert_eq!((tags[0].start, tags[0].end), (1, 10));
    }

    #[test]
    fn an_unclosed_tag_is_an_error_with_its_position() {
        let err = references("ab{{c").expect_err("unclosed");
        assert_eq!(err.position(), Some(2));
    }

    #[test]
    fn expression_tags_are_recognised_by_the_equals_sign() {
        let tags = references("{{= 1 + 2 }} {{ =x}}").expect("closed");
        assert_eq!(tags[0].kind, TagKind::Expression);
        assert_eq!(tags[0].body, " 1 + 2 ");
        assert_eq!(tags[1].kind, TagKind::Simple);
        assert_eq!(tags[1].key(), "=x");
    }
}
