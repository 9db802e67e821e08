// The one place the UI talks HTTP to the Argo Server: JSON requests, a 401 -> login redirect, and
// base-href aware URLs. Must not know about pages or components.

import { apiUrl, routeHref, appRoute } from './base';
import { ApiError, errorMessage } from './errors';

type UnauthorizedHandler = () => void;

/** Sends the user to the login page, remembering where they were. */
export function redirectToLogin(): void {
  const here = appRoute();
  if (here.startsWith('/login')) return;
  window.location.assign(`${routeHref('login')}?redirect=${encodeURIComponent(here + window.location.search)}`);
}

let onUnauthorized: UnauthorizedHandler = redirectToLogin;

/** Replaces the 401 handler (tests use this; the app keeps the default redirect). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

export function handleUnauthorized(): void {
  onUnauthorized();
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

/** Encodes a query object the way grpc-gateway reads it (repeated keys for arrays). */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Sends a request and parses the JSON answer; throws ApiError on a non-2xx status. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await fetch(apiUrl(path) + queryString(options.query), {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers: options.body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  if (response.status === 401) handleUnauthorized();
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, response.statusText, text));
  return (text ? JSON.parse(text) : {}) as T;
}
