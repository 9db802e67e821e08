//! govaluate's lexer.
//!
//! Role: turn text into tokens exactly as govaluate does, quirks included: a string literal
//! ends at either quote character; a backslash escapes any character everywhere; words may
//! contain `.` (then they are accessors, and a lowercase field is refused); `-` is a prefix
//! only where a prefix may appear; runs of symbol characters form one operator (`==-` is an
//! invalid token); a quoted string that parses as a date becomes a time (Unix seconds).
//! Invariants: never panics, positions are character offsets.
//! Must not: check grammar (that is `syntax`) or evaluate.

use super::time::parse_time;
use super::token::{
    Kind, Payload, Token, comparator_symbol, logical_symbol, may_follow, modifier_symbol,
    prefix_symbol, ternary_symbol,
};

struct Stream {
    chars: Vec<char>,
    position: usize,
}

impl Stream {
    fn can_read(&self) -> bool {
        self.position < self.chars.len()
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.position).copied();
        self.position += 1;
        c
    }

    fn rewind(&mut self, amount: usize) {
        self.position = self.position.saturating_sub(amount);
    }

    /// Reads while `condition` holds; returns the text and whether a terminator was met.
    fn read_until_false(
        &mut self,
        include_whitespace: bool,
        break_whitespace: bool,
        condition: impl Fn(char) -> bool,
    ) -> Result<(String, bool), String> {
        let mut buffer = String::new();
        while let Some(mut c) = self.read() {
            if c == '\\' {
                c = self
                    .read()
                    .ok_or_else(|| "Unterminated escape sequence".to_owned())?;
                buffer.push(c);
                continue;
            }
            if c.is_whitespace() {
                if break_whitespace && !buffer.is_empty() {
                    return Ok((buffer, true));
                }
                if !include_whitespace {
                    continue;
                }
            }
            if condition(c) {
                buffer.push(c);
            } else {
                self.rewind(1);
                return Ok((buffer, true));
            }
        }
        Ok((buffer, false))
    }

    fn read_token_until_false(
        &mut self,
        condition: impl Fn(char) -> bool,
    ) -> Result<String, String> {
        self.rewind(1);
        Ok(self.read_until_false(false, true, condition)?.0)
    }
}

fn is_numeric(c: char) -> bool {
    c.is_numeric() || c == '.'
}

fn is_variable_name(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || c == '_' || c == '.'
}

fn is_quote(c: char) -> bool {
    c == '\'' || c == '"'
}

fn is_not_alphanumeric(c: char) -> bool {
    !(c.is_numeric() || c.is_alphabetic() || matches!(c, '(' | ')' | '[' | ']') || is_quote(c))
}

/// Splits `expression` into tokens; errors carry the character offset.
pub(crate) fn tokenize(expression: &str) -> Result<Vec<Token>, (usize, String)> {
    let mut stream = Stream {
        chars: expression.chars().collect(),
        position: 0,
    };
    let mut tokens = Vec::new();
    let mut state = Kind::Unknown;
    while stream.can_read() {
        match read_token(&mut stream, state) {
            Ok(Some(token)) => {
                state = token.kind;
                tokens.push(token);
            }
            Ok(None) => break,
            Err(message) => return Err((stream.position.min(stream.chars.len()), message)),
        }
    }
    Ok(tokens)
}

fn read_token(stream: &mut Stream, state: Kind) -> Result<Option<Token>, String> {
    while let Some(c) = stream.read() {
        if c.is_whitespace() {
            continue;
        }
        let position = stream.position - 1;
        let token = |kind, payload| {
            Ok(Some(Token {
                kind,
                payload,
                position,
            }))
        };

        if is_numeric(c) {
            if c == '0' && stream.can_read() {
                let next = stream.read();
                if next == Some('x') && stream.can_read() {
                    let (digits, _) =
                        stream.read_until_false(false, true, |c| c.is_ascii_hexdigit())?;
                    let value = u64::from_str_radix(&digits, 16)
                        .map_err(|_| format!("Unable to parse hex value '{digits}' to uint64"))?;
                    return token(Kind::Numeric, Payload::Number(value as f64));
                }
                stream.rewind(1);
            }
            let text = stream.read_token_until_false(is_numeric)?;
            let value = parse_go_float(&text)
                .ok_or_else(|| format!("Unable to parse numeric value '{text}' to float64"))?;
            return token(Kind::Numeric, Payload::Number(value));
        }
        if c == ',' {
            return token(Kind::Separator, Payload::Text(",".into()));
        }
        if c == '[' {
            let (name, completed) = stream.read_until_false(true, false, |c| c != ']')?;
            if !completed {
                return Err("Unclosed parameter bracket".into());
            }
            stream.position += 1;
            return token(Kind::Variable, Payload::Text(name));
        }
        if c.is_alphabetic() {
            let word = stream.read_token_until_false(is_variable_name)?;
            if word.contains('.') {
                return accessor(word, position);
            }
            return match word.as_str() {
                "true" => token(Kind::Boolean, Payload::Bool(true)),
                "false" => token(Kind::Boolean, Payload::Bool(false)),
                "in" | "IN" => token(Kind::Comparator, Payload::Symbol(super::token::Symbol::In)),
                _ => token(Kind::Variable, Payload::Text(word)),
            };
        }
        if is_quote(c) {
            let (text, completed) = stream.read_until_false(true, false, |c| !is_quote(c))?;
            if !completed {
                return Err("Unclosed string literal".into());
            }
            stream.position += 1;
            return match parse_time(&text) {
                Some(seconds) => token(Kind::Time, Payload::Number(seconds)),
                None => token(Kind::String, Payload::Text(text)),
            };
        }
        if c == '(' {
            return token(Kind::Clause, Payload::None);
        }
        if c == ')' {
            return token(Kind::ClauseClose, Payload::None);
        }
        let text = stream.read_token_until_false(is_not_alphanumeric)?;
        if may_follow(state, Kind::Prefix)
            && let Some(symbol) = prefix_symbol(&text)
        {
            return token(Kind::Prefix, Payload::Symbol(symbol));
        }
        let classified = [
            (Kind::Modifier, modifier_symbol(&text)),
            (Kind::LogicalOp, logical_symbol(&text)),
            (Kind::Comparator, comparator_symbol(&text)),
            (Kind::Ternary, ternary_symbol(&text)),
        ];
        for (kind, symbol) in classified {
            if let Some(symbol) = symbol {
                return token(kind, Payload::Symbol(symbol));
            }
        }
        return Err(format!("Invalid token: '{text}'"));
    }
    Ok(None)
}

fn accessor(word: String, position: usize) -> Result<Option<Token>, String> {
    if word.ends_with('.') {
        return Err(format!("Hanging accessor on token '{word}'"));
    }
    let fields: Vec<String> = word.split('.').map(str::to_owned).collect();
    for field in &fields[1..] {
        if let Some(first) = field.chars().next() {
            let mut upper = first.to_uppercase();
            let unexported = upper.len() == 1 && upper.next() != Some(first);
            if unexported {
                return Err(format!(
                    "Unable to access unexported field '{field}' in token '{word}'"
                ));
            }
        }
    }
    Ok(Some(Token {
        kind: Kind::Accessor,
        payload: Payload::Path(fields),
        position,
    }))
}

/// Go's `strconv.ParseFloat` on a run of digits and dots.
fn parse_go_float(text: &str) -> Option<f64> {
    if !text.chars().all(|c| c.is_ascii_digit() || c == '.')
        || !text.contains(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(expression: &str) -> Vec<Kind> {
        tokenize(expression)
            .expect("lexes")
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn minus_is_a_prefix_only_where_an_operand_is_expected() {
        use Kind::*;
        assert_eq!(
            kinds("-1 - -2"),
            [Prefix, Numeric, Modifier, Prefix, Numeric]
        );
    }

    #[test]
    fn bare_words_are_variables_and_dotted_words_accessors() {
        use Kind::*;
        assert_eq!(kinds("heads == Foo.Bar"), [Variable, Comparator, Accessor]);
        assert!(tokenize("foo.bar").is_err());
    }

    #[test]
    fn a_run_of_symbol_characters_is_one_token() {
        let (_, message) = tokenize("1 ==-1").expect_err("invalid token");
        assert_eq!(message, "Invalid token: '==-'");
    }
}
