//! Slash-separated path functions with Go's `path` semantics (`Clean` resolves `.`/`..` and
//! duplicate slashes lexically; `Base`/`Dir`/`Ext` follow from it). The `os*` variants share
//! these because Argo runs on Linux, where `filepath` is `path`.
//! Must not: touch the file system.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;

/// Go's `path.Clean`.
pub(crate) fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn base_name(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

pub(crate) fn base(args: &Args) -> Result<Value> {
    Ok(Value::String(base_name(args.str(0)?)))
}

pub(crate) fn dir(args: &Args) -> Result<Value> {
    let path = args.str(0)?;
    let head = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    Ok(Value::String(clean_path(head)))
}

pub(crate) fn clean(args: &Args) -> Result<Value> {
    Ok(Value::String(clean_path(args.str(0)?)))
}

pub(crate) fn ext(args: &Args) -> Result<Value> {
    let path = args.str(0)?;
    let last = path.rsplit('/').next().unwrap_or(path);
    let ext = last.rfind('.').map_or("", |i| &last[i..]);
    Ok(Value::String(ext.to_string()))
}

pub(crate) fn is_abs(args: &Args) -> Result<Value> {
    Ok(Value::Bool(args.str(0)?.starts_with('/')))
}
