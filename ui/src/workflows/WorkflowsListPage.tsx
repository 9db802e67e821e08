// The workflows list: filters kept in the URL, live + archived rows, live updates from the watch
// stream, pagination by continue token, bulk delete/stop/terminate/resubmit; the title annotation
// shows under the name as safe Markdown.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Column, Workflow } from '../api/types';
import { deleteWorkflow, getInfo, listArchivedWorkflows, listWorkflows, watchWorkflows, workflowAction, type ListFilter } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';
import { PhaseBadge } from '../components/PhaseBadge';
import { durationSeconds, formatDuration, formatTime } from '../format';
import { Markdown, TITLE_ANNOTATION } from '../markdown/Markdown';
import { Link, navigate, useRoute } from '../routing';
import { ListFilters } from './ListFilters';
import { applyWatchEvent, mergeRows, paramsFromQuery, queryFromParams, type ListParams, type Row } from './listModel';

type BulkAction = 'delete' | 'stop' | 'terminate' | 'resubmit';

function columnValue(w: Workflow, c: Column): string {
  const source = c.type === 'label' ? w.metadata.labels : w.metadata.annotations;
  return source?.[c.key] ?? '';
}

export function WorkflowsListPage({ namespace }: { namespace: string }) {
  const { query } = useRoute();
  const queryText = query.toString();
  const [params, setParams] = useState<ListParams>(() => paramsFromQuery(query));
  const [rows, setRows] = useState<Row[]>([]);
  const [columns, setColumns] = useState<Column[]>([]);
  const [pages, setPages] = useState<string[]>(['']);
  const [nextToken, setNextToken] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const continueToken = pages[pages.length - 1] || undefined;

  useEffect(() => setParams(paramsFromQuery(new URLSearchParams(queryText))), [queryText]);
  useEffect(() => {
    getInfo().then((info) => setColumns(info.columns ?? []), () => setColumns([]));
  }, []);

  const filter: ListFilter = {
    namespace,
    phases: params.phases,
    labels: params.labels,
    name: params.name,
    createdAfter: params.createdAfter,
    finishedBefore: params.finishedBefore,
    limit: params.limit,
    continueToken,
  };
  const filterKey = JSON.stringify(filter);

  // Only the newest load may set the rows: an answer for a filter the user has since changed
  // can arrive after the answer for the current one.
  const latestLoad = useRef(0);
  const load = useCallback(() => {
    const f = JSON.parse(filterKey) as ListFilter;
    const ticket = ++latestLoad.current;
    const current = () => ticket === latestLoad.current;
    setLoading(true);
    Promise.all([listWorkflows(f), f.continueToken ? Promise.resolve({ items: [] }) : listArchivedWorkflows(f).catch(() => ({ items: [] }))])
      .then(([live, archived]) => {
        if (!current()) return;
        setRows(mergeRows(live.items ?? [], archived.items ?? []));
        setNextToken(live.metadata?.continue || undefined);
        setError(undefined);
      }, (e) => { if (current()) setError(e); })
      .finally(() => { if (current()) setLoading(false); });
  }, [filterKey]);

  useEffect(load, [load]);
  useEffect(() => {
    const f = JSON.parse(filterKey) as ListFilter;
    return watchWorkflows(f, (event) => setRows((r) => applyWatchEvent(r, event)));
  }, [filterKey]);

  const update = (p: ListParams) => {
    setPages(['']);
    navigate(`/workflows/${encodeURIComponent(namespace)}${queryFromParams(p)}`, { replace: true });
    setParams(p);
  };

  const runBulk = async (action: BulkAction) => {
    const targets = rows.filter((r) => !r.archived && selected.has(r.workflow.metadata.name ?? ''));
    if (action === 'delete' && !window.confirm(`Delete ${targets.length} workflow(s)?`)) return;
    const results = await Promise.allSettled(
      targets.map(({ workflow }) => {
        const ns = workflow.metadata.namespace ?? namespace;
        const name = workflow.metadata.name ?? '';
        return action === 'delete' ? deleteWorkflow(ns, name) : workflowAction(ns, name, action);
      }),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    setError(failed.length > 0 ? new Error(`${failed.length} of ${targets.length} ${action} actions failed`) : undefined);
    setSelected(new Set());
    load();
  };

  const toggle = (name: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  return (
    <main className="page">
      <header className="page-header">
        <h1>Workflows</h1>
        <Link className="button" to={`/submit/${encodeURIComponent(namespace)}`}>Submit new workflow</Link>
      </header>
      <ListFilters key={namespace} namespace={namespace} params={params}
        onNamespace={(ns) => navigate(`/workflows/${encodeURIComponent(ns)}${queryFromParams(params)}`)} onChange={update} />
      <div className="bulk" role="toolbar" aria-label="Bulk actions">
        {(['stop', 'terminate', 'resubmit', 'delete'] as BulkAction[]).map((a) => (
          <button key={a} type="button" disabled={selected.size === 0} onClick={() => void runBulk(a)}>{a}</button>
        ))}
        <span>{selected.size} selected</span>
      </div>
      <ErrorNotice error={error} />
      <div className="table-wrap">
        <table aria-busy={loading}>
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">Select</span></th>
              <th scope="col">Name</th>
              <th scope="col">Phase</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Progress</th>
              {columns.map((c) => <th scope="col" key={`${c.type}/${c.key}`}>{c.name}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ workflow: w, archived }) => {
              const name = w.metadata.name ?? '';
              const ns = w.metadata.namespace ?? namespace;
              return (
                <tr key={w.metadata.uid ?? `${ns}/${name}`}>
                  <td>
                    <input type="checkbox" aria-label={`Select ${name}`} disabled={archived} checked={selected.has(name)} onChange={() => toggle(name)} />
                  </td>
                  <td>
                    <Link to={`/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}${archived && w.metadata.uid ? `?uid=${w.metadata.uid}` : ''}`}>{name}</Link>
                    {archived && <span className="tag">archived</span>}
                    {w.metadata.annotations?.[TITLE_ANNOTATION] && <div><Markdown inline text={w.metadata.annotations[TITLE_ANNOTATION]} /></div>}
                  </td>
                  <td><PhaseBadge phase={w.status?.phase} /></td>
                  <td>{formatTime(w.status?.startedAt)}</td>
                  <td>{formatDuration(durationSeconds(w.status?.startedAt, w.status?.finishedAt))}</td>
                  <td>{w.status?.progress ?? ''}</td>
                  {columns.map((c) => <td key={`${c.type}/${c.key}`}>{columnValue(w, c)}</td>)}
                </tr>
              );
            })}
            {rows.length === 0 && !loading && (
              <tr><td colSpan={6 + columns.length}>No workflows found.</td></tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label="Pagination">
        <button type="button" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>Previous</button>
        <span>Page {pages.length}</span>
        <button type="button" disabled={!nextToken} onClick={() => nextToken && setPages((p) => [...p, nextToken])}>Next</button>
      </nav>
    </main>
  );
}
