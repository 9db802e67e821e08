//! Lints the files named on the command line with Argo's `simple` output, supplying the
//! templates found in them as the context (like `argo lint --offline`). `--admission` checks
//! Workflows the way the controller admits them instead of the way lint does; `--submit`
//! checks them as a submission.

use std::fs;

use argo_validate::{DocumentTemplates, Format, LintContext, format_all, lint_text};

fn main() -> anyhow::Result<()> {
    let mut admission = false;
    let mut submit = false;
    let mut server_wording = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--admission" => admission = true,
            "--submit" => submit = true,
            "--server-wording" => server_wording = true,
            _ => files.push(arg),
        }
    }
    let mut texts = Vec::new();
    let mut templates = DocumentTemplates::new();
    for file in &files {
        let text = fs::read_to_string(file)?;
        templates.add_text(&text);
        texts.push((file.clone(), text));
    }
    if server_wording {
        templates = templates.with_server_wording();
    }
    let mut ctx = LintContext::with_resolver(templates);
    ctx.lint = !admission && !submit;
    ctx.submit = submit;
    let reports: Vec<_> = texts
        .iter()
        .map(|(file, text)| lint_text(text, file, &ctx))
        .collect();
    print!("{}", format_all(&reports, Format::Simple, false));
    Ok(())
}
