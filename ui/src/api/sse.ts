// Server-sent-event streams (`data: {"result": ...}` frames) read with fetch, so a 401 before the
// first message can send the user to login (EventSource hides the status). Reconnects with
// back-off until closed. Must not interpret the messages it carries.

import { apiUrl } from './base';
import { handleUnauthorized, queryString, type Query } from './client';
import { ApiError, errorMessage } from './errors';

/** Splits buffered SSE text into complete event payloads; returns them and the unfinished rest. */
export function parseSseFrames(buffer: string): { payloads: string[]; rest: string } {
  const payloads: string[] = [];
  const normalised = buffer.replace(/\r\n/g, '\n');
  const frames = normalised.split('\n\n');
  const rest = frames.pop() ?? '';
  for (const frame of frames) {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''));
    if (data.length > 0) payloads.push(data.join('\n'));
  }
  return { payloads, rest };
}

/** Unwraps one `{"result": ...}` or `{"error": ...}` payload. */
export function unwrapStreamPayload<T>(payload: string): { result?: T; error?: string } {
  const parsed = JSON.parse(payload) as { result?: T; error?: { message?: string } };
  if (parsed.error) return { error: parsed.error.message ?? 'stream error' };
  return { result: parsed.result };
}

export interface StreamHandlers<T> {
  onMessage: (message: T) => void;
  onError?: (error: Error) => void;
  /** Called each time a connection opens (after reconnects too). */
  onOpen?: () => void;
  /** Called when the server ends the stream normally. Reconnects unless `reconnect` is false. */
  onEnd?: () => void;
}

export interface StreamOptions {
  query?: Query;
  reconnect?: boolean;
  /** First reconnect delay in ms; doubles to 30 s. */
  retryDelayMs?: number;
}

/** Opens a stream; returns a function that closes it. */
export function openStream<T>(path: string, handlers: StreamHandlers<T>, options: StreamOptions = {}): () => void {
  const controller = new AbortController();
  let delay = options.retryDelayMs ?? 1000;
  let closed = false;

  const connectOnce = async (): Promise<void> => {
    const response = await fetch(apiUrl(path) + queryString(options.query), {
      headers: { Accept: 'text/event-stream' },
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (response.status === 401) {
      handleUnauthorized();
      closed = true;
    }
    if (!response.ok || !response.body) {
      throw new ApiError(response.status, errorMessage(response.status, response.statusText, await response.text()));
    }
    handlers.onOpen?.();
    delay = options.retryDelayMs ?? 1000;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const { payloads, rest } = parseSseFrames(buffer + value);
      buffer = rest;
      for (const payload of payloads) {
        const { result, error } = unwrapStreamPayload<T>(payload);
        if (error) handlers.onError?.(new Error(error));
        else if (result !== undefined) handlers.onMessage(result);
      }
    }
    handlers.onEnd?.();
  };

  const loop = async (): Promise<void> => {
    while (!closed) {
      try {
        await connectOnce();
      } catch (e) {
        if (closed || controller.signal.aborted) return;
        handlers.onError?.(e instanceof Error ? e : new Error(String(e)));
        if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) return;
      }
      if (options.reconnect === false || closed) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void loop();

  return () => {
    closed = true;
    controller.abort();
  };
}
