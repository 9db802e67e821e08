// A small history-API router aware of <base href>: routes are app paths like `/workflows/ns/name`;
// the URL bar shows them under the base. Shareable URLs keep filters in the query string.

import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { appRoute, routeHref } from './api/base';

const listeners = new Set<() => void>();

export interface Route {
  path: string;
  query: URLSearchParams;
}

function currentRoute(): Route {
  return { path: appRoute(), query: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const href = routeHref(to);
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** Matches `/workflows/:namespace/:name` style patterns; returns the decoded parameters. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i];
    if (w.endsWith('?') && w.startsWith(':')) {
      if (h !== undefined) params[w.slice(1, -1)] = decodeURIComponent(h);
      continue;
    }
    if (h === undefined) return null;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(h);
    else if (w !== h) return null;
  }
  return have.length <= want.length ? params : null;
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={routeHref(to)} onClick={handle} {...rest} />;
}
