//! The static UI seam: files from an asset provider, `index.html` as the SPA fallback.
//!
//! Providers: the UI compiled into the binary ([`EmbeddedAssets`], see `build.rs`), a
//! directory read on each request ([`DirectoryAssets`], for development), a page explaining
//! how to build the UI ([`NotBuiltPage`]) and in-memory files ([`MemoryAssets`], tests).
//! Unknown paths and `/` answer `index.html` with its `<base href="...">` rewritten to the
//! configured base href, as Argo's file server does. Vite's content-hashed files under
//! `assets/` are cacheable forever; `index.html` is revalidated on every load.
//! This module never serves anything under `/api/`.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};

mod embedded;

pub use embedded::{EmbeddedAssets, NotBuiltPage};

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
        let cache = if name.starts_with("assets/") {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        return file_response(bytes, content_type_for(name), cache);
    }
    let index = assets.and_then(|assets| assets.get("index.html"));
    match index {
        Some(bytes) => {
            let html = String::from_utf8_lossy(&bytes);
            file_response(
                rewrite_base_href(&html, base_href).into_bytes(),
                "text/html; charset=utf-8",
                REVALIDATE,
            )
        }
        None => {
            let mut response = Response::new(Body::from("404 page not found\n"));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    }
}

/// `Cache-Control` for Vite's content-hashed files: a new build has new names.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for everything else: `index.html` names the current build's files.
const REVALIDATE: &str = "no-cache";

fn file_response(bytes: Vec<u8>, content_type: &'static str, cache: &'static str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
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
    fn hashed_assets_are_cached_and_the_index_is_revalidated() {
        let assets = MemoryAssets::default()
            .with_file("index.html", r#"<base href="/">"#)
            .with_file("assets/app-1a2b.js", "1");
        let cache = |path: &str| {
            let response = serve(Some(&assets), path, "/");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.headers()[header::CACHE_CONTROL].clone()
        };
        assert_eq!(cache("/assets/app-1a2b.js"), IMMUTABLE);
        assert_eq!(cache("/workflows/argo"), REVALIDATE);
        assert_eq!(cache("/"), REVALIDATE);
    }

    #[test]
    fn the_not_built_page_is_the_fallback_for_every_path_with_the_base_href() {
        let response = serve(Some(&NotBuiltPage), "/workflows", "/argo/");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        let page = String::from_utf8(NotBuiltPage.get("index.html").expect("page")).expect("utf-8");
        assert!(rewrite_base_href(&page, "/argo/").contains(r#"<base href="/argo/">"#));
    }

    #[test]
    fn directory_assets_refuse_parent_paths() {
        let assets = DirectoryAssets::new("/tmp");
        assert_eq!(assets.get("../etc/passwd"), None);
    }
}
