//! The node tree of `argo get` / `argo watch`: nodes grouped under their step group, retry or
//! boundary (steps/DAG) node, siblings ordered by start time (then loop index or name), step
//! groups and single-child retries folded away, one aligned row per node.
//! Must not: fetch anything; it renders a workflow it is given.

use std::collections::{BTreeMap, HashMap};

use argo_core::{NodePhase, NodeStatus, NodeType, Workflow};
use argo_engine::operations::NodeSelector;
use jiff::Timestamp;

use super::humanize;
use super::style::{FG_DEFAULT, Style};
use super::table::TabWriter;

/// Which columns to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeColumns {
    Default,
    Wide,
    Short,
}

/// What the tree shows and how.
#[derive(Debug, Clone)]
pub struct TreeOptions {
    pub columns: TreeColumns,
    pub selector: Option<NodeSelector>,
    pub style: Style,
    pub now: Timestamp,
}

#[derive(Debug)]
enum Kind {
    Execution,
    Group(Vec<usize>),
    Boundary(Vec<usize>),
}

#[derive(Debug)]
struct RenderNode<'a> {
    node: &'a NodeStatus,
    kind: Kind,
}

/// The tree as text (header line included), or `None` when the workflow has no root node.
pub fn render_tree(workflow: &Workflow, options: &TreeOptions) -> Option<String> {
    let name = workflow.name();
    let nodes = &workflow.status.nodes;
    let root_id = nodes
        .iter()
        .find(|(_, node)| node.name == name)
        .map(|(id, _)| id.clone())?;
    let forest = Forest::build(workflow);
    let mut w = TabWriter::new(2);
    let step = options.style.paint("STEP", FG_DEFAULT);
    match options.columns {
        TreeColumns::Wide => w.write(&format!(
            "{step}\tTEMPLATE\tPODNAME\tDURATION\tARTIFACTS\tMESSAGE\tRESOURCESDURATION\tNODENAME\n"
        )),
        TreeColumns::Short => w.write(&format!(
            "{step}\tTEMPLATE\tPODNAME\tDURATION\tMESSAGE\tNODENAME\n"
        )),
        TreeColumns::Default => w.write(&format!("{step}\tTEMPLATE\tPODNAME\tDURATION\tMESSAGE\n")),
    }
    let printer = Printer {
        workflow,
        options,
        forest: &forest,
        v1_pod_names: pod_names_are_v1(workflow),
    };
    let root = *forest.roots.get(root_id.as_str())?;
    printer.render(&mut w, root, " ", " ");
    let exit_id = argo_engine::node_id::node_id(name, &format!("{name}.onExit"));
    if let Some(exit_root) = forest.roots.get(exit_id.as_str()) {
        w.write("\t\t\t\t\t\n");
        printer.render(&mut w, *exit_root, " ", " ");
    }
    Some(w.finish())
}

fn pod_names_are_v1(workflow: &Workflow) -> bool {
    let annotated = workflow
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("workflows.argoproj.io/pod-name-format"))
        .map(String::as_str);
    match annotated {
        Some(version) => version == "v1",
        None => std::env::var("POD_NAMES").is_ok_and(|v| v == "v1"),
    }
}

struct Forest<'a> {
    arena: Vec<RenderNode<'a>>,
    roots: HashMap<&'a str, usize>,
}

impl<'a> Forest<'a> {
    fn build(workflow: &'a Workflow) -> Forest<'a> {
        let nodes: &'a BTreeMap<String, NodeStatus> = &workflow.status.nodes;
        let mut forest = Forest {
            arena: Vec::new(),
            roots: HashMap::new(),
        };
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        let mut group_of_child: HashMap<&str, usize> = HashMap::new();
        for (id, node) in nodes {
            if matches!(node.node_type, NodeType::StepGroup | NodeType::Retry) {
                let index = forest.push(node, Kind::Group(Vec::new()));
                index_of.insert(id, index);
                for child in &node.children {
                    group_of_child.insert(child, index);
                }
            }
        }
        let mut waiting: HashMap<&str, Vec<usize>> = HashMap::new();
        for (id, node) in nodes {
            let index = match node.node_type {
                NodeType::Dag | NodeType::Steps => {
                    let index = forest.push(node, Kind::Boundary(Vec::new()));
                    index_of.insert(id, index);
                    index
                }
                NodeType::StepGroup | NodeType::Retry => index_of[id.as_str()],
                NodeType::Pod
                | NodeType::Skipped
                | NodeType::Suspend
                | NodeType::Http
                | NodeType::Plugin => forest.push(node, Kind::Execution),
                _ => continue,
            };
            let is_root = if let Some(group) = group_of_child.get(id.as_str()) {
                forest.insert_sorted(*group, index);
                false
            } else if node.boundary_id.is_empty() {
                true
            } else if let Some(boundary) = index_of
                .get(node.boundary_id.as_str())
                .filter(|b| matches!(forest.arena[**b].kind, Kind::Boundary(_)))
            {
                forest.insert_sorted(*boundary, index);
                false
            } else {
                waiting
                    .entry(node.boundary_id.as_str())
                    .or_default()
                    .push(index);
                false
            };
            if is_root {
                forest.roots.insert(id, index);
            }
            if matches!(node.node_type, NodeType::Dag | NodeType::Steps) {
                for pending in waiting.remove(id.as_str()).unwrap_or_default() {
                    forest.insert_sorted(index, pending);
                }
            }
        }
        forest
    }

    fn push(&mut self, node: &'a NodeStatus, kind: Kind) -> usize {
        self.arena.push(RenderNode { node, kind });
        self.arena.len() - 1
    }

    fn insert_sorted(&mut self, parent: usize, item: usize) {
        let new = self.arena[item].node;
        let position = match &self.arena[parent].kind {
            // Siblings are kept sorted, so the first one `new` precedes is found by bisection.
            Kind::Group(children) | Kind::Boundary(children) => {
                children.partition_point(|existing| !comes_before(new, self.arena[*existing].node))
            }
            Kind::Execution => return,
        };
        if let Kind::Group(children) | Kind::Boundary(children) = &mut self.arena[parent].kind {
            children.insert(position, item);
        }
    }
}

/// Whether `new` sorts before `existing`: earlier start first (unstarted first), then loop
/// index when both are loop items, else display name.
fn comes_before(new: &NodeStatus, existing: &NodeStatus) -> bool {
    let start = |node: &NodeStatus| node.started_at.as_ref().map(|t| t.0);
    let (a, b) = (start(new), start(existing));
    if a != b {
        return a < b;
    }
    match (
        loop_index(&new.display_name),
        loop_index(&existing.display_name),
    ) {
        (Some(x), Some(y)) => x < y,
        _ => new.display_name < existing.display_name,
    }
}

/// The `N` of a loop item's name `step(N:value)`.
fn loop_index(name: &str) -> Option<i64> {
    let open = name.find('(')?;
    let colon = name.find(':')?;
    name.get(open + 1..colon)?.parse().ok()
}

struct Printer<'a> {
    workflow: &'a Workflow,
    options: &'a TreeOptions,
    forest: &'a Forest<'a>,
    v1_pod_names: bool,
}

impl Printer<'_> {
    /// Whether the node is left out, and whether its children need the folded-parent indent.
    fn filtered(&self, node: &NodeStatus) -> (bool, bool) {
        match node.node_type {
            NodeType::Retry if node.children.len() == 1 => (true, false),
            NodeType::StepGroup => (true, true),
            NodeType::Skipped if node.phase == NodePhase::Omitted => (true, false),
            _ => match &self.options.selector {
                Some(selector) if !selector.matches(node) => (true, false),
                _ => (false, false),
            },
        }
    }

    fn render(&self, w: &mut TabWriter, index: usize, node_prefix: &str, child_prefix: &str) {
        let entry = &self.forest.arena[index];
        let (filtered, child_indent) = self.filtered(entry.node);
        if !filtered {
            self.print_node(w, entry.node, node_prefix);
        }
        let children = match &entry.kind {
            Kind::Execution => return,
            Kind::Group(children) | Kind::Boundary(children) => children,
        };
        let last = children.len().saturating_sub(1);
        for (i, child) in children.iter().enumerate() {
            let (part, sub) = connector(self.options.style.utf8, filtered, child_indent, i, last);
            let (node_prefix, next_prefix) = if !filtered {
                (
                    format!("{child_prefix}{part}"),
                    format!("{child_prefix}{sub}"),
                )
            } else if i == 0 {
                (
                    format!("{node_prefix}{part}"),
                    format!("{child_prefix}{sub}"),
                )
            } else {
                (
                    format!("{child_prefix}{part}"),
                    format!("{child_prefix}{sub}"),
                )
            };
            self.render(w, *child, &node_prefix, &next_prefix);
        }
    }

    fn print_node(&self, w: &mut TabWriter, node: &NodeStatus, prefix: &str) {
        let style = self.options.style;
        let icon = if node.is_active_suspend_node() {
            style.suspend_icon()
        } else {
            style.phase_icon(&node.phase)
        };
        let name = format!("{prefix}{icon} {}", node.display_name);
        let template = match &node.template_ref {
            Some(reference) => format!("{}/{}", reference.name, reference.template),
            None => node.template_name.clone(),
        };
        let (pod, duration) = if node.node_type == NodeType::Pod {
            (self.pod_name(node), self.duration(node))
        } else {
            (String::new(), String::new())
        };
        let host = if node.node_type == NodeType::Pod {
            node.host_node_name.as_str()
        } else {
            ""
        };
        let message = node.message.as_str();
        let line = match self.options.columns {
            TreeColumns::Default => {
                format!("{name}\t{template}\t{pod}\t{duration}\t{message}\t\n")
            }
            TreeColumns::Short => {
                format!("{name}\t{template}\t{pod}\t{duration}\t{message}\t{host}\n")
            }
            TreeColumns::Wide => {
                let artifacts: Vec<&str> = node
                    .outputs
                    .iter()
                    .flat_map(|o| o.artifacts.iter().map(|a| a.name.as_str()))
                    .collect();
                format!(
                    "{name}\t{template}\t{pod}\t{duration}\t{}\t{message}\t{}\t{host}\n",
                    artifacts.join(","),
                    resources_duration(&node.resources_duration)
                )
            }
        };
        w.write(&line);
    }

    fn pod_name(&self, node: &NodeStatus) -> String {
        let workflow = self.workflow.name();
        if self.v1_pod_names {
            return node.id.clone();
        }
        let template = match &node.template_ref {
            Some(reference) => reference.template.as_str(),
            None => node.template_name.as_str(),
        };
        argo_engine::node_id::pod_name(workflow, &node.name, template)
    }

    fn duration(&self, node: &NodeStatus) -> String {
        humanize::short_between(
            node.started_at.as_ref().map(|t| t.0),
            node.finished_at.as_ref().map(|t| t.0),
            self.options.now,
        )
    }
}

fn connector(
    utf8: bool,
    parent_filtered: bool,
    child_indent: bool,
    index: usize,
    last: usize,
) -> (&'static str, &'static str) {
    let pick = |ascii: (&'static str, &'static str), fancy: (&'static str, &'static str)| {
        if utf8 { fancy } else { ascii }
    };
    if parent_filtered && child_indent {
        if last == 0 {
            pick(("--", "  "), ("──", "  "))
        } else if index == 0 {
            pick(("+-", "| "), ("┬─", "│ "))
        } else if index == last {
            pick(("`-", "  "), ("└─", "  "))
        } else {
            pick(("|-", "| "), ("├─", "│ "))
        }
    } else if !parent_filtered {
        if index == last {
            pick(("`-", "  "), ("└─", "  "))
        } else {
            pick(("|-", "| "), ("├─", "│ "))
        }
    } else {
        ("", "")
    }
}

/// `5s*(1 cpu),3s*(100Mi memory)`, resources in name order.
pub fn resources_duration(resources: &BTreeMap<String, i64>) -> String {
    resources
        .iter()
        .map(|(name, seconds)| {
            let unit = match name.as_str() {
                "memory" => "100Mi",
                "storage" | "ephemeral-storage" => "10Gi",
                _ => "1",
            };
            format!("{}*({unit} {name})", go_duration(*seconds))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A whole number of seconds as Go's `time.Duration.String` writes it (`1h2m3s`).
pub fn go_duration(seconds: i64) -> String {
    if seconds == 0 {
        return "0s".to_owned();
    }
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{sign}{h}h{m}m{sec}s")
    } else if m > 0 {
        format!("{sign}{m}m{sec}s")
    } else {
        format!("{sign}{sec}s")
    }
}
