//! `when` conditions, `depends` expressions, template tags and expr expressions never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = argo_expr::when::evaluate(text);
        let _ = argo_expr::depends::parse(text);
        let _ = argo_expr::references(text);
        let scope = argo_expr::Scope::default();
        let options = argo_expr::Options::default();
        let _ = argo_expr::substitute(text, &scope, &options);
        let _ = argo_expr::evaluate(text, &scope, &options);
    }
});
