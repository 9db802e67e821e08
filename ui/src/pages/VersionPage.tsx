// The server's version, from GET /api/v1/version.

import { useEffect, useState } from 'react';
import type { Version } from '../api/types';
import { getVersion } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';

export function VersionPage() {
  const [version, setVersion] = useState<Version>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    getVersion().then(setVersion, setError);
  }, []);
  return (
    <main className="page narrow">
      <h1>Version</h1>
      <ErrorNotice error={error} />
      {version && (
        <dl className="facts">
          {Object.entries(version).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </main>
  );
}
