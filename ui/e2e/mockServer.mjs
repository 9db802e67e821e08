// A tiny stand-in for the Argo Server used by the browser journeys until the real server is up:
// serves ui/dist under a base href (rewriting <base href>, as `argo server --base-href` does) and
// answers the REST paths the journeys touch (resources in mockApi.mjs). Test-only; never shipped.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createMockApi } from './mockApi.mjs';

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' };

function node(id, name, type, phase, children, extra = {}) {
  return { id, name, displayName: name.split('.').pop(), type, phase, children, templateName: 'main', startedAt: '2024-01-01T00:00:00Z', ...extra };
}

/** A workflow with `count` pod nodes in a layered DAG (fan-out of `width`). */
export function bigWorkflow(name, count, width = 100) {
  const nodes = { [name]: node(name, name, 'DAG', 'Running', []) };
  for (let i = 0; i < count; i++) {
    const id = `${name}-${i}`;
    nodes[id] = node(id, `${name}.task-${i}`, 'Pod', i % 13 === 0 ? 'Failed' : 'Succeeded', [], { finishedAt: '2024-01-01T00:01:00Z' });
    if (i < width) nodes[name].children.push(id);
    else nodes[`${name}-${i - width}`].children.push(id);
  }
  return {
    metadata: { name, namespace: 'argo', uid: `uid-${name}`, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox' } }] },
    status: { phase: 'Running', startedAt: '2024-01-01T00:00:00Z', nodes },
  };
}

/** A DAG whose one task loops over `count` items, then joins into `end`. */
export function loopWorkflow(name, count) {
  const item = (i) => node(`${name}-i${i}`, `${name}.work(${i}:${i})`, 'Pod', i % 50 === 7 ? 'Failed' : 'Succeeded', [`${name}-end`], { boundaryID: name });
  const items = Array.from({ length: count }, (_, i) => item(i));
  const nodes = Object.fromEntries([
    node(name, name, 'DAG', 'Failed', [`${name}-tg`]),
    node(`${name}-tg`, `${name}.work`, 'TaskGroup', 'Failed', items.map((n) => n.id), { boundaryID: name }),
    ...items,
    node(`${name}-end`, `${name}.end`, 'Pod', 'Omitted', [], { boundaryID: name }),
  ].map((n) => [n.id, n]));
  return {
    metadata: { name, namespace: 'argo', uid: `uid-${name}`, creationTimestamp: '2024-01-02T00:00:00Z' },
    spec: { entrypoint: 'main', templates: [{ name: 'main', dag: { tasks: [] } }] },
    status: { phase: 'Failed', startedAt: '2024-01-02T00:00:00Z', finishedAt: '2024-01-02T00:10:00Z', nodes },
  };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : {};
}

export function startMockServer({ dist, base = '/argo/' }) {
  const workflows = { hello: bigWorkflow('hello', 5, 5), huge: bigWorkflow('huge', 10_000), loops: loopWorkflow('loops', 5_000) };
  workflows.hello.status.nodes['hello-3'].outputs = { artifacts: [{ name: 'report', path: '/tmp/report.txt', s3: { key: 'hello/report.tgz' } }] };
  const api = createMockApi({ workflows });
  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(base)) return json(res, 404, { message: 'outside base' });
    const path = `/${url.pathname.slice(base.length)}`;
    if (path.startsWith('/api/v1/workflows/locked')) return json(res, 401, { code: 16, message: 'token not valid' });
    if (path.startsWith('/api/v1/stream/events/')) {
      // One event about the pod of hello's task-3, then held open like a live watch.
      const event = {
        metadata: { name: 'ev-1', uid: 'ev-1', creationTimestamp: '2024-01-01T00:00:02Z' },
        involvedObject: { kind: 'Pod', name: 'hello-main-3' },
        type: 'Normal', reason: 'Started', message: 'Started container main', lastTimestamp: '2024-01-01T00:00:02Z', count: 1,
        source: { component: 'kubelet' },
      };
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ result: event })}\n\n`);
      return undefined;
    }
    if (path.startsWith('/api/v1/workflow-events/') || path.endsWith('/log')) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(':\n\n');
      return undefined; // held open like a live watch
    }
    if (path === '/api/v1/version') return json(res, 200, { version: 'v0.0.0-mock', platform: 'linux/amd64' });
    if (path === '/api/v1/info') return json(res, 200, { managedNamespace: 'argo' });
    if (path === '/api/v1/userinfo') return json(res, 200, { subject: 'tester' });
    if (path.startsWith('/api/')) {
      const answer = api(req.method ?? 'GET', path, url.searchParams, await readBody(req));
      if (answer) return json(res, answer.status, answer.body);
    }
    const match = /^\/api\/v1\/workflows\/argo\/([^/]+)$/.exec(path);
    if (match) {
      const wf = workflows[decodeURIComponent(match[1])];
      return wf ? json(res, 200, wf) : json(res, 404, { code: 5, message: 'not found' });
    }
    if (path.startsWith('/api/')) return json(res, 404, { code: 5, message: 'not found' });
    const file = path.startsWith('/assets/') ? join(dist, path) : join(dist, 'index.html');
    try {
      let body = await readFile(file);
      if (file.endsWith('index.html')) body = Buffer.from(body.toString().replace(/<base href="[^"]*"\s*\/?>/, `<base href="${base}">`));
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      json(res, 404, { message: 'no such file' });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
