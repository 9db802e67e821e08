//! Build script: embeds the built web UI (`../ui/dist`, or `ARGO_UI_DIST`) into the gateway.
//!
//! Writes `$OUT_DIR/ui_assets.rs`, a table of `(path, include_bytes!(...))` pairs that
//! `src/ui/embedded.rs` includes; the table is empty when the UI has not been built, so a fresh
//! clone builds and tests before `npm run build`. Must not run npm or fail the build over the UI.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=ARGO_UI_DIST");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let custom = std::env::var_os("ARGO_UI_DIST").map(PathBuf::from);
    let default = manifest_dir.join("..").join("ui");
    let dist = custom.clone().unwrap_or_else(|| default.join("dist"));
    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        // A rebuilt UI (new, changed or removed files) re-runs this script.
        println!("cargo:rerun-if-changed={}", dist.display());
        collect(&dist, &dist, &mut files);
        files.sort();
    } else if custom.is_none() && default.is_dir() {
        // No UI yet: re-run once `ui/dist/` appears beside the sources.
        println!("cargo:rerun-if-changed={}", default.display());
    }
    let mut table = String::from("pub(super) static FILES: &[(&str, &[u8])] = &[\n");
    for (relative, absolute) in &files {
        writeln!(table, "    ({relative:?}, include_bytes!({absolute:?})),")
            .expect("writing to a String");
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let target = out.join("ui_assets.rs");
    // Unchanged content keeps its timestamp, so the crate is not recompiled for nothing.
    if std::fs::read_to_string(&target).ok().as_deref() != Some(table.as_str()) {
        std::fs::write(&target, table).expect("OUT_DIR is writable");
    }
}

/// Every regular file under `dir`, as (path relative to `root` with `/`, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(root, &path, files);
        } else if kind.is_file() {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let relative: Vec<String> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            let absolute = path.canonicalize().unwrap_or_else(|_| path.clone());
            files.push((relative.join("/"), absolute.to_string_lossy().into_owned()));
        }
    }
}
