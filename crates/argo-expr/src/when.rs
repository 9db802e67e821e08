//! `when` conditions, evaluated as Argo's controller does after substitution.
//!
//! Role: Argo parses the condition with govaluate, turns every bare word into a string literal
//! (so `heads == heads` needs no quotes), evaluates with no parameters and requires a boolean.
//! An empty condition is true. CronWorkflow `when` skips the bare-word step.
//! Must not: substitute tags; callers substitute first (see [`crate::substitute`]).

use crate::error::{Error, Result};
use crate::govaluate::{self, GoValue};

/// Evaluates a substituted step/task `when` condition.
pub fn evaluate(condition: &str) -> Result<bool> {
    evaluate_with(condition, true)
}

/// Evaluates a substituted CronWorkflow `when` condition (bare words stay variables, which are
/// never bound, so they fail).
pub fn evaluate_cron(condition: &str) -> Result<bool> {
    evaluate_with(condition, false)
}

fn evaluate_with(condition: &str, bare_words_are_strings: bool) -> Result<bool> {
    if condition.is_empty() {
        return Ok(true);
    }
    let parsed = if bare_words_are_strings {
        govaluate::parse_with_variables_as_strings(condition)
    } else {
        govaluate::parse(condition)
    }
    .map_err(hint_quotes)?;
    match parsed.evaluate()? {
        GoValue::Bool(result) => Ok(result),
        other => Err(Error::When {
            condition: condition.to_owned(),
            position: 0,
            message: format!("Expected boolean evaluation for '{condition}'. Got {other}"),
        }),
    }
}

fn hint_quotes(error: Error) -> Error {
    match error {
        Error::When {
            condition,
            position,
            message,
        } if message.contains("Invalid token") => Error::When {
            condition,
            position,
            message: format!(
                "{message} (hint: try wrapping the affected expression in quotes (\"))"
            ),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_words_compare_as_strings() {
        assert_eq!(evaluate("heads == heads"), Ok(true));
        assert_eq!(evaluate("heads != tails"), Ok(true));
        assert!(evaluate_cron("heads == heads").is_err());
    }

    #[test]
    fn long_chains_and_deep_nesting_never_overflow_the_stack() {
        let chain = vec!["a == a"; 700].join(" && ");
        assert_eq!(evaluate(&chain), Ok(true));
        let sum = vec!["1"; 1400].join(" + ");
        assert_eq!(evaluate(&format!("{sum} > 0")), Ok(true));
        let longer = vec!["1"; 5000].join(" + ");
        assert!(evaluate(&format!("{longer} > 0")).is_err());
        let nested = format!("{}true{}", "(".repeat(3000), ")".repeat(3000));
        assert!(evaluate(&nested).is_err());
    }

    #[test]
    fn an_empty_condition_is_true_and_a_number_is_an_error() {
        assert_eq!(evaluate(""), Ok(true));
        assert!(evaluate("1 + 1").is_err());
    }
}
