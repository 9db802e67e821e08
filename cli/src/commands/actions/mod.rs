//! The commands that steer existing workflows: `retry` and `resubmit` (rerun), `suspend`,
//! `resume`, `stop` and `terminate` (lifecycle) and `node set` (node). What they share lives
//! here: picking workflows by name and/or label and field selectors.
//! Must not: change workflows locally; the server applies each operation.

mod lifecycle;
mod node;
mod rerun;

pub use lifecycle::{
    ResumeArgs, StopArgs, SuspendArgs, TerminateArgs, resume, stop, suspend, terminate,
};
pub use node::{NodeArgs, node};
pub use rerun::{RerunArgs, ResubmitArgs, RetryArgs, resubmit, retry};

use super::Session;
use super::list::{Selection, select};
use super::objects_name;

/// Label and field selectors picking workflows besides the named ones.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Selectors {
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Selector (field query) to filter on, supports '=', '==', and '!='.
    #[arg(long)]
    pub field_selector: Option<String>,
}

impl Selectors {
    fn any(&self) -> bool {
        self.selector.is_some() || self.field_selector.is_some()
    }
}

/// The selected workflows' names, then the named ones, without repeats.
async fn targets(
    session: &Session,
    names: &[String],
    selectors: &Selectors,
) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    if selectors.any() {
        let selection = Selection {
            selector: selectors.selector.clone(),
            field_selector: selectors.field_selector.clone(),
            ..Selection::default()
        };
        for workflow in select(session, session.namespace(), &selection, false, None, 0).await? {
            found.push(objects_name(&workflow));
        }
    }
    for name in names {
        found.push(session.resolve_name(name).await?);
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|name| seen.insert(name.clone()));
    Ok(found)
}
