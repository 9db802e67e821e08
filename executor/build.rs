//! Links `argoexec` as a position-dependent executable on Linux (what Go gives upstream's
//! argoexec by default). Every pod starts it two or three times, and as a position-independent
//! executable each start spent about 1.3 ms of CPU applying some 54,000 relocations and copying
//! the pages they touch; a fixed load address needs none. Libraries, heap and stack are still
//! placed at random. Must not: change anything but how the `argoexec` binary is linked.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bin=argoexec=-no-pie");
    }
}
