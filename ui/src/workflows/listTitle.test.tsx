import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { navigate } from '../routing';
import { installFakeServer } from '../testing/fakeServer';

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('workflows list titles', () => {
  it('shows the title annotation under the name as markdown, never as HTML', async () => {
    installFakeServer({
      'GET /api/v1/workflows/argo': {
        items: [{ metadata: { name: 'titled', namespace: 'argo', uid: 'x', annotations: { 'workflows.argoproj.io/title': '`build` <img src=x> *fast*' } }, spec: {} }],
      },
      'GET /api/v1/archived-workflows': { items: [] },
      'GET /api/v1/info': {},
    });
    act(() => navigate('/workflows/argo'));
    render(<App />);
    expect((await screen.findByText('build')).tagName).toBe('CODE');
    expect(screen.getByText('fast').tagName).toBe('EM');
    expect(document.querySelector('td img')).toBeNull();
  });
});
