//! Linting any text reports problems, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let ctx = argo_validate::LintContext::default();
        let _ = argo_validate::lint_text(text, "fuzz", &ctx);
    }
});
