import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStream, parseSseFrames, unwrapStreamPayload } from './sse';
import { redirectToLogin, setUnauthorizedHandler } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(redirectToLogin);
});

describe('server-sent events', () => {
  it('splits complete frames and keeps the partial rest', () => {
    const { payloads, rest } = parseSseFrames('data: {"result":1}\n\n:\n\ndata: {"res');
    expect(payloads).toEqual(['{"result":1}']);
    expect(rest).toBe('data: {"res');
  });

  it('handles CRLF line endings and multi-line data', () => {
    expect(parseSseFrames('data: a\r\ndata: b\r\n\r\n').payloads).toEqual(['a\nb']);
  });

  it('unwraps results and errors', () => {
    expect(unwrapStreamPayload<number>('{"result":7}')).toEqual({ result: 7 });
    expect(unwrapStreamPayload('{"error":{"message":"boom"}}')).toEqual({ error: 'boom' });
  });

  it('delivers messages split across chunks', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(encoder.encode('data: {"result":{"type":"ADDED"'));
        c.enqueue(encoder.encode('}}\n\ndata: {"result":{"type":"DELETED"}}\n\n'));
        c.close();
      },
    });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status: 200 })));
    const messages: unknown[] = [];
    await new Promise<void>((resolve) => {
      openStream<{ type: string }>('api/v1/workflow-events/ns', { onMessage: (m) => messages.push(m), onEnd: resolve }, { reconnect: false });
    });
    expect(messages).toEqual([{ type: 'ADDED' }, { type: 'DELETED' }]);
  });

  it('a 401 stream calls the unauthorized handler and does not reconnect', async () => {
    const fetch = vi.fn(async () => new Response('{"message":"no"}', { status: 401 }));
    vi.stubGlobal('fetch', fetch);
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    openStream('api/v1/workflow-events/ns', { onMessage: () => undefined }, { retryDelayMs: 1 });
    await vi.waitFor(() => expect(handler).toHaveBeenCalledOnce());
    await new Promise((r) => setTimeout(r, 30));
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('a failed stream reports the error and reconnects', async () => {
    let calls = 0;
    vi.stubGlobal('fetch', vi.fn(async () => (++calls === 1 ? new Response('down', { status: 503 }) : new Response('data: {"result":1}\n\n', { status: 200 }))));
    const errors: Error[] = [];
    const messages: number[] = [];
    const close = openStream<number>('api/v1/x', { onMessage: (m) => messages.push(m), onError: (e) => errors.push(e) }, { retryDelayMs: 1 });
    await vi.waitFor(() => expect(messages).toContain(1));
    close();
    expect(errors[0]?.message).toBe('down');
  });
});
