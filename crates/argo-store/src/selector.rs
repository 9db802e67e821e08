//! Kubernetes label and field selectors: parsing the string syntax clients send and matching
//! objects against it.
//!
//! Label selectors support every Kubernetes operator (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
//! `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma = AND). Field selectors support `metadata.name`
//! and `metadata.namespace` with `=`, `==` and `!=`, as Kubernetes does for custom resources.
//! Parsing never panics; every malformed input is an [`Error::InvalidSelector`]. Backends may
//! translate a parsed selector into their own query language but must keep these semantics.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::{Error, Object, Result};

/// What a label requirement demands of one label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operator {
    /// The label exists and its value is one of these (`=`, `==`, `in`).
    In(BTreeSet<String>),
    /// The label is absent or its value is none of these (`!=`, `notin`).
    NotIn(BTreeSet<String>),
    Exists,
    DoesNotExist,
    /// The label exists, is an integer, and is greater than this.
    GreaterThan(i64),
    /// The label exists, is an integer, and is less than this.
    LessThan(i64),
}

/// One comma-separated term of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match (&self.operator, value) {
            (Operator::In(values), Some(value)) => values.contains(value),
            (Operator::In(_), None) => false,
            (Operator::NotIn(values), Some(value)) => !values.contains(value),
            (Operator::NotIn(_), None) => true,
            (Operator::Exists, value) => value.is_some(),
            (Operator::DoesNotExist, value) => value.is_none(),
            (Operator::GreaterThan(bound), Some(value)) => {
                value.parse::<i64>().is_ok_and(|number| number > *bound)
            }
            (Operator::LessThan(bound), Some(value)) => {
                value.parse::<i64>().is_ok_and(|number| number < *bound)
            }
            (Operator::GreaterThan(_) | Operator::LessThan(_), None) => false,
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = &self.key;
        let set = |values: &BTreeSet<String>| values.iter().cloned().collect::<Vec<_>>().join(",");
        match &self.operator {
            Operator::In(values) if values.len() == 1 => write!(f, "{key}={}", set(values)),
            Operator::In(values) => write!(f, "{key} in ({})", set(values)),
            Operator::NotIn(values) if values.len() == 1 => write!(f, "{key}!={}", set(values)),
            Operator::NotIn(values) => write!(f, "{key} notin ({})", set(values)),
            Operator::Exists => write!(f, "{key}"),
            Operator::DoesNotExist => write!(f, "!{key}"),
            Operator::GreaterThan(bound) => write!(f, "{key}>{bound}"),
            Operator::LessThan(bound) => write!(f, "{key}<{bound}"),
        }
    }
}

/// A parsed label selector: all requirements must hold. The empty selector matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    pub fn parse(selector: &str) -> Result<Self> {
        let tokens = tokenize(selector).map_err(|message| invalid(selector, message))?;
        let requirements = LabelParser {
            tokens,
            position: 0,
        }
        .requirements()
        .map_err(|message| invalid(selector, message))?;
        Ok(Self { requirements })
    }

    pub fn matches_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements
            .iter()
            .all(|requirement| requirement.matches(labels))
    }

    pub fn matches(&self, object: &Object) -> bool {
        let empty = BTreeMap::new();
        self.matches_labels(object.metadata.labels.as_ref().unwrap_or(&empty))
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let terms: Vec<String> = self.requirements.iter().map(ToString::to_string).collect();
        f.write_str(&terms.join(","))
    }
}

/// A metadata field a field selector may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Namespace,
}

/// One term of a field selector: `field=value` or `field!=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRequirement {
    pub field: Field,
    pub equals: bool,
    pub value: String,
}

/// A parsed field selector: all requirements must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    pub requirements: Vec<FieldRequirement>,
}

impl FieldSelector {
    pub fn parse(selector: &str) -> Result<Self> {
        let mut requirements = Vec::new();
        for term in split_unescaped(selector, ',') {
            let term = term.trim();
            if term.is_empty() {
                continue;
            }
            let (field, equals, value) = if let Some((field, value)) = term.split_once("!=") {
                (field, false, value)
            } else if let Some((field, value)) = term.split_once("==") {
                (field, true, value)
            } else if let Some((field, value)) = term.split_once('=') {
                (field, true, value)
            } else {
                return Err(invalid(selector, format!("{term:?} has no operator")));
            };
            let field = match field.trim() {
                "metadata.name" => Field::Name,
                "metadata.namespace" => Field::Namespace,
                other => {
                    return Err(invalid(
                        selector,
                        format!("field {other:?} is not supported"),
                    ));
                }
            };
            let value = unescape(value.trim()).map_err(|message| invalid(selector, message))?;
            requirements.push(FieldRequirement {
                field,
                equals,
                value,
            });
        }
        Ok(Self { requirements })
    }

    pub fn matches(&self, object: &Object) -> bool {
        self.requirements.iter().all(|requirement| {
            let actual = match requirement.field {
                Field::Name => object.name(),
                Field::Namespace => object.namespace().unwrap_or(""),
            };
            (actual == requirement.value) == requirement.equals
        })
    }
}

/// Both selectors of a list or watch, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selectors {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Selectors {
    pub fn parse(labels: Option<&str>, fields: Option<&str>) -> Result<Self> {
        Ok(Self {
            labels: LabelSelector::parse(labels.unwrap_or(""))?,
            fields: FieldSelector::parse(fields.unwrap_or(""))?,
        })
    }

    pub fn matches(&self, object: &Object) -> bool {
        self.labels.matches(object) && self.fields.matches(object)
    }
}

fn invalid(selector: &str, message: impl Into<String>) -> Error {
    Error::InvalidSelector {
        selector: selector.to_owned(),
        message: message.into(),
    }
}

fn split_unescaped(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (index, character) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if character == '\\' {
            escaped = true;
        } else if character == separator {
            parts.push(&text[start..index]);
            start = index + 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut characters = value.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            out.push(character);
            continue;
        }
        match characters.next() {
            Some(escaped @ ('\\' | ',' | '=')) => out.push(escaped),
            Some(other) => return Err(format!("invalid escape sequence \\{other}")),
            None => return Err("trailing backslash".to_owned()),
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Identifier(String),
    Not,
    Equals,
    DoubleEquals,
    NotEquals,
    Greater,
    Less,
    Open,
    Close,
    Comma,
}

fn tokenize(selector: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut characters = selector.chars().peekable();
    while let Some(&character) = characters.peek() {
        let token = match character {
            c if c.is_whitespace() => {
                characters.next();
                continue;
            }
            '!' | '=' => {
                characters.next();
                match (character, characters.next_if_eq(&'=')) {
                    ('!', Some(_)) => Token::NotEquals,
                    ('!', None) => Token::Not,
                    (_, Some(_)) => Token::DoubleEquals,
                    (_, None) => Token::Equals,
                }
            }
            '>' | '<' | '(' | ')' | ',' => {
                characters.next();
                match character {
                    '>' => Token::Greater,
                    '<' => Token::Less,
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Comma,
                }
            }
            _ => {
                let mut identifier = String::new();
                while let Some(c) = characters.next_if(|c| !is_special(*c)) {
                    identifier.push(c);
                }
                Token::Identifier(identifier)
            }
        };
        tokens.push(token);
    }
    Ok(tokens)
}

fn is_special(character: char) -> bool {
    character.is_whitespace() || "!=<>(),".contains(character)
}

struct LabelParser {
    tokens: Vec<Token>,
    position: usize,
}

impl LabelParser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn requirements(&mut self) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        if self.peek().is_none() {
            return Ok(requirements);
        }
        loop {
            requirements.push(self.requirement()?);
            match self.next() {
                None => return Ok(requirements),
                Some(Token::Comma) => {}
                Some(token) => return Err(format!("expected ',' but found {token:?}")),
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        if self.peek() == Some(&Token::Not) {
            self.next();
            let key = self.key()?;
            return Ok(Requirement {
                key,
                operator: Operator::DoesNotExist,
            });
        }
        let key = self.key()?;
        let operator = match self.peek() {
            None | Some(Token::Comma) => Operator::Exists,
            Some(Token::Equals | Token::DoubleEquals) => {
                self.next();
                Operator::In(BTreeSet::from([self.value()?]))
            }
            Some(Token::NotEquals) => {
                self.next();
                Operator::NotIn(BTreeSet::from([self.value()?]))
            }
            Some(Token::Greater | Token::Less) => {
                let greater = self.next() == Some(Token::Greater);
                let Some(Token::Identifier(bound)) = self.next() else {
                    return Err(format!(
                        "expected an integer after '>' or '<' for key {key:?}"
                    ));
                };
                let bound = bound
                    .parse::<i64>()
                    .map_err(|_| format!("{bound:?} is not an integer"))?;
                if greater {
                    Operator::GreaterThan(bound)
                } else {
                    Operator::LessThan(bound)
                }
            }
            Some(Token::Identifier(word)) if word == "in" || word == "notin" => {
                let is_in = word == "in";
                self.next();
                let values = self.value_set()?;
                if is_in {
                    Operator::In(values)
                } else {
                    Operator::NotIn(values)
                }
            }
            Some(token) => return Err(format!("unexpected {token:?} after key {key:?}")),
        };
        Ok(Requirement { key, operator })
    }

    fn key(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Identifier(key)) => {
                validate_key(&key)?;
                Ok(key)
            }
            Some(token) => Err(format!("expected a label key but found {token:?}")),
            None => Err("expected a label key but the selector ended".to_owned()),
        }
    }

    /// A value after `=`, `==`, `!=`: may be empty (`a=` selects the empty value).
    fn value(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(Token::Identifier(_)) => match self.next() {
                Some(Token::Identifier(value)) => {
                    validate_value(&value)?;
                    Ok(value)
                }
                _ => Err("expected a value".to_owned()),
            },
            None | Some(Token::Comma) => Ok(String::new()),
            Some(token) => Err(format!("expected a value but found {token:?}")),
        }
    }

    fn value_set(&mut self) -> Result<BTreeSet<String>, String> {
        if self.next() != Some(Token::Open) {
            return Err("expected '(' after in/notin".to_owned());
        }
        if self.peek() == Some(&Token::Close) {
            return Err("for 'in' and 'notin' the value set cannot be empty".to_owned());
        }
        let mut values = BTreeSet::new();
        loop {
            let value = match self.peek() {
                Some(Token::Identifier(_)) => self.value()?,
                Some(Token::Comma | Token::Close) => String::new(),
                Some(token) => return Err(format!("unexpected {token:?} in value set")),
                None => return Err("value set is not closed".to_owned()),
            };
            values.insert(value);
            match self.next() {
                Some(Token::Comma) => {}
                Some(Token::Close) => break,
                Some(token) => return Err(format!("unexpected {token:?} in value set")),
                None => return Err("value set is not closed".to_owned()),
            }
        }
        Ok(values)
    }
}

/// A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters.
fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        let valid_prefix = !prefix.is_empty()
            && prefix.len() <= 253
            && prefix.split('.').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            });
        if !valid_prefix {
            return Err(format!(
                "label key prefix {prefix:?} is not a DNS subdomain"
            ));
        }
    }
    if name.is_empty() || !is_label_name(name) {
        return Err(format!("label key {key:?} is not a qualified name"));
    }
    Ok(())
}

fn validate_value(value: &str) -> Result<(), String> {
    if value.is_empty() || is_label_name(value) {
        Ok(())
    } else {
        Err(format!("label value {value:?} is not valid"))
    }
}

/// At most 63 characters of `[A-Za-z0-9_.-]`, starting and ending alphanumeric.
fn is_label_name(text: &str) -> bool {
    let alphanumeric_ends = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && text
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    text.len() <= 63
        && alphanumeric_ends
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

#[cfg(test)]
#[path = "selector_tests.rs"]
mod tests;
