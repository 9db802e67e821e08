//! Colours and status symbols. Colour only when the caller says so (a terminal without
//! `--no-color`, and `TERM` not `dumb`); `--no-utf8` swaps the symbols for words.
//! Must not: decide whether stdout is a terminal (callers pass that in).

use argo_core::{ConditionType, NodePhase};

pub const FG_RED: u8 = 31;
pub const FG_GREEN: u8 = 32;
pub const FG_YELLOW: u8 = 33;
pub const FG_BLUE: u8 = 34;
pub const FG_MAGENTA: u8 = 35;
pub const FG_CYAN: u8 = 36;
pub const FG_WHITE: u8 = 37;
pub const FG_DEFAULT: u8 = 39;

/// How to decorate output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub utf8: bool,
}

impl Style {
    /// Plain text with UTF-8 symbols: what tests and pipes see.
    pub const PLAIN: Style = Style {
        color: false,
        utf8: true,
    };

    /// Colour when stdout is a terminal, unless `--no-color` or `TERM=dumb`.
    pub fn detect(no_color: bool, no_utf8: bool) -> Style {
        use std::io::IsTerminal as _;
        let dumb = std::env::var("TERM").is_ok_and(|term| term == "dumb");
        Style {
            color: !no_color && !dumb && std::io::stdout().is_terminal(),
            utf8: !no_utf8,
        }
    }

    /// `text` in the ANSI colour `code` when colouring.
    pub fn paint(&self, text: &str, code: u8) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// The symbol of a node phase (empty for phases without one).
    pub fn phase_icon(&self, phase: &NodePhase) -> String {
        let (symbol, word, code) = match phase {
            NodePhase::Pending => ("◷", "Pending", FG_YELLOW),
            NodePhase::Running => ("●", "Running", FG_CYAN),
            NodePhase::Succeeded => ("✔", "Succeeded", FG_GREEN),
            NodePhase::Skipped => ("○", "Skipped", FG_DEFAULT),
            NodePhase::Failed => ("✖", "Failed", FG_RED),
            NodePhase::Error => ("⚠", "Error", FG_RED),
            _ => return String::new(),
        };
        self.paint(if self.utf8 { symbol } else { word }, code)
    }

    /// The symbol of a suspend node that waits to be resumed.
    pub fn suspend_icon(&self) -> String {
        self.paint(if self.utf8 { "ǁ" } else { "Suspend" }, FG_CYAN)
    }

    /// The symbol of a workflow condition (empty for most).
    pub fn condition_icon(&self, condition: Option<&ConditionType>) -> String {
        let (symbol, word, code) = match condition {
            Some(ConditionType::MetricsError) => ("✖", "Error", FG_RED),
            Some(ConditionType::SpecWarning) => ("⚠", "Warning", FG_YELLOW),
            _ => return String::new(),
        };
        self.paint(if self.utf8 { symbol } else { word }, code)
    }

    /// A stable colour per name (pod names in `argo logs`), as Argo picks them.
    pub fn name_color(name: &str) -> u8 {
        const COLORS: [u8; 6] = [FG_GREEN, FG_YELLOW, FG_BLUE, FG_MAGENTA, FG_CYAN, FG_WHITE];
        let sum: usize = name.chars().map(|c| c as usize).sum();
        COLORS[sum % COLORS.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_prints_symbols_without_escapes() {
        assert_eq!(Style::PLAIN.phase_icon(&NodePhase::Succeeded), "✔");
        let words = Style {
            color: false,
            utf8: false,
        };
        assert_eq!(words.phase_icon(&NodePhase::Failed), "Failed");
        let colored = Style {
            color: true,
            utf8: true,
        };
        assert_eq!(colored.phase_icon(&NodePhase::Running), "\x1b[36m●\x1b[0m");
    }

    #[test]
    fn name_colours_are_stable() {
        assert_eq!(Style::name_color("a"), Style::name_color("a"));
        // 'a' is 97; 97 % 6 = 1 -> yellow.
        assert_eq!(Style::name_color("a"), FG_YELLOW);
    }
}
