// One WorkflowTemplate or ClusterWorkflowTemplate: summary with its description as Markdown, a
// submit form generated from its parameters, a YAML editor that updates it, and delete.

import { dump } from 'js-yaml';
import { useEffect, useState } from 'react';
import type { WorkflowTemplate } from '../api/resourceTypes';
import { deleteTemplate, getTemplate, lintTemplate, updateTemplate, type TemplateScope } from '../api/templates';
import { ErrorNotice } from '../components/ErrorNotice';
import { ResourceEditor } from '../components/ResourceEditor';
import { Description, SpecSummary } from '../components/ResourceSummary';
import { DEFAULT_NAMESPACE } from '../namespace';
import { navigate, useRoute } from '../routing';
import { SubmitFromResource } from '../submit/SubmitFromResource';
import { templateKind, templatesRoute } from './paths';

const TABS = ['summary', 'submit', 'yaml'] as const;
type Tab = (typeof TABS)[number];

export function TemplateDetailsPage({ scope, namespace, name }: { scope: TemplateScope; namespace: string; name: string }) {
  const { path, query } = useRoute();
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'summary';
  const [template, setTemplate] = useState<WorkflowTemplate>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const kind = templateKind(scope);

  useEffect(() => {
    getTemplate(scope, namespace, name).then(setTemplate, setError);
  }, [scope, namespace, name]);
  useEffect(() => {
    document.title = `${name} · ${kind} · Argo Workflows`;
  }, [name, kind]);

  const remove = () => {
    if (!window.confirm(`Delete ${kind} ${name}?`)) return;
    deleteTemplate(scope, namespace, name).then(() => navigate(templatesRoute(scope, namespace)), setError);
  };

  return (
    <main className="page">
      <header className="page-header">
        <h1>{name} <span className="tag">{kind}</span></h1>
        <div className="actions" role="toolbar" aria-label="Template actions">
          <button type="button" className="danger" onClick={remove}>Delete</button>
        </div>
      </header>
      <ErrorNotice error={error} />
      {template && <Description metadata={template.metadata} />}
      <div role="tablist" aria-label="Template views" className="tabs">
        {TABS.map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t}
            onClick={() => navigate(`${path}${t === 'summary' ? '' : `?tab=${t}`}`, { replace: true })}>
            {t === 'yaml' ? 'YAML' : t[0]?.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      {!template && !error && <p>Loading…</p>}
      {template && (
        <div role="tabpanel">
          {tab === 'summary' && <SpecSummary metadata={template.metadata} spec={template.spec} />}
          {tab === 'submit' && (
            <SubmitFromResource namespace={scope === 'cluster' ? DEFAULT_NAMESPACE : namespace} chooseNamespace={scope === 'cluster'} kind={kind} name={name} spec={template.spec} />
          )}
          {tab === 'yaml' && (
            <>
              <ResourceEditor<WorkflowTemplate>
                key={template.metadata.resourceVersion ?? ''}
                kind={kind}
                initialText={dump(template, { noRefs: true, lineWidth: 120 })}
                lint={(t) => lintTemplate(scope, namespace, t)}
                save={(t) => updateTemplate(scope, namespace, name, t)}
                saveLabel="Update"
                onSaved={(t) => { setTemplate(t); setSaved(true); }}
              />
              {saved && <p role="status">Saved.</p>}
            </>
          )}
        </div>
      )}
    </main>
  );
}
