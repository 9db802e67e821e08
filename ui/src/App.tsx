// The application shell: navigation, and the route table mapping paths to pages.

import { ArchivedListPage } from './archive/ArchivedListPage';
import { CronDetailsPage } from './cron/CronDetailsPage';
import { CronListPage } from './cron/CronListPage';
import { WorkflowDetailsPage } from './details/WorkflowDetailsPage';
import { EventBindingsPage } from './events/EventBindingsPage';
import { ApiDocsPage } from './pages/ApiDocsPage';
import { LoginPage } from './pages/LoginPage';
import { UserPage } from './pages/UserPage';
import { VersionPage } from './pages/VersionPage';
import { Link, matchRoute, useRoute } from './routing';
import { SubmitPage } from './submit/SubmitPage';
import { TemplateDetailsPage } from './templates/TemplateDetailsPage';
import { TemplatesListPage } from './templates/TemplatesListPage';
import { ThemePicker } from './theme';
import { WorkflowsListPage } from './workflows/WorkflowsListPage';

import { DEFAULT_NAMESPACE } from './namespace';

export { DEFAULT_NAMESPACE };

function Page({ path }: { path: string }) {
  let m = matchRoute('/workflows/:namespace/:name', path);
  if (m?.namespace && m.name) return <WorkflowDetailsPage key={`${m.namespace}/${m.name}`} namespace={m.namespace} name={m.name} />;
  m = matchRoute('/workflows/:namespace?', path);
  if (m) return <WorkflowsListPage key={m.namespace ?? DEFAULT_NAMESPACE} namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  m = matchRoute('/submit/:namespace?', path);
  if (m) return <SubmitPage namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  m = matchRoute('/workflow-templates/:namespace/:name', path);
  if (m?.namespace && m.name) return <TemplateDetailsPage key={`${m.namespace}/${m.name}`} scope="namespaced" namespace={m.namespace} name={m.name} />;
  m = matchRoute('/workflow-templates/:namespace?', path);
  if (m) return <TemplatesListPage key={m.namespace ?? DEFAULT_NAMESPACE} scope="namespaced" namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  m = matchRoute('/cluster-workflow-templates/:name', path);
  if (m?.name) return <TemplateDetailsPage key={m.name} scope="cluster" namespace="" name={m.name} />;
  if (matchRoute('/cluster-workflow-templates', path)) return <TemplatesListPage scope="cluster" namespace="" />;
  m = matchRoute('/cron-workflows/:namespace/:name', path);
  if (m?.namespace && m.name) return <CronDetailsPage key={`${m.namespace}/${m.name}`} namespace={m.namespace} name={m.name} />;
  m = matchRoute('/cron-workflows/:namespace?', path);
  if (m) return <CronListPage key={m.namespace ?? DEFAULT_NAMESPACE} namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  m = matchRoute('/archived-workflows/:namespace/:uid', path);
  if (m?.namespace && m.uid) return <WorkflowDetailsPage key={m.uid} namespace={m.namespace} name={m.uid} uid={m.uid} />;
  m = matchRoute('/archived-workflows/:namespace?', path);
  if (m) return <ArchivedListPage key={m.namespace ?? DEFAULT_NAMESPACE} namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  m = matchRoute('/workflow-event-bindings/:namespace?', path);
  if (m) return <EventBindingsPage key={m.namespace ?? DEFAULT_NAMESPACE} namespace={m.namespace ?? DEFAULT_NAMESPACE} />;
  if (matchRoute('/apidocs', path)) return <ApiDocsPage />;
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
        <Link to="/workflow-templates">Templates</Link>
        <Link to="/cluster-workflow-templates">Cluster templates</Link>
        <Link to="/cron-workflows">Cron workflows</Link>
        <Link to="/archived-workflows">Archived workflows</Link>
        <Link to="/workflow-event-bindings">Event bindings</Link>
        <Link to="/apidocs">API docs</Link>
        <Link to="/userinfo">User</Link>
        <Link to="/version">Version</Link>
        <ThemePicker />
      </nav>
      <div id="content" className="content">
        <Page path={path} />
      </div>
    </div>
  );
}
