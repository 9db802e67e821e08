// Workflow details: graph (default), timeline, summary, YAML and whole-workflow logs tabs, a node
// panel for the selected node, and the workflow actions. Live updates come from the watch stream;
// the selected node and tab live in the URL so the view can be shared.

import { useEffect, useMemo, useState } from 'react';
import type { Workflow } from '../api/types';
import { getWorkflow, watchWorkflow } from '../api/workflows';
import { request } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { PhaseBadge } from '../components/PhaseBadge';
import { GraphCanvas } from '../graph/GraphCanvas';
import { layoutGraph } from '../graph/layout';
import { workflowGraph } from '../graph/model';
import { navigate, useRoute } from '../routing';
import { LogsViewer } from './LogsViewer';
import { NodePanel } from './NodePanel';
import { Summary } from './Summary';
import { Timeline } from './Timeline';
import { WorkflowActions } from './WorkflowActions';
import { YamlView } from './YamlView';

const TABS = ['graph', 'timeline', 'summary', 'yaml', 'logs'] as const;
type Tab = (typeof TABS)[number];

/** Structural key of the graph: the layout is recomputed only when nodes or edges change. */
function graphShape(workflow: Workflow | undefined): string {
  const nodes = workflow?.status?.nodes ?? {};
  return Object.values(nodes).map((n) => `${n.id}>${(n.children ?? []).join(',')}`).join(';');
}

export function WorkflowDetailsPage({ namespace, name }: { namespace: string; name: string }) {
  const { path, query } = useRoute();
  const uid = query.get('uid');
  const tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'graph';
  const selectedId = query.get('node') ?? undefined;
  const [workflow, setWorkflow] = useState<Workflow>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const load = uid ? request<Workflow>(`api/v1/archived-workflows/${encodeURIComponent(uid)}`) : getWorkflow(namespace, name);
    load.then(setWorkflow, setError);
    if (uid) return undefined;
    return watchWorkflow(namespace, name, (event) => {
      if (event.type === 'DELETED') setError(new Error('This workflow has been deleted.'));
      else setWorkflow(event.object);
    });
  }, [namespace, name, uid]);

  useEffect(() => {
    document.title = `${name} · Argo Workflows`;
  }, [name]);

  const shape = graphShape(workflow);
  // Shape changes (not phase changes) trigger a new layout; phases are read from the latest graph.
  const layout = useMemo(() => (workflow ? layoutGraph(workflowGraph(workflow)) : undefined), [shape]); // eslint-disable-line react-hooks/exhaustive-deps
  const graph = useMemo(() => (workflow ? workflowGraph(workflow) : undefined), [workflow]);

  const setQuery = (changes: Record<string, string | undefined>) => {
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) q.delete(k);
      else q.set(k, v);
    }
    const text = q.toString();
    navigate(`${path}${text ? `?${text}` : ''}`, { replace: true });
  };

  const node = selectedId ? workflow?.status?.nodes?.[selectedId] : undefined;

  return (
    <main className="page details">
      <header className="page-header">
        <h1>{name} <PhaseBadge phase={workflow?.status?.phase} /></h1>
        {uid && <span className="tag">archived</span>}
      </header>
      <ErrorNotice error={error} />
      {workflow && !uid && <WorkflowActions workflow={workflow} onChanged={(w) => w && setWorkflow(w)} />}
      <div role="tablist" aria-label="Workflow views" className="tabs">
        {TABS.map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t} onClick={() => setQuery({ tab: t === 'graph' ? undefined : t })}>
            {t[0]?.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="details-body">
        <div className="details-main" role="tabpanel">
          {!workflow && !error && <p>Loading…</p>}
          {workflow && tab === 'graph' && graph && layout && (
            <GraphCanvas graph={graph} layout={layout} selectedId={selectedId} onSelect={(id) => setQuery({ node: id })} />
          )}
          {workflow && tab === 'timeline' && <Timeline workflow={workflow} onSelect={(id) => setQuery({ node: id })} />}
          {workflow && tab === 'summary' && <Summary workflow={workflow} />}
          {workflow && tab === 'yaml' && <YamlView value={workflow} />}
          {workflow && tab === 'logs' && <LogsViewer namespace={namespace} name={name} />}
        </div>
        {workflow && node && (
          <NodePanel workflow={workflow} node={node} onClose={() => setQuery({ node: undefined })} onChanged={setWorkflow} />
        )}
      </div>
    </main>
  );
}
