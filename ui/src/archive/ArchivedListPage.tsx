// Archived workflows: namespace, label (keys suggested from the archive) and name-prefix
// filters kept in the URL, pagination by continue token; rows open the archived details.

import { useEffect, useState } from 'react';
import { deliverUnlessCancelled } from '../api/delivery';
import { archiveLabelKeys, listArchive } from '../api/archive';
import type { Workflow } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { PhaseBadge } from '../components/PhaseBadge';
import { durationSeconds, formatDuration, formatTime } from '../format';
import { Link, navigate, useRoute } from '../routing';

const PAGE_SIZE = 50;

export function ArchivedListPage({ namespace }: { namespace: string }) {
  const { query } = useRoute();
  const labels = query.get('labels') ?? '';
  const prefix = query.get('prefix') ?? '';
  const [ns, setNs] = useState(namespace);
  const [labelInput, setLabelInput] = useState(labels);
  const [prefixInput, setPrefixInput] = useState(prefix);
  const [keys, setKeys] = useState<string[]>([]);
  const [items, setItems] = useState<Workflow[]>();
  const [pages, setPages] = useState<string[]>(['']);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<unknown>();
  const continueToken = pages[pages.length - 1] || undefined;

  useEffect(() => {
    archiveLabelKeys(namespace).then((k) => setKeys(k.items ?? []), () => setKeys([]));
  }, [namespace]);
  useEffect(() => {
    setItems(undefined);
    return deliverUnlessCancelled(listArchive({ namespace, labels: labels.split(','), namePrefix: prefix, limit: PAGE_SIZE, continueToken }), (l) => {
      setItems(l.items ?? []);
      setNext(l.metadata?.continue || undefined);
      setError(undefined);
    }, setError);
  }, [namespace, labels, prefix, continueToken]);
  useEffect(() => {
    document.title = 'Archived workflows · Argo Workflows';
  }, []);

  const apply = () => {
    const q = new URLSearchParams(Object.entries({ labels: labelInput.trim(), prefix: prefixInput.trim() }).filter(([, v]) => v !== '')).toString();
    setPages(['']);
    navigate(`/archived-workflows/${encodeURIComponent(ns)}${q ? `?${q}` : ''}`, { replace: ns === namespace });
  };

  return (
    <main className="page">
      <h1>Archived workflows in {namespace}</h1>
      <form className="filters" aria-label="Archive filters" onSubmit={(e) => { e.preventDefault(); apply(); }}>
        <label>Namespace<input value={ns} onChange={(e) => setNs(e.target.value)} /></label>
        <label>
          Labels
          <input value={labelInput} list="archive-label-keys" placeholder="key=value,..." onChange={(e) => setLabelInput(e.target.value)} />
        </label>
        <datalist id="archive-label-keys">{keys.map((k) => <option key={k} value={`${k}=`} />)}</datalist>
        <label>Name starts with<input type="search" value={prefixInput} onChange={(e) => setPrefixInput(e.target.value)} /></label>
        <button type="submit">Apply</button>
      </form>
      <ErrorNotice error={error} />
      <div className="table-wrap">
        <table aria-busy={items === undefined}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Phase</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {(items ?? []).map((w) => (
              <tr key={w.metadata.uid}>
                <td>
                  <Link to={`/archived-workflows/${encodeURIComponent(w.metadata.namespace ?? namespace)}/${encodeURIComponent(w.metadata.uid ?? '')}`}>{w.metadata.name}</Link>
                </td>
                <td><PhaseBadge phase={w.status?.phase} /></td>
                <td>{formatTime(w.status?.startedAt)}</td>
                <td>{formatTime(w.status?.finishedAt)}</td>
                <td>{formatDuration(durationSeconds(w.status?.startedAt, w.status?.finishedAt))}</td>
              </tr>
            ))}
            {items?.length === 0 && <tr><td colSpan={5}>No archived workflows found.</td></tr>}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label="Pagination">
        <button type="button" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>Previous</button>
        <span>Page {pages.length}</span>
        <button type="button" disabled={!next} onClick={() => next && setPages((p) => [...p, next])}>Next</button>
      </nav>
    </main>
  );
}
