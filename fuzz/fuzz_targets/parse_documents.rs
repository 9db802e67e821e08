//! Any byte string fed to the YAML/JSON document parser returns documents or errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = argo_core::parse_documents(text);
    }
});
