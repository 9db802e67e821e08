//! Argo's identifiers: node ids, v2 pod names and the names of generated nodes (loop items,
//! retries, exit handlers, hooks).
//!
//! Invariant: every function here is a pure function of its arguments and reproduces upstream's
//! strings byte for byte (FNV-1a 32-bit hashes printed in decimal).
//! Must not: look at workflow state; callers pass the names.

/// Kubernetes' limit on resource names.
const MAX_K8S_NAME_LENGTH: usize = 253;
/// Room Argo keeps for `-<hash>` when it truncates a pod name prefix.
const NAMING_HASH_LENGTH: usize = 10;
/// The longest pod-name prefix Argo keeps (it cuts at one byte less than this).
const MAX_PREFIX_LENGTH: usize = MAX_K8S_NAME_LENGTH - NAMING_HASH_LENGTH;

/// The 32-bit FNV-1a hash of `text`.
pub fn fnv32a(text: &str) -> u32 {
    const OFFSET: u32 = 2_166_136_261;
    const PRIME: u32 = 16_777_619;
    text.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(PRIME)
    })
}

/// The id of the node called `node_name` in workflow `workflow_name`: the workflow name for the
/// root node, `<workflow>-<fnv32a(node name)>` otherwise.
pub fn node_id(workflow_name: &str, node_name: &str) -> String {
    if node_name == workflow_name {
        return workflow_name.to_owned();
    }
    hashed(workflow_name, node_name)
}

/// `<prefix>-<fnv32a(node name)>`, built without the formatting machinery (node ids are
/// computed for every node lookup).
fn hashed(prefix: &str, node_name: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 1 + 10);
    id.push_str(prefix);
    push_hash(&mut id, node_name);
    id
}

/// Appends `-<fnv32a(node name)>` in decimal.
fn push_hash(out: &mut String, node_name: &str) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut hash = fnv32a(node_name);
    loop {
        at -= 1;
        digits[at] = b'0' + (hash % 10) as u8;
        hash /= 10;
        if hash == 0 {
            break;
        }
    }
    out.push('-');
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// The v2 pod name of a node: `<workflow>-<template>-<fnv32a(node name)>`, with the prefix cut
/// to Kubernetes' limit; the root node's pod is named after the workflow.
pub fn pod_name(workflow_name: &str, node_name: &str, template_name: &str) -> String {
    if workflow_name == node_name {
        return workflow_name.to_owned();
    }
    let mut name = String::with_capacity(workflow_name.len() + template_name.len() + 12);
    name.push_str(workflow_name);
    if !template_name.is_empty() {
        name.push('-');
        name.push_str(template_name);
    }
    if name.len() > MAX_PREFIX_LENGTH - 1 {
        let mut cut = MAX_PREFIX_LENGTH - 1;
        // Go slices bytes; we stay on a char boundary so names with non-ASCII text never panic.
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    push_hash(&mut name, node_name);
    name
}

/// The v1 pod name (the node id), used when a workflow is annotated with
/// `workflows.argoproj.io/pod-name-format: v1`.
pub fn pod_name_v1(workflow_name: &str, node_name: &str) -> String {
    node_id(workflow_name, node_name)
}

/// The name of the `index`th loop child: `name(index:desc)` with parentheses dropped from the
/// description, as Argo's `generateNodeName` does.
pub fn loop_node_name(name: &str, index: usize, description: &str) -> String {
    let clean: String = description
        .chars()
        .filter(|c| *c != '(' && *c != ')')
        .collect();
    format!("{name}({index}:{clean})")
}

/// The name of retry attempt `attempt` of the retry node `name`.
pub fn retry_node_name(name: &str, attempt: usize) -> String {
    format!("{name}({attempt})")
}

/// The name of the exit-handler node of `parent`.
pub fn on_exit_node_name(parent: &str) -> String {
    format!("{parent}.onExit")
}

/// The name of the step-group node `index` of the steps node `steps_node`.
pub fn step_group_node_name(steps_node: &str, index: usize) -> String {
    format!("{steps_node}[{index}]")
}

/// The name of a lifecycle hook node of `parent` for hook `hook`.
pub fn hook_node_name(parent: &str, hook: &str) -> String {
    format!("{parent}.hooks.{hook}")
}

/// The display name of a node under its boundary: the name without the boundary's name and
/// the `[N].`/`.` separator that follows it.
pub fn display_name(node_name: &str, boundary_name: Option<&str>) -> String {
    let Some(boundary) = boundary_name else {
        return node_name.to_owned();
    };
    let rest = node_name.strip_prefix(boundary).unwrap_or(node_name);
    strip_group_separator(rest).to_owned()
}

/// Removes a leading `[N].` or `.` (Argo's `^(\[\d+\])?\.`).
fn strip_group_separator(text: &str) -> &str {
    if let Some(after_bracket) = text.strip_prefix('[')
        && let Some(close) = after_bracket.find(']')
    {
        let digits = &after_bracket[..close];
        let after = &after_bracket[close + 1..];
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Some(stripped) = after.strip_prefix('.')
        {
            return stripped;
        }
    }
    text.strip_prefix('.').unwrap_or(text)
}

/// The loop index recorded in a node name such as `wf.step(3:x)`, if any.
pub fn loop_index(node_name: &str) -> Option<usize> {
    let open = node_name.rfind('(')?;
    let rest = &node_name[open + 1..];
    let end = rest.find(':')?;
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed with upstream's algorithm (Go's hash/fnv New32a).
    #[test]
    fn fnv32a_matches_the_reference_vectors() {
        assert_eq!(fnv32a(""), 2_166_136_261);
        assert_eq!(fnv32a("a"), 0xe40c_292c);
        assert_eq!(fnv32a("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn the_root_node_id_is_the_workflow_name() {
        assert_eq!(node_id("hello", "hello"), "hello");
    }

    #[test]
    fn node_ids_append_the_decimal_hash_of_the_node_name() {
        let name = "hello.steps[0].a";
        assert_eq!(node_id("hello", name), format!("hello-{}", fnv32a(name)));
        assert_eq!(node_id("wf", "wf.a"), "wf-2962115457");
        for i in 0..2000 {
            let name = format!("wf.t{i}");
            assert_eq!(node_id("wf", &name), format!("wf-{}", fnv32a(&name)));
        }
    }

    #[test]
    fn pod_names_use_the_template_name_between_workflow_and_hash() {
        assert_eq!(pod_name("wf", "wf.a", "whalesay"), "wf-whalesay-2962115457");
        assert_eq!(pod_name("wf", "wf", "whalesay"), "wf");
        assert_eq!(pod_name("wf", "wf.a", ""), "wf-2962115457");
    }

    #[test]
    fn long_pod_name_prefixes_are_cut_to_242_bytes() {
        let template = "t".repeat(300);
        let name = pod_name("wf", "wf.a", &template);
        let (prefix, hash) = name.rsplit_once('-').expect("hash suffix");
        assert_eq!(prefix.len(), 242);
        assert_eq!(hash, "2962115457");
    }

    #[test]
    fn loop_names_drop_parentheses_from_the_item_description() {
        assert_eq!(loop_node_name("wf[0].a", 1, "f(x)"), "wf[0].a(1:fx)");
        assert_eq!(loop_index("wf[0].a(12:fx)"), Some(12));
        assert_eq!(loop_index("wf[0].a"), None);
    }

    #[test]
    fn display_names_drop_the_boundary_and_group_separator() {
        assert_eq!(display_name("wf[0].a", Some("wf")), "a");
        assert_eq!(display_name("wf.a", Some("wf")), "a");
        assert_eq!(display_name("wf[10].a(0:x)", Some("wf")), "a(0:x)");
        assert_eq!(display_name("wf", None), "wf");
        assert_eq!(display_name("wf[1]", Some("wf")), "[1]");
    }
}
