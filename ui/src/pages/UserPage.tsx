// The signed-in user: claims from GET /api/v1/userinfo, the service account in use, and a
// copyable shell snippet that points the argo CLI at this server.

import { useEffect, useState } from 'react';
import { basePath } from '../api/base';
import type { UserInfo } from '../api/types';
import { getUserInfo } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link } from '../routing';

export function cliSnippet(location: Pick<Location, 'protocol' | 'host'>, base: string): string {
  const secure = location.protocol === 'https:';
  return [
    `export ARGO_SERVER='${location.host}'`,
    'export ARGO_HTTP1=true',
    `export ARGO_SECURE=${secure}`,
    `export ARGO_BASE_HREF=${base}`,
    "export ARGO_TOKEN='<paste your token here>'",
    'export ARGO_NAMESPACE=argo',
    'argo list',
  ].join('\n');
}

export function UserPage() {
  const [user, setUser] = useState<UserInfo>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    getUserInfo().then(setUser, setError);
  }, []);
  const snippet = cliSnippet(window.location, basePath());
  return (
    <main className="page narrow">
      <h1>User info</h1>
      <ErrorNotice error={error} />
      {user && (
        <dl className="facts">
          {Object.entries(user).map(([k, v]) => (
            <div key={k}><dt>{k}</dt><dd>{Array.isArray(v) ? v.join(', ') : String(v)}</dd></div>
          ))}
          {Object.keys(user).length === 0 && <p>No claims: the server is using its own service account.</p>}
        </dl>
      )}
      <h2>Using the argo CLI</h2>
      <pre tabIndex={0}>{snippet}</pre>
      <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(snippet)}>Copy</button>
      <p><Link to="/login">Log in or out</Link></p>
    </main>
  );
}
