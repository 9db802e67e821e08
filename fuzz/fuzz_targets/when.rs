//! A `when` condition (govaluate rules) evaluates or errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = argo_expr::when::evaluate(text);
        let _ = argo_expr::when::evaluate_cron(text);
    }
});
