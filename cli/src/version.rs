//! `argo version`: prints the client's build information in Argo's layout, then the server's
//! (`argo-server: ...`) when a server is configured.
//! Must not: contact a server unless one is configured.

use std::io::Write;
use std::process::ExitCode;

use argo_build_info::{BuildInfo, build_info};
use serde_json::{Value as Json, json};

use crate::client::{ApiClient, ClientArgs};

#[derive(Debug, clap::Args)]
pub struct VersionArgs {
    /// print just the version number
    #[arg(long)]
    pub short: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// The client's version, then the server's when `--argo-server`/`ARGO_SERVER` is set.
pub async fn run_async(args: &VersionArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    write_version(out, "argo", &build_info(), args.short)?;
    if args.client.argo_server.as_deref().is_none_or(str::is_empty) {
        return Ok(ExitCode::SUCCESS);
    }
    let client = ApiClient::connect(&args.client).await?;
    let server = client
        .call("info.InfoService.GetVersion", json!({}))
        .await?;
    write_server_version(out, &server, args.short)?;
    Ok(ExitCode::SUCCESS)
}

/// The server's `Version` message in the same layout.
pub fn write_server_version(
    out: &mut dyn Write,
    version: &Json,
    short: bool,
) -> std::io::Result<()> {
    let field = |key: &str| version.get(key).and_then(Json::as_str).unwrap_or("");
    writeln!(out, "argo-server: {}", field("version"))?;
    if short {
        return Ok(());
    }
    writeln!(out, "  BuildDate: {}", field("buildDate"))?;
    writeln!(out, "  GitCommit: {}", field("gitCommit"))?;
    writeln!(out, "  GitTreeState: {}", field("gitTreeState"))?;
    if !field("gitTag").is_empty() {
        writeln!(out, "  GitTag: {}", field("gitTag"))?;
    }
    writeln!(out, "  GoVersion: {}", field("goVersion"))?;
    writeln!(out, "  Compiler: {}", field("compiler"))?;
    writeln!(out, "  Platform: {}", field("platform"))?;
    Ok(())
}

/// Writes one program's version block the way Argo's CLI does.
pub fn write_version(
    out: &mut dyn Write,
    program: &str,
    info: &BuildInfo,
    short: bool,
) -> std::io::Result<()> {
    writeln!(out, "{program}: {}", info.version)?;
    if short {
        return Ok(());
    }
    writeln!(out, "  BuildDate: {}", info.build_date)?;
    writeln!(out, "  GitCommit: {}", info.git_commit)?;
    writeln!(out, "  GitTreeState: {}", info.git_tree_state)?;
    if !info.git_tag.is_empty() {
        writeln!(out, "  GitTag: {}", info.git_tag)?;
    }
    writeln!(out, "  GoVersion: {}", info.go_version)?;
    writeln!(out, "  Compiler: {}", info.compiler)?;
    writeln!(out, "  Platform: {}", info.platform)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BuildInfo {
        BuildInfo {
            version: "v0.1.0+abcdef0".into(),
            build_date: "2026-11-22T03:00:00Z",
            git_commit: "abcdef0123",
            git_tag: "",
            git_tree_state: "clean",
            go_version: "rustc1.95.0".into(),
            compiler: "rustc",
            platform: "linux/amd64".into(),
        }
    }

    #[test]
    fn version_prints_every_field_in_argo_order_and_omits_an_empty_tag() {
        let mut out = Vec::new();
        write_version(&mut out, "argo", &sample(), false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "argo: v0.1.0+abcdef0\n  BuildDate: 2026-11-22T03:00:00Z\n  GitCommit: abcdef0123\n  \
             GitTreeState: clean\n  GoVersion: rustc1.95.0\n  Compiler: rustc\n  Platform: linux/amd64\n"
        );
    }

    #[test]
    fn short_version_prints_only_the_first_line() {
        let mut out = Vec::new();
        write_version(&mut out, "argo", &sample(), true).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "argo: v0.1.0+abcdef0\n");
    }
}
