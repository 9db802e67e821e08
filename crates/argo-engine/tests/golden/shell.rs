//! A tiny stand-in for the programs the example pods run, so the golden simulation can give
//! each pod the stdout, files, exit code and run time its command would produce: `echo`,
//! `sleep`, `exit`, `cat`, `tee`, `wc -l`, redirections, `;`/`&&`/`||`/newline lists,
//! `$VAR`/`${VAR}` from the container's env and `$((a op b))` integer arithmetic, plus the
//! argosay image's verbs. Anything else runs silently and exits 0.
//!
//! Must not: run a real process or touch the file system (files live in a map).

use std::collections::BTreeMap;

/// What a command line produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    pub stdout: String,
    pub exit_code: i32,
    /// Files written, by absolute path.
    pub files: BTreeMap<String, String>,
    /// Seconds spent sleeping.
    pub seconds: i64,
    /// Set by `exit`: the script ends.
    pub exited: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Op(&'static str),
}

/// Parses a sleep duration (`10`, `15s`, `2m`, `1h`, `1d`).
pub fn seconds(text: &str) -> i64 {
    let (number, unit) = text.split_at(text.trim_end_matches(char::is_alphabetic).len());
    let n: f64 = number.parse().unwrap_or(0.0);
    let scale = match unit {
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => 1.0,
    };
    (n * scale).ceil() as i64
}

/// Runs the argosay image's entrypoint with `args`.
pub fn argosay(args: &[String], run: &mut Run) {
    match args.first().map(String::as_str) {
        None => run.stdout.push_str("hello argo\n"),
        Some("echo") => match (args.get(1), args.get(2)) {
            (Some(msg), Some(file)) => {
                run.files.insert(file.clone(), msg.clone());
            }
            (Some(msg), None) => {
                run.stdout.push_str(msg);
                run.stdout.push('\n');
            }
            _ => run.stdout.push('\n'),
        },
        Some("cat") => {
            let text = args
                .get(1)
                .and_then(|f| run.files.get(f))
                .cloned()
                .unwrap_or_default();
            run.stdout.push_str(&text);
        }
        Some("sleep") => run.seconds += args.get(1).map_or(0, |d| seconds(d)),
        Some("exit") => run.exit_code = args.get(1).and_then(|c| c.parse().ok()).unwrap_or(0),
        _ => {}
    }
}

/// Runs an argv (a container's command + args) directly, without a shell.
pub fn argv(args: &[String], env: &BTreeMap<String, String>, run: &mut Run) {
    let Some(program) = args.first() else {
        return;
    };
    let base = program.rsplit('/').next().unwrap_or(program);
    match base {
        "sh" | "bash" => {
            let script = args
                .iter()
                .skip(1)
                .find(|a| !a.starts_with('-'))
                .cloned()
                .unwrap_or_default();
            shell(&script, env, run);
        }
        "argosay" => argosay(&args[1..], run),
        _ => {
            let output = builtin(args, "", run);
            run.stdout.push_str(&output);
        }
    }
}

/// Runs a shell script.
pub fn shell(script: &str, env: &BTreeMap<String, String>, run: &mut Run) {
    let tokens = tokenize(script, env);
    for list in tokens.split(|t| matches!(t, Token::Op(";") | Token::Op("\n"))) {
        let mut run_this = true;
        let mut rest = list;
        loop {
            let end = rest
                .iter()
                .position(|t| matches!(t, Token::Op("&&") | Token::Op("||")))
                .unwrap_or(rest.len());
            if run_this {
                pipeline(&rest[..end], run);
                if run.exited {
                    return;
                }
            }
            match rest.get(end) {
                Some(Token::Op("&&")) => run_this = run.exit_code == 0,
                Some(Token::Op("||")) => run_this = run.exit_code != 0,
                _ => break,
            }
            rest = &rest[end + 1..];
        }
    }
}

fn pipeline(tokens: &[Token], run: &mut Run) {
    let mut input = String::new();
    let stages: Vec<&[Token]> = tokens.split(|t| *t == Token::Op("|")).collect();
    let count = stages.len();
    run.exit_code = 0;
    for (index, stage) in stages.into_iter().enumerate() {
        let mut args = Vec::new();
        let mut redirect = None;
        let mut iter = stage.iter();
        while let Some(token) = iter.next() {
            match token {
                Token::Word(w) => args.push(w.clone()),
                Token::Op(">") => {
                    if let Some(Token::Word(path)) = iter.next() {
                        redirect = Some(path.clone());
                    }
                }
                Token::Op(_) => {}
            }
        }
        let output = builtin(&args, &input, run);
        if let Some(path) = redirect {
            run.files.insert(path, output);
            input = String::new();
        } else {
            input = output;
        }
        if run.exited {
            return;
        }
        if index + 1 == count {
            run.stdout.push_str(&input);
        }
    }
}

/// Runs one simple command with `input` as stdin; returns its stdout.
fn builtin(args: &[String], input: &str, run: &mut Run) -> String {
    let Some(program) = args.first() else {
        return String::new();
    };
    let rest = &args[1..];
    match program.rsplit('/').next().unwrap_or(program) {
        "echo" => {
            let (newline, words) = match rest.first().map(String::as_str) {
                Some("-n") => (false, &rest[1..]),
                _ => (true, rest),
            };
            let mut out = words.join(" ");
            if newline {
                out.push('\n');
            }
            out
        }
        "cat" if rest.is_empty() => input.to_owned(),
        "cat" => rest
            .iter()
            .map(|f| run.files.get(f).cloned().unwrap_or_default())
            .collect(),
        "tee" => {
            for file in rest {
                run.files.insert(file.clone(), input.to_owned());
            }
            input.to_owned()
        }
        "wc" => format!("{}\n", input.lines().count()),
        "head" => input.to_owned(),
        "sleep" => {
            run.seconds += rest.first().map_or(0, |d| seconds(d));
            String::new()
        }
        "exit" => {
            run.exit_code = rest.first().and_then(|c| c.parse().ok()).unwrap_or(0);
            run.exited = true;
            String::new()
        }
        "false" => {
            run.exit_code = 1;
            String::new()
        }
        _ => String::new(),
    }
}

/// Splits a script into words (quotes removed, variables expanded) and operators.
fn tokenize(script: &str, env: &BTreeMap<String, String>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let flush = |word: &mut String, in_word: &mut bool, tokens: &mut Vec<Token>| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if next == Some('\n') => i += 1,
            ' ' | '\t' => flush(&mut word, &mut in_word, &mut tokens),
            '\n' | ';' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Op(if c == ';' { ";" } else { "\n" }));
            }
            '&' if next == Some('&') => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Op("&&"));
                i += 1;
            }
            '|' if next == Some('|') => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Op("||"));
                i += 1;
            }
            '|' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Op("|"));
            }
            '>' => {
                flush(&mut word, &mut in_word, &mut tokens);
                tokens.push(Token::Op(">"));
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '$' {
                        i = expand(&chars, i, env, &mut word);
                        continue;
                    }
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '$' => {
                in_word = true;
                i = expand(&chars, i, env, &mut word);
                continue;
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
        i += 1;
    }
    flush(&mut word, &mut in_word, &mut tokens);
    tokens
}

/// Expands the `$…` at `start` into `out`; returns the index after it.
fn expand(chars: &[char], start: usize, env: &BTreeMap<String, String>, out: &mut String) -> usize {
    let rest: String = chars[start..].iter().collect();
    if let Some(body) = rest.strip_prefix("$((")
        && let Some(end) = body.find("))")
    {
        out.push_str(&arithmetic(&body[..end]).to_string());
        return start + 3 + body[..end].chars().count() + 2;
    }
    if let Some(body) = rest.strip_prefix("${")
        && let Some(end) = body.find('}')
    {
        out.push_str(env.get(&body[..end]).map_or("", String::as_str));
        return start + 2 + body[..end].chars().count() + 1;
    }
    let name: String = rest[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        out.push('$');
        return start + 1;
    }
    out.push_str(env.get(&name).map_or("", String::as_str));
    start + 1 + name.chars().count()
}

/// Evaluates `a op b` (or a single integer) with + - * / %.
fn arithmetic(expr: &str) -> i64 {
    let expr = expr.trim();
    for op in ['+', '-', '*', '/', '%'] {
        if let Some((a, b)) = expr.rsplit_once(op)
            && !a.trim().is_empty()
        {
            let (a, b) = (arithmetic(a), arithmetic(b));
            return match op {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                '/' if b != 0 => a / b,
                '%' if b != 0 => a % b,
                _ => 0,
            };
        }
    }
    expr.parse().unwrap_or(0)
}
