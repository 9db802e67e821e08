//! Conformance cases for lists: ordering, namespaces, label and field selectors, pagination.

use super::{Backend, create_thing, names, open, things};
use crate::{Error, ListParams, ResourceReader, ResourceStore};

async fn list_names(store: &impl ResourceStore, params: ListParams) -> Vec<String> {
    let list = store.list(&things(), &params).await.expect("list succeeds");
    names(&list.items)
}

pub async fn list_is_sorted_and_scoped_to_a_namespace<B: Backend>(backend: &B) {
    let store = open(backend).await;
    for (namespace, name) in [("b", "y"), ("a", "z"), ("b", "x"), ("a", "w")] {
        create_thing(&store, namespace, name, &[]).await;
    }
    assert_eq!(
        list_names(&store, ListParams::default()).await,
        ["w", "z", "x", "y"]
    );
    assert_eq!(
        list_names(&store, ListParams::default().namespace("b")).await,
        ["x", "y"]
    );
    assert!(
        list_names(&store, ListParams::default().namespace("c"))
            .await
            .is_empty()
    );
}

pub async fn label_selectors_support_every_operator<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(
        &store,
        "ns",
        "prod-web",
        &[("env", "prod"), ("tier", "web"), ("replicas", "3")],
    )
    .await;
    create_thing(
        &store,
        "ns",
        "prod-db",
        &[("env", "prod"), ("tier", "db"), ("replicas", "1")],
    )
    .await;
    create_thing(&store, "ns", "dev-web", &[("env", "dev"), ("tier", "web")]).await;
    create_thing(&store, "ns", "bare", &[]).await;
    let cases: &[(&str, &[&str])] = &[
        ("env=prod", &["prod-db", "prod-web"]),
        ("env==prod", &["prod-db", "prod-web"]),
        ("env!=prod", &["bare", "dev-web"]),
        ("env in (dev, prod)", &["dev-web", "prod-db", "prod-web"]),
        ("env notin (prod)", &["bare", "dev-web"]),
        ("tier", &["dev-web", "prod-db", "prod-web"]),
        ("!tier", &["bare"]),
        ("env=prod,tier=web", &["prod-web"]),
        ("env in (prod),!replicas", &[]),
        ("replicas>2", &["prod-web"]),
        ("replicas<2", &["prod-db"]),
        ("tier=web,env notin (dev)", &["prod-web"]),
        ("", &["bare", "dev-web", "prod-db", "prod-web"]),
    ];
    for (selector, expected) in cases {
        let found = list_names(&store, ListParams::default().labels(selector)).await;
        assert_eq!(&found, expected, "selector {selector:?}");
    }
}

pub async fn field_selectors_match_name_and_namespace<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(&store, "a", "one", &[]).await;
    create_thing(&store, "a", "two", &[]).await;
    create_thing(&store, "b", "one", &[]).await;
    let cases: &[(&str, &[&str])] = &[
        ("metadata.name=one", &["one", "one"]),
        ("metadata.name!=one", &["two"]),
        ("metadata.namespace=b", &["one"]),
        ("metadata.namespace==a,metadata.name=two", &["two"]),
        ("metadata.namespace!=a", &["one"]),
    ];
    for (selector, expected) in cases {
        let found = list_names(&store, ListParams::default().fields(selector)).await;
        assert_eq!(&found, expected, "selector {selector:?}");
    }
}

pub async fn invalid_selectors_are_rejected<B: Backend>(backend: &B) {
    let store = open(backend).await;
    for params in [
        ListParams::default().labels("env in ()"),
        ListParams::default().labels("a b"),
        ListParams::default().fields("spec.replicas=1"),
    ] {
        let result = store.list(&things(), &params).await;
        assert!(
            matches!(result, Err(Error::InvalidSelector { .. })),
            "{params:?} gave {result:?}"
        );
    }
}

pub async fn pagination_returns_every_object_once<B: Backend>(backend: &B) {
    let store = open(backend).await;
    for name in ["e", "c", "a", "d", "b"] {
        create_thing(&store, "ns", name, &[]).await;
    }
    let mut pages = Vec::new();
    let mut token = None;
    let mut versions = Vec::new();
    loop {
        let params = ListParams::default().limit(2).continue_from(token);
        let page = store.list(&things(), &params).await.expect("list succeeds");
        assert!(page.items.len() <= 2);
        pages.push(names(&page.items));
        versions.push(page.resource_version);
        token = page.continue_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    assert!(
        versions.iter().all(|version| version == "5"),
        "{versions:?}"
    );
    let exact = store
        .list(&things(), &ListParams::default().limit(5))
        .await
        .expect("list succeeds");
    assert_eq!(exact.items.len(), 5);
    assert_eq!(exact.continue_token, None, "no token when nothing follows");
}

/// Objects that exist throughout appear exactly once, in order; objects created while paging
/// may or may not appear (Kubernetes serves later pages from the first page's snapshot, the SQL
/// backends continue after the cursor), but never behind the cursor or twice.
pub async fn pagination_continues_across_inserts<B: Backend>(backend: &B) {
    let store = open(backend).await;
    for name in ["b", "d", "f", "h"] {
        create_thing(&store, "ns", name, &[]).await;
    }
    let first = store
        .list(&things(), &ListParams::default().limit(2))
        .await
        .expect("list succeeds");
    assert_eq!(names(&first.items), ["b", "d"]);
    create_thing(&store, "ns", "a", &[]).await;
    create_thing(&store, "ns", "e", &[]).await;
    let mut rest = Vec::new();
    let mut token = first.continue_token;
    while token.is_some() {
        let params = ListParams::default().limit(2).continue_from(token);
        let page = store.list(&things(), &params).await.expect("list succeeds");
        assert_eq!(page.resource_version, first.resource_version);
        rest.extend(names(&page.items));
        token = page.continue_token;
    }
    let without_new: Vec<&String> = rest.iter().filter(|name| *name != "e").collect();
    assert_eq!(
        without_new,
        ["f", "h"],
        "pre-existing objects once, in order: {rest:?}"
    );
    assert!(
        !rest.contains(&"a".to_owned()),
        "nothing behind the cursor: {rest:?}"
    );
    let mut sorted = rest.clone();
    sorted.sort();
    assert_eq!(rest, sorted);
}

pub async fn pagination_applies_selectors_before_the_limit<B: Backend>(backend: &B) {
    let store = open(backend).await;
    for (name, selected) in [
        ("a", false),
        ("b", true),
        ("c", false),
        ("d", true),
        ("e", true),
        ("f", false),
    ] {
        let labels: &[(&str, &str)] = if selected {
            &[("pick", "yes")]
        } else {
            &[("pick", "no")]
        };
        create_thing(&store, "ns", name, labels).await;
    }
    for selector in ["pick=yes", "pick!=no", "pick in (yes)"] {
        let first = store
            .list(&things(), &ListParams::default().labels(selector).limit(2))
            .await
            .expect("list succeeds");
        assert_eq!(names(&first.items), ["b", "d"], "{selector}");
        let params = ListParams::default()
            .labels(selector)
            .limit(2)
            .continue_from(first.continue_token);
        let second = store.list(&things(), &params).await.expect("list succeeds");
        assert_eq!(names(&second.items), ["e"], "{selector}");
        assert_eq!(second.continue_token, None, "{selector}");
    }
}

pub async fn invalid_continue_tokens_are_rejected<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let params = ListParams::default()
        .limit(1)
        .continue_from(Some("not a token".into()));
    let result = store.list(&things(), &params).await;
    assert!(
        matches!(result, Err(Error::InvalidContinueToken { .. })),
        "{result:?}"
    );
}
