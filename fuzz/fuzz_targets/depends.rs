//! A DAG `depends` expression parses and evaluates or errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(depends) = argo_expr::depends::parse(text)
    {
        let _ = depends.tasks();
        let _ = depends.evaluate(&|_| argo_expr::depends::TaskState::default());
    }
});
