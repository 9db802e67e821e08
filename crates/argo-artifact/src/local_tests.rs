use tokio::io::AsyncReadExt;

use super::*;

fn object(key: &str) -> ObjectLocation {
    ObjectLocation::new("my-bucket", key)
}

#[tokio::test]
async fn a_stored_file_is_kept_under_root_bucket_and_key() {
    let temp = tempfile::tempdir().unwrap();
    let repository = LocalRepository::new(temp.path().join("repo"));
    let source = temp.path().join("source.txt");
    std::fs::write(&source, "payload").unwrap();
    repository
        .put_file(&object("wf/pod/out.tgz"), &source)
        .await
        .unwrap();
    let stored = temp.path().join("repo/my-bucket/wf/pod/out.tgz");
    assert_eq!(std::fs::read_to_string(stored).unwrap(), "payload");
    assert!(repository.exists(&object("wf/pod/out.tgz")).await.unwrap());
    assert!(!repository.exists(&object("wf/pod")).await.unwrap());
}

#[tokio::test]
async fn get_and_open_return_the_stored_bytes() {
    let temp = tempfile::tempdir().unwrap();
    let repository = LocalRepository::new(temp.path());
    let source = temp.path().join("s");
    std::fs::write(&source, "bytes").unwrap();
    repository.put_file(&object("k"), &source).await.unwrap();
    let destination = temp.path().join("fetched/file");
    repository
        .get_file(&object("k"), &destination)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(destination).unwrap(), "bytes");
    let mut text = String::new();
    let mut reader = repository.open(&object("k")).await.unwrap();
    reader.read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "bytes");
}

#[tokio::test]
async fn a_missing_object_is_not_found() {
    let temp = tempfile::tempdir().unwrap();
    let repository = LocalRepository::new(temp.path());
    let error = repository
        .get_file(&object("nope"), &temp.path().join("x"))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let opened = repository.open(&object("nope")).await;
    assert!(opened.is_err_and(|e| e.is_not_found()));
    repository.delete(&object("nope")).await.unwrap();
}

#[tokio::test]
async fn list_returns_keys_below_a_prefix_taken_as_a_directory() {
    let temp = tempfile::tempdir().unwrap();
    let repository = LocalRepository::new(temp.path());
    let source = temp.path().join("s");
    std::fs::write(&source, "x").unwrap();
    for key in ["a/b/c", "a/b/d/e", "a/bc", "z"] {
        repository.put_file(&object(key), &source).await.unwrap();
    }
    assert_eq!(
        repository.list(&object("a/b")).await.unwrap(),
        ["a/b/c", "a/b/d/e"]
    );
    assert_eq!(repository.list(&object("")).await.unwrap().len(), 4);
    assert!(
        repository
            .list(&object("missing"))
            .await
            .unwrap()
            .is_empty()
    );
    repository.delete(&object("a/b/c")).await.unwrap();
    assert_eq!(repository.list(&object("a/b")).await.unwrap(), ["a/b/d/e"]);
}

#[test]
fn keys_that_leave_the_root_are_rejected() {
    let repository = LocalRepository::new("/srv/artifacts");
    for key in ["../etc/passwd", "/abs", "a/../../b", "", "./a"] {
        assert!(repository.path_of(&object(key)).is_err(), "{key}");
    }
    assert!(repository.path_of(&ObjectLocation::new("..", "k")).is_err());
    assert_eq!(
        repository.path_of(&object("a/b/")).unwrap(),
        Path::new("/srv/artifacts/my-bucket/a/b")
    );
}
