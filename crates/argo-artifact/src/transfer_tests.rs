use argo_core::{ArchiveStrategy, NoneStrategy, ZipStrategy};

use super::*;
use crate::LocalRepository;

fn setup() -> (tempfile::TempDir, LocalRepository) {
    let temp = tempfile::tempdir().unwrap();
    let repository = LocalRepository::new(temp.path().join("repo"));
    (temp, repository)
}

fn with_strategy(strategy: ArchiveStrategy) -> Artifact {
    Artifact {
        archive: Some(strategy),
        ..Artifact::at_path("art", "/tmp/x")
    }
}

fn none() -> ArchiveStrategy {
    ArchiveStrategy {
        none: Some(NoneStrategy {}),
        ..ArchiveStrategy::default()
    }
}

#[tokio::test]
async fn a_file_saved_as_tgz_loads_back_with_its_mode() {
    let (temp, repository) = setup();
    let source = temp.path().join("hello.txt");
    std::fs::write(&source, "hello\n").unwrap();
    let object = ObjectLocation::new("b", "wf/pod/art.tgz");
    save(
        &repository,
        &source,
        ArchiveKind::TarGz { level: None },
        &object,
    )
    .await
    .unwrap();
    let artifact = Artifact {
        mode: Some(0o600),
        ..Artifact::at_path("art", "/x")
    };
    let destination = temp.path().join("in/message");
    load(&repository, &artifact, &object, &destination)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(&destination).unwrap(), "hello\n");
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&destination)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn a_file_saved_without_archive_is_stored_as_is() {
    let (temp, repository) = setup();
    let source = temp.path().join("plain.txt");
    std::fs::write(&source, "plain").unwrap();
    let object = ObjectLocation::new("b", "k/plain.txt");
    save(&repository, &source, ArchiveKind::None, &object)
        .await
        .unwrap();
    let stored = repository.path_of(&object).unwrap();
    assert_eq!(std::fs::read_to_string(stored).unwrap(), "plain");
    let destination = temp.path().join("loaded");
    load(&repository, &with_strategy(none()), &object, &destination)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(destination).unwrap(), "plain");
}

#[tokio::test]
async fn a_directory_without_archive_becomes_one_object_per_file() {
    let (temp, repository) = setup();
    let source = temp.path().join("dir");
    std::fs::create_dir_all(source.join("sub")).unwrap();
    std::fs::write(source.join("a"), "A").unwrap();
    std::fs::write(source.join("sub/b"), "B").unwrap();
    let object = ObjectLocation::new("b", "k/dir");
    save(&repository, &source, ArchiveKind::None, &object)
        .await
        .unwrap();
    assert_eq!(
        repository.list(&object).await.unwrap(),
        ["k/dir/a", "k/dir/sub/b"]
    );
    let destination = temp.path().join("copy");
    load(&repository, &with_strategy(none()), &object, &destination)
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(destination.join("sub/b")).unwrap(),
        "B"
    );
}

#[tokio::test]
async fn a_sub_path_picks_one_entry_of_an_archived_directory() {
    let (temp, repository) = setup();
    let source = temp.path().join("dir");
    std::fs::create_dir_all(source.join("sub")).unwrap();
    std::fs::write(source.join("sub/b"), "B").unwrap();
    let object = ObjectLocation::new("b", "k/dir.zip");
    save(&repository, &source, ArchiveKind::Zip, &object)
        .await
        .unwrap();
    let artifact = Artifact {
        sub_path: "sub/b".to_owned(),
        ..with_strategy(ArchiveStrategy {
            zip: Some(ZipStrategy {}),
            ..ArchiveStrategy::default()
        })
    };
    let destination = temp.path().join("only-b");
    load(&repository, &artifact, &object, &destination)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(destination).unwrap(), "B");
}

#[tokio::test]
async fn a_sub_path_that_escapes_or_is_missing_is_an_error() {
    let (temp, repository) = setup();
    let source = temp.path().join("f");
    std::fs::write(&source, "x").unwrap();
    let object = ObjectLocation::new("b", "f.tgz");
    save(
        &repository,
        &source,
        ArchiveKind::TarGz { level: None },
        &object,
    )
    .await
    .unwrap();
    for sub_path in ["../etc", "missing"] {
        let artifact = Artifact {
            sub_path: sub_path.to_owned(),
            ..Artifact::at_path("art", "/x")
        };
        let result = load(&repository, &artifact, &object, &temp.path().join("d")).await;
        assert!(
            matches!(result, Err(Error::SubPath { .. })),
            "{sub_path}: {result:?}"
        );
    }
}

#[tokio::test]
async fn loading_a_missing_object_is_not_found() {
    let (temp, repository) = setup();
    let result = load(
        &repository,
        &Artifact::at_path("art", "/x"),
        &ObjectLocation::new("b", "nothing"),
        &temp.path().join("d"),
    )
    .await;
    assert!(result.unwrap_err().is_not_found());
}

#[test]
fn raw_data_is_written_with_the_mode() {
    let temp = tempfile::tempdir().unwrap();
    let artifact = Artifact {
        mode: Some(0o755),
        ..Artifact::at_path("raw", "/x")
    };
    let destination = temp.path().join("a/b/run.sh");
    write_raw(&artifact, "#!/bin/sh\n", &destination).unwrap();
    assert_eq!(
        std::fs::read_to_string(&destination).unwrap(),
        "#!/bin/sh\n"
    );
}
