// A fetch stub for component tests: answers by method + path prefix (a handler may answer late,
// with a promise), records calls, and returns empty streams for SSE requests.

import { vi } from 'vitest';

export type Handler = (url: URL, init: RequestInit) => unknown;

export interface FakeServer {
  calls: { method: string; url: URL; body?: unknown }[];
}

export function installFakeServer(routes: Record<string, Handler | unknown>): FakeServer {
  const server: FakeServer = { calls: [] };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost/');
      const method = init.method ?? 'GET';
      server.calls.push({ method, url, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
      const accept = new Headers(init.headers).get('Accept');
      if (accept === 'text/event-stream') return new Response(new ReadableStream({ start: () => undefined }), { status: 200 });
      const key = Object.keys(routes)
        .filter((k) => `${method} ${url.pathname}`.startsWith(k))
        .sort((a, b) => b.length - a.length)[0];
      if (key === undefined) return new Response('{"message":"not found"}', { status: 404 });
      const route = routes[key];
      const body = typeof route === 'function' ? await (route as Handler)(url, init) : route;
      if (body instanceof Response) return body;
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  );
  return server;
}
