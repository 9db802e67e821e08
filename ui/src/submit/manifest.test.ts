import { describe, expect, it } from 'vitest';
import { EXAMPLE_WORKFLOW, locateMessage, parseManifest } from './manifest';

describe('manifest parsing', () => {
  it('parses the example workflow', () => {
    const { workflow, problem } = parseManifest(EXAMPLE_WORKFLOW);
    expect(problem).toBeUndefined();
    expect(workflow?.spec.entrypoint).toBe('main');
  });

  it('reports a YAML syntax error at its line', () => {
    const { problem } = parseManifest('kind: Workflow\nspec:\n  entrypoint: [oops\n');
    expect(problem?.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects other kinds', () => {
    expect(parseManifest('kind: Pod\n').problem?.message).toContain('Pod');
  });

  it('places a lint message on the line of the field it names', () => {
    const line = locateMessage(EXAMPLE_WORKFLOW, 'spec.entrypoint template "nope" not found');
    expect(line).toBe(6);
  });
});
