//! [`template_marks`]: the walk over a template, with a DAG's tasks read field by field. A
//! DAG template is walked on every reconcile (is there anything to substitute?), and going
//! through `Serialize` costs hundreds of instructions per task; reading the task's strings
//! directly costs a few dozen. Both give the same answer: every field the serializer would
//! visit is visited here (the destructuring names every field, so a new one fails to compile
//! until it is walked), and empty fields hold no strings.
//!
//! Must not: allocate, or answer differently from [`super::marks`].

use argo_core::{DagTask, DagTemplate, Template};
use serde::Serialize;

use super::{Marks, RESULT, TAG, has_tag, mentions_result, scan};

/// [`super::marks`] for a template, fast for DAG templates.
pub(crate) fn template_marks(template: &Template) -> Marks {
    let Some(dag) = &template.dag else {
        return super::marks(template);
    };
    let mut walk = Walk { found: 0 };
    let Template {
        name,
        inputs,
        outputs,
        node_selector,
        affinity,
        metadata,
        daemon: _,
        steps,
        container,
        container_set,
        script,
        resource,
        dag: _,
        suspend,
        data,
        http,
        plugin,
        volumes,
        init_containers,
        sidecars,
        archive_location,
        active_deadline_seconds,
        retry_strategy,
        parallelism: _,
        fail_fast: _,
        tolerations,
        scheduler_name,
        priority_class_name,
        service_account_name,
        automount_service_account_token: _,
        executor,
        host_aliases,
        security_context,
        pod_spec_patch,
        metrics,
        synchronization,
        memoize,
        timeout,
        annotations,
        pending_timeout,
        pod_resources,
        resource_claims,
    } = template;
    for text in [
        name,
        scheduler_name,
        priority_class_name,
        service_account_name,
        pod_spec_patch,
        timeout,
        pending_timeout,
    ] {
        walk.text(text);
    }
    walk.value(inputs);
    walk.value(outputs);
    walk.value(node_selector);
    walk.value(affinity);
    walk.value(metadata);
    walk.value(steps);
    walk.value(container);
    walk.value(container_set);
    walk.value(script);
    walk.value(resource);
    walk.value(suspend);
    walk.value(data);
    walk.value(http);
    walk.value(plugin);
    walk.value(volumes);
    walk.value(init_containers);
    walk.value(sidecars);
    walk.value(archive_location);
    walk.value(active_deadline_seconds);
    walk.value(retry_strategy);
    walk.value(tolerations);
    walk.value(executor);
    walk.value(host_aliases);
    walk.value(security_context);
    walk.value(metrics);
    walk.value(synchronization);
    walk.value(memoize);
    walk.value(annotations);
    walk.value(pod_resources);
    walk.value(resource_claims);
    walk.dag(dag);
    Marks {
        tagged: walk.found & TAG != 0,
        mentions_result: walk.found & RESULT != 0,
    }
}

/// What the walk found so far (it stops looking once it has found both).
struct Walk {
    found: u8,
}

impl Walk {
    fn done(&self) -> bool {
        self.found == TAG | RESULT
    }

    #[inline]
    fn text(&mut self, value: &str) {
        // Most fields are empty and most names are plain: a string with no `{` and no `.`
        // holds no `{{` and no `.outputs.result`.
        if value.len() >= 2 && value.bytes().any(|b| b == b'{' || b == b'.') {
            self.look(value);
        }
    }

    #[inline(never)]
    fn look(&mut self, value: &str) {
        if self.found & TAG == 0 && has_tag(value) {
            self.found |= TAG;
        }
        if self.found & RESULT == 0 && mentions_result(value) {
            self.found |= RESULT;
        }
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) {
        if !self.done() {
            self.found |= scan(value, (TAG | RESULT) & !self.found);
        }
    }

    fn dag(&mut self, dag: &DagTemplate) {
        let DagTemplate {
            target,
            tasks,
            fail_fast: _,
        } = dag;
        self.text(target);
        for task in tasks {
            if self.done() {
                return;
            }
            self.task(task);
        }
    }

    fn task(&mut self, task: &DagTask) {
        let DagTask {
            name,
            template,
            inline,
            arguments,
            template_ref,
            dependencies,
            with_items,
            with_param,
            with_sequence,
            when,
            continue_on,
            on_exit,
            depends,
            hooks,
        } = task;
        for text in [name, template, with_param, when, on_exit, depends] {
            self.text(text);
        }
        for dependency in dependencies {
            self.text(dependency);
        }
        if inline.is_some() {
            self.value(inline);
        }
        if !arguments.is_empty() {
            self.value(arguments);
        }
        if template_ref.is_some() {
            self.value(template_ref);
        }
        if !with_items.is_empty() {
            self.value(with_items);
        }
        if with_sequence.is_some() {
            self.value(with_sequence);
        }
        if continue_on.is_some() {
            self.value(continue_on);
        }
        if !hooks.is_empty() {
            self.value(hooks);
        }
    }
}

#[cfg(test)]
mod tests {
    use argo_core::{Arguments, Item, Parameter};

    use super::*;

    fn dag(tasks: Vec<DagTask>) -> Template {
        Template {
            dag: Some(DagTemplate {
                tasks,
                ..DagTemplate::default()
            }),
            ..Template::named("main")
        }
    }

    fn agrees(template: &Template) -> Marks {
        let fast = template_marks(template);
        assert_eq!(fast, super::super::marks(template));
        fast
    }

    #[test]
    fn dag_templates_are_marked_like_the_serializer_walk() {
        let plain = || DagTask {
            dependencies: vec!["a".into()],
            ..DagTask::calling("b", "run")
        };
        assert_eq!(
            agrees(&dag(vec![plain(), plain()])),
            Marks {
                tagged: false,
                mentions_result: false
            }
        );
        let argument = DagTask {
            arguments: Arguments {
                parameters: vec![Parameter {
                    name: "p".into(),
                    value: Some("{{tasks.a.outputs.result}}".into()),
                    ..Parameter::default()
                }],
                ..Arguments::default()
            },
            ..plain()
        };
        assert!(agrees(&dag(vec![plain(), argument])).mentions_result);
        let item = DagTask {
            with_items: vec![Item(serde_json::json!({"k": "{{x}}"}))],
            ..plain()
        };
        assert!(agrees(&dag(vec![item])).tagged);
        let when = DagTask {
            when: "tasks.a.outputs.result == 1".into(),
            ..plain()
        };
        assert!(!agrees(&dag(vec![when])).tagged);
        let mut outer = dag(vec![plain()]);
        outer.timeout = "{{inputs.parameters.t}}".into();
        assert!(agrees(&outer).tagged);
        assert!(!agrees(&Template::named("leaf")).tagged);
    }
}
