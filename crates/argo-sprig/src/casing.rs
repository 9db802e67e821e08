//! Case conversion as sprig does it: Go's `strings.Title`, goutils' word-based `swapcase`,
//! `untitle` and `initials`, and xstrings' `snakecase`/`kebabcase`/`camelcase` (the latter is
//! upper camel case since sprig 3.3).
//! Must not: split or wrap text; only the letters' case and the word connectors change.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;

fn text(s: String) -> Result<Value> {
    Ok(Value::String(s))
}

fn single_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn single_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `strings.Title`'s word boundary test.
fn separates_words(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

pub(crate) fn title(args: &Args) -> Result<Value> {
    let mut previous = ' ';
    let mut out = String::new();
    for c in args.str(0)?.chars() {
        out.push(if separates_words(previous) {
            single_upper(c)
        } else {
            c
        });
        previous = c;
    }
    text(out)
}

pub(crate) fn untitle(args: &Args) -> Result<Value> {
    let mut at_word_start = true;
    let mut out = String::new();
    for c in args.str(0)?.chars() {
        if c.is_whitespace() {
            at_word_start = true;
            out.push(c);
        } else if at_word_start {
            out.push(single_lower(c));
            at_word_start = false;
        } else {
            out.push(c);
        }
    }
    text(out)
}

pub(crate) fn initials(args: &Args) -> Result<Value> {
    let mut after_gap = true;
    let mut out = String::new();
    for c in args.str(0)?.chars() {
        if c.is_whitespace() {
            after_gap = true;
        } else if after_gap {
            out.push(c);
            after_gap = false;
        }
    }
    text(out)
}

/// goutils' word-based swap: upper becomes lower, a lower letter opening a word becomes title
/// case, other lower letters become upper.
pub(crate) fn swapcase(args: &Args) -> Result<Value> {
    let mut out = String::new();
    for c in args.str(0)?.chars() {
        if c.is_uppercase() {
            out.push(single_lower(c));
        } else if c.is_lowercase() {
            // goutils title-cases a word's first letter and upper-cases the rest; for the
            // letters that have a distinct title case the difference is not worth a table.
            out.push(single_upper(c));
        } else {
            out.push(c);
        }
    }
    text(out)
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

fn is_alphabet(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// xstrings' upper camel case: connectors disappear and the letter after them is upper-cased;
/// an all-upper word keeps only its first letter upper; leading connectors stay.
pub(crate) fn camelcase(args: &Args) -> Result<Value> {
    let chars: Vec<char> = args.str(0)?.chars().collect();
    let mut out = String::new();
    let mut index = 0;
    let mut current = None;
    let mut first_upper = false;
    while index < chars.len() {
        let c = chars[index];
        index += 1;
        if !is_connector(c) {
            first_upper = c.is_uppercase();
            current = Some(single_upper(c));
            break;
        }
        out.push(c);
        current = Some(c);
    }
    let Some(mut current) = current else {
        return text(out);
    };
    if index == chars.len() {
        out.push(current);
        return text(out);
    }
    for &c in &chars[index..] {
        let previous = current;
        current = c;
        if is_connector(current) && is_connector(previous) {
            out.push(previous);
            continue;
        }
        if is_connector(previous) {
            first_upper = current.is_uppercase();
            current = single_upper(current);
        } else {
            if first_upper {
                if current.is_uppercase() {
                    current = single_lower(current);
                } else {
                    first_upper = false;
                }
            }
            out.push(previous);
        }
    }
    out.push(current);
    text(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
    End,
}

/// Unicode's punctuation category for ASCII (`$+<=>^`|~` are symbols, not punctuation);
/// other scripts' punctuation is rare enough in identifiers to be treated as plain text.
fn is_punct(c: char) -> bool {
    matches!(
        c,
        '!' | '"'
            | '#'
            | '%'
            | '&'
            | '\''
            | '('
            | ')'
            | '*'
            | ','
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '?'
            | '@'
            | '['
            | '\\'
            | ']'
            | '_'
            | '{'
            | '}'
    )
}

/// Splits off the next word of `chars[start..]`, returning its kind and end.
fn next_word(chars: &[char], start: usize) -> (Word, usize) {
    let Some(&first) = chars.get(start) else {
        return (Word::End, start);
    };
    let run = |from: usize, keep: &dyn Fn(char) -> bool| {
        let mut end = from;
        while end < chars.len() && keep(chars[end]) {
            end += 1;
        }
        end
    };
    let next = start + 1;
    if is_connector(first) {
        return (Word::Connector, run(next, &is_connector));
    }
    if is_punct(first) {
        return (Word::Punct, run(next, &is_punct));
    }
    if first.is_uppercase() {
        let Some(&second) = chars.get(next) else {
            return (Word::Upper, next);
        };
        if second.is_uppercase() {
            let end = run(next, &|c: char| c.is_uppercase());
            // "HTTPServer": the S opens the next word.
            if end < chars.len() && is_alphabet(chars[end]) {
                return (Word::Upper, end - 1);
            }
            return (Word::Upper, end);
        }
        if is_alphabet(second) {
            return (
                Word::Upper,
                run(next, &|c: char| is_alphabet(c) && !c.is_uppercase()),
            );
        }
        return (Word::Upper, next);
    }
    if is_alphabet(first) {
        return (
            Word::Alphabet,
            run(next, &|c: char| is_alphabet(c) && !c.is_uppercase()),
        );
    }
    if first.is_numeric() {
        return (Word::Number, run(next, &|c: char| c.is_numeric()));
    }
    let other = |c: char| !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c));
    (Word::Other, run(next, &other))
}

/// A lower-case snake/kebab rendering of `s` with `connector` between words.
fn joined_lower(s: &str, connector: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let emit = |out: &mut String, kind: Word, from: usize, to: usize| {
        for &c in &chars[from..to] {
            match kind {
                Word::Upper | Word::Connector if is_connector(c) => out.push(connector),
                Word::Upper | Word::Connector => out.extend(c.to_lowercase()),
                _ => out.push(c),
            }
        }
    };
    let separated = |kind: Word| !matches!(kind, Word::End | Word::Connector | Word::Punct);
    let (mut kind, mut end) = next_word(&chars, 0);
    let mut start = 0;
    while end < chars.len() {
        if kind != Word::Connector {
            emit(&mut out, kind, start, end);
        }
        let (previous, previous_start, previous_end) = (kind, start, end);
        start = end;
        (kind, end) = next_word(&chars, start);
        match previous {
            Word::Number => {
                while matches!(kind, Word::Alphabet | Word::Number) {
                    emit(&mut out, kind, start, end);
                    start = end;
                    (kind, end) = next_word(&chars, start);
                }
                if separated(kind) {
                    out.push(connector);
                }
            }
            Word::Connector => emit(&mut out, previous, previous_start, previous_end),
            Word::Punct => {}
            _ => {
                if kind != Word::Number {
                    if separated(kind) {
                        out.push(connector);
                    }
                    continue;
                }
                if end >= chars.len() {
                    continue;
                }
                let (number_start, number_end) = (start, end);
                start = end;
                (kind, end) = next_word(&chars, start);
                if kind != Word::Alphabet {
                    emit(&mut out, Word::Number, number_start, number_end);
                    if separated(kind) {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                emit(&mut out, Word::Number, number_start, number_end);
                while matches!(kind, Word::Alphabet | Word::Number) {
                    emit(&mut out, kind, start, end);
                    start = end;
                    (kind, end) = next_word(&chars, start);
                }
                if separated(kind) {
                    out.push(connector);
                }
            }
        }
    }
    emit(&mut out, kind, start, end);
    out
}

pub(crate) fn snakecase(args: &Args) -> Result<Value> {
    text(joined_lower(args.str(0)?, '_'))
}

pub(crate) fn kebabcase(args: &Args) -> Result<Value> {
    text(joined_lower(args.str(0)?, '-'))
}
