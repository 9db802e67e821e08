use argo_core::{Artifact, Parameter, Template, ValueFrom};

use super::*;

fn shell(script: &str) -> Vec<String> {
    vec!["sh".to_owned(), "-c".to_owned(), script.to_owned()]
}

#[tokio::test]
async fn the_command_runs_with_captured_output_exit_code_and_saved_outputs() {
    let temp = tempfile::tempdir().unwrap();
    let layout = VarRunArgo::new(temp.path().join("var-run"));
    let work = temp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let parameter_path = work.join("p.txt").to_string_lossy().into_owned();
    let artifact_path = work.join("out").to_string_lossy().into_owned();
    let mut template = Template::default();
    template.outputs.parameters = vec![Parameter {
        name: "p".to_owned(),
        value_from: Some(ValueFrom {
            path: parameter_path.clone(),
            ..ValueFrom::default()
        }),
        ..Parameter::default()
    }];
    template.outputs.artifacts = vec![Artifact::at_path("out", artifact_path.clone())];
    let script = format!(
        "echo out; echo err >&2; echo value > {parameter_path}; mkdir -p {artifact_path}; echo f > {artifact_path}/f; exit 3"
    );
    let code = run(&layout, "main", Some(&template), &shell(&script))
        .await
        .unwrap();
    assert_eq!(code, 3);
    assert_eq!(
        std::fs::read_to_string(layout.exit_code("main")).unwrap(),
        "3"
    );
    assert_eq!(
        std::fs::read_to_string(layout.stdout("main")).unwrap(),
        "out\n"
    );
    let combined = std::fs::read_to_string(layout.combined("main")).unwrap();
    assert!(
        combined.contains("out\n") && combined.contains("err\n"),
        "{combined}"
    );
    assert_eq!(
        std::fs::read_to_string(layout.output_parameter(&parameter_path)).unwrap(),
        "value\n"
    );
    let handed_over = layout.output_artifact(&artifact_path);
    assert_eq!(
        std::fs::read_to_string(handed_over.join("f")).unwrap(),
        "f\n"
    );
    // The exit code is written after the outputs are in place.
    assert!(layout.exit_code("main").exists());
}

#[tokio::test]
async fn a_signal_written_by_wait_stops_the_command() {
    let temp = tempfile::tempdir().unwrap();
    let layout = VarRunArgo::new(temp.path());
    let signal_file = layout.signal("main");
    std::fs::create_dir_all(layout.container("main")).unwrap();
    let writer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(signal_file, "15").unwrap();
    });
    let code = run(&layout, "main", None, &shell("sleep 30"))
        .await
        .unwrap();
    writer.await.unwrap();
    assert_eq!(code, 143);
}

#[tokio::test]
async fn staged_inputs_are_linked_into_place_and_the_script_path_rewritten() {
    let temp = tempfile::tempdir().unwrap();
    let layout = VarRunArgo::new(temp.path().join("v"));
    let staged = layout.input_artifact("message");
    std::fs::create_dir_all(staged.parent().unwrap()).unwrap();
    std::fs::write(&staged, "hello").unwrap();
    let target = temp.path().join("in/message");
    let mut template = Template::default();
    template.inputs.artifacts = vec![Artifact::at_path("message", target.to_string_lossy())];
    link_input_artifacts(&layout, &template).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello");

    std::fs::create_dir_all(layout.script().parent().unwrap()).unwrap();
    std::fs::write(layout.script(), "echo from-script").unwrap();
    let argv = with_staged_script(&layout, &["sh".to_owned(), SCRIPT_ARG_PATH.to_owned()]);
    assert_eq!(argv[1], layout.script().to_string_lossy());
    let code = run(&layout, "main", None, &argv).await.unwrap();
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(layout.stdout("main")).unwrap(),
        "from-script\n"
    );
}

#[tokio::test]
async fn a_missing_program_ends_with_exit_code_64_written_for_wait() {
    let temp = tempfile::tempdir().unwrap();
    let layout = VarRunArgo::new(temp.path());
    let code = run(&layout, "main", None, &["/no/such/program".to_owned()])
        .await
        .unwrap();
    assert_eq!(code, 64);
    assert_eq!(
        std::fs::read_to_string(layout.exit_code("main")).unwrap(),
        "64"
    );
}

#[test]
fn programs_that_exist_or_are_relative_are_left_alone() {
    let relative = vec!["sh".to_owned(), "-c".to_owned()];
    assert_eq!(with_host_program(relative.clone()), relative);
    let existing = vec!["/bin/sh".to_owned()];
    assert_eq!(with_host_program(existing.clone()), existing);
    let unknown = vec!["/no-such-program-anywhere-xyz".to_owned()];
    assert_eq!(with_host_program(unknown.clone()), unknown);
}
