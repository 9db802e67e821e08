// Resolves API and page URLs against the document's <base href>, so the UI works when the server
// is mounted under a prefix (`argo server --base-href /argo/`). Must not hard-code an origin.

/** The base path the server put in <base href>, always ending with '/'. */
export function basePath(doc: Document = document): string {
  // Without a <base> element baseURI is the page's own URL, which is not the app's root.
  if (!doc.querySelector('base[href]')) return '/';
  const base = new URL(doc.baseURI);
  return base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
}

/** Turns an API path such as `api/v1/version` (leading '/' optional) into a base-relative URL. */
export function apiUrl(path: string, doc: Document = document): string {
  return basePath(doc) + path.replace(/^\/+/, '');
}

/** The in-app route (always starting with '/') of the current location, with the base removed. */
export function appRoute(loc: Location = window.location, doc: Document = document): string {
  const base = basePath(doc);
  const path = loc.pathname.startsWith(base) ? loc.pathname.slice(base.length) : loc.pathname.replace(/^\/+/, '');
  return `/${path}`;
}

/** The full path (with base) of an in-app route. */
export function routeHref(route: string, doc: Document = document): string {
  return basePath(doc) + route.replace(/^\/+/, '');
}
