//! Micro benchmark: substitution of a 1,000-parameter template and evaluation of 100,000 `when`
//! conditions. Run with `cargo run --release -p argo-expr --example expr_bench`.

use std::hint::black_box;
use std::time::Instant;

use argo_expr::{Options, Scope, Unresolved, substitute_json, when};
use serde_json::{Value, json};

fn main() {
    let parameters = 1_000;
    let mut scope = Scope::new();
    let mut args = Vec::with_capacity(parameters);
    for n in 0..parameters {
        scope.insert(format!("inputs.parameters.p{n}"), format!("value-{n}"));
        args.push(json!({
            "name": format!("p{n}"),
            "value": format!("--p{n}={{{{inputs.parameters.p{n}}}}} ({{{{workflow.name}}}})"),
        }));
    }
    scope.insert("workflow.name", "bench");
    let template = json!({"container": {"image": "alpine", "args": args}});
    let opts = Options::new(
        Unresolved::RejectPrefixes(vec!["inputs".into()]),
        jiff::Timestamp::UNIX_EPOCH,
    );

    let rounds = 100;
    let started = Instant::now();
    let mut last = Value::Null;
    for _ in 0..rounds {
        last = substitute_json(black_box(&template), &scope, &opts).expect("substitutes");
    }
    let per_template = started.elapsed() / rounds;
    assert_eq!(
        last["container"]["args"][999]["value"],
        "--p999=value-999 (bench)"
    );
    println!(
        "substitute_json: {parameters} parameters ({} tags) in {per_template:?} per template",
        parameters * 2
    );

    let conditions = [
        "heads == heads",
        "5 > 3 && tails != heads",
        "'v1.2.3' =~ '^v1\\.' || false",
        "(1 + 2) * 3 == 9 && !(2 > 3)",
    ];
    let evaluations = 100_000;
    let started = Instant::now();
    let mut trues = 0;
    for n in 0..evaluations {
        if when::evaluate(black_box(conditions[n % conditions.len()])).expect("evaluates") {
            trues += 1;
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(trues, evaluations);
    println!(
        "when::evaluate: {evaluations} conditions in {elapsed:?} ({:?} each)",
        elapsed / u32::try_from(evaluations).unwrap_or(u32::MAX)
    );
}
