import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryString, request, setUnauthorizedHandler, redirectToLogin } from './client';
import { ApiError, errorMessage } from './errors';
import { labelSelector, listQuery, workflowAction } from './workflows';

function mockFetch(status: number, body: string) {
  const fn = vi.fn(async () => new Response(body, { status }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(redirectToLogin);
});

describe('api client', () => {
  it('parses a JSON answer from a base-relative url', async () => {
    const fetch = mockFetch(200, '{"version":"v4.1.2"}');
    await expect(request<{ version: string }>('api/v1/version')).resolves.toEqual({ version: 'v4.1.2' });
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/api/v1/version');
  });

  it('throws ApiError with the server message on failure', async () => {
    mockFetch(404, '{"code":5,"message":"workflow not found"}');
    const error = await request('api/v1/workflows/ns/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).message).toBe('workflow not found');
  });

  it('a status without a message reads as the HTTP status, not as JSON', () => {
    expect(errorMessage(501, 'Not Implemented', '{"code":12}')).toBe('501 Not Implemented');
    expect(errorMessage(400, 'Bad Request', '{"code":3,"message":""}')).toBe('400 Bad Request');
    expect(errorMessage(502, 'Bad Gateway', 'upstream down')).toBe('upstream down');
  });

  it('calls the unauthorized handler on 401', async () => {
    mockFetch(401, '{"message":"token not valid"}');
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(request('api/v1/workflows/ns')).rejects.toThrow('token not valid');
    expect(handler).toHaveBeenCalledOnce();
  });

  it('redirect to login remembers the current page', () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, pathname: '/workflows/argo', search: '?phase=Running', assign });
    redirectToLogin();
    expect(assign).toHaveBeenCalledWith(`/login?redirect=${encodeURIComponent('/workflows/argo?phase=Running')}`);
  });

  it('query strings repeat array keys and skip empty values', () => {
    expect(queryString({ a: ['x', 'y'], b: undefined, c: '', d: 3 })).toBe('?a=x&a=y&d=3');
    expect(queryString({})).toBe('');
  });

  it('sends actions as PUT with namespace and name in the body', async () => {
    const fetch = mockFetch(200, '{"metadata":{"name":"w"},"spec":{}}');
    await workflowAction('ns', 'w', 'stop', { message: 'bye' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/workflows/ns/w/stop');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(init.body as string)).toEqual({ namespace: 'ns', name: 'w', message: 'bye' });
  });
});

describe('list filters', () => {
  it('phases become a label selector on the phase label', () => {
    expect(labelSelector({ phases: ['Running', 'Failed'], labels: ['a=b'] })).toBe('a=b,workflows.argoproj.io/phase in (Running,Failed)');
    expect(labelSelector({})).toBeUndefined();
  });

  it('a name search uses a Contains name filter on metadata.name', () => {
    const q = listQuery({ namespace: 'ns', name: 'hello', limit: 20 });
    expect(q['listOptions.fieldSelector']).toBe('metadata.name=hello');
    expect(q.nameFilter).toBe('Contains');
    expect(q['listOptions.limit']).toBe(20);
  });
});
