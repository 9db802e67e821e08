//! The golden simulation's pod script: what each example pod would print, write and exit
//! with. Shell, echo and argosay commands go through [`shell`]; Python is not run: a `print`
//! of a literal is understood, anything else needs an entry in [`python_override`] (random
//! choices are fixed there, so every example has one deterministic outcome).
//!
//! Must not: run processes or read the clock.

use std::collections::BTreeMap;

use argo_core::k8s_openapi::api::core::v1::Container;
use argo_core::{Template, ValueFrom};
use argo_engine::simulation::{PodOutcome, PodRequest};
use jiff::SignedDuration;

use crate::shell::{self, Run};

/// Per-example state: how many pods of each template ran so far.
#[derive(Debug, Default)]
pub struct Pods {
    pub example: String,
    attempts: BTreeMap<String, usize>,
}

impl Pods {
    pub fn new(example: &str) -> Self {
        Pods {
            example: example.to_owned(),
            attempts: BTreeMap::new(),
        }
    }

    /// The outcome of one pod.
    pub fn outcome(&mut self, request: &PodRequest) -> PodOutcome {
        let template = &request.template;
        let attempt = self.attempts.entry(template.name.clone()).or_default();
        let n = *attempt;
        *attempt += 1;
        let env = main_env(request);
        let inputs: BTreeMap<String, String> = template
            .inputs
            .parameters
            .iter()
            .map(|p| {
                let value = p.value.as_ref().map(|v| v.0.clone()).unwrap_or_default();
                (p.name.clone(), value)
            })
            .collect();
        let mut run = Run::default();
        if let Some(fixed) = python_override(&self.example, &template.name, &inputs, n) {
            run = fixed;
        } else if let Some(script) = &template.script {
            let source = script.source.clone();
            let mut argv = script.container.command.clone().unwrap_or_default();
            if is_python(&argv) {
                python(&source, &mut run);
            } else {
                argv.push(source);
                argv_with_script(&argv, &env, &mut run);
            }
        } else if let Some(set) = &template.container_set {
            let mut main_stdout = String::new();
            for node in &set.containers {
                run.stdout.clear();
                container_run(&node.container, &env, &mut run);
                if node.container.name == "main" {
                    main_stdout = run.stdout.clone();
                }
                if run.exit_code != 0 {
                    break;
                }
            }
            run.stdout = main_stdout;
        } else if let Some(container) = &template.container {
            container_run(container, &env, &mut run);
        }
        if std::env::var_os("GOLDEN_DEBUG").is_some() {
            eprintln!("pod {} ({}): {run:?}", request.node_name, template.name);
        }
        outcome(template, run)
    }
}

fn outcome(template: &Template, run: Run) -> PodOutcome {
    let mut outcome = PodOutcome::exit(run.exit_code)
        .taking(SignedDuration::from_secs(run.seconds.max(1)))
        .with_stdout(trim_newline(&run.stdout));
    for declared in &template.outputs.parameters {
        let Some(ValueFrom { path, .. }) = &declared.value_from else {
            continue;
        };
        if let Some(text) = run.files.get(path) {
            outcome = outcome.with_parameter(&declared.name, trim_newline(text));
        }
    }
    outcome
}

fn trim_newline(text: &str) -> String {
    text.strip_suffix('\n').unwrap_or(text).to_owned()
}

/// The user env of the rendered main container (values already substituted).
fn main_env(request: &PodRequest) -> BTreeMap<String, String> {
    request
        .pod
        .spec
        .as_ref()
        .and_then(|s| s.containers.iter().find(|c| c.name == "main"))
        .and_then(|c| c.env.clone())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| Some((e.name, e.value?)))
        .collect()
}

fn is_python(argv: &[String]) -> bool {
    argv.first()
        .is_some_and(|p| p.rsplit('/').next().unwrap_or(p).starts_with("python"))
}

/// Runs a script template's command with its source as the script text.
fn argv_with_script(argv: &[String], env: &BTreeMap<String, String>, run: &mut Run) {
    let source = argv.last().cloned().unwrap_or_default();
    let program = argv.first().map(String::as_str).unwrap_or("sh");
    match program.rsplit('/').next().unwrap_or(program) {
        "sh" | "bash" => shell::shell(&source, env, run),
        _ => {}
    }
}

fn container_run(container: &Container, env: &BTreeMap<String, String>, run: &mut Run) {
    let mut argv = container.command.clone().unwrap_or_default();
    argv.extend(container.args.clone().unwrap_or_default());
    let image = container.image.clone().unwrap_or_default();
    if container.command.is_none() && image.contains("argosay") {
        shell::argosay(&argv, run);
    } else if is_python(&argv) {
        let code = argv
            .iter()
            .skip_while(|a| *a != "-c")
            .nth(1)
            .cloned()
            .unwrap_or_default();
        python(&code, run);
    } else {
        shell::argv(&argv, env, run);
    }
}

/// Understands `print("literal")` / `print('literal')` lines and statements; ignores the
/// rest (imports, asserts on substituted literals).
fn python(code: &str, run: &mut Run) {
    for statement in code.split(['\n', ';']) {
        let statement = statement.trim();
        let Some(body) = statement
            .strip_prefix("print(")
            .and_then(|s| s.strip_suffix(')'))
        else {
            continue;
        };
        let literal = body
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .or_else(|| body.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')));
        if let Some(text) = literal {
            run.stdout.push_str(text);
            run.stdout.push('\n');
        }
    }
}

fn printed(text: impl Into<String>) -> Run {
    Run {
        stdout: format!("{}\n", text.into()),
        ..Run::default()
    }
}

fn exits(code: i32) -> Run {
    Run {
        exit_code: code,
        ..Run::default()
    }
}

/// Fixed outcomes for Python programs the stand-in cannot run (random choices, JSON).
/// `attempt` counts earlier pods of the same template in this example.
fn python_override(
    example: &str,
    template: &str,
    inputs: &BTreeMap<String, String>,
    attempt: usize,
) -> Option<Run> {
    let input = |name: &str| inputs.get(name).cloned().unwrap_or_default();
    let number = |name: &str| input(name).trim().parse::<i64>().unwrap_or(0);
    let file = example.rsplit('/').next().unwrap_or(example);
    Some(match (file, template) {
        // Recursive coin flips: tails first, so the recursion runs once.
        ("coinflip-recursive.yaml" | "dag-coinflip.yaml", "flip-coin") => {
            printed(if attempt == 0 { "tails" } else { "heads" })
        }
        // Heads, then tails: the complex condition and the tails regex hold.
        ("conditionals-complex.yaml", "flip-coin") => {
            printed(if attempt == 0 { "heads" } else { "tails" })
        }
        (_, "flip-coin") => printed("heads"),
        ("loops-param-result.yaml", "gen-number-list") => {
            let list: Vec<String> = (20..=30).map(|i| i.to_string()).collect();
            printed(format!("[{}]", list.join(", ")))
        }
        ("map-reduce.yaml", "split") => {
            let parts: Vec<String> = (0..number("numParts"))
                .map(|i| format!("\"{i}\""))
                .collect();
            printed(format!("[{}]", parts.join(", ")))
        }
        ("parameter-aggregation-script.yaml", "odd-or-even") => {
            let i = number("num");
            let evenness = if i % 2 == 0 { "even" } else { "odd" };
            printed(format!("{{\"num\": {i}, \"evenness\": \"{evenness}\"}}"))
        }
        ("recursive-for-loop.yaml", "counter-iteration") => {
            printed((number("counter") + 1).to_string())
        }
        // First result 2 (two outer iterations), then 1 for every inner one.
        ("withsequence-nested-result.yaml", "hello") => {
            printed(if attempt == 0 { "2" } else { "1" })
        }
        ("scripts-python.yaml", "gen-random-int") => printed("42"),
        // A resubmit demo: one task fails, so the workflow fails (the likely outcome).
        ("resubmit.yaml", "random-fail") => {
            let code = i32::from(attempt == 0);
            Run {
                exit_code: code,
                ..printed(format!("exiting with code {code}"))
            }
        }
        // Random failures retried: the first attempt fails, the next succeeds.
        ("retry-backoff.yaml" | "template-defaults.yaml", "retry-backoff")
        | ("retry-script.yaml", "retry-script")
        | (_, "random-fail" | "random-fail-template") => exits(i32::from(attempt == 0)),
        ("retry-on-error.yaml", "error-container") => exits(if attempt == 0 { 3 } else { 0 }),
        // Exit 2 is retried by the expression, exit 1 is not: fails after two attempts.
        ("retry-conditional.yaml", "retry-script") => exits(if attempt == 0 { 2 } else { 1 }),
        _ => return None,
    })
}
