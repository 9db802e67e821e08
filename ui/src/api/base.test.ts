import { describe, expect, it } from 'vitest';
import { apiUrl, appRoute, basePath, routeHref } from './base';

function docWithBase(href: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  const base = doc.createElement('base');
  base.href = href;
  doc.head.appendChild(base);
  return doc;
}

describe('base href handling', () => {
  it('api urls are prefixed with the base path', () => {
    const doc = docWithBase('http://localhost/argo/');
    expect(basePath(doc)).toBe('/argo/');
    expect(apiUrl('/api/v1/version', doc)).toBe('/argo/api/v1/version');
  });

  it('a base without a trailing slash still yields a directory', () => {
    expect(basePath(docWithBase('http://localhost/argo'))).toBe('/argo/');
  });

  it('a document without a base element is served from the root', () => {
    expect(basePath(document.implementation.createHTMLDocument('t'))).toBe('/');
  });

  it('app routes strip the base and route hrefs add it back', () => {
    const doc = docWithBase('http://localhost/argo/');
    const loc = { pathname: '/argo/workflows/ns' } as Location;
    expect(appRoute(loc, doc)).toBe('/workflows/ns');
    expect(routeHref('/workflows/ns', doc)).toBe('/argo/workflows/ns');
  });
});
