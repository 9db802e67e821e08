//! The commands of the `argoproj/argosay:v2` test image, provided by the project so that its
//! examples run without pulling the image.
//!
//! `argosay` (no arguments) prints `hello argo`; `echo [message [file]]` prints the message (or
//! writes it, with a newline, to `file`, creating parent directories); `cat file`;
//! `sleep duration` (a Go duration such as `1m30s`, or plain seconds); `exit [code]`;
//! `assert_contains file text` (prints matching lines, fails when there are none); `sh file`.
//! Anything else exits 1. This module only interprets those commands; it never touches pods.

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Duration;

/// Runs one argosay command line (without the program name); returns the process exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let arg = |i: usize| args.get(i).map(String::as_str);
    let outcome = match (arg(0), args.len()) {
        (None, _) | (Some("echo"), 1) => writeln!(out, "hello argo").map(|()| 0),
        (Some("echo"), 2) => writeln!(out, "{}", args[1]).map(|()| 0),
        (Some("echo"), 3) => echo_to_file(&args[1], Path::new(&args[2])),
        (Some("cat"), 2) => cat(Path::new(&args[1]), out, err),
        (Some("sleep"), 2) => match parse_duration(&args[1]) {
            Some(duration) => {
                std::thread::sleep(duration);
                Ok(0)
            }
            None => writeln!(err, "argosay: invalid duration {:?}", args[1]).map(|()| 1),
        },
        (Some("exit"), 1) => Ok(0),
        (Some("exit"), 2) => match args[1].trim().parse::<i32>() {
            Ok(code) => Ok(code & 0xff),
            Err(_) => writeln!(err, "argosay: invalid exit code {:?}", args[1]).map(|()| 2),
        },
        (Some("assert_contains"), 3) => assert_contains(Path::new(&args[1]), &args[2], out, err),
        (Some("sh"), 2) => run_shell(&args[1]),
        _ => writeln!(err, "argosay: unknown command {:?}", args.join(" ")).map(|()| 1),
    };
    let code = outcome.unwrap_or_else(|e| {
        let _ = writeln!(err, "argosay: {e}");
        1
    });
    let _ = out.flush();
    code
}

fn echo_to_file(message: &str, file: &Path) -> std::io::Result<i32> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(file, format!("{message}\n"))?;
    Ok(0)
}

fn cat(file: &Path, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    match std::fs::read(file) {
        Ok(bytes) => out.write_all(&bytes).map(|()| 0),
        Err(e) => writeln!(err, "argosay: cat {}: {e}", file.display()).map(|()| 1),
    }
}

fn assert_contains(
    file: &Path,
    text: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    let reader = match std::fs::File::open(file) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => return writeln!(err, "argosay: {}: {e}", file.display()).map(|()| 2),
    };
    let mut found = false;
    for line in reader.lines() {
        let line = line?;
        if line.contains(text) {
            writeln!(out, "{line}")?;
            found = true;
        }
    }
    Ok(if found { 0 } else { 1 })
}

fn run_shell(script: &str) -> std::io::Result<i32> {
    let status = std::process::Command::new("sh").arg(script).status()?;
    Ok(status.code().unwrap_or(128))
}

/// Parses a Go duration (`1h2m3.5s`, `300ms`, `0`) or a plain number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    (total.is_finite() && total >= 0.0).then(|| Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn no_arguments_says_hello_argo() {
        assert_eq!(say(&[]), (0, "hello argo\n".into(), String::new()));
        assert_eq!(say(&["echo"]).1, "hello argo\n");
    }

    #[test]
    fn echo_prints_or_writes_a_file() {
        assert_eq!(say(&["echo", "hi there"]).1, "hi there\n");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/out.txt");
        assert_eq!(say(&["echo", "saved", file.to_str().unwrap()]).0, 0);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "saved\n");
        assert_eq!(say(&["cat", file.to_str().unwrap()]).1, "saved\n");
        assert_eq!(
            say(&["assert_contains", file.to_str().unwrap(), "save"]).0,
            0
        );
        assert_eq!(
            say(&["assert_contains", file.to_str().unwrap(), "nope"]).0,
            1
        );
    }

    #[test]
    fn exit_uses_the_given_code_and_unknown_commands_fail() {
        assert_eq!(say(&["exit"]).0, 0);
        assert_eq!(say(&["exit", "3"]).0, 3);
        assert_eq!(say(&["frobnicate"]).0, 1);
        assert_eq!(say(&["cat", "/nonexistent/file"]).0, 1);
    }

    #[test]
    fn go_durations_and_plain_seconds_parse() {
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("300ms"), Some(Duration::from_millis(300)));
        assert_eq!(parse_duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert_eq!(parse_duration(""), None);
    }
}
