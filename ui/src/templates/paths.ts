// In-app routes and example manifests of the template pages. Pure.

import type { TemplateScope } from '../api/templates';

const enc = encodeURIComponent;

export function templatesRoute(scope: TemplateScope, namespace: string): string {
  return scope === 'cluster' ? '/cluster-workflow-templates' : `/workflow-templates/${enc(namespace)}`;
}

export function templateRoute(scope: TemplateScope, namespace: string, name: string): string {
  return `${templatesRoute(scope, namespace)}/${enc(name)}`;
}

export function templateKind(scope: TemplateScope): 'WorkflowTemplate' | 'ClusterWorkflowTemplate' {
  return scope === 'cluster' ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
}

export function exampleTemplate(scope: TemplateScope): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ${templateKind(scope)}
metadata:
  name: greeting
  annotations:
    workflows.argoproj.io/description: Prints a **greeting** to whoever is named.
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: who
        value: world
      - name: mood
        enum: [happy, calm]
        value: happy
  templates:
    - name: main
      inputs:
        parameters:
          - name: who
            value: "{{workflow.parameters.who}}"
      container:
        image: busybox
        command: [echo]
        args: ["hello {{inputs.parameters.who}}"]
`;
}
