import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { navigate } from '../routing';
import { installFakeServer } from '../testing/fakeServer';

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('event bindings page', () => {
  it('shows each binding selector, the template it submits and the parameter sources', async () => {
    installFakeServer({
      'GET /api/v1/workflow-event-bindings/team': {
        items: [
          {
            metadata: { name: 'on-push', namespace: 'team' },
            spec: {
              event: { selector: 'payload.ref == "main" && discriminator == "git"' },
              submit: { workflowTemplateRef: { name: 'build' }, arguments: { parameters: [{ name: 'sha', valueFrom: { event: 'payload.after' } }] } },
            },
          },
          { metadata: { name: 'shared' }, spec: { event: { selector: 'true' }, submit: { workflowTemplateRef: { name: 'global', clusterScope: true } } } },
        ],
      },
    });
    act(() => navigate('/workflow-event-bindings/team'));
    render(<App />);
    expect(await screen.findByText('payload.ref == "main" && discriminator == "git"')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'build' }).getAttribute('href')).toBe('/workflow-templates/team/build');
    expect(screen.getByRole('link', { name: 'global' }).getAttribute('href')).toBe('/cluster-workflow-templates/global');
    expect(screen.getByText('payload.after')).toBeTruthy();
  });

  it('says so when there are none', async () => {
    installFakeServer({ 'GET /api/v1/workflow-event-bindings/argo': {} });
    act(() => navigate('/workflow-event-bindings'));
    render(<App />);
    expect(await screen.findByText('No workflow event bindings found.')).toBeTruthy();
  });
});
