//! Scanning and substituting `{{...}}` / `{{=...}}` tags never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = argo_expr::references(text);
        let mut scope = argo_expr::Scope::default();
        scope.insert("inputs.parameters.x", serde_json::json!("value"));
        scope.insert_absent("steps.skipped.outputs.result");
        let _ = argo_expr::substitute(text, &scope, &argo_expr::Options::default());
    }
});
