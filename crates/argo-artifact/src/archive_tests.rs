use super::*;

fn tree(root: &Path) -> PathBuf {
    let dir = root.join("out");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("a.txt"), "alpha").unwrap();
    std::fs::write(dir.join("nested/b.txt"), "beta").unwrap();
    dir
}

#[test]
fn a_directory_round_trips_through_tar_gz() {
    let temp = tempfile::tempdir().unwrap();
    let source = tree(temp.path());
    let archive = temp.path().join("out.tgz");
    pack_tar_gz(&source, &archive, None).unwrap();
    assert!(is_tar_gz(&archive));
    let destination = temp.path().join("restored/here");
    unpack_tar_gz(&archive, &destination).unwrap();
    assert_eq!(
        std::fs::read_to_string(destination.join("a.txt")).unwrap(),
        "alpha"
    );
    assert_eq!(
        std::fs::read_to_string(destination.join("nested/b.txt")).unwrap(),
        "beta"
    );
}

#[test]
fn a_single_file_round_trips_through_tar_gz_under_a_new_name() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("hello.txt");
    std::fs::write(&source, "hello world\n").unwrap();
    let archive = temp.path().join("hello.tgz");
    pack_tar_gz(&source, &archive, Some(9)).unwrap();
    let destination = temp.path().join("message");
    unpack_tar_gz(&archive, &destination).unwrap();
    assert_eq!(
        std::fs::read_to_string(destination).unwrap(),
        "hello world\n"
    );
}

#[test]
fn a_directory_round_trips_through_zip() {
    let temp = tempfile::tempdir().unwrap();
    let source = tree(temp.path());
    let archive = temp.path().join("out.zip");
    pack_zip(&source, &archive).unwrap();
    assert!(!is_tar_gz(&archive));
    let destination = temp.path().join("unzipped");
    unpack_zip(&archive, &destination).unwrap();
    assert_eq!(
        std::fs::read_to_string(destination.join("nested/b.txt")).unwrap(),
        "beta"
    );
}

#[test]
fn unpacking_replaces_what_was_at_the_destination() {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("f");
    std::fs::write(&source, "new").unwrap();
    let archive = temp.path().join("f.tgz");
    pack_tar_gz(&source, &archive, None).unwrap();
    let destination = temp.path().join("existing");
    std::fs::create_dir_all(destination.join("old")).unwrap();
    unpack_tar_gz(&archive, &destination).unwrap();
    assert_eq!(std::fs::read_to_string(&destination).unwrap(), "new");
}

#[test]
fn a_plain_file_is_not_taken_for_a_tarball() {
    let temp = tempfile::tempdir().unwrap();
    let plain = temp.path().join("plain");
    std::fs::write(&plain, [0x1f, 0x8b, 0, 1, 2]).unwrap();
    assert!(!is_tar_gz(&plain));
    assert!(!is_tar_gz(&temp.path().join("missing")));
}

#[test]
fn strategies_choose_kind_and_object_file_name() {
    use argo_core::{NoneStrategy, TarStrategy, ZipStrategy};
    assert_eq!(ArchiveKind::of(None), ArchiveKind::TarGz { level: None });
    let none = ArchiveStrategy {
        none: Some(NoneStrategy {}),
        ..ArchiveStrategy::default()
    };
    assert_eq!(ArchiveKind::of(Some(&none)), ArchiveKind::None);
    let zip = ArchiveStrategy {
        zip: Some(ZipStrategy {}),
        ..ArchiveStrategy::default()
    };
    assert_eq!(ArchiveKind::of(Some(&zip)), ArchiveKind::Zip);
    let tar = ArchiveStrategy {
        tar: Some(TarStrategy {
            compression_level: Some(-1),
        }),
        ..ArchiveStrategy::default()
    };
    assert_eq!(
        ArchiveKind::of(Some(&tar)),
        ArchiveKind::TarGz { level: None }
    );
    assert_eq!(
        ArchiveKind::TarGz { level: None }.file_name("out", "/tmp/x"),
        "out.tgz"
    );
    assert_eq!(ArchiveKind::Zip.file_name("out", "/tmp/x"), "out.zip");
    assert_eq!(ArchiveKind::None.file_name("out", "/tmp/x.txt"), "x.txt");
}
