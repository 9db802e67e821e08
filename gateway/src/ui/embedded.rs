//! The UI files compiled into the binary by `build.rs`, and the page served in their place when
//! the binary was built before the UI.
//!
//! Must not: read the filesystem (`DirectoryAssets` serves a directory) or decide between
//! sources (the binary that starts the gateway does).

use super::AssetProvider;

include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));

/// The UI built into this binary (`ui/dist` when the gateway crate was compiled).
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedAssets {
    files: &'static [(&'static str, &'static [u8])],
}

impl EmbeddedAssets {
    /// The embedded UI, or `None` when the binary was built without one.
    pub fn get() -> Option<Self> {
        Self::from_table(FILES)
    }

    /// A table sorted by path; `None` without an `index.html`.
    fn from_table(files: &'static [(&'static str, &'static [u8])]) -> Option<Self> {
        let assets = Self { files };
        assets.lookup("index.html").is_some().then_some(assets)
    }

    /// How many files are embedded.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is embedded (never true for a value from [`EmbeddedAssets::get`]).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn lookup(&self, path: &str) -> Option<&'static [u8]> {
        self.files
            .binary_search_by(|(name, _)| (*name).cmp(path))
            .ok()
            .map(|index| self.files[index].1)
    }
}

impl AssetProvider for EmbeddedAssets {
    fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.lookup(path).map(<[u8]>::to_vec)
    }
}

/// Answers every UI path with a short page explaining that the UI was not built and how to
/// build it; the API is unaffected.
#[derive(Clone, Copy, Debug, Default)]
pub struct NotBuiltPage;

const NOT_BUILT_HTML: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Argo Workflows: UI not built</title><base href="/"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>The web UI was not built into this binary</h1>
<p>The API is being served (try <a href="api/v1/version">api/v1/version</a>); only the web pages are missing.</p>
<p>Build the UI, then rebuild the binary so that it embeds <code>ui/dist</code>:</p>
<pre>cd ui &amp;&amp; npm ci &amp;&amp; npm run build &amp;&amp; cd ..
cargo build --release -p cli</pre>
<p>or serve a built directory without rebuilding: <code>argo server --ui-dir ui/dist</code>
(or <code>ARGO_UI_DIR=ui/dist</code>).</p>
</body>
</html>
"#;

impl AssetProvider for NotBuiltPage {
    fn get(&self, path: &str) -> Option<Vec<u8>> {
        (path == "index.html").then(|| NOT_BUILT_HTML.as_bytes().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLE: &[(&str, &[u8])] = &[
        ("assets/app-1234.js", b"console.log(1)"),
        ("index.html", b"<base href=\"/\">"),
    ];

    #[test]
    fn a_sorted_table_answers_its_paths_only() {
        let assets = EmbeddedAssets::from_table(TABLE).expect("has index.html");
        assert_eq!(assets.len(), 2);
        assert_eq!(
            assets.get("assets/app-1234.js").as_deref(),
            Some(&b"console.log(1)"[..])
        );
        assert_eq!(assets.get("assets/other.js"), None);
        assert_eq!(assets.get("../index.html"), None);
    }

    #[test]
    fn a_table_without_index_html_is_no_ui() {
        static NO_INDEX: &[(&str, &[u8])] = &[("app.js", b"")];
        assert!(EmbeddedAssets::from_table(NO_INDEX).is_none());
    }

    #[test]
    fn the_build_table_is_sorted_and_has_an_index_when_not_empty() {
        assert!(FILES.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert_eq!(EmbeddedAssets::get().is_some(), !FILES.is_empty());
    }

    #[test]
    fn the_not_built_page_explains_how_to_build() {
        let page =
            String::from_utf8(NotBuiltPage.get("index.html").expect("index")).expect("utf-8");
        assert!(page.contains("npm ci &amp;&amp; npm run build"));
        assert!(page.contains("--ui-dir"));
        assert_eq!(NotBuiltPage.get("assets/app.js"), None);
    }
}
