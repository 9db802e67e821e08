// Kubernetes events of one object (a node's pod, or the workflow) from the WatchEvents stream
// (`GET api/v1/stream/events/{namespace}`). Asks the server to filter by `involvedObject`; a
// server whose store cannot select on those fields (400) is asked again without the selector and
// the stream is filtered here. Must not render anything.

import { ApiError } from './errors';
import { openStream } from './sse';

export interface KubeEvent {
  metadata?: { name?: string; uid?: string; creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export interface EventTarget {
  kind: 'Pod' | 'Workflow';
  name: string;
}

/** Whether an event is about `target`. */
export function isAbout(event: KubeEvent, target: EventTarget): boolean {
  return event.involvedObject?.kind === target.kind && event.involvedObject.name === target.name;
}

/** When the event last happened (the newest of its timestamps), for sorting and display. */
export function lastSeen(event: KubeEvent): string | undefined {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
}

/** Streams the events about `target`; returns the close function. */
export function watchEvents(
  namespace: string,
  target: EventTarget,
  onEvent: (event: KubeEvent) => void,
  onError?: (e: Error) => void,
): () => void {
  const path = `api/v1/stream/events/${encodeURIComponent(namespace)}`;
  const onMessage = (event: KubeEvent) => {
    if (isAbout(event, target)) onEvent(event);
  };
  let close = openStream<KubeEvent>(
    path,
    {
      onMessage,
      onError: (e) => {
        if (e instanceof ApiError && e.status === 400) {
          // The selector was refused: take the namespace's stream and filter it here.
          close();
          close = openStream<KubeEvent>(path, { onMessage, onError });
        } else {
          onError?.(e);
        }
      },
    },
    { query: { 'listOptions.fieldSelector': `involvedObject.kind=${target.kind},involvedObject.name=${target.name}` } },
  );
  return () => close();
}
