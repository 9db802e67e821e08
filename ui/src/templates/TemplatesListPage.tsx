// The list of WorkflowTemplates in a namespace (or of ClusterWorkflowTemplates): name and label
// filters, title/description as safe Markdown, and a create-from-YAML panel (`?new=true`).

import { useEffect, useState } from 'react';
import { deliverUnlessCancelled } from '../api/delivery';
import type { WorkflowTemplate } from '../api/resourceTypes';
import { createTemplate, lintTemplate, listTemplates, type TemplateScope } from '../api/templates';
import { ErrorNotice } from '../components/ErrorNotice';
import { ResourceEditor } from '../components/ResourceEditor';
import { formatTime } from '../format';
import { DESCRIPTION_ANNOTATION, Markdown, TITLE_ANNOTATION } from '../markdown/Markdown';
import { Link, navigate, useRoute } from '../routing';
import { exampleTemplate, templateKind, templateRoute, templatesRoute } from './paths';

export function TemplatesListPage({ scope, namespace }: { scope: TemplateScope; namespace: string }) {
  const { query } = useRoute();
  const creating = query.get('new') === 'true';
  const namePattern = query.get('name') ?? '';
  const labels = query.get('labels') ?? '';
  const [items, setItems] = useState<WorkflowTemplate[]>();
  const [error, setError] = useState<unknown>();
  const [ns, setNs] = useState(namespace);
  const [nameInput, setNameInput] = useState(namePattern);
  const [labelInput, setLabelInput] = useState(labels);
  const kind = templateKind(scope);

  useEffect(() => {
    setItems(undefined);
    return deliverUnlessCancelled(
      listTemplates(scope, namespace, { namePattern: namePattern || undefined, labels: labels.split(',') }),
      (list) => { setItems(list.items ?? []); setError(undefined); },
      setError,
    );
  }, [scope, namespace, namePattern, labels]);

  useEffect(() => {
    document.title = `${scope === 'cluster' ? 'Cluster workflow templates' : 'Workflow templates'} · Argo Workflows`;
  }, [scope]);

  const go = (q: Record<string, string>, targetNs = namespace) => {
    const text = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '')).toString();
    navigate(`${templatesRoute(scope, targetNs)}${text ? `?${text}` : ''}`, { replace: targetNs === namespace });
  };

  return (
    <main className="page">
      <header className="page-header">
        <h1>{scope === 'cluster' ? 'Cluster workflow templates' : `Workflow templates in ${namespace}`}</h1>
        <button type="button" onClick={() => go({ name: namePattern, labels, new: creating ? '' : 'true' })} aria-expanded={creating}>
          {creating ? 'Close editor' : `Create new ${kind}`}
        </button>
      </header>
      {creating && (
        <section aria-label={`New ${kind}`} className="panel">
          <h2>New {kind}</h2>
          <ResourceEditor<WorkflowTemplate>
            kind={kind}
            initialText={exampleTemplate(scope)}
            lint={(t) => lintTemplate(scope, namespace, t)}
            save={(t) => createTemplate(scope, namespace, t)}
            saveLabel="Create"
            onSaved={(t) => navigate(templateRoute(scope, t.metadata.namespace ?? namespace, t.metadata.name ?? ''))}
          />
        </section>
      )}
      <form className="filters" aria-label="Template filters" onSubmit={(e) => { e.preventDefault(); go({ name: nameInput, labels: labelInput }, ns); }}>
        {scope === 'namespaced' && (
          <label>Namespace<input value={ns} onChange={(e) => setNs(e.target.value)} /></label>
        )}
        <label>Name contains<input type="search" value={nameInput} onChange={(e) => setNameInput(e.target.value)} /></label>
        <label>Labels<input value={labelInput} placeholder="key=value,..." onChange={(e) => setLabelInput(e.target.value)} /></label>
        <button type="submit">Apply</button>
      </form>
      <ErrorNotice error={error} />
      <div className="table-wrap">
        <table aria-busy={items === undefined}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              {scope === 'namespaced' && <th scope="col">Namespace</th>}
              <th scope="col">Description</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {(items ?? []).map((t) => {
              const name = t.metadata.name ?? '';
              const annotations = t.metadata.annotations ?? {};
              const title = annotations[TITLE_ANNOTATION];
              const description = annotations[DESCRIPTION_ANNOTATION];
              return (
                <tr key={t.metadata.uid ?? name}>
                  <td>
                    <Link to={templateRoute(scope, t.metadata.namespace ?? namespace, name)}>{name}</Link>
                    {title && <div><Markdown inline text={title} /></div>}
                  </td>
                  {scope === 'namespaced' && <td>{t.metadata.namespace ?? namespace}</td>}
                  <td>{description ? <Markdown inline text={description} /> : ''}</td>
                  <td>{formatTime(t.metadata.creationTimestamp)}</td>
                </tr>
              );
            })}
            {items?.length === 0 && (
              <tr><td colSpan={4}>No {kind}s found.</td></tr>
            )}
          </tbody>
        </table>
      </div>
    </main>
  );
}
