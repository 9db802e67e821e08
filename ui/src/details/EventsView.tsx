// The Kubernetes events of a node's pod or of the workflow, live from the server's event stream,
// newest first. Must not fetch anything but the event stream.

import { useEffect, useState } from 'react';
import { lastSeen, watchEvents, type EventTarget, type KubeEvent } from '../api/events';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatTime } from '../format';

const MAX_EVENTS = 500;

function eventKey(event: KubeEvent): string {
  return event.metadata?.uid ?? event.metadata?.name ?? `${event.reason}/${event.message}/${lastSeen(event)}`;
}

export function EventsView({ namespace, target }: { namespace: string; target: EventTarget }) {
  const [events, setEvents] = useState<ReadonlyMap<string, KubeEvent>>(new Map());
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setEvents(new Map());
    setError(undefined);
    return watchEvents(
      namespace,
      target,
      (event) => {
        setError(undefined);
        setEvents((current) => {
          const next = new Map(current);
          next.set(eventKey(event), event);
          if (next.size > MAX_EVENTS) next.delete(next.keys().next().value as string);
          return next;
        });
      },
      setError,
    );
  }, [namespace, target.kind, target.name]); // eslint-disable-line react-hooks/exhaustive-deps

  const sorted = [...events.values()].sort((a, b) => (lastSeen(b) ?? '').localeCompare(lastSeen(a) ?? ''));
  const what = target.kind === 'Pod' ? `pod ${target.name}` : `workflow ${target.name}`;
  return (
    <section aria-label={`Events of ${what}`} className="events">
      <ErrorNotice error={error} />
      {sorted.length === 0 ? (
        <p className="muted">No events recorded for {what} yet; new ones appear here as they happen.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th>Last seen</th><th>Type</th><th>Reason</th><th>Message</th><th>Count</th><th>From</th></tr>
            </thead>
            <tbody>
              {sorted.map((event) => (
                <tr key={eventKey(event)}>
                  <td>{formatTime(lastSeen(event))}</td>
                  <td>{event.type ?? '-'}</td>
                  <td>{event.reason ?? '-'}</td>
                  <td>{event.message ?? ''}</td>
                  <td>{event.count ?? 1}</td>
                  <td>{event.source?.component ?? event.reportingComponent ?? '-'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
