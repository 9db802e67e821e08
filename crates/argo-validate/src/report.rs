//! Lint results and their two textual forms, matching `argo lint -o pretty` (a block per file,
//! `✖` per problem, a summary line) and `-o simple` (one `file: problem` line each).
//!
//! Must not: decide what is an error; it only presents diagnostics.

use std::fmt;

use argo_core::FieldPath;

/// One lint problem in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Position of the document in its input, from 0.
    pub document: usize,
    /// The document's kind (`Workflow`...).
    pub kind: String,
    /// The object's name as Argo shows it: name, else generateName, else `object #N`.
    pub name: String,
    /// The field the problem is about.
    pub path: FieldPath,
    /// 1-based line of that field (or of the document) when known.
    pub line: Option<usize>,
    /// Argo's message.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "in \"{}\" ({}): {}", self.name, self.kind, self.message)
    }
}

/// The lint result of one input (a file or stdin).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintReport {
    /// Where the input came from, as shown in output (a path or `stdin`).
    pub origin: String,
    /// Whether the input held at least one document of a linted kind.
    pub linted: bool,
    /// The problems found, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl LintReport {
    /// Whether the input was linted and had no problems.
    pub fn is_clean(&self) -> bool {
        self.linted && self.diagnostics.is_empty()
    }
}

/// Output format of `argo lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Per-file blocks with marks and a summary (the default).
    #[default]
    Pretty,
    /// One line per problem.
    Simple,
}

impl std::str::FromStr for Format {
    type Err = crate::Error;

    fn from_str(name: &str) -> crate::Result<Self> {
        match name {
            "pretty" => Ok(Format::Pretty),
            "simple" => Ok(Format::Simple),
            other => Err(crate::Error::UnknownFormat {
                name: other.to_owned(),
            }),
        }
    }
}

/// Whether a set of reports passes: something was linted and nothing failed.
pub fn is_success(reports: &[LintReport]) -> bool {
    let linted: Vec<&LintReport> = reports.iter().filter(|r| r.linted).collect();
    !linted.is_empty() && linted.iter().all(|r| r.diagnostics.is_empty())
}

const UNDERLINE: &str = "\x1b[4m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";

fn paint(color: &str, text: &str, enabled: bool) -> String {
    if enabled {
        format!("{color}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// The text printed for one report.
pub fn format_report(report: &LintReport, format: Format, color: bool) -> String {
    if !report.linted || report.diagnostics.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    match format {
        Format::Pretty => {
            out.push_str(&paint(UNDERLINE, &report.origin, color));
            out.push_str(":\n");
            for diagnostic in &report.diagnostics {
                out.push_str(&format!("   {} {diagnostic}\n", paint(RED, "✖", color)));
            }
            out.push('\n');
        }
        Format::Simple => {
            for diagnostic in &report.diagnostics {
                out.push_str(&format!("{}: {diagnostic}\n", report.origin));
            }
        }
    }
    out
}

/// The summary printed after all reports.
pub fn format_summary(reports: &[LintReport], format: Format, color: bool) -> String {
    let anything_linted = reports.iter().any(|r| r.linted);
    let success = is_success(reports);
    match format {
        Format::Pretty if success => {
            format!("{} no linting errors found!\n", paint(GREEN, "✔", color))
        }
        Format::Pretty if !anything_linted => format!(
            "{}\n",
            paint(
                RED,
                "✖ found nothing to lint in the specified paths, failing...",
                color
            )
        ),
        Format::Pretty => {
            let total: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
            format!(
                "{}\n",
                paint(RED, &format!("✖ {total} linting errors found!"), color)
            )
        }
        Format::Simple if success => "no linting errors found!\n".to_owned(),
        Format::Simple if !anything_linted => {
            "found nothing to lint in the specified paths, failing...\n".to_owned()
        }
        Format::Simple => String::new(),
    }
}

/// Everything `argo lint` prints for a run: each report, then the summary.
pub fn format_all(reports: &[LintReport], format: Format, color: bool) -> String {
    let mut out: String = reports
        .iter()
        .map(|r| format_report(r, format, color))
        .collect();
    out.push_str(&format_summary(reports, format, color));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(origin: &str, messages: &[&str]) -> LintReport {
        LintReport {
            origin: origin.to_owned(),
            linted: true,
            diagnostics: messages
                .iter()
                .map(|m| Diagnostic {
                    document: 0,
                    kind: "Workflow".to_owned(),
                    name: "steps-".to_owned(),
                    path: FieldPath::root(),
                    line: None,
                    message: (*m).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn pretty_output_matches_argo_with_colour() {
        let text = format_report(
            &failing("test1", &["some error", "some error2"]),
            Format::Pretty,
            true,
        );
        assert_eq!(
            text,
            "\x1b[4mtest1\x1b[0m:\n   \x1b[31m✖\x1b[0m in \"steps-\" (Workflow): some error\n   \x1b[31m✖\x1b[0m in \"steps-\" (Workflow): some error2\n\n"
        );
    }

    #[test]
    fn simple_output_is_one_line_per_problem() {
        let text = format_all(&[failing("stdin", &["lint error"])], Format::Simple, false);
        assert_eq!(text, "stdin: in \"steps-\" (Workflow): lint error\n");
    }

    #[test]
    fn summaries_cover_success_failure_and_nothing_linted() {
        let clean = LintReport {
            origin: "a".into(),
            linted: true,
            diagnostics: vec![],
        };
        assert_eq!(
            format_summary(&[clean], Format::Pretty, false),
            "✔ no linting errors found!\n"
        );
        assert_eq!(
            format_summary(&[failing("a", &["x", "y"])], Format::Pretty, false),
            "✖ 2 linting errors found!\n"
        );
        assert_eq!(
            format_summary(&[], Format::Simple, false),
            "found nothing to lint in the specified paths, failing...\n"
        );
    }
}
