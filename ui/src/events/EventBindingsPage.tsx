// WorkflowEventBindings of a namespace: the event selector each one matches, the template it
// submits (linked), and where each parameter's value comes from in the event.

import { useEffect, useState } from 'react';
import { listEventBindings } from '../api/eventBindings';
import type { WorkflowEventBinding } from '../api/resourceTypes';
import { ErrorNotice } from '../components/ErrorNotice';
import { Link, navigate } from '../routing';

function templateLink(b: WorkflowEventBinding, namespace: string) {
  const ref = b.spec.submit?.workflowTemplateRef;
  if (!ref) return '-';
  const to = ref.clusterScope
    ? `/cluster-workflow-templates/${encodeURIComponent(ref.name)}`
    : `/workflow-templates/${encodeURIComponent(b.metadata.namespace ?? namespace)}/${encodeURIComponent(ref.name)}`;
  return <><Link to={to}>{ref.name}</Link>{ref.clusterScope && <span className="tag">cluster</span>}</>;
}

export function EventBindingsPage({ namespace }: { namespace: string }) {
  const [items, setItems] = useState<WorkflowEventBinding[]>();
  const [error, setError] = useState<unknown>();
  const [ns, setNs] = useState(namespace);

  useEffect(() => {
    setItems(undefined);
    listEventBindings(namespace).then((l) => { setItems(l.items ?? []); setError(undefined); }, setError);
  }, [namespace]);
  useEffect(() => {
    document.title = 'Workflow event bindings · Argo Workflows';
  }, []);

  return (
    <main className="page">
      <h1>Workflow event bindings in {namespace}</h1>
      <p className="muted">
        An event posted to <code>api/v1/events/{namespace}/&lt;discriminator&gt;</code> submits the template of every binding
        whose selector matches it.
      </p>
      <form className="filters" aria-label="Event binding filters" onSubmit={(e) => { e.preventDefault(); navigate(`/workflow-event-bindings/${encodeURIComponent(ns)}`); }}>
        <label>Namespace<input value={ns} onChange={(e) => setNs(e.target.value)} /></label>
        <button type="submit">Apply</button>
      </form>
      <ErrorNotice error={error} />
      <div className="table-wrap">
        <table aria-busy={items === undefined}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Event selector</th>
              <th scope="col">Submits</th>
              <th scope="col">Parameters</th>
            </tr>
          </thead>
          <tbody>
            {(items ?? []).map((b) => (
              <tr key={b.metadata.uid ?? b.metadata.name}>
                <td>{b.metadata.name}</td>
                <td><code>{b.spec.event.selector}</code></td>
                <td>{templateLink(b, namespace)}</td>
                <td>
                  <ul className="plain">
                    {(b.spec.submit?.arguments?.parameters ?? []).map((p) => (
                      <li key={p.name}>
                        {p.name} ← <code>{p.valueFrom?.event ?? p.value ?? ''}</code>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
            {items?.length === 0 && <tr><td colSpan={4}>No workflow event bindings found.</td></tr>}
          </tbody>
        </table>
      </div>
    </main>
  );
}
