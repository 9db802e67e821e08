//! Word wrapping and abbreviation with ellipses, as goutils (Apache Commons' port) does them
//! for sprig's `wrap`, `wrapWith`, `abbrev` and `abbrevboth`. Widths count characters (Go
//! counts bytes; the two agree on ASCII).
//! Must not: change letter case or trim anything but the spaces a wrap consumes.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;

fn text(s: String) -> Result<Value> {
    Ok(Value::String(s))
}

/// goutils' `WrapCustom`: breaks at the last space that fits, drops leading spaces of a new
/// line, and splits words longer than the width only when `wrap_long_words`.
fn wrap_custom(s: &str, width: i64, newline: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = usize::try_from(width.max(1)).unwrap_or(usize::MAX);
    let chars: Vec<char> = s.chars().collect();
    let piece = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut out = String::new();
    let mut offset = 0;
    while chars.len() - offset > width {
        if chars[offset] == ' ' {
            offset += 1;
            continue;
        }
        let window_end = width + offset + 1;
        let space = chars[offset..window_end]
            .iter()
            .rposition(|&c| c == ' ')
            .map(|i| i + offset);
        if let Some(space) = space {
            out.push_str(&piece(offset, space));
            out.push_str(newline);
            offset = space + 1;
        } else if wrap_long_words {
            out.push_str(&piece(offset, offset + width));
            out.push_str(newline);
            offset += width;
        } else {
            let end = offset + width;
            match chars[end..].iter().position(|&c| c == ' ') {
                None => {
                    out.push_str(&piece(offset, chars.len()));
                    offset = chars.len();
                }
                Some(i) => {
                    out.push_str(&piece(offset, end + i));
                    out.push_str(newline);
                    offset = end + i + 1;
                }
            }
        }
    }
    out.push_str(&piece(offset, chars.len()));
    out
}

pub(crate) fn wrap(args: &Args) -> Result<Value> {
    text(wrap_custom(args.str(1)?, args.int(0)?, "", false))
}

pub(crate) fn wrap_with(args: &Args) -> Result<Value> {
    let (width, newline, s) = (args.int(0)?, args.str(1)?, args.str(2)?);
    args.check_size(s.len() as u128 * (newline.len() as u128 + 1))?;
    text(wrap_custom(s, width, newline, true))
}

/// goutils' `AbbreviateFull`; `None` where goutils reports an error (sprig then prints "").
fn abbreviate(chars: &[char], offset: i64, max_width: i64) -> Option<String> {
    let len = chars.len() as i64;
    if chars.is_empty() {
        return Some(String::new());
    }
    if max_width < 4 {
        return None;
    }
    if len <= max_width {
        return Some(chars.iter().collect());
    }
    let mut offset = offset.clamp(0, len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    let keep = (max_width - 3) as usize;
    if offset <= 4 {
        return Some(format!("{}...", chars[..keep].iter().collect::<String>()));
    }
    if max_width < 7 {
        return None;
    }
    if offset + max_width - 3 < len {
        let inner = abbreviate(&chars[offset as usize..], 0, max_width - 3)?;
        return Some(format!("...{inner}"));
    }
    Some(format!(
        "...{}",
        chars[chars.len() - keep..].iter().collect::<String>()
    ))
}

pub(crate) fn abbrev(args: &Args) -> Result<Value> {
    let (width, s) = (args.int(0)?, args.str(1)?);
    if width < 4 {
        return text(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    text(abbreviate(&chars, 0, width).unwrap_or_default())
}

pub(crate) fn abbrevboth(args: &Args) -> Result<Value> {
    let (left, right, s) = (args.int(0)?, args.int(1)?, args.str(2)?);
    if right < 4 || left > 0 && right < 7 {
        return text(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    text(abbreviate(&chars, left, right).unwrap_or_default())
}
