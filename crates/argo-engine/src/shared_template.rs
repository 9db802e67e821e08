//! The handle a resolved template travels in: borrowed straight from the workflow's spec when
//! resolution used it as written (no `templateDefaults`, local scope), or built once and
//! shared (`Rc`) otherwise. A 10,000-task DAG template is then neither copied nor dropped on
//! every reconcile.
//!
//! Must not: resolve, merge or substitute anything (see `template_resolution` and `inputs`).

use std::ops::Deref;
use std::rc::Rc;

use argo_core::Template;

/// A template borrowed from the spec (`'a` is the workflow's lifetime) or built and shared.
#[derive(Debug, Clone)]
pub(crate) enum SharedTemplate<'a> {
    /// The spec's own template, used as written.
    Spec(&'a Template),
    /// A template resolution or substitution built.
    Built(Rc<Template>),
}

impl Deref for SharedTemplate<'_> {
    type Target = Template;

    fn deref(&self) -> &Template {
        match self {
            SharedTemplate::Spec(template) => template,
            SharedTemplate::Built(template) => template,
        }
    }
}

impl From<Template> for SharedTemplate<'_> {
    fn from(template: Template) -> Self {
        SharedTemplate::Built(Rc::new(template))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_read_as_the_template() {
        let template = Template::named("a");
        let borrowed = SharedTemplate::Spec(&template);
        let built = SharedTemplate::from(Template::named("a"));
        assert_eq!(*borrowed, *built);
        assert_eq!(borrowed.clone().name, "a");
    }
}
