// The application shell: navigation, and the route table mapping paths to pages.

import { WorkflowDetailsPage } from './details/WorkflowDetailsPage';
import { LoginPage } from './pages/LoginPage';
import { UserPage } from './pages/UserPage';
import { VersionPage } from './pages/VersionPage';
import { Link, matchRoute, useRoute } from './routing';
import { SubmitPage } from './submit/SubmitPage';
import { WorkflowsListPage } from './workflows/WorkflowsListPage';

export const DEFAULT_NAMESPACE = 'argo';

function Page({ path }: { path: string }) {
  let m = matchRoute('/workflows/:namespace/:name', path);
  if (m?.namespace && m.name) return <WorkflowDetailsPage key={`${m.namespace}/${m.name}`} namespace={m.namespace} name={m.name} />;
  m = matchRoute('/workflows/:namespace?', path);
  if (m) return <WorkflowsListPage key={m.namespace ?? DEFAULT_NAMESPACE} namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  m = matchRoute('/submit/:namespace?', path);
  if (m) return <SubmitPage namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  if (matchRoute('/login', path)) return <LoginPage />;
  if (matchRoute('/userinfo', path)) return <UserPage />;
  if (matchRoute('/version', path)) return <VersionPage />;
  if (path === '/' || path === '') return <WorkflowsListPage namespace={DEFAULT_NAMESPACE} />;
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p>No page at {path}. <Link to="/workflows">Go to workflows</Link>.</p>
    </main>
  );
}

export function App() {
  const { path } = useRoute();
  return (
    <div className="app">
      <a className="skip" href="#content">Skip to content</a>
      <nav className="sidebar" aria-label="Main">
        <Link to="/workflows" className="brand">Argo</Link>
        <Link to="/workflows">Workflows</Link>
        <Link to="/submit">Submit</Link>
        <Link to="/userinfo">User</Link>
        <Link to="/version">Version</Link>
      </nav>
      <div id="content" className="content">
        <Page path={path} />
      </div>
    </div>
  );
}
