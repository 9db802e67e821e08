// Login: paste a token (stored in the `authorization` cookie), log out, or start SSO when the server
// reports it enabled. Must not validate the token itself: the server does, on the next request.

import { useEffect, useState } from 'react';
import { routeHref } from '../api/base';
import { getInfo } from '../api/workflows';
import { clearAuthToken, setAuthToken } from '../cookie';
import { navigate, useRoute } from '../routing';

export function LoginPage() {
  const { query } = useRoute();
  const [token, setToken] = useState('');
  const [ssoEnabled, setSsoEnabled] = useState(false);
  const [message, setMessage] = useState('');
  const redirect = query.get('redirect') ?? '/workflows';

  useEffect(() => {
    getInfo()
      .then((info) => setSsoEnabled(info.ssoEnabled === true))
      .catch(() => setSsoEnabled(false));
  }, []);

  return (
    <main className="page narrow">
      <h1>Login</h1>
      <p>Paste an access token (from <code>argo auth token</code>), starting with <code>Bearer</code>.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAuthToken(token);
          navigate(redirect.startsWith('/') ? redirect : '/workflows');
        }}
      >
        <label htmlFor="token">Token</label>
        <textarea id="token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} placeholder="Bearer ..." />
        <button type="submit" disabled={token.trim() === ''}>Login</button>
      </form>
      {ssoEnabled && (
        <section aria-label="Single sign-on">
          <a className="button" href={`${routeHref('oauth2/redirect')}?redirect=${encodeURIComponent(routeHref(redirect))}`}>
            Login with SSO
          </a>
        </section>
      )}
      <section aria-label="Logout">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clearAuthToken();
            setMessage('Logged out');
          }}
        >
          Logout
        </button>
        <span role="status">{message}</span>
      </section>
    </main>
  );
}
