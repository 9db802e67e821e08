import { describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../api/types';
import { podName } from './podName';

const node: NodeStatus = { id: 'hello-1234567', name: 'hello.step', type: 'Pod', templateName: 'whalesay' };

describe('pod names', () => {
  it('v2 names join workflow, template and id hash', () => {
    expect(podName({ metadata: { name: 'hello' }, spec: {} }, node)).toBe('hello-whalesay-1234567');
  });

  it('v1 names are the node id', () => {
    const wf: Workflow = { metadata: { name: 'hello', annotations: { 'workflows.argoproj.io/pod-name-format': 'v1' } }, spec: {} };
    expect(podName(wf, node)).toBe('hello-1234567');
  });
});
