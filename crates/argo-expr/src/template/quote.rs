//! Which strings survive Argo's escaping into JSON.
//!
//! Role: Argo writes a substituted value into JSON text with Go's `strconv.Quote`, whose escapes
//! `\a`, `\v`, `\xNN` and `\UNNNNNNNN` are not JSON; the result then fails Argo's validity check.
//! This module answers whether a value avoids those escapes.
//! Must not: escape or change strings (substitution works on unescaped text).

/// Whether `value`, quoted the Go way, is still valid JSON.
pub(crate) fn embeds_in_json(value: &str) -> bool {
    value.chars().all(|c| match c {
        '\u{8}' | '\t' | '\n' | '\u{c}' | '\r' => true,
        c if (c as u32) < 0x20 || c == '\u{7f}' => false,
        c if (c as u32) > 0xffff => !is_unprintable_astral(c),
        _ => true,
    })
}

/// Appends `value` escaped for the inside of a JSON string literal.
pub(crate) fn escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

/// The text a JSON string literal's inside stands for, or `None` when it is not valid there.
pub(crate) fn unescape(inside: &str) -> Option<String> {
    if !inside.contains('\\') && !inside.contains('"') {
        return Some(inside.to_owned());
    }
    serde_json::from_str(&format!("\"{inside}\"")).ok()
}

/// Astral-plane characters Go's `unicode.IsPrint` rejects (format characters and private
/// use), which `strconv.Quote` writes as `\U` escapes.
fn is_unprintable_astral(c: char) -> bool {
    matches!(c as u32,
        0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0001 | 0xE0020..=0xE007F | 0xF0000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_and_json_escapable_controls_embed() {
        assert!(embeds_in_json("a\"b\\c\n\t\r é 😀"));
    }

    #[test]
    fn bell_vertical_tab_and_other_controls_do_not_embed() {
        assert!(!embeds_in_json("\u{7}"));
        assert!(!embeds_in_json("\u{b}"));
        assert!(!embeds_in_json("\u{1}"));
        assert!(!embeds_in_json("\u{7f}"));
        assert!(!embeds_in_json("\u{E0001}"));
    }
}
