//! Tests of selector parsing and matching, including property tests that every parse error is an
//! error (never a panic) and that rendering a parsed selector parses back to the same selector.

use super::*;
use proptest::prelude::*;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

fn selects(selector: &str, pairs: &[(&str, &str)]) -> bool {
    LabelSelector::parse(selector)
        .expect("selector parses")
        .matches_labels(&labels(pairs))
}

#[test]
fn equality_operators_require_the_label_with_that_value() {
    assert!(selects("app=web", &[("app", "web")]));
    assert!(selects("app==web", &[("app", "web")]));
    assert!(!selects("app=web", &[("app", "db")]));
    assert!(!selects("app=web", &[]));
}

#[test]
fn inequality_matches_objects_without_the_label() {
    assert!(selects("app!=web", &[("app", "db")]));
    assert!(selects("app!=web", &[]));
    assert!(!selects("app!=web", &[("app", "web")]));
}

#[test]
fn set_operators_follow_kubernetes_semantics() {
    assert!(selects("env in (prod, staging)", &[("env", "staging")]));
    assert!(!selects("env in (prod,staging)", &[("env", "dev")]));
    assert!(!selects("env in (prod)", &[]));
    assert!(selects("env notin (prod)", &[("env", "dev")]));
    assert!(selects("env notin (prod)", &[]));
    assert!(!selects("env notin (prod,dev)", &[("env", "dev")]));
}

#[test]
fn existence_operators_check_only_the_key() {
    assert!(selects("app", &[("app", "")]));
    assert!(!selects("app", &[("other", "x")]));
    assert!(selects("!app", &[("other", "x")]));
    assert!(!selects("!app", &[("app", "web")]));
}

#[test]
fn numeric_comparisons_need_an_integer_label() {
    assert!(selects("replicas>2", &[("replicas", "3")]));
    assert!(!selects("replicas>2", &[("replicas", "two")]));
    assert!(selects("replicas<2", &[("replicas", "1")]));
    assert!(!selects("replicas<2", &[]));
}

#[test]
fn commas_join_requirements_with_and() {
    let selector = "app=web,env in (prod),!canary,tier";
    assert!(selects(
        selector,
        &[("app", "web"), ("env", "prod"), ("tier", "1")]
    ));
    assert!(!selects(
        selector,
        &[
            ("app", "web"),
            ("env", "prod"),
            ("tier", "1"),
            ("canary", "y")
        ]
    ));
}

#[test]
fn empty_values_are_allowed_after_equals() {
    assert!(selects("app=", &[("app", "")]));
    assert!(selects("app=,b", &[("app", ""), ("b", "x")]));
}

#[test]
fn empty_selector_matches_everything() {
    assert!(selects("", &[]));
    assert!(selects("   ", &[("a", "b")]));
}

#[test]
fn prefixed_keys_are_accepted() {
    assert!(selects(
        "workflows.argoproj.io/completed=true",
        &[("workflows.argoproj.io/completed", "true")]
    ));
}

#[test]
fn malformed_selectors_are_invalid_selector_errors() {
    for selector in [
        "a in ()",
        "a in (x",
        "a notin x",
        "=b",
        "a=b=c",
        "a b",
        ",",
        "a,",
        "a>x",
        "-a=b",
        "a=b c",
        "Bad_/x=y",
        "a=(b)",
    ] {
        let parsed = LabelSelector::parse(selector);
        assert!(
            matches!(parsed, Err(Error::InvalidSelector { .. })),
            "{selector:?} parsed as {parsed:?}"
        );
    }
}

#[test]
fn field_selectors_match_name_and_namespace() {
    use crate::{ResourceKind, Scope};
    let kind = ResourceKind::new("v1", "ConfigMap", Scope::Namespaced);
    let object = Object::new(&kind, Some("argo"), "params");
    let matches = |selector: &str| {
        FieldSelector::parse(selector)
            .expect("parses")
            .matches(&object)
    };
    assert!(matches("metadata.name=params"));
    assert!(matches("metadata.name==params,metadata.namespace=argo"));
    assert!(matches("metadata.namespace!=default"));
    assert!(!matches("metadata.name!=params"));
    assert!(matches(""));
}

#[test]
fn field_selectors_reject_unsupported_fields_and_missing_operators() {
    for selector in ["status.phase=Running", "metadata.name", "metadata.name=a\\"] {
        assert!(
            matches!(
                FieldSelector::parse(selector),
                Err(Error::InvalidSelector { .. })
            ),
            "{selector:?}"
        );
    }
}

#[test]
fn field_selector_values_may_escape_commas() {
    let parsed = FieldSelector::parse("metadata.name=a\\,b").expect("parses");
    assert_eq!(parsed.requirements[0].value, "a,b");
}

fn label_word() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?"
}

fn requirement() -> impl Strategy<Value = Requirement> {
    let values = || proptest::collection::btree_set(label_word(), 1..4);
    (
        label_word(),
        prop_oneof![
            values().prop_map(Operator::In),
            values().prop_map(Operator::NotIn),
            Just(Operator::Exists),
            Just(Operator::DoesNotExist),
            any::<i64>().prop_map(Operator::GreaterThan),
            any::<i64>().prop_map(Operator::LessThan),
        ],
    )
        .prop_map(|(key, operator)| Requirement { key, operator })
}

proptest! {
    #[test]
    fn parsing_arbitrary_text_never_panics(text in ".{0,40}") {
        let _ = LabelSelector::parse(&text);
        let _ = FieldSelector::parse(&text);
    }

    #[test]
    fn rendered_selectors_parse_back_to_themselves(
        requirements in proptest::collection::vec(requirement(), 0..5)
    ) {
        let selector = LabelSelector { requirements };
        let reparsed = LabelSelector::parse(&selector.to_string()).expect("rendered selector parses");
        prop_assert_eq!(reparsed, selector);
    }

    #[test]
    fn a_selector_and_its_negation_never_both_match(
        key in label_word(),
        value in label_word(),
        present in proptest::option::of(label_word()),
    ) {
        let labels: BTreeMap<String, String> = present.map(|v| (key.clone(), v)).into_iter().collect();
        let equal = LabelSelector::parse(&format!("{key}={value}")).expect("parses");
        let not_equal = LabelSelector::parse(&format!("{key}!={value}")).expect("parses");
        prop_assert_ne!(equal.matches_labels(&labels), not_equal.matches_labels(&labels));
        let exists = LabelSelector::parse(&key).expect("parses");
        let absent = LabelSelector::parse(&format!("!{key}")).expect("parses");
        prop_assert_ne!(exists.matches_labels(&labels), absent.matches_labels(&labels));
    }
}
