// The pod name of a node: v1 names are the node id; v2 names (the default) are
// `<workflow>-<template>-<id hash>`, the prefix shortened to fit Kubernetes' 63-char limit.

import type { NodeStatus, Workflow } from '../api/types';

const MAX_PREFIX = 63 - 1 - 10;

export function podName(workflow: Workflow, node: NodeStatus): string {
  const wfName = workflow.metadata.name ?? '';
  const format = workflow.metadata.annotations?.['workflows.argoproj.io/pod-name-format'];
  if (format === 'v1' || !node.templateName) return node.id;
  if (node.name === wfName) return wfName;
  const hash = node.id.split('-').pop() ?? node.id;
  let prefix = `${wfName}-${node.templateName}`;
  if (prefix.length > MAX_PREFIX) prefix = prefix.slice(0, MAX_PREFIX);
  return `${prefix}-${hash}`;
}
