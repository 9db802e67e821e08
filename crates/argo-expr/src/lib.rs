//! Argo's template language: `{{...}}` substitution, `{{=...}}` expr-lang expressions,
//! govaluate-style `when` conditions and DAG `depends`.
//!
//! Must not: perform I/O or read the clock; time comes in through the caller.
