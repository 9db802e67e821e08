//! `Progress`: the "N/M" string nodes and workflows report.
//!
//! Must not: reject malformed strings on input (Go keeps them and treats them as invalid).

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Progress as "N/M"; the empty string means undefined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Progress(pub String);

impl Progress {
    /// Builds "n/m".
    pub fn new(n: i64, m: i64) -> Self {
        Progress(format!("{n}/{m}"))
    }

    /// True for the empty (undefined) progress.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn parts(&self) -> (i64, i64) {
        let mut parts = self.0.splitn(2, '/');
        let n = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let m = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        (n, m)
    }

    /// Completed units (0 when malformed).
    pub fn n(&self) -> i64 {
        self.parts().0
    }

    /// Total units (0 when malformed).
    pub fn m(&self) -> i64 {
        self.parts().1
    }

    /// Valid when set, `0 <= N <= M` and `M > 0`.
    pub fn is_valid(&self) -> bool {
        let (n, m) = self.parts();
        !self.0.is_empty() && n >= 0 && n <= m && m > 0
    }

    /// Component-wise sum, as parents aggregate children.
    pub fn add(&self, other: &Progress) -> Progress {
        Progress::new(self.n() + other.n(), self.m() + other.m())
    }

    /// "M/M".
    pub fn complete(&self) -> Progress {
        Progress::new(self.m(), self.m())
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Progress {
    fn from(value: &str) -> Self {
        Progress(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_parses_n_and_m_and_validates() {
        let p = Progress::from("1/3");
        assert_eq!((p.n(), p.m()), (1, 3));
        assert!(p.is_valid());
        assert!(!Progress::from("4/3").is_valid());
        assert!(!Progress::from("").is_valid());
        assert!(!Progress::from("0/0").is_valid());
        assert_eq!(p.add(&Progress::from("1/1")), Progress::from("2/4"));
        assert_eq!(p.complete(), Progress::from("3/3"));
    }
}
