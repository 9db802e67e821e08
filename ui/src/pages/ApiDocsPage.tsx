// API docs: every REST endpoint the server answers, grouped by service and filterable, with a
// copyable curl line that uses this server's address and base href. Reads no API itself.

import { useMemo, useState } from 'react';
import { apiUrl } from '../api/base';
import { ENDPOINTS, type Endpoint } from '../api/catalogue';
import { Link } from '../routing';

/** The curl command calling an endpoint on this server (path parameters left as placeholders). */
export function curlCommand(e: Endpoint, origin: string = window.location.origin): string {
  const url = origin + apiUrl(e.path);
  const parts = ['curl', '-H "Authorization: $ARGO_TOKEN"'];
  if (e.stream) parts.push('-H "Accept: text/event-stream" -N');
  if (e.method !== 'GET') parts.push(`-X ${e.method}`);
  if (e.method === 'POST' || e.method === 'PUT') parts.push(`-H "Content-Type: application/json" -d '{}'`);
  parts.push(`'${url}'`);
  return parts.join(' ');
}

export function ApiDocsPage() {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const map = new Map<string, Endpoint[]>();
    for (const e of ENDPOINTS) {
      if (needle && !`${e.service} ${e.rpc} ${e.method} ${e.path}`.toLowerCase().includes(needle)) continue;
      map.set(e.service, [...(map.get(e.service) ?? []), e]);
    }
    return [...map];
  }, [filter]);
  return (
    <main className="page">
      <h1>API docs</h1>
      <p>
        The server speaks gRPC and REST on one port. REST paths are relative to this UI's base address; send the token
        from the <Link to="/userinfo">user page</Link> as <code>Authorization: Bearer …</code>. Streaming endpoints answer
        server-sent events (<code>data: {'{"result": …}'}</code>) when asked with <code>Accept: text/event-stream</code>,
        and newline-delimited JSON otherwise. List endpoints take <code>listOptions.labelSelector</code>,{' '}
        <code>listOptions.fieldSelector</code>, <code>listOptions.limit</code> and <code>listOptions.continue</code>.
      </p>
      <label>
        Filter endpoints
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="e.g. cron, PUT, archived" />
      </label>
      {groups.length === 0 && <p>No endpoint matches “{filter}”.</p>}
      {groups.map(([service, endpoints]) => (
        <section key={service} aria-label={service}>
          <h2>{service}</h2>
          <table>
            <thead>
              <tr><th scope="col">RPC</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">curl</th></tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.rpc}>
                  <td>{e.rpc}{e.stream && <span className="tag">stream</span>}</td>
                  <td><code>{e.method}</code></td>
                  <td><code>{e.path}</code></td>
                  <td>
                    <button type="button" className="secondary" aria-label={`Copy curl for ${e.rpc}`}
                      onClick={() => void navigator.clipboard?.writeText(curlCommand(e))}>Copy</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </main>
  );
}
