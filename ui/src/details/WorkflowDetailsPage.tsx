// Workflow details: graph (default; loops fold into groups that expand on click), timeline,
// summary, YAML, whole-workflow logs and events tabs, a node panel for the selected node, and the
// workflow actions (or the archive's, for an archived workflow). Live updates come from the watch
// stream; the tab, the selected node, its panel tab and artifact live in the URL so the view
// (a node's logs, an artifact) can be shared.

import { useEffect, useMemo, useState } from 'react';
import type { Workflow } from '../api/types';
import { getWorkflow, watchWorkflow } from '../api/workflows';
import { getArchived } from '../api/archive';
import { ArchivedActions } from '../archive/ArchivedActions';
import { ErrorNotice } from '../components/ErrorNotice';
import { Description } from '../components/ResourceSummary';
import { PhaseBadge } from '../components/PhaseBadge';
import { GraphCanvas } from '../graph/GraphCanvas';
import { layoutGraph } from '../graph/layout';
import { workflowGraph } from '../graph/model';
import { navigate, useRoute } from '../routing';
import { useBaseline, withEstimates } from './estimate';
import { EventsView } from './EventsView';
import { LogsViewer, type LogOptions } from './LogsViewer';
import { NODE_TABS, NodePanel, type NodeTab } from './NodePanel';
import { Summary } from './Summary';
import { newerOf } from './revision';
import { Timeline } from './Timeline';
import { WorkflowActions } from './WorkflowActions';
import { YamlView } from './YamlView';

const TABS = ['graph', 'timeline', 'summary', 'yaml', 'logs', 'events'] as const;
type Tab = (typeof TABS)[number];

/** Structural key of the graph: the layout is recomputed only when nodes or edges change. */
function graphShape(workflow: Workflow | undefined): string {
  const nodes = workflow?.status?.nodes ?? {};
  return Object.values(nodes).map((n) => `${n.id}>${(n.children ?? []).join(',')}`).join(';');
}

export function WorkflowDetailsPage({ namespace, name, uid: archivedUid }: { namespace: string; name: string; uid?: string }) {
  const { path, query } = useRoute();
  const uid = archivedUid ?? query.get('uid');
  const tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'graph';
  const selectedId = query.get('node') ?? undefined;
  const [loaded, setWorkflow] = useState<Workflow>();
  // Estimated durations from the last run of the same template when the server sends none.
  const baseline = useBaseline(uid ? undefined : loaded);
  const workflow = useMemo(() => (loaded ? withEstimates(loaded, baseline) : undefined), [loaded, baseline]);
  const [error, setError] = useState<unknown>();
  const [expandedLoops, setExpandedLoops] = useState<ReadonlySet<string>>(new Set());

  // The GET, the watch stream and action answers can arrive out of order (a GET answered after
  // the watch's first event is older than it): keep whichever copy is newest.
  const receive = (incoming: Workflow) => setWorkflow((current) => newerOf(current, incoming));
  useEffect(() => {
    const load = uid ? getArchived(uid) : getWorkflow(namespace, name);
    load.then(receive, setError);
    if (uid) return undefined;
    return watchWorkflow(namespace, name, (event) => {
      if (event.type === 'DELETED') setError(new Error('This workflow has been deleted.'));
      else receive(event.object);
    });
  }, [namespace, name, uid]);

  const shownName = workflow?.metadata.name ?? name;
  useEffect(() => {
    document.title = `${shownName} · Argo Workflows`;
  }, [shownName]);

  const shape = graphShape(workflow);
  // Shape changes (not phase changes) trigger a new layout; phases are read from the latest graph.
  const layout = useMemo(() => (workflow ? layoutGraph(workflowGraph(workflow, { expandedLoops })) : undefined), [shape, expandedLoops]); // eslint-disable-line react-hooks/exhaustive-deps
  const graph = useMemo(() => (workflow ? workflowGraph(workflow, { expandedLoops }) : undefined), [workflow, expandedLoops]);
  const selectInGraph = (id: string) => {
    if (graph?.nodes.find((n) => n.id === id)?.loopItems) setExpandedLoops((e) => new Set([...e, id]));
    else setQuery({ node: id, panel: undefined, artifact: undefined, container: undefined, grep: undefined });
  };

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
  const panel = query.get('panel') ?? '';
  const panelTab: NodeTab = (NODE_TABS as readonly string[]).includes(panel) ? (panel as NodeTab) : 'summary';
  const logOptions: LogOptions = { container: query.get('container') ?? undefined, grep: query.get('grep') ?? undefined };
  const onLogOptions = (o: LogOptions) => setQuery({ container: o.container, grep: o.grep || undefined });
  const artifactLink = (artifact: string) => {
    const q = new URLSearchParams(query);
    q.set('panel', 'artifacts');
    q.set('artifact', artifact);
    return `${path}?${q.toString()}`;
  };

  return (
    <main className="page details">
      <header className="page-header">
        <h1>{shownName} <PhaseBadge phase={workflow?.status?.phase} /></h1>
        {uid && <span className="tag">archived</span>}
      </header>
      <ErrorNotice error={error} />
      {workflow && <Description metadata={workflow.metadata} />}
      {workflow && !uid && <WorkflowActions workflow={workflow} onChanged={(w) => w && receive(w)} />}
      {workflow && uid && <ArchivedActions workflow={workflow} />}
      <div role="tablist" aria-label="Workflow views" className="tabs">
        {TABS.filter((t) => !uid || (t !== 'logs' && t !== 'events')).map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t} onClick={() => setQuery({ tab: t === 'graph' ? undefined : t, container: undefined, grep: undefined })}>
            {t[0]?.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="details-body">
        <div className="details-main" role="tabpanel">
          {!workflow && !error && <p>Loading…</p>}
          {workflow && tab === 'graph' && graph?.nodes.length === 0 && <p>This workflow has no nodes yet.</p>}
          {workflow && tab === 'graph' && graph && graph.nodes.length > 0 && layout && (
            <>
              {expandedLoops.size > 0 && (
                <button type="button" className="secondary" onClick={() => setExpandedLoops(new Set())}>Collapse loops</button>
              )}
              <GraphCanvas graph={graph} layout={layout} selectedId={selectedId} onSelect={selectInGraph} />
            </>
          )}
          {workflow && tab === 'timeline' && <Timeline workflow={workflow} onSelect={(id) => setQuery({ node: id })} />}
          {workflow && tab === 'summary' && <Summary workflow={workflow} />}
          {workflow && tab === 'yaml' && <YamlView value={workflow} />}
          {workflow && tab === 'logs' && !uid && <LogsViewer namespace={namespace} name={shownName} options={logOptions} onOptions={onLogOptions} />}
          {workflow && tab === 'events' && !uid && <EventsView namespace={namespace} target={{ kind: 'Workflow', name: shownName }} />}
        </div>
        {workflow && node && (
          <NodePanel workflow={workflow} node={node} onClose={() => setQuery({ node: undefined, panel: undefined, artifact: undefined, container: undefined, grep: undefined })} onChanged={receive}
            tab={panelTab} onTab={(t) => setQuery({ panel: t === 'summary' ? undefined : t, artifact: undefined, container: undefined, grep: undefined })}
            archived={Boolean(uid)} selectedArtifact={query.get('artifact') ?? undefined} artifactLink={artifactLink}
            logOptions={logOptions} onLogOptions={onLogOptions} />
        )}
      </div>
    </main>
  );
}
