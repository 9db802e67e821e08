//! Property tests over generated boolean formulas: `depends` and `when` agree with a direct
//! evaluation of the same formula, so precedence, associativity and negation are right.

use argo_expr::depends::{self, TaskState};
use argo_expr::when;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Formula {
    Leaf(usize),
    Not(Box<Formula>),
    And(Box<Formula>, Box<Formula>),
    Or(Box<Formula>, Box<Formula>),
}

fn formula() -> impl Strategy<Value = Formula> {
    let leaf = (0..4usize).prop_map(Formula::Leaf);
    leaf.prop_recursive(5, 32, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|f| Formula::Not(Box::new(f))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| Formula::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Formula::Or(Box::new(a), Box::new(b))),
        ]
    })
}

impl Formula {
    fn truth(&self, values: &[bool; 4]) -> bool {
        match self {
            Formula::Leaf(n) => values[*n],
            Formula::Not(f) => !f.truth(values),
            Formula::And(a, b) => a.truth(values) && b.truth(values),
            Formula::Or(a, b) => a.truth(values) || b.truth(values),
        }
    }

    /// Renders with the fewest parentheses the usual precedence (! > && > ||) allows.
    fn render(&self, leaf: &dyn Fn(usize) -> String, out: &mut String, parent: u8) {
        let (precedence, text) = match self {
            Formula::Leaf(n) => {
                out.push_str(&leaf(*n));
                return;
            }
            Formula::Not(f) => {
                // govaluate cannot lex `!!`, so a negated operand is always parenthesised.
                out.push_str("!(");
                f.render(leaf, out, 0);
                out.push(')');
                return;
            }
            Formula::And(..) => (2, " && "),
            Formula::Or(..) => (1, " || "),
        };
        let (Formula::And(a, b) | Formula::Or(a, b)) = self else {
            return;
        };
        let wrap = precedence < parent;
        if wrap {
            out.push('(');
        }
        a.render(leaf, out, precedence);
        out.push_str(text);
        // Right operands of the same operator are parenthesised to keep the tree's shape.
        b.render(leaf, out, precedence + 1);
        if wrap {
            out.push(')');
        }
    }
}

const TASKS: [&str; 4] = ["a", "task-b", "c1", "d-d"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn depends_agrees_with_direct_evaluation(f in formula(), values in any::<[bool; 4]>()) {
        let mut text = String::new();
        f.render(&|n| format!("{}.Succeeded", TASKS[n]), &mut text, 0);
        let parsed = depends::parse(&text).expect("generated depends parses");
        let outcome = parsed.evaluate(&|task| {
            let index = TASKS.iter().position(|t| *t == task).expect("known task");
            TaskState { succeeded: values[index], ..TaskState::default() }
        });
        prop_assert_eq!(outcome, f.truth(&values), "{}", text);
    }

    #[test]
    fn when_agrees_with_direct_evaluation(f in formula(), values in any::<[bool; 4]>()) {
        let mut text = String::new();
        f.render(&|n| format!("{} == {}", if values[n] { "yes" } else { "no" }, "yes"), &mut text, 0);
        prop_assert_eq!(when::evaluate(&text), Ok(f.truth(&values)), "{}", text);
    }
}
