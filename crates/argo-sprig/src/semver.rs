//! Semantic versions and Masterminds-style constraints (`semver`, `semverCompare`): lenient
//! versions (`v1.2` is 1.2.0), constraints joined by `,` or spaces (and) and `||` (or), with
//! `= != > < >= <= ~ ~> ^`, hyphen ranges (`1.2 - 1.4.5`) and `x`/`X`/`*` wildcards; a
//! version with a pre-release only satisfies a comparison whose bound has one too.
//! Must not: depend on the `semver` crate's Cargo-flavoured requirement syntax.

use std::cmp::Ordering;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::Result;
use crate::arguments::Args;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
}

fn version_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?$")
            .expect("the version pattern is valid")
    })
}

impl Version {
    /// Masterminds' `NewVersion`: missing minor/patch are 0, a `v` prefix is allowed.
    pub fn parse(text: &str) -> Result<Self, String> {
        let caps = version_pattern()
            .captures(text)
            .ok_or_else(|| "Invalid Semantic Version".to_string())?;
        let number = |i: usize| -> Result<u64, String> {
            caps.get(i).map_or(Ok(0), |m| {
                m.as_str()
                    .trim_start_matches('.')
                    .parse()
                    .map_err(|e| format!("Error parsing version segment: {e}"))
            })
        };
        let pre = caps.get(4).map_or("", |m| m.as_str()).to_string();
        for part in pre.split('.').filter(|p| !p.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Err("Version segment starts with 0".into());
            }
        }
        Ok(Self {
            major: number(1)?,
            minor: number(2)?,
            patch: number(3)?,
            pre,
            metadata: caps.get(5).map_or("", |m| m.as_str()).to_string(),
        })
    }

    fn release(&self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }

    /// Precedence; build metadata is ignored.
    pub fn compare(&self, other: &Self) -> Ordering {
        self.release()
            .cmp(&other.release())
            .then_with(|| compare_prerelease(&self.pre, &other.pre))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    if a.is_empty() {
        return Ordering::Greater;
    }
    if b.is_empty() {
        return Ordering::Less;
    }
    let (left, right): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for i in 0..left.len().max(right.len()) {
        let (x, y) = (
            left.get(i).copied().unwrap_or(""),
            right.get(i).copied().unwrap_or(""),
        );
        let order = compare_prerelease_part(x, y);
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

fn compare_prerelease_part(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// One comparison of a constraint; a `dirty` bound had wildcard or missing parts.
struct Bound {
    op: String,
    version: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

const PART: &str = r"[0-9|x|X|\*]+";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

fn loose_version() -> String {
    format!(
        r"v?({PART})(\.{PART})?(\.{PART})?(-[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*)?(?:\+[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*)?"
    )
}

struct Patterns {
    range: Regex,
    valid: Regex,
    find: Regex,
    single: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let cv = loose_version();
        let plain = cv.replace('(', "(?:").replace("(?:?:", "(?:");
        let build = |p: String| Regex::new(&p).expect("the constraint patterns are valid");
        Patterns {
            range: build(format!(r"\s*({plain})\s+-\s+({plain})\s*")),
            valid: build(format!(
                r"^(?:\s*(?:{OPS})\s*(?:{plain})\s*)(?:(?:\s+|,\s*)(?:{OPS})\s*(?:{plain})\s*)*$"
            )),
            find: build(format!(r"(?:{OPS})\s*(?:{plain})")),
            single: build(format!(r"^\s*({OPS})\s*({cv})\s*$")),
        }
    })
}

fn is_wildcard(part: &str) -> bool {
    matches!(part, "x" | "X" | "*")
}

fn parse_bound(text: &str) -> Result<Bound, String> {
    let caps = patterns()
        .single
        .captures(text)
        .ok_or_else(|| format!("improper constraint: {text}"))?;
    let group = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let (major, minor, patch, pre) = (group(3), group(4), group(5), group(6));
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let mut text = group(2).to_string();
    if is_wildcard(major) {
        text = format!("0.0.0{pre}");
        dirty = true;
    } else if minor.is_empty() || is_wildcard(&minor[1..]) {
        text = format!("{major}.0.0{pre}");
        (dirty, minor_dirty) = (true, true);
    } else if patch.is_empty() || is_wildcard(&patch[1..]) {
        text = format!("{major}{minor}.0{pre}");
        (dirty, patch_dirty) = (true, true);
    }
    let version = Version::parse(&text).map_err(|_| "constraint Parser Error".to_string())?;
    Ok(Bound {
        op: group(1).to_string(),
        version,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

impl Bound {
    fn admits(&self, v: &Version) -> bool {
        let c = &self.version;
        let excluded_prerelease = !v.pre.is_empty() && c.pre.is_empty();
        if excluded_prerelease && (self.op != "!=" || self.dirty) {
            return false;
        }
        match self.op.as_str() {
            "!=" => self.not_equal(v),
            ">" => {
                if !self.dirty {
                    return v.compare(c).is_gt();
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                v.compare(c).is_gt()
            }
            "<" => v.compare(c).is_lt(),
            ">=" | "=>" => v.compare(c).is_ge(),
            "<=" | "=<" => {
                if !self.dirty {
                    return v.compare(c).is_le();
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            "~" | "~>" => self.tilde(v),
            "^" => self.caret(v),
            _ if self.dirty => self.tilde(v),
            _ => v.compare(c).is_eq(),
        }
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.version;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if self.minor_dirty {
                return false;
            }
            if c.minor != v.minor {
                return true;
            }
            if self.patch_dirty {
                return (!v.pre.is_empty() || !c.pre.is_empty())
                    && compare_prerelease(&v.pre, &c.pre).is_ne();
            }
            if c.patch != v.patch {
                return true;
            }
        }
        !v.compare(c).is_eq()
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c).is_lt() {
            return false;
        }
        if c.release() == (0, 0, 0) && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        v.major == c.major && (v.minor == c.minor || self.minor_dirty)
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c).is_lt() {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        v.patch == c.patch
    }
}

/// Masterminds' `NewConstraint` followed by `Check`.
pub(crate) fn satisfies(constraint: &str, version: &Version) -> Result<bool, String> {
    let p = patterns();
    let mut rewritten = constraint.to_string();
    for caps in p.range.captures_iter(constraint) {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        let (low, high) = (&caps[1], &caps[2]);
        rewritten = rewritten.replacen(whole, &format!(">= {low}, <= {high} "), 1);
    }
    let mut alternatives = Vec::new();
    for alternative in rewritten.split("||") {
        if !p.valid.is_match(alternative) {
            return Err(format!("improper constraint: {alternative}"));
        }
        let bounds = p
            .find
            .find_iter(alternative)
            .map(|m| parse_bound(m.as_str()))
            .collect::<Result<Vec<_>, _>>()?;
        alternatives.push(bounds);
    }
    Ok(alternatives
        .iter()
        .any(|bounds| bounds.iter().all(|bound| bound.admits(version))))
}

/// The version normalised (`v1.2` -> `1.2.0`), which is how Go's JSON encoding renders it.
pub(crate) fn semver(args: &Args) -> Result<Value> {
    let version = Version::parse(args.str(0)?).map_err(|e| args.invalid(e))?;
    Ok(Value::String(version.to_string()))
}

pub(crate) fn semver_compare(args: &Args) -> Result<Value> {
    let (constraint, version) = (args.str(0)?, args.str(1)?);
    let version = Version::parse(version).map_err(|e| args.invalid(e))?;
    let satisfied = satisfies(constraint, &version).map_err(|e| args.invalid(e))?;
    Ok(Value::Bool(satisfied))
}
