import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { artifactLocation } from '../api/artifacts';
import type { KubeEvent } from '../api/events';
import type { NodeStatus, Workflow } from '../api/types';
import { getThemeChoice, isDarkTheme, setThemeChoice } from '../theme';
import { NodePanel } from './NodePanel';
import { podName } from './podName';
import { WorkflowActions } from './WorkflowActions';

const node: NodeStatus = {
  id: 'hello-1234',
  name: 'hello',
  type: 'Pod',
  phase: 'Succeeded',
  templateName: 'main',
  inputs: { artifacts: [{ name: 'data', path: '/in/data', s3: { bucket: 'b', key: 'in/data.tgz' } }] },
  outputs: { artifacts: [{ name: 'report', path: '/out/report.txt', s3: { key: 'hello/report.tgz' } }] },
};
const workflow: Workflow = {
  metadata: { name: 'hello', namespace: 'argo', uid: 'u1' },
  spec: { templates: [{ name: 'main', container: { image: 'busybox' } }] },
  status: { phase: 'Succeeded', finishedAt: '2024-01-01T00:01:00Z', nodes: { [node.id]: node } },
};
const pod = podName(workflow, node);

const event = (name: string, about: string, reason: string, time: string): KubeEvent => ({
  metadata: { name, uid: name },
  involvedObject: { kind: 'Pod', name: about },
  reason,
  message: `${reason} happened`,
  type: 'Normal',
  lastTimestamp: time,
});

function sse(events: KubeEvent[]): Response {
  const text = events.map((e) => `data: ${JSON.stringify({ result: e })}\n\n`).join('');
  let sent = false;
  return new Response(new ReadableStream({
    pull(controller) {
      // Sends the events once, then stays open like a watch.
      if (!sent) controller.enqueue(new TextEncoder().encode(text));
      sent = true;
    },
  }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** A fetch stub: `answer` sees each request; records the URLs. */
function stubFetch(answer: (url: URL, init: RequestInit) => Response) {
  const urls: URL[] = [];
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://localhost/');
    urls.push(url);
    return answer(url, init);
  }));
  return urls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setThemeChoice('system');
});

const panel = (tab: 'events' | 'artifacts') =>
  render(<NodePanel workflow={workflow} node={node} tab={tab} onTab={() => undefined} onClose={() => undefined} onChanged={() => undefined} />);

describe('node panel events', () => {
  it("shows the pod's events from the namespace stream, newest first", async () => {
    const urls = stubFetch(() => sse([
      event('e1', pod, 'Scheduled', '2024-01-01T00:00:01Z'),
      event('e2', pod, 'Started', '2024-01-01T00:00:05Z'),
      event('e3', 'someone-else', 'Killing', '2024-01-01T00:00:09Z'),
    ]));
    panel('events');
    expect(await screen.findByText('Started happened')).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1).map((r) => r.textContent ?? '');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Started');
    expect(rows[1]).toContain('Scheduled');
    expect(urls[0]?.pathname).toBe('/api/v1/stream/events/argo');
    expect(urls).toHaveLength(1);
  });

  it('says so when there are no events', async () => {
    stubFetch(() => sse([]));
    panel('events');
    expect(await screen.findByText(/No events recorded for pod/)).toBeTruthy();
  });
});

describe('node panel artifacts', () => {
  it('lists inputs and outputs with their storage, and disables downloads the server does not serve', async () => {
    // The gateway answers unknown paths with the UI's index page.
    stubFetch(() => new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
    panel('artifacts');
    expect(screen.getByText('s3: b/in/data.tgz')).toBeTruthy();
    expect(screen.getByText('/out/report.txt')).toBeTruthy();
    expect(await screen.findByText(/does not serve artifact downloads yet:/)).toBeTruthy();
    const downloads = screen.getAllByRole('link', { name: 'Download' });
    expect(downloads).toHaveLength(2);
    for (const link of downloads) {
      expect(link.getAttribute('href')).toBeNull();
      expect(link.getAttribute('aria-disabled')).toBe('true');
      expect(link.getAttribute('title')).toMatch(/does not serve/);
    }
  });

  it('links each artifact to its download once the server serves files', async () => {
    const urls = stubFetch(() => new Response(null, { status: 200, headers: { 'Content-Type': 'application/gzip' } }));
    panel('artifacts');
    await waitFor(() => expect(screen.getAllByRole('link', { name: 'Download' })[0]?.getAttribute('href')).toBeTruthy());
    const hrefs = screen.getAllByRole('link', { name: 'Download' }).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual([
      `/artifact-files/argo/workflows/hello/${node.id}/inputs/data`,
      `/artifact-files/argo/workflows/hello/${node.id}/outputs/report`,
    ]);
    expect(urls[0]?.pathname).toBe(`/artifact-files/argo/workflows/hello/${node.id}/inputs/data`);
  });

  it('names the storage of each kind of location', () => {
    expect(artifactLocation({ name: 'a', gcs: { bucket: 'g', key: 'k' } })).toBe('gcs: g/k');
    expect(artifactLocation({ name: 'a', http: { url: 'https://x/y' } })).toBe('http: https://x/y');
    expect(artifactLocation({ name: 'a' })).toBeUndefined();
  });

  it('has tabs for the summary, logs, events and artifacts of a pod', () => {
    const onTab = vi.fn();
    render(<NodePanel workflow={workflow} node={node} tab="summary" onTab={onTab} onClose={() => undefined} onChanged={() => undefined} />);
    const names = screen.getAllByRole('tab').map((t) => t.textContent);
    expect(names).toEqual(['Summary', 'Logs', 'Events', 'Artifacts (2)']);
    fireEvent.click(screen.getByRole('tab', { name: 'Events' }));
    expect(onTab).toHaveBeenCalledWith('events');
  });
});

describe('theme', () => {
  it('keeps the choice, marks the document and reports dark', () => {
    setThemeChoice('dark');
    expect(getThemeChoice()).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(isDarkTheme()).toBe(true);
    setThemeChoice('light');
    expect(isDarkTheme()).toBe(false);
    setThemeChoice('system');
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(getThemeChoice()).toBe('system');
  });
});

describe('resubmit', () => {
  it('prefills the parameters it ran with, offers enums as dropdowns and sends only the changes', async () => {
    const ran: Workflow = {
      ...workflow,
      spec: { arguments: { parameters: [{ name: 'size', value: 'small', enum: ['small', 'large'] }, { name: 'msg', value: 'hi' }] } },
    };
    const calls: { url: string; body: unknown }[] = [];
    stubFetch((url, init) => {
      calls.push({ url: url.pathname, body: JSON.parse(String(init.body ?? '{}')) });
      return new Response(JSON.stringify({ metadata: { name: 'hello-2', namespace: 'argo' }, spec: {} }), { status: 200 });
    });
    render(<WorkflowActions workflow={ran} onChanged={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Resubmit' }));
    expect((screen.getByLabelText('msg') as HTMLInputElement).value).toBe('hi');
    fireEvent.change(screen.getByRole('combobox', { name: 'size' }), { target: { value: 'large' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Memoized' }));
    fireEvent.click(screen.getAllByRole('button', { name: 'Resubmit' })[1] as HTMLElement);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({ url: '/api/v1/workflows/argo/hello/resubmit', body: expect.objectContaining({ parameters: ['size=large'], memoized: true }) });
  });
});

describe('node panel containers', () => {
  it('lists every container of a containerSet and offers each in the logs picker', () => {
    stubFetch(() => sse([]));
    const set: Workflow = {
      ...workflow,
      spec: { templates: [{ name: 'main', containerSet: { containers: [{ name: 'a', image: 'alpine' }, { name: 'b', image: 'busybox', command: ['sh'] }] }, sidecars: [{ name: 'db', image: 'postgres' }] }] },
    };
    const { rerender } = render(<NodePanel workflow={set} node={node} tab="summary" onTab={() => undefined} onClose={() => undefined} onChanged={() => undefined} />);
    expect(screen.getByRole('heading', { name: 'Containers' })).toBeTruthy();
    expect(screen.getByLabelText('Container b').textContent).toContain('busybox');
    expect(screen.getByLabelText('Container db').textContent).toContain('postgres');
    rerender(<NodePanel workflow={set} node={node} tab="logs" onTab={() => undefined} onClose={() => undefined} onChanged={() => undefined} />);
    const options = [...(screen.getByRole('combobox', { name: 'Container' }) as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['a', 'b', 'db', 'init', 'wait']);
  });
});

describe('node panel template lookup', () => {
  it("finds the node's template in the stored WorkflowTemplate spec of a workflowTemplateRef run", () => {
    const fromTemplate: Workflow = {
      metadata: { name: 'hello', namespace: 'argo' },
      spec: { workflowTemplateRef: { name: 'greeter' } },
      status: { nodes: { [node.id]: node }, storedWorkflowTemplateSpec: { templates: [{ name: 'main', container: { image: 'alpine:3.20' } }] } },
    };
    render(<NodePanel workflow={fromTemplate} node={node} tab="summary" onTab={() => undefined} onClose={() => undefined} onChanged={() => undefined} />);
    expect(screen.getByLabelText('Container main').textContent).toContain('alpine:3.20');
  });
});
