//! Parsing behaviour: document streams, JSON input, unknown fields and type errors reported with
//! field paths and lines, apiVersion checks.

use argo_core::{
    DocumentError, FieldPath, Resource, Workflow, parse_documents, parse_one, parse_resource,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn only_error(name: &str) -> DocumentError {
    let mut errors: Vec<DocumentError> = parse_documents(&fixture(name))
        .into_iter()
        .filter_map(Result::err)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.remove(0)
}

#[test]
fn a_stream_yields_typed_argo_kinds_and_keeps_other_kinds_as_json() {
    let documents: Vec<_> = parse_documents(&fixture("multi-doc.yaml"))
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("all documents parse");
    let kinds: Vec<&str> = documents.iter().map(|d| d.resource.kind()).collect();
    assert_eq!(
        kinds,
        ["Workflow", "ConfigMap", "WorkflowTemplate", "CronWorkflow"]
    );
    // The empty document between the first two still counts in the stream index.
    let indexes: Vec<usize> = documents.iter().map(|d| d.index).collect();
    assert_eq!(indexes, [0, 2, 3, 4]);
    assert_eq!(documents[0].line, 2);
    assert_eq!(documents[1].line, 15);
    match &documents[1].resource {
        Resource::Other {
            api_version, value, ..
        } => {
            assert_eq!(api_version, "v1");
            assert_eq!(value["data"]["key"], "value");
        }
        other => panic!("expected a ConfigMap kept as JSON, got {}", other.kind()),
    }
    let Resource::CronWorkflow(cron) = &documents[3].resource else {
        panic!("expected a CronWorkflow");
    };
    assert_eq!(cron.spec.schedules, ["0 2 * * *"]);
    assert_eq!(
        cron.spec.concurrency_policy,
        Some(argo_core::ConcurrencyPolicy::Forbid)
    );
}

#[test]
fn unknown_fields_are_reported_with_path_and_line() {
    let documents = parse_documents(&fixture("unknown-field.yaml"));
    assert_eq!(documents.len(), 2);
    assert!(documents[0].is_ok());
    let Err(err) = &documents[1] else {
        panic!("the second document has a typo");
    };
    assert_eq!(err.index, 1);
    assert_eq!(err.path.to_string(), "spec.templates[0].contaner");
    assert_eq!(err.line, Some(19));
    assert_eq!(
        err.to_string(),
        "document 2, spec.templates[0].contaner (line 19): unknown field"
    );
}

#[test]
fn unknown_fields_inside_kubernetes_types_are_caught_by_the_round_trip() {
    let err = only_error("unknown-field-in-container.yaml");
    assert_eq!(
        err.path.to_string(),
        "spec.templates[0].script.imagePullPolice"
    );
    assert_eq!(err.line, Some(11));
}

#[test]
fn type_errors_carry_the_field_path_and_line() {
    let err = only_error("type-error.yaml");
    assert_eq!(
        err.path,
        FieldPath::root()
            .key("spec")
            .key("templates")
            .index(0)
            .key("dag")
            .key("tasks")
            .index(0)
            .key("dependencies")
    );
    assert_eq!(err.line, Some(13));
    assert!(
        err.message.contains("expected a sequence"),
        "{}",
        err.message
    );
}

#[test]
fn yaml_syntax_errors_carry_the_line() {
    let err = only_error("syntax-error.yaml");
    assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
    assert!(err.line.is_some_and(|line| line >= 6), "{err}");
}

#[test]
fn argo_kinds_must_use_argoproj_v1alpha1() {
    let err = only_error("wrong-api-version.yaml");
    assert_eq!(err.path.to_string(), "apiVersion");
    assert_eq!(err.line, Some(1));
    assert!(
        err.message.contains("argoproj.io/v1beta1"),
        "{}",
        err.message
    );
}

#[test]
fn json_documents_are_accepted() {
    let workflow: Workflow = parse_one(&fixture("workflow.json")).expect("json workflow");
    assert_eq!(workflow.name(), "from-json");
    let count = workflow.spec.arguments.parameter("count").expect("count");
    assert_eq!(count.value.as_ref().map(|v| v.as_str()), Some("3"));
}

#[test]
fn parse_one_rejects_another_kind_and_several_documents() {
    let err = parse_one::<argo_core::CronWorkflow>(&fixture("workflow.json"))
        .expect_err("a workflow is not a cron workflow");
    assert!(err.to_string().contains("expected a CronWorkflow"), "{err}");
    let err = parse_resource(&fixture("multi-doc.yaml")).expect_err("four documents");
    assert!(matches!(err, argo_core::Error::NotOneDocument { found: 4 }));
}

#[test]
fn empty_and_comment_only_streams_have_no_documents() {
    assert!(parse_documents("").is_empty());
    assert!(parse_documents("# nothing here\n---\n").is_empty());
}

#[test]
fn nulls_are_treated_as_absent_like_go_does() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: n\nspec:\n  entrypoint:\n  arguments:\n    parameters:\n  templates:\n";
    let workflow: Workflow = parse_one(text).expect("nulls are absent values");
    assert!(workflow.spec.entrypoint.is_empty());
    assert!(workflow.spec.templates.is_empty());
}

#[test]
fn non_mapping_documents_and_missing_kinds_are_errors() {
    let results = parse_documents("- a\n- b\n---\napiVersion: v1\n");
    assert_eq!(results.len(), 2);
    let messages: Vec<String> = results
        .into_iter()
        .map(|r| r.expect_err("not a resource").message)
        .collect();
    assert_eq!(messages[0], "a document must be a mapping");
    assert_eq!(messages[1], "missing `kind`");
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep_flow = "[".repeat(100_000);
    let deep_block = (0..300)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect::<String>();
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        laughs.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    let inputs = [
        laughs.as_str(),
        deep_flow.as_str(),
        deep_block.as_str(),
        "{",
        "\u{feff}{}",
        "a: &x [*x]",
        "? [complex, key]\n: value\n",
        "kind: Workflow\napiVersion: argoproj.io/v1alpha1\nspec: 5\n",
        "kind: Workflow\napiVersion: argoproj.io/v1alpha1\nspec:\n  templates:\n    - steps: [[{inline: {steps: [[{}]]}}]]\n",
        "kind: [1]\n",
        "\t\u{0}\u{7f}",
    ];
    for input in inputs {
        let _ = parse_documents(input);
    }
}

#[test]
fn numbers_and_booleans_in_string_fields_are_read_as_strings() {
    let workflow: Workflow = parse_one(&fixture("scalars-in-string-fields.yaml")).expect("parses");
    let script = workflow.spec.templates[0].script.as_ref().expect("script");
    assert_eq!(
        script.container.command,
        Some(vec!["sleep".to_owned(), "10".to_owned()])
    );
    let env = script.container.env.as_ref().expect("env");
    assert_eq!(env[0].value.as_deref(), Some("true"));
    let retry = workflow.spec.templates[0]
        .retry_strategy
        .as_ref()
        .expect("retry");
    assert_eq!(
        retry.limit,
        Some(argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(2))
    );
}

#[test]
fn yaml_anchors_and_merge_keys_are_resolved() {
    let text = "\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: merged
spec:
  entrypoint: a
  templates:
    - name: a
      container: &base
        image: busybox
        command: [echo]
    - name: b
      container:
        <<: *base
        args: [hi]
";
    let workflow: Workflow = parse_one(text).expect("merge keys are applied");
    let b = workflow
        .spec
        .template("b")
        .and_then(|t| t.container.as_ref())
        .expect("b");
    assert_eq!(b.image.as_deref(), Some("busybox"));
    assert_eq!(b.args, Some(vec!["hi".to_owned()]));
}
