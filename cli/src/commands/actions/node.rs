//! `argo node set`: sets a node's phase, message or supplied output parameters, picking the
//! node with a field selector.
//! Must not: pick nodes itself; the server applies the selector.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::bail;
use serde_json::json;

use crate::client::ClientArgs;
use crate::commands::{Out, Session};

/// perform action on a node in a workflow
#[derive(Debug, clap::Args)]
pub struct NodeArgs {
    /// the action (only `set`)
    #[arg(value_name = "ACTION")]
    pub action: String,
    /// the workflow
    #[arg(value_name = "WORKFLOW")]
    pub workflow: String,
    /// Selector of node to set, eg: --node-field-selector inputs.parameters.myparam.value=abc
    #[arg(long, default_value = "")]
    pub node_field_selector: String,
    /// Phase to set the node to, eg: --phase Succeeded
    #[arg(long, default_value = "")]
    pub phase: String,
    /// Set a "supplied" output parameter of node, eg: --output-parameter parameter-name="Hello, world!"
    #[arg(short = 'p', long = "output-parameter")]
    pub output_parameters: Vec<String>,
    /// Set the message of a node, eg: --message "Hello, world!"
    #[arg(short, long, default_value = "")]
    pub message: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// The `outputParameters` JSON object of `node set` (`""` when none), values unquoted.
pub fn output_parameters_json(pairs: &[String]) -> anyhow::Result<String> {
    if pairs.is_empty() {
        return Ok(String::new());
    }
    let mut values = BTreeMap::new();
    for pair in pairs {
        let (name, value) = crate::commands::manifest::split_pair(pair, "parameter")?;
        let value = serde_json::from_str::<String>(value)
            .ok()
            .filter(|_| value.starts_with('"'))
            .unwrap_or_else(|| value.to_owned());
        values.insert(name.to_owned(), value);
    }
    Ok(serde_json::to_string(&values)?)
}

pub async fn node(args: &NodeArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.action != "set" {
        bail!("unknown action '{}'", args.action);
    }
    let output_parameters = output_parameters_json(&args.output_parameters)?;
    let session = Session::connect(&args.client).await?;
    let name = session.resolve_name(&args.workflow).await?;
    session
        .call(
            "workflow.WorkflowService.SetWorkflow",
            json!({
                "name": name,
                "namespace": session.namespace(),
                "nodeFieldSelector": args.node_field_selector,
                "message": args.message,
                "phase": args.phase,
                "outputParameters": output_parameters,
            }),
        )
        .await?;
    writeln!(out, "workflow values set")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_set_output_parameters_unquote_values() {
        let json =
            output_parameters_json(&["a=\"Hello, world!\"".into(), "b=plain".into()]).unwrap();
        assert_eq!(json, r#"{"a":"Hello, world!","b":"plain"}"#);
        assert_eq!(output_parameters_json(&[]).unwrap(), "");
        assert!(output_parameters_json(&["nope".into()]).is_err());
    }
}
