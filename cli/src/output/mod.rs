//! Everything the commands print: aligned tables, node trees, human durations, colours, and
//! the `-o json|yaml|name` renderings of API objects.
//! Must not: talk to the server.

pub mod humanize;
pub mod objects;
pub mod schedule;
pub mod style;
pub mod table;
pub mod tree;
pub mod workflow;

#[cfg(test)]
mod golden;
