//! `argo-crds [DIR]`: writes the generated CRDs into DIR (default `k8s/crds`).

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "k8s/crds".into());
    for file in argo_crds::write_all(std::path::Path::new(&dir))? {
        println!("wrote {}", file.display());
    }
    Ok(())
}
