//! Golden tests of the printed forms: `argo get` (default, wide, short, ASCII, filtered) and
//! `argo list` (default, wide, all namespaces) of fixture workflows, at a fixed time in UTC.
//! Set `UPDATE_GOLDEN=1` to rewrite the files after an intended change.

use std::path::PathBuf;

use argo_core::Workflow;
use argo_engine::operations::NodeSelector;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::style::Style;
use super::tree::{TreeColumns, TreeOptions};
use super::workflow::{ListOptions, describe, list_table};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn fixture(name: &str) -> Workflow {
    let text = std::fs::read_to_string(golden_dir().join(name)).expect("fixture");
    serde_json::from_str(&text).expect("fixture parses as a Workflow")
}

fn now() -> Timestamp {
    "2026-11-22T06:10:00Z".parse().expect("time")
}

fn assert_golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    pretty_assertions::assert_eq!(expected, actual, "golden {name}");
}

fn options(columns: TreeColumns, utf8: bool, selector: Option<&str>) -> TreeOptions {
    TreeOptions {
        columns,
        selector: selector.map(|s| NodeSelector::parse(s).expect("selector")),
        style: Style { color: false, utf8 },
        now: now(),
    }
}

#[test]
fn get_prints_the_header_and_the_step_tree_with_the_exit_handler() {
    let text = describe(
        &fixture("steps-demo.json"),
        &options(TreeColumns::Default, true, None),
        &TimeZone::UTC,
    );
    assert_golden("get-steps.txt", &text);
}

#[test]
fn get_wide_adds_artifacts_resources_and_node_names() {
    let text = describe(
        &fixture("steps-demo.json"),
        &options(TreeColumns::Wide, true, None),
        &TimeZone::UTC,
    );
    assert_golden("get-steps-wide.txt", &text);
}

#[test]
fn get_short_prints_only_the_tree_in_ascii() {
    let text = describe(
        &fixture("steps-demo.json"),
        &options(TreeColumns::Short, false, None),
        &TimeZone::UTC,
    );
    assert_golden("get-steps-short-ascii.txt", &text);
}

#[test]
fn get_with_a_status_filter_keeps_only_matching_nodes() {
    let text = describe(
        &fixture("steps-demo.json"),
        &options(TreeColumns::Default, true, Some("phase=Failed")),
        &TimeZone::UTC,
    );
    assert_golden("get-steps-failed.txt", &text);
}

#[test]
fn get_of_a_running_dag_shows_suspend_and_running_durations() {
    let text = describe(
        &fixture("running.json"),
        &options(TreeColumns::Default, true, None),
        &TimeZone::UTC,
    );
    assert_golden("get-running-dag.txt", &text);
}

#[test]
fn list_prints_aligned_columns_running_first() {
    let workflows = vec![fixture("running.json"), fixture("steps-demo.json")];
    let table = list_table(&workflows, &ListOptions::default(), now());
    assert_golden("list.txt", &table);
    let wide = list_table(
        &workflows,
        &ListOptions {
            wide: true,
            namespace: true,
            ..ListOptions::default()
        },
        now(),
    );
    assert_golden("list-wide.txt", &wide);
}

#[test]
fn an_empty_list_says_so() {
    assert_eq!(
        list_table(&[], &ListOptions::default(), now()),
        "No workflows found\n"
    );
}
