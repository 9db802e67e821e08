//! Kubernetes `$(VAR)` expansion, as applied to a container's `command`, `args` and `env` values.
//!
//! `$(NAME)` becomes the value of `NAME` when it is defined and stays as written otherwise; `$$`
//! is an escaped `$`, so `$$(NAME)` yields the literal `$(NAME)`; any other `$` is kept.

/// Expands `$(NAME)` references in `input` using `lookup`.
pub(crate) fn expand<'a>(input: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match lookup(name) {
                        Some(value) => out.push_str(value),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push_str(&rest[pos..]);
                    rest = "";
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::expand;

    fn vars(name: &str) -> Option<&'static str> {
        match name {
            "A" => Some("1"),
            "B" => Some("two"),
            _ => None,
        }
    }

    #[test]
    fn defined_references_are_replaced() {
        assert_eq!(expand("x$(A)y$(B)", vars), "x1ytwo");
    }

    #[test]
    fn undefined_references_stay_as_written() {
        assert_eq!(expand("$(C) and $(A)", vars), "$(C) and 1");
    }

    #[test]
    fn double_dollar_escapes_a_reference() {
        assert_eq!(expand("$$(A) $$ $", vars), "$(A) $ $");
    }

    #[test]
    fn an_unclosed_reference_is_kept_literally() {
        assert_eq!(expand("a $(A", vars), "a $(A");
    }

    #[test]
    fn shell_variables_are_left_alone() {
        assert_eq!(expand("echo $HOME ${A}", vars), "echo $HOME ${A}");
    }
}
