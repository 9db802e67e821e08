//! A light reading of expr-lang source text, without evaluating it.
//!
//! Role: find the variable paths an expression references (Argo checks them against the scope
//! before evaluating: late-bound variables keep the tag for a later pass, strict prefixes must
//! be present) and rewrite `sprig.<fn>(` calls into calls of one dispatcher function, since
//! expr-lang has no calls through map members.
//! Invariants: never panics; text inside string literals and comments is never touched.
//! Must not: decide semantics; the real parse is expr-lang's.

use std::collections::HashSet;

/// Name of the function `sprig.<fn>(args)` is rewritten to call as `__sprig("<fn>", args)`.
pub(crate) const SPRIG_DISPATCH: &str = "__sprig";

/// Name of the function map literals are rewritten to call: `{a: x, "b": y}` becomes
/// `__map("a", x, "b", y)`, because expr-lang 2.1 only accepts constants as map values (and
/// panics on anything else).
pub(crate) const MAP_CONSTRUCTOR: &str = "__map";

/// What a reading of the source found.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Reading {
    /// Every reported variable path (`a`, `a.b`, `a.b.c` for a chain `a.b.c`), as Argo's
    /// identifier visitor reports them, skipping members guarded by `??` or `?.`.
    pub paths: Vec<String>,
    /// The source with `sprig.<fn>(` calls and map literals rewritten, when it had any.
    pub rewritten: Option<String>,
    /// Names that are not scope variables although Argo reports them (`let` bindings and
    /// `$env`): they count as missing for Argo's checks but compile fine.
    pub locals: Vec<String>,
    /// Number of tokens.
    pub tokens: usize,
    /// Deepest nesting of brackets.
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Str(String),
    Punct(&'a str),
    Other,
}

struct Token<'a> {
    tok: Tok<'a>,
    start: usize,
    end: usize,
}

const KEYWORDS: &[&str] = &[
    "true",
    "false",
    "nil",
    "not",
    "in",
    "and",
    "or",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "let",
    "if",
    "else",
];

const PUNCTS: &[&str] = &[
    "?.", "??", "==", "!=", "<=", ">=", "&&", "||", "**", "..", "(", ")", "[", "]", "{", "}", ".",
    ",", ":", ";", "?", "+", "-", "*", "/", "%", "^", "!", "<", ">", "|", "=",
];

fn tokenize(src: &str) -> Vec<Token<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if src[i..].starts_with("//") {
            i = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
            continue;
        }
        if src[i..].starts_with("/*") {
            i = src[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
            continue;
        }
        if c == b'\'' || c == b'"' || c == b'`' {
            let (value, end) = read_string(src, i);
            out.push(Token {
                tok: Tok::Str(value),
                start,
                end,
            });
            i = end;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c == b'#' {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(&src[start..i]),
                start,
                end: i,
            });
            continue;
        }
        if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            out.push(Token {
                tok: Tok::Other,
                start,
                end: i,
            });
            continue;
        }
        if let Some(p) = PUNCTS.iter().find(|p| src[i..].starts_with(**p)) {
            i += p.len();
            out.push(Token {
                tok: Tok::Punct(p),
                start,
                end: i,
            });
            continue;
        }
        // Any other character (non-ASCII included): skip it whole.
        i += src[i..].chars().next().map_or(1, char::len_utf8);
        out.push(Token {
            tok: Tok::Other,
            start,
            end: i,
        });
    }
    out
}

/// Reads a string literal starting at `start`; returns its (roughly unescaped) value and end.
fn read_string(src: &str, start: usize) -> (String, usize) {
    let quote = src.as_bytes()[start];
    let mut value = String::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        if c as u32 == u32::from(quote) {
            return (value, start + 1 + offset + 1);
        }
        if c == '\\' && quote != b'`' {
            if let Some((_, escaped)) = chars.next() {
                value.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                });
            }
            continue;
        }
        value.push(c);
    }
    (value, src.len())
}

/// Reads `src` (expr-lang syntax).
pub(crate) fn read(src: &str) -> Reading {
    let tokens = tokenize(src);
    let mut reading = Reading {
        tokens: tokens.len(),
        ..Reading::default()
    };
    let mut seen = HashSet::new();
    let mut brackets: Vec<&str> = Vec::new();
    let mut rewrites: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let previous = i.checked_sub(1).map(|p| &tokens[p].tok);
        let next = tokens.get(i + 1).map(|t| &t.tok);
        match &token.tok {
            Tok::Punct("{") if starts_map_literal(&tokens, i) => {
                brackets.push(MAP_OPEN);
                reading.depth = reading.depth.max(brackets.len());
                rewrites.push((token.start, token.end, format!("{MAP_CONSTRUCTOR}(")));
            }
            Tok::Punct(p @ ("(" | "[" | "{")) => {
                brackets.push(p);
                reading.depth = reading.depth.max(brackets.len());
            }
            Tok::Punct("}") if brackets.last() == Some(&MAP_OPEN) => {
                brackets.pop();
                if let Some(Tok::Punct(",")) = previous {
                    let comma = &tokens[i - 1];
                    rewrites.push((comma.start, comma.end, String::new()));
                }
                rewrites.push((token.start, token.end, ")".to_owned()));
            }
            Tok::Punct(")" | "]" | "}") => {
                brackets.pop();
            }
            Tok::Ident(_) | Tok::Str(_)
                if brackets.last() == Some(&MAP_OPEN)
                    && matches!(previous, Some(Tok::Punct("{" | ",")))
                    && matches!(next, Some(Tok::Punct(":"))) =>
            {
                let key = match &token.tok {
                    Tok::Ident(name) => format!("\"{name}\""),
                    _ => src[token.start..token.end].to_owned(),
                };
                rewrites.push((token.start, tokens[i + 1].end, format!("{key},")));
                i += 2;
                continue;
            }
            _ => {}
        }
        let Tok::Ident(name) = token.tok else {
            i += 1;
            continue;
        };
        if name == "let" {
            if let Some(Tok::Ident(bound)) = next {
                reading.locals.push((*bound).to_owned());
            }
            i += 2;
            continue;
        }
        let is_member = matches!(previous, Some(Tok::Punct("." | "?.")));
        let is_call = matches!(next, Some(Tok::Punct("(")));
        if is_member || is_call || name.starts_with('#') || KEYWORDS.contains(&name) {
            i += 1;
            continue;
        }
        if name == "sprig"
            && let (Some(Tok::Punct(".")), Some(Tok::Ident(function)), Some(Tok::Punct("("))) = (
                next,
                tokens.get(i + 2).map(|t| &t.tok),
                tokens.get(i + 3).map(|t| &t.tok),
            )
        {
            let no_args = matches!(tokens.get(i + 4).map(|t| &t.tok), Some(Tok::Punct(")")));
            let separator = if no_args { "" } else { ", " };
            rewrites.push((
                token.start,
                tokens[i + 3].end,
                format!("{SPRIG_DISPATCH}(\"{function}\"{separator}"),
            ));
            i += 4;
            brackets.push("(");
            continue;
        }
        if name == "$env" && !reading.locals.iter().any(|l| l == "$env") {
            reading.locals.push("$env".to_owned());
        }
        i = read_chain(&tokens, i, name, &mut reading.paths, &mut seen);
    }
    if !rewrites.is_empty() {
        rewrites.sort_by_key(|(start, _, _)| *start);
        let mut rewritten = String::with_capacity(src.len() + 16 * rewrites.len());
        let mut last = 0;
        for (start, end, replacement) in rewrites {
            rewritten.push_str(&src[last..start]);
            rewritten.push_str(&replacement);
            last = end;
        }
        rewritten.push_str(&src[last..]);
        reading.rewritten = Some(rewritten);
    }
    reading
}

/// Bracket-stack marker for an open map literal.
const MAP_OPEN: &str = "map{";

/// Whether the `{` at `i` opens a map literal (`{}` or `{key: ...`) rather than a closure.
fn starts_map_literal(tokens: &[Token<'_>], i: usize) -> bool {
    matches!(
        (
            tokens.get(i + 1).map(|t| &t.tok),
            tokens.get(i + 2).map(|t| &t.tok),
        ),
        (Some(Tok::Punct("}")), _) | (Some(Tok::Ident(_) | Tok::Str(_)), Some(Tok::Punct(":")))
    )
}

/// Reads the member chain starting at identifier `i`; returns the index after it.
fn read_chain(
    tokens: &[Token<'_>],
    mut i: usize,
    root: &str,
    paths: &mut Vec<String>,
    seen: &mut HashSet<String>,
) -> usize {
    let mut segments = vec![root.to_owned()];
    let mut optional_from: Option<usize> = None;
    i += 1;
    loop {
        match (
            tokens.get(i).map(|t| &t.tok),
            tokens.get(i + 1).map(|t| &t.tok),
            tokens.get(i + 2).map(|t| &t.tok),
        ) {
            (Some(Tok::Punct(".")), Some(Tok::Ident(field)), after) => {
                if matches!(after, Some(Tok::Punct("("))) {
                    break; // a method call ends the variable path
                }
                segments.push((*field).to_owned());
                i += 2;
            }
            (Some(Tok::Punct("?.")), Some(Tok::Ident(field)), _) => {
                optional_from.get_or_insert(segments.len());
                segments.push((*field).to_owned());
                i += 2;
            }
            (Some(Tok::Punct("[")), Some(Tok::Str(field)), Some(Tok::Punct("]"))) => {
                segments.push(field.clone());
                i += 3;
            }
            _ => break,
        }
    }
    let guarded_by_default = matches!(tokens.get(i).map(|t| &t.tok), Some(Tok::Punct("??")));
    let plain = optional_from.unwrap_or(segments.len());
    let mut report = |path: String| {
        if seen.insert(path.clone()) {
            paths.push(path);
        }
    };
    report(segments[0].clone());
    if !guarded_by_default {
        for depth in 2..=plain {
            // The member right before a `?.` is guarded.
            if optional_from == Some(depth) && depth >= 2 {
                continue;
            }
            report(segments[..depth].join("."));
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_chains_report_every_prefix() {
        let reading = read("inputs.parameters.x == 'a' && steps['a-b'].outputs.result");
        assert_eq!(
            reading.paths,
            [
                "inputs",
                "inputs.parameters",
                "inputs.parameters.x",
                "steps",
                "steps.a-b",
                "steps.a-b.outputs",
                "steps.a-b.outputs.result"
            ]
        );
    }

    #[test]
    fn defaults_and_optional_chaining_guard_members() {
        assert_eq!(read("a.b.c ?? 'x'").paths, ["a"]);
        assert_eq!(read("a.b?.c").paths, ["a"]);
    }

    #[test]
    fn strings_closures_keys_and_calls_are_not_variables() {
        let reading = read("filter(items, {# > 1}) + toJson({name: 'x.y'}) + len(\"a.b\")");
        assert_eq!(reading.paths, ["items"]);
    }

    #[test]
    fn map_literals_are_rewritten_to_the_constructor() {
        let reading = read("toJson({avg: x / 5, 'b': [1], c: {}}) + filter(y, {# > 1})");
        assert_eq!(
            reading.rewritten.as_deref(),
            Some("toJson(__map(\"avg\", x / 5, 'b', [1], \"c\", __map())) + filter(y, {# > 1})")
        );
        assert_eq!(reading.paths, ["x", "y"]);
    }

    #[test]
    fn let_bindings_are_reported_like_upstream_but_known_as_locals() {
        let reading = read("let x = inputs.a; x + 'b'");
        assert_eq!(reading.paths, ["inputs", "inputs.a", "x"]);
        assert_eq!(reading.locals, ["x"]);
    }

    #[test]
    fn sprig_calls_are_rewritten_to_the_dispatcher() {
        let reading = read("sprig.upper(x) + sprig.now() + 'sprig.trim('");
        assert_eq!(
            reading.rewritten.as_deref(),
            Some("__sprig(\"upper\", x) + __sprig(\"now\") + 'sprig.trim('")
        );
        assert_eq!(reading.paths, ["x"]);
    }
}
