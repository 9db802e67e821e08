//! An expr-lang expression (with Argo's helpers and sprig) evaluates or errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = argo_expr::parse_expression(text);
        let scope = argo_expr::Scope::default();
        let _ = argo_expr::evaluate(text, &scope, &argo_expr::Options::default());
    }
});
