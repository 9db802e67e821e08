//! The static UI seam: files from an asset provider, `index.html` as the SPA fallback.
//!
//! The real UI arrives with its own issue; it will implement [`AssetProvider`] (embedded
//! files) and hand it to the gateway. Unknown paths and `/` answer `index.html` with its
//! `<base href="...">` rewritten to the configured base href, as Argo's file server does.
//! This module never serves anything under `/api/`.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};

/// Where UI files come from.
pub trait AssetProvider: Send + Sync {
    /// The bytes of the file at `path` (no leading slash), if it exists and is a file.
    fn get(&self, path: &str) -> Option<Vec<u8>>;
}

/// Assets held in memory (tests, or files embedded at build time).
#[derive(Clone, Debug, Default)]
pub struct MemoryAssets {
    files: HashMap<String, Vec<u8>>,
}

impl MemoryAssets {
    /// Adds a file.
    pub fn with_file(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.files
            .insert(path.trim_start_matches('/').to_owned(), contents.into());
        self
    }
}

impl AssetProvider for MemoryAssets {
    fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.files.get(path).cloned()
    }
}

/// Assets read from a directory on each request.
#[derive(Clone, Debug)]
pub struct DirectoryAssets {
    root: PathBuf,
}

impl DirectoryAssets {
    /// Serves files under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

impl AssetProvider for DirectoryAssets {
    fn get(&self, path: &str) -> Option<Vec<u8>> {
        // Refuse anything that could climb out of the root.
        if path
            .split('/')
            .any(|part| part == ".." || part.contains('\\'))
        {
            return None;
        }
        let full = self.root.join(path);
        full.is_file().then(|| std::fs::read(full).ok()).flatten()
    }
}

/// The content type for a file name, by extension.
fn content_type_for(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Replaces the `href` of the first `<base href="...">` tag with `/<base_href>/`.
pub fn rewrite_base_href(index: &str, base_href: &str) -> String {
    let trimmed = base_href.trim_matches('/');
    if trimmed.is_empty() {
        return index.to_owned();
    }
    const OPEN: &str = "<base href=\"";
    let Some(start) = index.find(OPEN) else {
        return index.to_owned();
    };
    let value_start = start + OPEN.len();
    // The value ends at its closing quote, whether the tag then closes with `>` or `/>`.
    let Some(value_len) = index[value_start..].find('"') else {
        return index.to_owned();
    };
    format!(
        "{}/{trimmed}/{}",
        &index[..value_start],
        &index[value_start + value_len..]
    )
}

/// Serves a UI path (base href already removed).
pub fn serve(assets: Option<&dyn AssetProvider>, path: &str, base_href: &str) -> Response {
    let relative = path.trim_start_matches('/');
    let asset = assets.and_then(|assets| {
        if relative.is_empty() {
            None
        } else {
            assets.get(relative).map(|bytes| (relative, bytes))
        }
    });
    if let Some((name, bytes)) = asset {
        return file_response(bytes, content_type_for(name));
    }
    let index = assets.and_then(|assets| assets.get("index.html"));
    match index {
        Some(bytes) => {
            let html = String::from_utf8_lossy(&bytes);
            file_response(
                rewrite_base_href(&html, base_href).into_bytes(),
                "text/html; charset=utf-8",
            )
        }
        None => {
            let mut response = Response::new(Body::from("404 page not found\n"));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    }
}

fn file_response(bytes: Vec<u8>, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_href_is_rewritten_with_slashes_around_it() {
        let index = r#"<html><head><base href="/"></head></html>"#;
        assert_eq!(
            rewrite_base_href(index, "argo"),
            r#"<html><head><base href="/argo/"></head></html>"#
        );
        assert_eq!(rewrite_base_href(index, "/"), index);
    }

    #[test]
    fn self_closing_base_tag_keeps_the_rest_of_the_page() {
        let index = r#"<head><base href="/" /><script src="app.js"></script></head>"#;
        assert_eq!(
            rewrite_base_href(index, "/argo/"),
            r#"<head><base href="/argo/" /><script src="app.js"></script></head>"#
        );
    }

    #[test]
    fn directory_assets_refuse_parent_paths() {
        let assets = DirectoryAssets::new("/tmp");
        assert_eq!(assets.get("../etc/passwd"), None);
    }
}
